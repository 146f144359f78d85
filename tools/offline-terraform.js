/**
 * Offline terraform, shared by the test harness, the benchmark (bench/plans.js) and the access
 * report, and the plan walk they share; plain CommonJS, types in offline-terraform.d.ts.
 *
 *  TERRAFORM_BIN       terraform binary (default: `terraform` on PATH)
 *  TF_PROVIDER_MIRROR  filesystem mirror holding registry.terraform.io/hashicorp/aws
 *                      (default: /opt/tf-plugins)
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const TERRAFORM_BIN = process.env.TERRAFORM_BIN || "terraform";
const PROVIDER_MIRROR = process.env.TF_PROVIDER_MIRROR || "/opt/tf-plugins";

/** Whether terraform runs and the mirror holds hashicorp/aws: { ok, version } or { ok: false, why }. */
function detectTerraform() {
  const r = spawnSync(TERRAFORM_BIN, ["version", "-json"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    return { ok: false, why: `terraform binary "${TERRAFORM_BIN}" not runnable (${r.error ? r.error.message : r.stderr})` };
  if (!fs.existsSync(path.join(PROVIDER_MIRROR, "registry.terraform.io", "hashicorp", "aws")))
    return { ok: false, why: `no hashicorp/aws provider mirror at ${PROVIDER_MIRROR} (set TF_PROVIDER_MIRROR)` };
  return { ok: true, version: JSON.parse(r.stdout).terraform_version };
}

/** Writes `<dir>/offline.tfrc`, a CLI config whose only provider source is the mirror; returns its path. */
function writeCliConfig(dir) {
  const file = path.join(dir, "offline.tfrc");
  fs.writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(PROVIDER_MIRROR)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return file;
}

/** The environment for offline terraform runs: the CLI config, no prompts, dummy keys, no metadata API. */
function offlineEnv(cliConfigFile) {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** The provider block every offline root uses: dummy keys, no AWS calls (region may be given as an HCL expression). */
function offlineProvider(region = "ap-southeast-2", alias, regionExpression = JSON.stringify(region)) {
  return `provider "aws" {
${alias ? `  alias                       = "${alias}"\n` : ""}  region                      = ${regionExpression}
  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
`;
}

/**
 * Every resource of a plan (`terraform show -json`), the module tree flattened: the plan's own
 * objects ({ address, mode, type, name, values, ... }), so changes to them change the plan.
 */
function planResources(planJson) {
  const out = [];
  const walk = (m) => {
    for (const r of (m && m.resources) || []) out.push(r);
    for (const c of (m && m.child_modules) || []) walk(c);
  };
  walk(planJson && planJson.planned_values && planJson.planned_values.root_module);
  return out;
}

module.exports = { TERRAFORM_BIN, PROVIDER_MIRROR, detectTerraform, writeCliConfig, offlineEnv, offlineProvider, planResources };

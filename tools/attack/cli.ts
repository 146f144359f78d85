#!/usr/bin/env node
/**
 * Attack-path analysis from the command line.
 *
 *   npx ts-node --transpile-only tools/attack/cli.ts examples            # every example
 *   npx ts-node --transpile-only tools/attack/cli.ts examples/dev-prod   # one example
 *   npx ts-node --transpile-only tools/attack/cli.ts examples/dev-prod/multi-account
 *   npx ts-node --transpile-only tools/attack/cli.ts plan.json           # a saved `terraform show -json`
 *   npx ts-node --transpile-only tools/attack/cli.ts path/to/root        # a root that plans offline in place
 *
 * Examples are planned against freshly synthesized modules with dummy credentials (no AWS
 * account). Options: --invariant=<name> (repeatable) to print only some invariants,
 * --account=<12 digits> for a plan or root (without it, a root whose module instances have
 * different account_id inputs is analysed one account per instance). Exit code 1 when any path is found.
 */
import * as fs from "fs";
import * as path from "path";
import { plan } from "../terraform";
import { analyzeRoot, INVARIANTS, renderFindings, type Invariant, type RootAnalysis } from "./analyze";
import { analyzeExamples, EXAMPLE_NAMES, EXAMPLES_DIR, planExamples, type ExampleName } from "./examples";
import { moduleAccounts } from "./model";

/** Options of a plan or root: its module instances' accounts when they span several (and no --account). */
function rootOptions(name: string, planJson: any, account: string | undefined) {
  const accounts = account === undefined ? moduleAccounts(planJson) : [];
  return accounts.length > 1 ? { name, accounts } : { name, accountId: account };
}

function usage(msg: string): never {
  console.error(
    `${msg}\nusage: tools/attack/cli.ts <examples | examples/<name> | plan.json | root dir> [--invariant=<${INVARIANTS.join("|")}>] [--account=<id>]`,
  );
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  const target = args.find((a) => !a.startsWith("--"));
  if (!target) usage("missing the root to analyse");
  const invariants = args.filter((a) => a.startsWith("--invariant=")).map((a) => a.slice(12) as Invariant);
  for (const i of invariants) if (!INVARIANTS.includes(i)) usage(`unknown invariant ${JSON.stringify(i)}`);
  const account = args.find((a) => a.startsWith("--account="))?.slice(10);
  if (account !== undefined && !/^\d{12}$/.test(account)) usage(`--account must be 12 digits, got ${JSON.stringify(account)}`);

  const t0 = Date.now();
  let results: RootAnalysis[];
  const rel = path.relative(EXAMPLES_DIR, path.resolve(target)).split(path.sep).join("/");
  const exampleName = rel as ExampleName;
  if (target === "examples" || EXAMPLE_NAMES.includes(exampleName)) {
    const { plans, planMs } = planExamples();
    console.error(`planned the examples in ${(planMs / 1000).toFixed(1)} s`);
    const all = await analyzeExamples(plans);
    results = target === "examples" ? EXAMPLE_NAMES.map((n) => all[n]) : [all[exampleName]];
  } else if (target.endsWith(".json")) {
    if (!fs.existsSync(target)) usage(`no such plan file: ${target}`);
    const json = JSON.parse(fs.readFileSync(target, "utf8"));
    results = [await analyzeRoot(json, rootOptions(target, json, account))];
  } else {
    if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) usage(`not a directory or plan JSON: ${target}`);
    const r = plan(path.resolve(target));
    if (!r.ok) {
      console.error(`terraform plan of ${target} failed:\n${r.stderr}`);
      process.exit(2);
    }
    results = [await analyzeRoot(r.json, rootOptions(target, r.json, account))];
  }
  let paths = 0;
  for (const a of results) {
    console.log(renderFindings(a, invariants.length ? { invariants } : {}));
    paths += a.findings.filter((f) => !invariants.length || invariants.includes(f.invariant)).length;
    console.error(
      `${a.name}: ${a.model.nodes.length} principals, ${a.timings.simulations} sweep simulations, sweep ${(a.timings.sweepMs / 1000).toFixed(1)} s, closure ${(a.timings.closureMs / 1000).toFixed(1)} s`,
    );
  }
  console.error(`analysis done in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${paths} path(s)`);
  process.exit(paths ? 1 : 0);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(2);
});

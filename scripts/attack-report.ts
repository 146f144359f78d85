#!/usr/bin/env node
/**
 * npm run attack-report: plans every example offline, runs the attack-path analysis
 * (tools/attack) and writes examples/<name>/attack-report.json and the "What each principal can
 * reach" section of examples/<name>/README.md: the reviewed result the tests compare against.
 * With --check it only compares and exits 1 on a difference. The paths themselves are printed.
 * --plans FILE reuses the plans saved there by an earlier run (and saves them when absent).
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { renderFindings } from "../tools/attack/analyze";
import { analyzeExamples, EXAMPLE_NAMES, EXAMPLES_DIR, planExamples } from "../tools/attack/examples";
import { attackReport, withReadmeSection } from "../tools/attack/report";

async function main() {
  const check = process.argv.includes("--check");
  const cache = process.argv.includes("--plans") ? process.argv[process.argv.indexOf("--plans") + 1] : undefined;
  const plans = cache && fs.existsSync(cache) ? JSON.parse(fs.readFileSync(cache, "utf8")) : planExamples().plans;
  if (cache && !fs.existsSync(cache)) fs.writeFileSync(cache, JSON.stringify(plans));
  const analyses = await analyzeExamples(plans);
  let failed = false;
  for (const name of EXAMPLE_NAMES) {
    const report = attackReport(analyses[name]);
    const jsonFile = path.join(EXAMPLES_DIR, name, "attack-report.json");
    const readmeFile = path.join(EXAMPLES_DIR, name, "README.md");
    // Formatted as the repository's prettier check expects.
    const json = await prettier.format(JSON.stringify(report, null, 2), { ...(await prettier.resolveConfig(jsonFile)), parser: "json" });
    if (check) {
      if (!fs.existsSync(jsonFile) || fs.readFileSync(jsonFile, "utf8") !== json) {
        failed = true;
        console.error(`examples/${name}: the attack report differs from the reviewed one (run npm run attack-report and review the diff)`);
      }
      continue;
    }
    fs.writeFileSync(jsonFile, json);
    fs.writeFileSync(readmeFile, withReadmeSection(fs.readFileSync(readmeFile, "utf8"), report));
    console.log(renderFindings(analyses[name]));
    console.log(`examples/${name}: ${report.principals.length} principals written`);
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});

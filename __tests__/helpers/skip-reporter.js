/**
 * A jest reporter (jest.config.js) that, after the summary, prints one banner per skipped
 * terraform layer, naming the suites of this run it skipped, the reason and the fix. Jest hides
 * the console output of a suite whose tests are all skipped, so a warning inside the suites would
 * go unseen.
 */
const path = require("path");
const { skipBanners, terraformSuites } = require("./terraform-skip");

class SkipReporter {
  onRunComplete(_contexts, results) {
    const ran = new Set(results.testResults.map((r) => path.basename(r.testFilePath)));
    const suites = terraformSuites().filter((s) => ran.has(s.file));
    if (!suites.length) return;
    const banners = skipBanners(undefined, suites);
    if (banners.length) process.stderr.write(`\n${banners.join("\n\n")}\n\n`);
  }
}

module.exports = SkipReporter;

/**
 * The loud part of a skipped terraform layer (printed by skip-reporter.js, see jest.config.js).
 *
 * Jest hides the console output of a test file whose tests are all skipped, so a warning inside
 * the suites is not enough: after the run, this prints to stderr one banner per skipped layer,
 * naming the suites, the reason and the fix. (With CI=true the suites fail instead of skipping,
 * unless GUARDRAIL_ALLOW_TF_SKIP=true: see describeTerraform in terraform.ts.)
 */
const fs = require("fs");
const path = require("path");
const { detectTerraform, PROVIDER_MIRROR } = require("../../tools/offline-terraform");

/** Layers that need terraform and the provider mirror, and how to recognize their suites. */
const LAYERS = [
  {
    name: "TERRAFORM LAYER (terraform init/validate/plan of the modules, consumer roots and examples; `terraform test` in every module)",
    suites: () => true,
  },
  {
    name: "IAM SIMULATION LAYER (the persona tables and access matrices, simulated on the policies of terraform plans)",
    suites: (file, text) => text.includes("tools/simulate"),
  },
];

/** The suites that declare terraform-dependent tests (describeTerraform). */
function terraformSuites(dir = path.join(__dirname, "..")) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), "utf8") }))
    .filter((s) => s.text.includes("describeTerraform("));
}

/** One banner per skipped layer (empty when terraform and the mirror are there). */
function skipBanners(detected = detectTerraform(), suites = terraformSuites()) {
  if (detected.ok) return [];
  const bar = "!".repeat(100);
  return LAYERS.flatMap((layer) => {
    const names = suites.filter((s) => layer.suites(s.file, s.text)).map((s) => s.file);
    if (!names.length) return [];
    return [
      bar,
      `SKIPPED: ${layer.name}`,
      `  why:    ${detected.why}`,
      `  suites: ${names.join(", ")}`,
      `  fix:    install Terraform >= 1.7 (TERRAFORM_BIN selects a binary) and build the provider mirror once,`,
      `          on a machine with network: scripts/build-provider-mirror.sh ${PROVIDER_MIRROR}  (README: Offline provider mirror)`,
      `  CI:     with CI=true these suites fail instead of skipping, unless GUARDRAIL_ALLOW_TF_SKIP=true`,
      bar,
    ].join("\n");
  });
}

module.exports = { skipBanners, terraformSuites, LAYERS };

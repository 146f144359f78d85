/**
 * The test layers (jest projects in jest.config.js), by test file name without `.test.ts`:
 *   pure   policy code, the IAM catalog and simulator helper, the architecture checks (no cdktf)
 *   synth  the synthesized JSON and READMEs (in-process synth through ts-jest); also every
 *          test file not named here, so a new file always runs somewhere
 *   hcl    every string of every module parsed by HashiCorp's HCL parser
 *   entry  the entry point `cdktf synth` runs (bundle, build stamp, concurrency, read-only dist/)
 *          and the release scripts run as processes (publishing to a local git remote)
 *   plan   terraform init/validate/plan of the modules, the examples and the scale inputs
 */
const LAYERS = {
  pure: [
    "policy-render",
    "policy-engine",
    "catalog",
    "global-services",
    "iam-baseline-policy",
    "data-lake-policy",
    "org-scp-policy",
    "simulate-helper",
    "architecture",
    "policy-destructive",
    "iam-baseline-hardening",
    "attack-grants",
  ],
  hcl: ["hcl-templates"],
  entry: ["app-entry", "terraform-skip", "publish-modules"],
  plan: [
    "terraform-modules",
    "iam-baseline-terraform",
    "data-lake-terraform",
    "data-lake-cli-table",
    "data-lake-destroy",
    "org-scp-terraform",
    "inputs-terraform",
    "terraform-test",
    "docs-snippets",
    "provider-schema",
    "scale",
    "access-matrix",
    "attack-paths",
    "multi-account-terraform",
  ],
};

module.exports = { LAYERS };

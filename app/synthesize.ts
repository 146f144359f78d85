import * as fs from "fs";
import * as path from "path";
import { App } from "../lib/cdktf";
import { GeneratorOptions } from "../lib/config";
import { ModuleId } from "../lib/module-interface";
import { ModuleStack } from "../lib/module-stack";
import { renderModuleReadme, resourcesOf } from "../lib/docs";
import { checkPolicies, formatProblem } from "../lib/policy/engine";
import { failIfProblems } from "../lib/errors";
import { copyModuleFiles } from "../lib/module-files";
import { IamBaselineStack } from "../modules/iam-baseline/stack";
import { DataLakeStack } from "../modules/data-lake/stack";
import { OrgScpStack } from "../modules/org-scp/stack";

const FACTORIES: Record<ModuleId, (app: App, options: GeneratorOptions) => ModuleStack> = {
  "iam-baseline": (app, o) => new IamBaselineStack(app, o),
  "data-lake": (app, o) => new DataLakeStack(app, o),
  "org-scp": (app, o) => new OrgScpStack(app, o),
};

export interface SynthResult {
  outdir: string;
  stacks: ModuleStack[];
  /** Synthesized Terraform JSON per module. */
  modules: Partial<Record<ModuleId, any>>;
}

/** Builds one module stack per selected module. */
export function buildApp(options: GeneratorOptions, outdir?: string): { app: App; stacks: ModuleStack[] } {
  // No construct stack traces in metadata: faster, and nothing machine-specific.
  const app = new App({ outdir, stackTraces: false });
  const stacks = options.modules.map((id) => FACTORIES[id](app, options));
  return { app, stacks };
}

/** The file name cdktf writes each stack's Terraform JSON to. */
export const TF_JSON = "cdk.tf.json";

/**
 * Synthesizes every selected module into `<outdir>/stacks/<id>/` and renders each
 * module's README.md next to its Terraform JSON.
 */
export function synthesize(options: GeneratorOptions, outdir?: string): SynthResult {
  const { app, stacks } = buildApp(options, outdir);
  checkAllPolicies(stacks, options);
  app.synth();
  const modules: SynthResult["modules"] = {};
  for (const stack of stacks) {
    const dir = path.join(app.outdir, "stacks", stack.spec.id);
    const tf = JSON.parse(fs.readFileSync(path.join(dir, TF_JSON), "utf8"));
    modules[stack.spec.id] = tf;
    fs.writeFileSync(path.join(dir, "README.md"), renderModuleReadme(stack.spec, { resources: resourcesOf(tf) }));
    copyModuleFiles(stack.spec.id, dir);
  }
  return { outdir: app.outdir, stacks, modules };
}

/** Runs the policy engine over every module's policies; throws one error listing every problem. */
export function checkAllPolicies(stacks: readonly ModuleStack[], options: GeneratorOptions): void {
  const problems = stacks.flatMap((s) => checkPolicies(s.policies, s.substitute, { scpMaxChars: options.scpMaxChars }));
  failIfProblems("Policy engine found problems (module / policy, statement: problem [rule])", problems.map(formatProblem));
}

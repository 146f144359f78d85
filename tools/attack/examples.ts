/**
 * The attack-path analysis of the examples: plans every example offline (through the access
 * report's planner, tools/access/examples.ts) and analyses each plan. The dev-prod account
 * sits in the organization example's OU, so the organization's SCPs apply to it; the
 * organization example itself is analysed with a member-account admin stand-in under its SCPs.
 * The multi-account variant of dev-prod puts each module instance in its own account (one model
 * per account, cross-account assume-role edges between them), all three in the same OU.
 */
import * as fs from "fs";
import * as path from "path";
import { EXAMPLE_NAMES as PLANNED_EXAMPLES, EXAMPLES_DIR, MULTI_ACCOUNT, planExample, prepareExamples } from "../access/examples";
import type { PolicyDocument } from "../../lib/policy/types";
import { analyzeRoot, type AnalyzeOptions, type RootAnalysis } from "./analyze";
import { buildModel, FULL_AWS_ACCESS, moduleAccounts } from "./model";

/**
 * The analysed examples: the planned ones, and the multi-account variant of dev-prod (identity,
 * dev and prod accounts), analysed one model per account plus the cross-account assume-role edges.
 */
export const EXAMPLE_NAMES = [...PLANNED_EXAMPLES, MULTI_ACCOUNT] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];
export { EXAMPLES_DIR, MULTI_ACCOUNT };

/** account_id of an example's committed tfvars. */
function tfvarAccount(name: string): string | undefined {
  if (name === MULTI_ACCOUNT) return undefined;
  const file = path.join(EXAMPLES_DIR, name, "terraform.tfvars.example");
  return fs.readFileSync(file, "utf8").match(/^account_id\s*=\s*"(\d{12})"/m)?.[1];
}

/** SCP levels an organization plan puts above a member account: FullAWSAccess at the root, FullAWSAccess and the SCPs at the OU. */
export function scpLevelsOf(orgPlan: any): PolicyDocument[][] {
  const docs = buildModel(orgPlan).scpDocs;
  return [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...docs]];
}

/** Analysis options of each example. */
export function exampleOptions(name: ExampleName, plans: Record<ExampleName, any>): AnalyzeOptions {
  const accountId = tfvarAccount(name);
  switch (name) {
    case "dev-prod":
      return { name, accountId, scps: scpLevelsOf(plans.organization) };
    case "organization":
      return { name, memberAccountId: "444455556666" };
    case MULTI_ACCOUNT:
      // One account per module instance (its account_id input); production where an
      // environment named prod has its roles (the default rule, per account). The three
      // accounts sit in the organization example's OU, as the dev-prod account does.
      return { name, accounts: moduleAccounts(plans[MULTI_ACCOUNT]), scps: scpLevelsOf(plans.organization) };
    default:
      return { name, accountId };
  }
}

export interface ExamplePlans {
  plans: Record<ExampleName, any>;
  planMs: number;
}

/** Plans every example offline (throws with terraform's output when a plan fails). */
export function planExamples(): ExamplePlans {
  const t = Date.now();
  const root = prepareExamples();
  const plans = {} as Record<ExampleName, any>;
  for (const name of EXAMPLE_NAMES) {
    const r = planExample(root, name);
    if (!r.ok) throw new Error(`terraform plan of examples/${name} failed:\n${r.stderr}`);
    plans[name] = r.json;
  }
  return { plans, planMs: Date.now() - t };
}

/** Analyses every example from its plan. */
export async function analyzeExamples(plans: Record<ExampleName, any>): Promise<Record<ExampleName, RootAnalysis>> {
  const out = {} as Record<ExampleName, RootAnalysis>;
  for (const name of EXAMPLE_NAMES) out[name] = await analyzeRoot(plans[name], exampleOptions(name, plans));
  return out;
}

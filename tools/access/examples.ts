/**
 * Plans the examples/ roots offline against freshly synthesized modules and builds
 * each example's access matrix from the plan.
 */
import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../../app/synthesize";
import { DEFAULT_OPTIONS } from "../../lib/config";
import { MODULE_IDS } from "../../lib/module-interface";
import type { PolicyDocument } from "../../lib/policy/types";
import { tempDir } from "../temp-dir";
import { copyModule, offlineProvider, plan, PlanResult } from "../terraform";
import { extractAccessModel } from "./extract";
import {
  ADMINISTRATOR_ACCESS,
  computeMatrix,
  ExampleEnv,
  FULL_AWS_ACCESS,
  Matrix,
  Principal,
  rolePrincipals,
  userPrincipals,
} from "./matrix";

export const EXAMPLES_DIR = path.join(__dirname, "..", "..", "examples");
export const EXAMPLE_NAMES = ["single-account", "dev-prod", "organization"] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];
/**
 * The multi-account variant of dev-prod (identity, dev and prod accounts), one level deeper: it
 * has no access matrix (no account holds both people and roles), only the attack-path analysis.
 */
export const MULTI_ACCOUNT = "dev-prod/multi-account" as const;

/** tfvars of an example: its committed terraform.tfvars.example (parsed for the few values we need). */
function tfvar(example: string, name: string): string | undefined {
  const text = fs.readFileSync(path.join(EXAMPLES_DIR, example, "terraform.tfvars.example"), "utf8");
  return text.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
}

/**
 * Lays out <tmp>/cdktf.out/stacks/<module> and <tmp>/examples/<name> as in the repo,
 * with the example's tfvars and an override that makes the provider offline.
 */
export function prepareExamples(): string {
  const root = tempDir("examples");
  const synth = synthesize(DEFAULT_OPTIONS, path.join(root, "cdktf.out"));
  for (const id of MODULE_IDS) copyModule(path.join(synth.outdir, "stacks", id), path.join(root, "cdktf.out", "stacks", id));
  for (const name of EXAMPLE_NAMES) {
    const src = path.join(EXAMPLES_DIR, name);
    const dest = path.join(root, "examples", name);
    fs.mkdirSync(dest, { recursive: true });
    for (const f of fs.readdirSync(src)) if (f.endsWith(".tf")) fs.copyFileSync(path.join(src, f), path.join(dest, f));
    fs.copyFileSync(path.join(src, "terraform.tfvars.example"), path.join(dest, "terraform.tfvars"));
    // Merged into the example's provider block: dummy keys and no AWS calls.
    const offline = offlineProvider().replace(/^\s*region\s*=.*$/m, "");
    fs.writeFileSync(path.join(dest, "offline_override.tf"), offline);
  }
  // The multi-account root uses its variables' defaults (no tfvars).
  const multi = path.join(root, "examples", MULTI_ACCOUNT);
  fs.mkdirSync(multi, { recursive: true });
  for (const f of fs.readdirSync(path.join(EXAMPLES_DIR, MULTI_ACCOUNT)))
    if (f.endsWith(".tf")) fs.copyFileSync(path.join(EXAMPLES_DIR, MULTI_ACCOUNT, f), path.join(multi, f));
  fs.writeFileSync(path.join(multi, "offline_override.tf"), offlineProvider().replace(/^\s*region\s*=.*$/m, ""));
  return root;
}

export function planExample(root: string, name: ExampleName | typeof MULTI_ACCOUNT): PlanResult {
  return plan(path.join(root, "examples", name));
}

function groupPersona(model: ReturnType<typeof extractAccessModel>, prefix: string) {
  return (user: string) => model.users.get(user)?.[0]?.replace(`${prefix}-`, "").replace(/-/g, "_");
}

function lakeOf(model: ReturnType<typeof extractAccessModel>) {
  const names = [...model.buckets.keys()];
  return { landing: names.find((n) => n.endsWith("-landing-zone")), analysis: names.find((n) => n.endsWith("-analysis")) };
}

/** SCP levels of the organization example: FullAWSAccess at the root; FullAWSAccess and the module's SCPs at the OU. */
export function scpLevels(orgPlan: any): PolicyDocument[][] {
  const model = extractAccessModel(orgPlan, "000000000000");
  return [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...[...model.scps.keys()].sort().map((k) => model.scps.get(k)!.document)]];
}

export interface ExampleMatrices {
  plans: Record<ExampleName, PlanResult>;
  matrices: Record<ExampleName, Matrix>;
}

/** Plans all examples and computes their matrices. */
export async function buildMatrices(root = prepareExamples()): Promise<ExampleMatrices> {
  const plans = {} as Record<ExampleName, PlanResult>;
  for (const name of EXAMPLE_NAMES) {
    plans[name] = planExample(root, name);
    if (!plans[name].ok) throw new Error(`terraform plan of examples/${name} failed:\n${plans[name].stderr}`);
  }
  const scps = scpLevels(plans.organization.json);
  const matrices = {} as Record<ExampleName, Matrix>;

  {
    const accountId = tfvar("single-account", "account_id")!;
    const model = extractAccessModel(plans["single-account"].json, accountId);
    const env: ExampleEnv = { accountId, region: "ap-southeast-2", otherRegion: "us-west-2", model, scps: [], lake: lakeOf(model) };
    matrices["single-account"] = await computeMatrix("single-account", env, userPrincipals(env, groupPersona(model, "acme")));
  }
  {
    const accountId = tfvar("dev-prod", "account_id")!;
    const model = extractAccessModel(plans["dev-prod"].json, accountId);
    const roleName = (e: string, p: string) => `acme-${e}-${p.replace(/_/g, "-")}`;
    // The dev-prod account sits in the organization example's OU: its SCPs apply.
    const env: ExampleEnv = { accountId, region: "ap-southeast-2", otherRegion: "us-west-2", model, scps, lake: lakeOf(model), roleName };
    const roles = ["dev-developer", "prod-developer", "prod-devops", "prod-data-team", "prod-automation"].map((r) => `acme-${r}`);
    matrices["dev-prod"] = await computeMatrix("dev-prod", env, [
      ...userPrincipals(env, groupPersona(model, "acme")),
      // Environment roles own compute tagged owner = environment/<env> (iam-baseline's owned-compute rule).
      ...rolePrincipals(env, roles, (r) => `environment/${r.split("-")[1]}`),
    ]);
  }
  {
    const accountId = "444455556666"; // a workload account moved into the OU
    const model = extractAccessModel(plans.organization.json, accountId);
    const env: ExampleEnv = { accountId, region: "ap-southeast-2", otherRegion: "us-west-2", model, scps, lake: {} };
    const principals: Principal[] = [
      {
        label: "workload admin (AdministratorAccess role)",
        arn: `arn:aws:sts::${accountId}:assumed-role/WorkloadAdmin/jo`,
        identity: [ADMINISTRATOR_ACCESS],
      },
      {
        label: "break-glass role (exempt)",
        arn: `arn:aws:sts::${accountId}:assumed-role/BreakGlass/oncall`,
        identity: [ADMINISTRATOR_ACCESS],
      },
      { label: "root user", arn: `arn:aws:iam::${accountId}:root`, identity: [ADMINISTRATOR_ACCESS] },
    ];
    matrices.organization = await computeMatrix("organization", env, principals);
  }
  return { plans, matrices };
}

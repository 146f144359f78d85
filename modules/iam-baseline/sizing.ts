/**
 * Synth-time sizing of the module's policies at their worst case. The inputs' worst cases are
 * declared on the inputs (`worstCase` in spec.ts); the locals and loop variables the policies
 * read are derived from them here, the way stack.ts's locals derive them in Terraform. With the
 * default allowed_regions, a chunk that fits here fits the default plan with room to spare;
 * plan-time preconditions check the real inputs. Pure: no cdktf import.
 */
import { PolicyItem } from "../../lib/policy/iam/policy-items";
import { resolvePolicy } from "../../lib/policy/iam/policy-items";
import { MANAGED_POLICY_MAX_CHARS, packItems } from "../../lib/policy/iam/pack";
import { nonWhitespaceLength } from "../../lib/policy/render";
import { PERSONAS } from "../../lib/policy/iam/personas";
import { declaredInputValue } from "../../lib/module-interface";
import { AUTOMATION_TRUST_PRINCIPALS, ROLE_TRUSTED_ACCOUNT } from "./references";
import { IAM_BASELINE_SPEC } from "./spec";
import { WORST_PARTITION } from "./worst-case";

/** Packing budget: below the quota, leaving room for more allowed_regions than the default. */
export const PACK_LIMIT = MANAGED_POLICY_MAX_CHARS - 600;

/** The longest environment name the environments input accepts (each.value.environment). */
const LONGEST_ENVIRONMENT_NAME = "e".repeat(16);

interface WorstEnvironment {
  readonly account_id?: string;
  readonly production?: boolean;
  readonly personas: readonly string[];
}
interface WorstLakeBucket {
  readonly bucket_name: string;
  readonly [persona: string]: string;
}

/** An input's worst case (or default), as spec.ts declares it. */
function input<T>(reference: string): T {
  const value = declaredInputValue(IAM_BASELINE_SPEC, `var.${reference}`);
  if (value === undefined) throw new Error(`sizing: the input var.${reference} declares no worst case or default`);
  return value as T;
}

/** Worst-case values of the locals and loop variables the policies read (see stack.ts locals). */
function derivedValues(): Map<string, unknown> {
  const partition = WORST_PARTITION;
  const account = input<string>("account_id");
  const prefix = input<string>("name_prefix");
  const s3 = (bucket: string) => `arn:${partition}:s3:::${bucket}`;
  const environments = Object.entries(input<Record<string, WorstEnvironment>>("environments")).map(([name, env]) => ({
    name,
    account: env.account_id ?? account,
    production: env.production ?? ["prod", "production", "prd"].includes(name),
    personas: env.personas,
  }));
  const production = environments.filter((env) => env.production);
  const roleArns = (persona: string) =>
    environments
      .filter((env) => env.personas.includes(persona))
      .map((env) => `arn:${partition}:iam::${env.account}:role/${prefix}-${env.name}-${persona.replace(/_/g, "-")}`);
  const lake = Object.values(input<Record<string, WorstLakeBucket>>("lake_access.buckets"));
  const lakeBuckets = (persona: string, access: readonly string[]) =>
    lake.filter((b) => access.includes(b[persona])).map((b) => s3(b.bucket_name));
  const trail = input<{ enabled: boolean; bucket_name?: string }>("cloudtrail");
  const protectedNames = [
    ...new Set([...input<string[]>("protected_bucket_names"), ...(trail.enabled && trail.bucket_name ? [trail.bucket_name] : [])]),
  ];
  const githubRole = `${prefix}-github-deploy`;
  const values = new Map<string, unknown>([
    ["local.partition", partition],
    ["local.sts_regions", [...new Set(["us-east-1", ...input<string[]>("allowed_regions")])]],
    ["local.deploy_name_prefix", declaredInputValue(IAM_BASELINE_SPEC, "var.deploy_name_prefix") ?? `${prefix}-`],
    ["local.artifact_object_arns", input<string[]>("deploy_permissions.artifact_bucket_names").map((b) => `${s3(b)}/*`)],
    ["local.lake_all_arns", lake.flatMap((b) => [s3(b.bucket_name), `${s3(b.bucket_name)}/*`])],
    ["local.production_environment_names", production.map((env) => env.name)],
    ["local.production_names_in_account", production.filter((env) => env.account === account).map((env) => env.name)],
    ["local.protected_bucket_arns", protectedNames.flatMap((b) => [s3(b), `${s3(b)}/*`])],
    ["local.github_role_name", githubRole],
    // The deploy role enabled: it may assume every automation role.
    ["local.github_assumable_role_arns", roleArns("automation")],
    ["each.value.environment", LONGEST_ENVIRONMENT_NAME],
    [ROLE_TRUSTED_ACCOUNT, account],
    [
      AUTOMATION_TRUST_PRINCIPALS,
      [
        `arn:${partition}:iam::${account}:role/${githubRole}`,
        ...[...new Set(input<string[]>("trusted_automation_user_names"))].map((u) => `arn:${partition}:iam::${account}:user/${u}`),
      ],
    ],
    ["tostring(var.role_max_mfa_age_seconds)", String(input<number>("role_max_mfa_age_seconds"))],
  ]);
  for (const p of PERSONAS) {
    values.set(`local.assumable_role_arns.${p}`, roleArns(p));
    values.set(`local.lake_read_bucket_arns.${p}`, lakeBuckets(p, ["read", "write"]));
    values.set(
      `[for a in local.lake_read_bucket_arns.${p} : "\${a}/*"]`,
      lakeBuckets(p, ["read", "write"]).map((a) => `${a}/*`),
    );
    values.set(
      `local.lake_write_object_arns.${p}`,
      lakeBuckets(p, ["write"]).map((a) => `${a}/*`),
    );
  }
  return values;
}

let derived: Map<string, unknown> | undefined;

/** The worst-case value of a local or loop variable the policies read, else undefined. */
export function derivedWorstCase(expression: string): unknown {
  derived ??= derivedValues();
  return derived.get(expression);
}

/**
 * Representative worst-case values of the expressions the statement builders use: a derived
 * local, else an input's declared worst case (or default). An expression with neither is an
 * error: sizing never guesses.
 */
export function estimateSubstitute(expr: string): unknown {
  const value = derivedWorstCase(expr) ?? declaredInputValue(IAM_BASELINE_SPEC, expr);
  if (value === undefined) throw new Error(`sizing: no representative value for the Terraform expression ${expr}`);
  return value;
}

/** Characters AWS counts for the policy, with every optional statement present. */
export function estimateSize(items: readonly PolicyItem[]): number {
  return nonWhitespaceLength(resolvePolicy(items, estimateSubstitute));
}

export function itemSize(item: PolicyItem): number {
  return estimateSize([item]) - estimateSize([]);
}

/** Splits statements into managed policies that fit PACK_LIMIT. */
export function chunkPolicies(items: readonly PolicyItem[], what: string): PolicyItem[][] {
  try {
    return packItems(items, (i) => nonWhitespaceLength(resolvePolicy([i], estimateSubstitute).Statement[0]), PACK_LIMIT);
  } catch (err) {
    throw new Error(`iam-baseline: ${what}: ${(err as Error).message}`);
  }
}

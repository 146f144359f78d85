/**
 * Synth-time sizing of the module's policies. Terraform expressions are replaced by
 * representative worst-case values (longest partition, a 32-character name prefix, three
 * environments, several buckets and ARNs) with the default allowed_regions, so that a chunk
 * that fits here fits the default plan with room to spare. Plan-time preconditions check the
 * real inputs. Pure: no cdktf import.
 */
import { PolicyItem } from "../../lib/policy/iam/policy-items";
import { resolvePolicy } from "../../lib/policy/iam/policy-items";
import { MANAGED_POLICY_MAX_CHARS, packItems } from "../../lib/policy/iam/pack";
import { nonWhitespaceLength } from "../../lib/policy/render";

/** Packing budget: below the quota, leaving room for more allowed_regions than the default. */
export const PACK_LIMIT = MANAGED_POLICY_MAX_CHARS - 600;

const PARTITION = "aws-us-gov";
const ACCOUNT = "123456789012";
const PREFIX = "p".repeat(32);
const roleArns = (persona: string) =>
  ["dev", "test", "production"].map((env) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${PREFIX}-${env}-${persona}`);
const bucketArns = (n: number, suffix = "") => Array.from({ length: n }, (_, i) => `arn:${PARTITION}:s3:::${"b".repeat(60)}-${i}${suffix}`);

/** Representative values of the expressions the statement builders use. */
export function estimateSubstitute(expr: string): unknown {
  const exact: Record<string, unknown> = {
    "local.partition": PARTITION,
    "var.account_id": ACCOUNT,
    "var.name_prefix": PREFIX,
    "var.allowed_regions": ["ap-southeast-2"],
    "local.sts_regions": ["us-east-1", "ap-southeast-2"],
    "local.artifact_object_arns": bucketArns(3, "/*"),
    "var.deploy_permissions.pass_role_arns": roleArns("workload"),
    "local.lake_all_arns": [...bucketArns(2), ...bucketArns(2, "/*")],
    "local.production_environment_names": ["production"],
    "var.environment_tag_key": "environment",
    "tostring(var.role_max_mfa_age_seconds)": "3600",
    "var.lockdown.break_glass_principal_arns": [`arn:${PARTITION}:iam::${ACCOUNT}:role/break-glass-*`],
    "var.lockdown.revoke_sessions_issued_before": "2026-01-01T00:00:00Z",
    "local.github_role_name": `${PREFIX}-github-deploy`,
    "local.github_assumable_role_arns": roleArns("automation"),
    "var.workload_role_name_prefix": "w".repeat(32),
    "var.owner_tag_key": "o".repeat(32),
    "local.deploy_name_prefix": `${PREFIX}-`,
    "local.production_names_in_account": ["production"],
    "local.protected_bucket_arns": [...bucketArns(3), ...bucketArns(3, "/*")],
    "each.value.environment": "e".repeat(16),
    "var.cloudtrail.bucket_name": "c".repeat(63),
  };
  if (expr.startsWith('concat(["arn:${local.partition}:iam::${r.trusted_account_id}:role/'))
    return [
      `arn:${PARTITION}:iam::${ACCOUNT}:role/${PREFIX}-github-deploy`,
      ...Array.from({ length: 5 }, (_, i) => `arn:${PARTITION}:iam::${ACCOUNT}:user/${"u".repeat(60)}${i}`),
    ];
  if (expr in exact) return exact[expr];
  let m = /^local\.assumable_role_arns\.(\w+)$/.exec(expr);
  if (m) return roleArns(m[1]);
  m = /^local\.lake_read_bucket_arns\.\w+$/.exec(expr);
  if (m) return bucketArns(2);
  if (/^\[for a in local\.lake_read_bucket_arns\.\w+ : "\$\{a\}\/\*"\]$/.test(expr)) return bucketArns(2, "/*");
  if (/^local\.lake_write_object_arns\.\w+$/.test(expr)) return bucketArns(2, "/*");
  throw new Error(`sizing: no representative value for the Terraform expression ${expr}`);
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

/**
 * Building blocks of the iam-baseline inputs' worst cases, declared on each input
 * (`worstCase` in spec.ts): the longest partition, a 32-character name prefix, three
 * environments, long bucket names and role ARNs. A policy that fits with them fits the default
 * plan with room to spare; plan-time preconditions check the real inputs. Pure data.
 */
import { LAKE_PERSONAS } from "../../lib/policy/iam/personas";

/** The longest partition name (local.partition comes from a data source, not an input). */
export const WORST_PARTITION = "aws-us-gov";
export const WORST_ACCOUNT_ID = "123456789012";
/** The longest name_prefix the input accepts. */
export const WORST_NAME_PREFIX = "p".repeat(32);
export const WORST_ENVIRONMENT_NAMES = ["dev", "test", "production"] as const;

/** `n` distinct 62-character bucket names. */
export function worstBucketNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${"b".repeat(60)}-${i}`);
}

/** One role ARN per worst-case environment, named like the module's environment roles. */
export function worstRoleArns(persona: string): string[] {
  return WORST_ENVIRONMENT_NAMES.map(
    (env) => `arn:${WORST_PARTITION}:iam::${WORST_ACCOUNT_ID}:role/${WORST_NAME_PREFIX}-${env}-${persona}`,
  );
}

/** Two lake zones, each writable by every lake persona. */
export function worstLakeBuckets(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    worstBucketNames(2).map((bucket_name, i) => [
      `zone_${i}`,
      { bucket_name, ...Object.fromEntries(LAKE_PERSONAS.map((p) => [p, "write"])) },
    ]),
  );
}

/**
 * Splitting a persona's statements into as few managed policies as fit the IAM quota
 * (6,144 characters without whitespace per customer-managed policy). Pure.
 */
import { nonWhitespaceLength } from "../render";
import { PolicyItem, statementOf } from "./policy-items";

export { MANAGED_POLICY_MAX_CHARS, MAX_MANAGED_POLICIES_PER_PRINCIPAL, TRUST_POLICY_MAX_CHARS } from "../limits";

/** `{"Version":"2012-10-17","Statement":[]}` */
const ENVELOPE = 39;

/**
 * Greedy, order-preserving packing: statements stay in their order and each chunk is filled
 * until the next statement would exceed `limit`. `measure` gives a statement's size as AWS
 * counts it (resolve Terraform expressions with representative values first).
 */
export function packItems(items: readonly PolicyItem[], measure: (item: PolicyItem) => number, limit: number): PolicyItem[][] {
  const chunks: PolicyItem[][] = [];
  let current: PolicyItem[] = [];
  let size = ENVELOPE;
  for (const item of items) {
    const m = measure(item);
    if (ENVELOPE + m > limit) {
      const sid = statementOf(item).Sid ?? "(no Sid)";
      throw new Error(`statement ${sid} alone is ${m} characters; it cannot fit a managed policy of ${limit}`);
    }
    if (current.length && size + 1 + m > limit) {
      chunks.push(current);
      current = [];
      size = ENVELOPE;
    }
    size += m + (current.length ? 1 : 0);
    current.push(item);
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** Size of a statement as AWS counts it, after `resolve` substituted the Terraform expressions. */
export function statementSize(resolved: unknown): number {
  return nonWhitespaceLength(resolved);
}

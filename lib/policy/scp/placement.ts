/**
 * Placement of statements into organization policies (SCPs / RCPs): their sizes as AWS counts
 * them, the placement itself, and the quota problems of the result. (Not to be confused with the
 * IAM managed-policy splitting of lib/policy/iam: SCPs have their own quotas, homes and order.)
 *
 * AWS counts every character of an SCP/RCP (default quota 5,120), so policies are emitted as
 * minified JSON, exactly what Terraform's jsonencode() produces. The module places statements
 * stably ({@link stablePack}: each catalog statement in its home policy while it fits, the rest
 * first fit in order) and runs the same algorithm at plan time on the actual inputs (see
 * plan-time-placement.ts); this implementation is the reference used at synth time and by the
 * tests, and both must agree policy for policy. {@link firstFitDecreasing} (densest, but it
 * moves statements when an unrelated input changes) is kept as the fixture that shows why the
 * placement is stable.
 *
 * Pure: no cdktf import.
 */

/** `{"Statement":[],"Version":"2012-10-17"}`: keys sorted, as jsonencode() writes them. */
export const POLICY_ENVELOPE = JSON.stringify({ Statement: [], Version: "2012-10-17" }).length;

/**
 * Length of Terraform's `jsonencode(value)`: minified JSON in which `<`, `>`, `&`, U+2028 and
 * U+2029 are written as `\uXXXX` escapes (key order does not change the length).
 */
export function tfJsonLength(value: unknown): number {
  const json = JSON.stringify(value);
  return json.length + 5 * (json.match(/[<>&\u2028\u2029]/g)?.length ?? 0);
}

/** Length of a policy holding statements of the given minified lengths. */
export function policyLength(statementLengths: readonly number[]): number {
  if (statementLengths.length === 0) return POLICY_ENVELOPE;
  return POLICY_ENVELOPE + statementLengths.reduce((a, b) => a + b, 0) + statementLengths.length - 1;
}

/** The packing budget: each statement costs its length + 1 (its comma); see policyLength. */
export function packCapacity(maxChars: number): number {
  return maxChars - POLICY_ENVELOPE + 1;
}

export interface Bin<T> {
  /** Items in their original order. */
  readonly items: T[];
  /** Indexes of the items in the input. */
  readonly indexes: number[];
  /** Minified length of the policy made of these items. */
  readonly length: number;
}

/**
 * First-fit decreasing: items sorted by size, largest first (ties: original order), each put
 * into the first policy it fits in, else into a new one. An item larger than a whole policy
 * gets a policy of its own (over the limit: {@link layoutProblems} reports it). Items keep their
 * original order inside each policy. Deterministic.
 */
export function firstFitDecreasing<T>(items: readonly T[], size: (item: T) => number, maxChars: number): Bin<T>[] {
  const cap = packCapacity(maxChars);
  const sizes = items.map(size);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const loads: number[] = [];
  const binOf: number[] = new Array(items.length);
  for (const i of order) {
    const cost = sizes[i] + 1;
    let b = loads.findIndex((l) => l + cost <= cap);
    if (b === -1) {
      b = loads.length;
      loads.push(0);
    }
    loads[b] += cost;
    binOf[i] = b;
  }
  return loads.map((_, b) => {
    const indexes = items.map((_, i) => i).filter((i) => binOf[i] === b);
    return { items: indexes.map((i) => items[i]), indexes, length: policyLength(indexes.map((i) => sizes[i])) };
  });
}

/** An item to place: its size and its home policy (-1: none). */
export interface HomedItem {
  readonly size: number;
  readonly home: number;
}

export interface StableLayout {
  /** Policy index of each item, in item order. */
  readonly assignment: number[];
  /** Policy indexes in use, ascending (home policies keep their index even when an earlier one is empty). */
  readonly policies: number[];
  /** Load of each policy index (each item costs its size + 1). */
  readonly loads: number[];
}

/**
 * Stable placement, in two passes over the items in their given order:
 *  1. every item with a home policy goes there while the home has room for it;
 *  2. every other item (custom statements, and catalog statements whose home is full) goes to the
 *     first policy after the homes that has room for it, else to a new one.
 * Homes are fixed per control (see controls.ts) and hold nothing else, so a catalog statement that
 * fits its home never moves because another input changed, a custom statement never moves because
 * a catalog statement grew or shrank, and an appended custom statement moves nothing. An item larger than a whole policy gets a
 * new policy of its own (reported by {@link layoutProblems}). Deterministic; the module runs the
 * same algorithm at plan time (plan-time-placement.ts).
 */
export function stablePack(items: readonly HomedItem[], maxChars: number, homeCount: number): StableLayout {
  const cap = packCapacity(maxChars);
  const slots = homeCount + items.length;
  const loads = new Array<number>(slots).fill(0);
  const open = new Array<boolean>(slots).fill(false);
  const assignment = new Array<number>(items.length).fill(-1);
  const place = (i: number, bin: number) => {
    loads[bin] += items[i].size + 1;
    open[bin] = true;
    assignment[i] = bin;
  };
  items.forEach(({ size, home }, i) => {
    if (home >= 0 && loads[home] + size + 1 <= cap) place(i, home);
  });
  items.forEach(({ size }, i) => {
    if (assignment[i] >= 0) return;
    let bin = loads.findIndex((l, j) => j >= homeCount && open[j] && l + size + 1 <= cap);
    if (bin === -1) bin = homeCount + open.slice(homeCount).filter(Boolean).length;
    place(i, bin);
  });
  return { assignment, policies: open.flatMap((o, j) => (o ? [j] : [])), loads };
}

/** 5120 -> "5,120" (locale-independent). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export interface LayoutLimits {
  /** "SCP" or "RCP". */
  readonly kind: string;
  readonly maxChars: number;
  /** Policies of this kind allowed per target, the AWS-managed full-access policy included. */
  readonly maxPerTarget: number;
  /** Name of the AWS-managed policy that stays attached (FullAWSAccess / RCPFullAWSAccess). */
  readonly managedPolicy: string;
  /** Other policies of this kind attached to the targets, outside this module. */
  readonly others?: number;
  /** Where the limits come from, for the messages (e.g. "scpMaxChars"). */
  readonly maxCharsSource?: string;
  readonly maxPerTargetSource?: string;
}

/** Policies attached to each target: the module's, the managed full-access one and the others. */
export function policiesPerTarget(policyCount: number, limits: Pick<LayoutLimits, "others">): number {
  return policyCount + 1 + (limits.others ?? 0);
}

/**
 * Every quota problem of a layout: a policy over the size limit (naming the policy, its size and
 * the statements it holds) and too many policies per target.
 */
export function layoutProblems(
  policies: ReadonlyArray<{ name: string; length: number; sids?: readonly string[] }>,
  limits: LayoutLimits,
): string[] {
  const problems: string[] = [];
  for (const p of policies) {
    if (p.length > limits.maxChars) {
      const what = p.sids?.length ? ` (statement${p.sids.length > 1 ? "s" : ""} ${p.sids.join(", ")})` : "";
      problems.push(
        `${limits.kind} ${p.name}${what} is ${formatCount(p.length)} characters; the limit is ${formatCount(limits.maxChars)}` +
          `${limits.maxCharsSource ? ` (${limits.maxCharsSource})` : ""}.`,
      );
    }
  }
  const perTarget = policiesPerTarget(policies.length, limits);
  if (policies.length > 0 && perTarget > limits.maxPerTarget) {
    const others = limits.others ? ` and ${limits.others} other${limits.others > 1 ? "s" : ""}` : "";
    problems.push(
      `Each target would have ${perTarget} ${limits.kind}s (${policies.length} from this module, ${limits.managedPolicy}${others}); ` +
        `the limit is ${limits.maxPerTarget}${limits.maxPerTargetSource ? ` (${limits.maxPerTargetSource})` : ""}.`,
    );
  }
  return problems;
}

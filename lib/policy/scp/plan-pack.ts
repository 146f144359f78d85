/**
 * First-fit decreasing at plan time, in HCL. Terraform has no loops with state, so the packing
 * is unrolled into one pair of locals per statement position (generated here at synth time):
 *
 *   <p>_pack_order       statement indexes, largest first (ties: original order)
 *   <p>_pack_bin_<k>     policy of the k-th largest statement: the first whose load still has room
 *                        for it, else a new one (-1 when there is no k-th statement)
 *   <p>_pack_loads_<k>   policy loads after placing it
 *   <p>_assignment       policy index of each statement, in statement order
 *   <p>_policy_count     number of policies
 *
 * Loads count each statement as its jsonencode() length + 1 (the comma), against
 * max_chars - envelope + 1: exactly {@link firstFitDecreasing} in pack.ts, which the tests
 * compare against the plan bin for bin. Pure: no cdktf import.
 */
import { POLICY_ENVELOPE } from "./pack";

export interface PlanPackOptions {
  /** Prefix of the generated local names, e.g. "scp". */
  readonly prefix: string;
  /** HCL expression of the statement lengths (a list of numbers). */
  readonly sizes: string;
  /** HCL expression of the size limit of one policy. */
  readonly maxChars: string;
  /** Most statements the unrolled packing can place; more is reported by `<p>_pack_overflow`. */
  readonly maxItems: number;
}

/** The locals (name -> HCL expression without `${}`) of a plan-time first-fit-decreasing packing. */
export function planPackLocals(o: PlanPackOptions): Record<string, string> {
  if (!Number.isInteger(o.maxItems) || o.maxItems < 1 || o.maxItems > 9999) throw new Error("planPackLocals: maxItems must be 1..9999");
  const p = `${o.prefix}_pack`;
  const L = (name: string) => `local.${p}_${name}`;
  const out: Record<string, string> = {};
  out[`${p}_sizes`] = o.sizes;
  out[`${p}_capacity`] = `${o.maxChars} - ${POLICY_ENVELOPE} + 1`;
  // Ascending sort of "<99999999 - size>/<index>": largest first, ties by index.
  out[`${p}_order`] =
    `[for key in sort([for i, s in ${L("sizes")} : format("%08d/%04d", 99999999 - s, i)]) : tonumber(split("/", key)[1])]`;
  out[`${p}_overflow`] = `length(${L("sizes")}) > ${o.maxItems}`;
  for (let k = 0; k < o.maxItems; k++) {
    const prev = k === 0 ? "[]" : L(`loads_${k - 1}`);
    const cost = `try(${L("sizes")}[${L("order")}[${k}]] + 1, 0)`;
    out[`${p}_bin_${k}`] =
      `length(${L("order")}) > ${k} ? try(index([for load in ${prev} : load + ${cost} <= ${L("capacity")}], true), length(${prev})) : -1`;
    out[`${p}_loads_${k}`] =
      `[for j in range(max(length(${prev}), ${L(`bin_${k}`)} + 1)) : try(${prev}[j], 0) + (j == ${L(`bin_${k}`)} ? ${cost} : 0)]`;
  }
  const bins = Array.from({ length: o.maxItems }, (_, k) => L(`bin_${k}`)).join(", ");
  out[`${p}_bins_by_rank`] = `slice([${bins}], 0, min(length(${L("order")}), ${o.maxItems}))`;
  out[`${o.prefix}_assignment`] =
    `[for i in range(min(length(${L("sizes")}), ${o.maxItems})) : try(${L("bins_by_rank")}[index(${L("order")}, i)], -1)]`;
  out[`${o.prefix}_policy_count`] = `length(${L(`loads_${o.maxItems - 1}`)})`;
  return out;
}

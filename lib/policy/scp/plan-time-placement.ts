/**
 * Stable placement at plan time, in HCL. Terraform has no loops with state, so the placement of
 * {@link stablePack} (placement.ts) is unrolled into locals per statement position (generated here
 * at synth time):
 *
 *   <p>_pack_home_<k>    pass 1: the k-th statement's home when it still fits there, else -1
 *   <p>_pack_hload_<k>   home loads after pass 1 step k
 *   <p>_pack_bin_<k>     pass 2: its policy (the home from pass 1, else the first policy after the
 *                        homes with room, else a new one after them; -1: no k-th statement)
 *   <p>_pack_loads_<k>   policy loads after placing it
 *   <p>_pack_open_<k>    which policies are in use after placing it
 *   <p>_assignment       policy index of each statement, in statement order
 *   <p>_policy_indexes   policy indexes in use, ascending
 *
 * Loads count each statement as its jsonencode() length + 1 (the comma), against
 * max_chars - envelope + 1: exactly {@link stablePack}, which the tests compare against the
 * plan policy for policy. Pure: no cdktf import.
 */
import { POLICY_ENVELOPE } from "./placement";

export interface PlanTimePlacementOptions {
  /** Prefix of the generated local names, e.g. "scp". */
  readonly prefix: string;
  /** HCL expression of the statement lengths (a list of numbers). */
  readonly sizes: string;
  /** HCL expression of the statements' home policies (a list of numbers, -1 for none). */
  readonly homes: string;
  /** Number of home policies (fixed at synth time). */
  readonly homeCount: number;
  /** HCL expression of the size limit of one policy. */
  readonly maxChars: string;
  /** Most statements the unrolled placement can place; more is reported by `<p>_pack_overflow`. */
  readonly maxItems: number;
}

/** The locals (name -> HCL expression without `${}`) of a plan-time stable placement. */
export function planTimePlacementLocals(o: PlanTimePlacementOptions): Record<string, string> {
  if (!Number.isInteger(o.maxItems) || o.maxItems < 1 || o.maxItems > 9999)
    throw new Error("planTimePlacementLocals: maxItems must be 1..9999");
  if (!Number.isInteger(o.homeCount) || o.homeCount < 0) throw new Error("planTimePlacementLocals: homeCount must be a whole number");
  const p = `${o.prefix}_pack`;
  const L = (name: string) => `local.${p}_${name}`;
  const slots = o.homeCount + o.maxItems;
  const out: Record<string, string> = {};
  out[`${p}_sizes`] = o.sizes;
  out[`${p}_homes`] = o.homes;
  out[`${p}_capacity`] = `${o.maxChars} - ${POLICY_ENVELOPE} + 1`;
  out[`${p}_overflow`] = `length(${L("sizes")}) > ${o.maxItems}`;
  const H = Math.max(o.homeCount, 1);
  // Pass 1: homes, in order.
  for (let k = 0; k < o.maxItems; k++) {
    const hload = k === 0 ? `[for j in range(${H}) : 0]` : L(`hload_${k - 1}`);
    const cost = `try(${L("sizes")}[${k}] + 1, 0)`;
    const home = `try(${L("homes")}[${k}], -1)`;
    out[`${p}_home_${k}`] = `${home} >= 0 && try(${hload}[${home}], 0) + ${cost} <= ${L("capacity")} ? ${home} : -1`;
    out[`${p}_hload_${k}`] = `[for j, l in ${hload} : l + (j == ${L(`home_${k}`)} ? ${cost} : 0)]`;
  }
  // Pass 2: the rest, first fit among the open policies, else a new one after the homes.
  const homeLoads = L(`hload_${o.maxItems - 1}`);
  const start = `[for j in range(${slots}) : try(${homeLoads}[j], 0)]`;
  const startOpen = `[for j in range(${slots}) : contains(slice([${Array.from({ length: o.maxItems }, (_, k) => L(`home_${k}`)).join(", ")}], 0, ${o.maxItems}), j)]`;
  out[`${p}_loads_start`] = start;
  out[`${p}_open_start`] = startOpen;
  for (let k = 0; k < o.maxItems; k++) {
    const loads = k === 0 ? L("loads_start") : L(`loads_${k - 1}`);
    const open = k === 0 ? L("open_start") : L(`open_${k - 1}`);
    const cost = `try(${L("sizes")}[${k}] + 1, 0)`;
    const firstFit = `try(index([for j, l in ${loads} : j >= ${o.homeCount} && ${open}[j] && l + ${cost} <= ${L("capacity")}], true), -1)`;
    const fresh = `${o.homeCount} + length([for j in range(${o.homeCount}, ${slots}) : j if ${open}[j]])`;
    out[`${p}_bin_${k}`] =
      `length(${L("sizes")}) <= ${k} ? -1 : (${L(`home_${k}`)} >= 0 ? ${L(`home_${k}`)} : (${firstFit} >= 0 ? ${firstFit} : ${fresh}))`;
    out[`${p}_loads_${k}`] = `[for j, l in ${loads} : l + (${L(`home_${k}`)} < 0 && j == ${L(`bin_${k}`)} ? ${cost} : 0)]`;
    out[`${p}_open_${k}`] = `[for j, x in ${open} : x || j == ${L(`bin_${k}`)}]`;
  }
  const bins = Array.from({ length: o.maxItems }, (_, k) => L(`bin_${k}`)).join(", ");
  out[`${o.prefix}_assignment`] = `slice([${bins}], 0, min(length(${L("sizes")}), ${o.maxItems}))`;
  out[`${o.prefix}_policy_indexes`] = `[for j, x in ${L(`open_${o.maxItems - 1}`)} : j if x]`;
  return out;
}

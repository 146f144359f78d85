/**
 * Pinned facts of the synthesized modules that consumers depend on: resource addresses (a rename
 * destroys and recreates the resource in every consumer's next plan) and the module interface
 * (a removed input or output, or an input that becomes required, breaks every caller).
 *
 * Pins are plain JSON files committed next to the tests. The update mode (UPDATE_ADDRESSES=1,
 * UPDATE_INTERFACE=1) only ever records what is new: it checks for removals against the
 * committed pins first and refuses to rewrite the file while there is one, so a breaking change
 * cannot be "recorded" away. A removal is accepted only when it is explained (a `moved` block for
 * an address) or when someone edits the pin file by hand, which a reviewer sees in the diff.
 */
import * as fs from "fs";

export interface Moved {
  readonly from: string;
  readonly to: string;
}

/** `aws_x.name["key"]` -> `aws_x.name` */
export const blockOf = (address: string): string => address.replace(/\[[^\]]*\]$/, "");

/**
 * Pinned addresses missing from `current` that no `moved` block explains (a moved block may name
 * the instance or its whole resource block).
 */
export function unexplainedRemovals(pinned: readonly string[], current: readonly string[], moved: readonly Moved[] = []): string[] {
  const now = new Set(current);
  return pinned.filter((a) => !now.has(a) && !moved.some((m) => m.from === a || m.from === blockOf(a)));
}

/** Entries of `current` that are not pinned yet (new resources or inputs a reviewer should see). */
export function unpinned(pinned: readonly string[], current: readonly string[]): string[] {
  const was = new Set(pinned);
  return current.filter((a) => !was.has(a));
}

export type PinFile = Record<string, string[]>;

export function readPins(file: string): PinFile {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/**
 * Rewrites `file` with `current` when asked to (`update`), but only when no pinned entry has
 * disappeared unexplained; returns the unexplained removals per key (empty when none). The
 * caller's removal check reads the same answer, so it fails in every mode.
 */
export function checkAndUpdatePins(
  file: string,
  current: PinFile,
  movedOf: (key: string) => readonly Moved[],
  update: boolean,
): Record<string, string[]> {
  const committed = readPins(file);
  const removals: Record<string, string[]> = {};
  for (const key of Object.keys(committed)) {
    const gone = unexplainedRemovals(committed[key], current[key] ?? [], movedOf(key));
    if (gone.length) removals[key] = gone;
  }
  if (update && Object.keys(removals).length === 0) fs.writeFileSync(file, JSON.stringify(current, null, 2) + "\n");
  return removals;
}

/**
 * The consumer-facing interface of each module is pinned in __tests__/fixtures/module-interface.json:
 * `var.<name>` per input, `var.<name> has a default` per optional input, `output.<name>` per output.
 * Removing an input or output, or making an optional input required, breaks every caller's root
 * module; the check fails on it in every mode. New inputs and outputs must be recorded in the same
 * change (UPDATE_INTERFACE=1 npx jest module-interface), so reviewers see the interface grow.
 *
 * This replaces the whole-module snapshots, which pinned every string of every module: their
 * resource, local and policy content is asserted property by property in the module suites, parsed
 * by the HCL layer, validated and planned by the terraform layers and simulated by the IAM layer;
 * resource addresses are pinned by terraform-modules. What only the snapshots caught was a silently
 * removed input or output, or a default dropped from an input; this check catches exactly that.
 */
import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS, ModuleId } from "../lib/module-interface";
import { checkAndUpdatePins, PinFile, readPins, unexplainedRemovals, unpinned } from "../tools/pins";
import { moduleJson, tempDir } from "./helpers/synth";

const PIN_FILE = path.join(__dirname, "fixtures", "module-interface.json");

/** The interface entries of one synthesized module (sorted). */
function interfaceOf(tf: any): string[] {
  const entries: string[] = [];
  for (const [name, v] of Object.entries<any>(tf.variable ?? {})) {
    entries.push(`var.${name}`);
    if ("default" in v) entries.push(`var.${name} has a default`);
  }
  for (const name of Object.keys(tf.output ?? {})) entries.push(`output.${name}`);
  return entries.sort();
}

describe("module interface pins", () => {
  const current = {} as PinFile;
  let removals: Record<string, string[]>;
  beforeAll(() => {
    for (const id of MODULE_IDS) current[id] = interfaceOf(moduleJson(id));
    removals = checkAndUpdatePins(PIN_FILE, current, () => [], process.env.UPDATE_INTERFACE === "1");
  });

  it.each(MODULE_IDS)("%s: no pinned input or output disappears, no optional input becomes required", (id: ModuleId) => {
    expect(removals[id] ?? []).toEqual([]);
  });

  it.each(MODULE_IDS)("%s: every input and output is pinned (review it; UPDATE_INTERFACE=1 to record)", (id: ModuleId) => {
    expect(unpinned(readPins(PIN_FILE)[id], current[id])).toEqual([]);
  });

  it("the check notices a removed output and an input that lost its default", () => {
    const tf = JSON.parse(JSON.stringify(moduleJson("data-lake")));
    delete tf.output.policy_arns;
    delete tf.variable.zones.default;
    expect(unexplainedRemovals(current["data-lake"], interfaceOf(tf))).toEqual(["output.policy_arns", "var.zones has a default"]);
  });

  it("the update mode records additions but refuses to record a removal", () => {
    const file = path.join(tempDir("pins"), "pins.json");
    fs.writeFileSync(file, JSON.stringify({ m: ["output.a", "var.x", "var.x has a default"] }));
    // An added output is recorded.
    expect(checkAndUpdatePins(file, { m: ["output.a", "output.b", "var.x", "var.x has a default"] }, () => [], true)).toEqual({});
    expect(readPins(file).m).toContain("output.b");
    // A removal is reported and the pins stay as committed, so the check keeps failing.
    const before = fs.readFileSync(file, "utf8");
    expect(checkAndUpdatePins(file, { m: ["output.b", "var.x"] }, () => [], true)).toEqual({ m: ["output.a", "var.x has a default"] });
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });
});

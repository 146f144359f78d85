/**
 * Strict inputs and input errors without terraform: the type parser, which inputs are strict,
 * the generated checks, the `var.<strict input>` rewrite and its backstop, the offending value
 * every message quotes, and the generator options' errors.
 */
import { GuardrailError } from "../lib/errors";
import { resolveOptions, loadOptions } from "../lib/config";
import { MODULE_IDS, ModuleSpec, VariableSpec } from "../lib/module-interface";
import {
  hasObject,
  isStrict,
  messageWithValue,
  offendingValue,
  parseHclType,
  rawStrictReferences,
  rewriteJson,
  rewriteStrictReferences,
  strictValidations,
} from "../lib/strict-input";
import { KNOWN_REGIONS } from "../lib/common-variables";
import { IAM_BASELINE_SPEC } from "../modules/iam-baseline/spec";
import { DATA_LAKE_SPEC } from "../modules/data-lake/spec";
import { ORG_SCP_SPEC } from "../modules/org-scp/spec";
import { inputsJson, moduleJson, tempDir } from "./helpers/synth";
import * as fs from "fs";
import * as path from "path";

const SPECS: Record<string, ModuleSpec> = { "iam-baseline": IAM_BASELINE_SPEC, "data-lake": DATA_LAKE_SPEC, "org-scp": ORG_SCP_SPEC };

describe("HCL type constraints", () => {
  it("parses nested objects, optional() defaults with brackets and strings, maps and lists", () => {
    const t = parseHclType(
      `map(object({ personas = list(string), name = optional(string, "a ) ] }"), tags = optional(map(list(string)), { x = ["y"] }), n = optional(number) }))`,
    );
    expect(t).toEqual({
      kind: "map",
      element: {
        kind: "object",
        attributes: [
          { name: "personas", type: { kind: "list", element: { kind: "string" } }, optional: false },
          { name: "name", type: { kind: "string" }, optional: true },
          { name: "tags", type: { kind: "map", element: { kind: "list", element: { kind: "string" } } }, optional: true },
          { name: "n", type: { kind: "number" }, optional: true },
        ],
      },
    });
  });

  it("parses every type the three modules declare, and refuses a broken one naming it", () => {
    for (const spec of Object.values(SPECS)) for (const v of spec.variables) expect(() => parseHclType(v.type)).not.toThrow();
    expect(() => parseHclType("object({ a = strin })")).toThrow(
      /cannot parse the type constraint "object\(\{ a = strin \}\)".*unknown type "strin"/,
    );
    expect(() => parseHclType("list(string))")).toThrow(/unexpected text after the type/);
  });

  it("an input is strict when its type holds an object, unless it opts out", () => {
    expect(hasObject(parseHclType("list(string)"))).toBe(false);
    expect(hasObject(parseHclType("map(list(object({ a = string })))"))).toBe(true);
    const v: VariableSpec = { name: "new_switch", type: "object({ enabled = optional(bool, false) })", description: "A new switch." };
    expect(isStrict(v)).toBe(true);
    expect(isStrict({ ...v, strict: false })).toBe(false);
    expect(isStrict({ name: "flag", type: "bool", description: "A flag." })).toBe(false);
  });
});

describe("the generated checks of a strict input", () => {
  const lockdown = IAM_BASELINE_SPEC.variables.find((v) => v.name === "lockdown")!;
  const [keys, types] = strictValidations(lockdown);

  it("list the known attributes and name the input in the message", () => {
    expect(keys.condition).toContain(`contains(["enabled", "break_glass_principal_arns", "revoke_sessions_issued_before"], k0)`);
    expect(keys.message).toMatch(/^The lockdown input has an attribute this module does not know/);
    expect(types.condition).toContain(`can(tobool(lookup(var.lockdown, "enabled", null)))`);
    expect(types.message).toContain("lockdown.enabled must be true or false (got ${jsonencode(");
  });

  it("reference only the variable itself (Terraform before 1.9 requires it)", () => {
    for (const spec of Object.values(SPECS))
      for (const v of spec.variables.filter(isStrict))
        for (const val of strictValidations(v)) {
          const others = [...`${val.condition} ${val.message}`.matchAll(/var\.([a-z0-9_]+)/g)].map((m) => m[1]).filter((n) => n !== v.name);
          expect({ input: v.name, others }).toEqual({ input: v.name, others: [] });
        }
  });
});

describe("references to strict inputs", () => {
  const names = ["users", "zones"];

  it("are rewritten to the converted value, and only whole names", () => {
    expect(
      rewriteStrictReferences('${{ for u, v in var.users : u => v if var.users_extra[u] }} ${var.zones["a"]} ${xvar.users}', names),
    ).toBe('${{ for u, v in module.inputs.users : u => v if var.users_extra[u] }} ${module.inputs.zones["a"]} ${xvar.users}');
  });

  it("a raw reference is reported with its JSON path (the synth's backstop), none after the rewrite", () => {
    const fixture = {
      resource: { aws_iam_user: { user: { for_each: "${var.users}", name: "${each.key}" } } },
      locals: { n: "${length(var.zones)}" },
    };
    expect(rawStrictReferences(fixture, names)).toEqual([
      "$.resource.aws_iam_user.user.for_each: ${var.users}",
      "$.locals.n: ${length(var.zones)}",
    ]);
    expect(rawStrictReferences(rewriteJson(fixture, names), names)).toEqual([]);
  });

  it.each(MODULE_IDS)("%s: every strict input goes through the inputs module and nothing reads the raw value", (id) => {
    const tf = moduleJson(id);
    const strict = SPECS[id].variables.filter(isStrict).map((v) => v.name);
    expect(strict.length).toBeGreaterThan(0);
    for (const n of strict) {
      expect({ n, type: tf.variable[n].type }).toEqual({ n, type: "any" });
      expect(tf.module.inputs[n]).toBe(`\${var.${n}}`);
    }
    const { variable, module, ...rest } = tf;
    expect(rawStrictReferences(rest, strict)).toEqual([]);
    const child = inputsJson(id);
    for (const n of strict) {
      expect(child.variable[n].type).toBe(SPECS[id].variables.find((v) => v.name === n)!.type);
      expect(child.output[n].value).toBe(`\${var.${n}}`);
    }
    expect(child.resource).toBeUndefined();
    expect(child.terraform.required_version).toBe(tf.terraform.required_version);
  });
});

describe("every validation message quotes the offending value", () => {
  it("derives the failing entries from an alltrue([for ...]) condition", () => {
    expect(offendingValue(`alltrue([for r in var.allowed_regions : can(regex("x", r))])`, "allowed_regions")).toBe(
      `[for r in var.allowed_regions : r if !(can(regex("x", r)))]`,
    );
    expect(offendingValue(`alltrue([for u, v in var.users : length(v.personas) > 0])`, "users")).toBe(
      `[for u, v in var.users : { (u) = v } if !(length(v.personas) > 0)]`,
    );
    expect(offendingValue(`alltrue(flatten([for z in values(var.zones) : [for p in z.prefixes : can(regex("/$", p))]]))`, "zones")).toBe(
      `flatten([for z in values(var.zones) : [for p in z.prefixes : p if !(can(regex("/$", p)))]])`,
    );
  });

  it("falls back to the attribute the condition reads, or the whole input", () => {
    expect(offendingValue("var.password_policy.minimum_length >= 14", "password_policy")).toBe("var.password_policy.minimum_length");
    expect(offendingValue('length(var.name) > 2 && !startswith(var.name, "x")', "name")).toBe("var.name");
    expect(offendingValue("var.a.x > 1 && var.a.y < 2", "a")).toBe(`{ "a.x" = var.a.x, "a.y" = var.a.y }`);
  });

  it.each(MODULE_IDS)("%s: every validation of the synthesized module (and its inputs module) interpolates a value", (id) => {
    const all = [moduleJson(id).variable, inputsJson(id).variable].flatMap((vars: Record<string, any>) =>
      Object.entries(vars).flatMap(([name, v]) => (v.validation ?? []).map((val: any) => ({ name, message: val.error_message as string }))),
    );
    expect(all.length).toBeGreaterThan(10);
    for (const { name, message } of all) expect({ name, message, quotes: /\$\{/.test(message) }).toEqual({ name, message, quotes: true });
  });

  it("a message keeps its own interpolation and a sensitive input is never printed", () => {
    const v: VariableSpec = { name: "token", type: "string", description: "A token.", sensitive: true };
    expect(messageWithValue(v, { condition: "length(var.token) > 8", message: "The token is too short." })).toBe("The token is too short.");
    const w: VariableSpec = { name: "n", type: "number", description: "A number." };
    expect(messageWithValue(w, { condition: "var.n > 1", message: "The n must be over 1." })).toBe(
      "The n must be over 1. Got: ${jsonencode(var.n)}.",
    );
  });

  it("regions: the known list is the aws partition's, sorted, without foreign partitions", () => {
    expect([...KNOWN_REGIONS].sort()).toEqual(KNOWN_REGIONS);
    expect(KNOWN_REGIONS).toEqual(expect.arrayContaining(["ap-southeast-2", "us-east-1", "eu-central-2", "mx-central-1"]));
    expect(KNOWN_REGIONS.filter((r) => /^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/.test(r))).toEqual([]);
  });
});

describe("a broken generator configuration names the option and the value", () => {
  const problems = (raw: unknown): readonly string[] => {
    try {
      resolveOptions(raw);
    } catch (e) {
      if (e instanceof GuardrailError) return e.problems;
      throw e;
    }
    return [];
  };

  it.each([
    [{ scpMaxChars: "5k" }, /^scpMaxChars: must be a whole number from 1000 to 10000 \(got "5k"\)$/],
    [{ scpMaxPerTarget: 1 }, /^scpMaxPerTarget: must be a whole number from 2 to 10 \(got 1\)$/],
    [{ modules: ["iam-baseline", "iam-baseline"] }, /^modules: must not repeat an entry \(repeated: \["iam-baseline"\]\)$/],
    [{ modules: ["iam"] }, /^modules\[0\]: "iam" is not a module \(one of iam-baseline, data-lake, org-scp\)$/],
    [{ modules: [] }, /^modules: must not be empty$/],
    [{ scpMaxChar: 6000 }, /^scpMaxChar: unknown option \(got 6000; known: modules, scpMaxChars, scpMaxPerTarget\)$/],
    [[1, 2], /^must be a JSON object \(got \[1,2\]\)$/],
  ])("%j", (raw, expected) => {
    expect(problems(raw)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it("a file that is not JSON names the file and the parse error", () => {
    const file = path.join(tempDir("badconfig"), "guardrails.config.json");
    fs.writeFileSync(file, "{ scpMaxChars: 6000 }");
    expect(() => loadOptions({ GUARDRAILS_CONFIG: file })).toThrow(
      new RegExp(`Cannot read generator options from ${file.replace(/[.]/g, "\\.")}:\\n  - .*JSON`),
    );
  });
});

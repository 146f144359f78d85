/**
 * Strict inputs: an object-typed Terraform variable that refuses attributes it does not know.
 *
 * Terraform converts a value to an object type by dropping every attribute the type does not
 * name, silently: `lockdown = { enable = true }` would plan with no lockdown. A strict input is
 * therefore declared twice in the generated module:
 *
 *  - in the module itself as `type = any` (so the value arrives with every attribute the caller
 *    wrote), with two generated validations: no unknown attribute at any depth, and every
 *    attribute of the right kind; each names the input, the attribute path and the value;
 *  - in a child module `./inputs` (generated next to `cdk.tf.json`, no resources) with the typed
 *    declaration, its `optional()` defaults and the spec's own validations; it outputs the
 *    converted value.
 *
 * The module's code reads the converted value, `module.inputs.<name>`. Stack code keeps writing
 * `var.<name>`: ModuleStack.toTerraform() rewrites every such reference outside the variable
 * blocks (see STRICT_REFERENCE_REWRITE), so a reference added on any branch cannot bypass the
 * conversion, and `checkNoRawStrictReferences` fails the synth if one survived.
 *
 * Which inputs are strict is declared in the spec: every variable whose type contains an object
 * is strict unless it says `strict: false`.
 */
import { hclStrings } from "./policy/render";
import type { VariableSpec, VariableValidation } from "./module-interface";

/** An HCL type constraint, parsed. */
export type HclType =
  | { kind: "string" | "number" | "bool" | "any" }
  | { kind: "list" | "set" | "map"; element: HclType }
  | { kind: "tuple"; elements: HclType[] }
  | { kind: "object"; attributes: { name: string; type: HclType; optional: boolean }[] };

/** Parses an HCL type constraint such as `map(object({ a = optional(list(string), []) }))`. */
export function parseHclType(source: string): HclType {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot parse the type constraint ${JSON.stringify(source)} at offset ${i}: ${what}`);
  };
  const ws = () => {
    while (i < source.length && /[\s,]/.test(source[i])) i++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i));
    if (!m) fail("expected a name");
    i += m![0].length;
    return m![0];
  };
  const expect = (c: string) => {
    ws();
    if (source[i] !== c) fail(`expected "${c}"`);
    i++;
  };
  /** Skips one HCL expression (an optional() default) up to the closing bracket of its caller. */
  const skipExpression = () => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      if (c === '"') {
        i++;
        while (i < source.length && source[i] !== '"') i += source[i] === "\\" ? 2 : 1;
      } else if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) {
        if (depth === 0) return;
        depth--;
      }
      i++;
    }
  };
  const type = (): HclType => {
    const name = word();
    if (["string", "number", "bool", "any"].includes(name)) return { kind: name as "string" };
    if (!["list", "set", "map", "tuple", "object"].includes(name)) return fail(`unknown type "${name}"`);
    expect("(");
    let t: HclType;
    if (name === "list" || name === "set" || name === "map") t = { kind: name, element: type() };
    else if (name === "tuple") {
      expect("[");
      const elements: HclType[] = [];
      for (ws(); source[i] !== "]"; ws()) elements.push(type());
      i++;
      t = { kind: "tuple", elements };
    } else if (name === "object") {
      expect("{");
      const attributes: { name: string; type: HclType; optional: boolean }[] = [];
      for (ws(); source[i] !== "}"; ws()) {
        const attr = word();
        expect("=");
        ws();
        const optional = source.startsWith("optional(", i);
        if (optional) {
          word();
          expect("(");
          const inner = type();
          ws();
          skipExpression();
          expect(")");
          attributes.push({ name: attr, type: inner, optional });
        } else attributes.push({ name: attr, type: type(), optional });
      }
      i++;
      t = { kind: "object", attributes };
    } else return fail(`unknown type "${name}"`);
    expect(")");
    return t;
  };
  const t = type();
  ws();
  if (i !== source.length) fail("unexpected text after the type");
  return t;
}

/** True when a type holds an object anywhere: such an input is strict unless it opts out. */
export function hasObject(t: HclType): boolean {
  if (t.kind === "object") return true;
  if (t.kind === "list" || t.kind === "set" || t.kind === "map") return hasObject(t.element);
  if (t.kind === "tuple") return t.elements.some(hasObject);
  return false;
}

export function isStrict(v: VariableSpec): boolean {
  return v.strict ?? hasObject(parseHclType(v.type));
}

const quote = (s: string) => JSON.stringify(s);

/**
 * An HCL expression listing the problems of value `x` against type `t` (a list of strings, each
 * naming the attribute path and the value). `path` is an HCL template fragment (no quotes) that
 * renders the path of `x`, e.g. `users[\"${k0}\"]`. Every level is guarded (a null is fine, a
 * wrong shape is one problem in "types" mode and none in "keys" mode), so the expression itself
 * never fails.
 */
function problems(t: HclType, x: string, path: string, mode: "keys" | "types", depth: number): string | undefined {
  const got = `\${jsonencode(${x})}`;
  const k = `k${depth}`;
  const e = `e${depth}`;
  switch (t.kind) {
    case "any":
      return undefined;
    case "string":
    case "number":
    case "bool": {
      if (mode === "keys") return undefined;
      const article = t.kind === "string" ? "a string" : t.kind === "number" ? "a number" : "true or false";
      return `(can(to${t.kind}(${x})) ? [] : ["${path} must be ${article} (got ${got})"])`;
    }
    case "list":
    case "set":
    case "map": {
      const sub = problems(t.element, e, t.kind === "map" ? `${path}[\\"\${${k}}\\"]` : `${path}[\${${k}}]`, mode, depth + 1);
      const shape = t.kind === "map" ? "a map" : "a list";
      // A map must have keys; a list must not (a for expression iterates both).
      const shapeOk = t.kind === "map" ? `can(keys(${x}))` : `!can(keys(${x}))`;
      const fallback = mode === "types" ? `["${path} must be ${shape} (got ${got})"]` : "[]";
      if (!sub && mode === "keys") return undefined;
      const inner = sub ? `flatten([for ${k}, ${e} in ${x} : ${sub}])` : `[for ${k}, ${e} in ${x} : "" if false]`;
      return `(${x} == null ? [] : try(${mode === "types" ? `${shapeOk} ? ${inner} : ${fallback}` : inner}, ${fallback}))`;
    }
    case "tuple":
      return undefined;
    case "object": {
      const names = t.attributes.map((a) => a.name);
      const parts: string[] = [];
      if (mode === "keys")
        parts.push(
          `[for ${k} in keys(${x}) : "${path}.\${${k}} is not an attribute of ${path} (the attributes are ${names.join(", ")})" if !contains(${hclStrings(names)}, ${k})]`,
        );
      else {
        const required = t.attributes.filter((a) => !a.optional).map((a) => a.name);
        if (required.length)
          parts.push(`[for ${k} in ${hclStrings(required)} : "${path}.\${${k}} is required" if !contains(keys(${x}), ${k})]`);
      }
      for (const a of t.attributes) {
        const sub = problems(a.type, `lookup(${x}, "${a.name}", null)`, `${path}.${a.name}`, mode, depth + 1);
        if (sub) parts.push(sub);
      }
      if (!parts.length) return undefined;
      const fallback = mode === "types" ? `["${path} must be an object with the attributes ${names.join(", ")} (got ${got})"]` : "[]";
      return `(${x} == null ? [] : try(concat(${parts.join(", ")}), ${fallback}))`;
    }
  }
}

/**
 * The validations of a strict input as declared in the module (type any): unknown attributes at
 * any depth, then the kind of every attribute. They reference only the variable itself.
 */
export function strictValidations(v: VariableSpec): VariableValidation[] {
  const t = parseHclType(v.type);
  const x = `var.${v.name}`;
  const out: VariableValidation[] = [];
  const keys = problems(t, x, v.name, "keys", 0);
  if (keys)
    out.push({
      condition: `length(${keys}) == 0`,
      message: `The ${v.name} input has an attribute this module does not know (Terraform would otherwise drop it silently): \${join("; ", ${keys})}.`,
      got: "",
    });
  const types = problems(t, x, v.name, "types", 0);
  if (types)
    out.push({
      condition: `length(${types}) == 0`,
      message: `The ${v.name} input does not have the expected type ${v.type.replace(/\s+/g, " ")}: \${join("; ", ${types})}.`,
      got: "",
    });
  return out;
}

/**
 * The stack code writes `var.<name>` for every input; for a strict input the generated module must
 * read the converted value instead. This is the one rewrite, applied by ModuleStack.toTerraform()
 * to every string outside the `variable` blocks and the `inputs` module call. By hand (e.g. in a
 * test that asserts the synthesized JSON), the same transform is:
 *
 *   perl -pi -e 's/(?<![A-Za-z0-9_.])var\.(NAME1|NAME2)(?![A-Za-z0-9_])/module.inputs.$1/g' FILE
 */
export function rewriteStrictReferences(text: string, strictNames: readonly string[]): string {
  if (!strictNames.length) return text;
  return text.replace(strictReferencePattern(strictNames), (_m, before: string, name: string) => `${before}module.inputs.${name}`);
}

function strictReferencePattern(strictNames: readonly string[]): RegExp {
  return new RegExp(`(^|[^A-Za-z0-9_.])var\\.(${strictNames.join("|")})(?![A-Za-z0-9_])`, "g");
}

/** Every raw `var.<strict input>` reference left in a JSON value, by JSON path. */
export function rawStrictReferences(value: unknown, strictNames: readonly string[], at = "$"): string[] {
  if (!strictNames.length) return [];
  if (typeof value === "string") {
    const p = strictReferencePattern(strictNames);
    return p.test(value) ? [`${at}: ${value.length > 120 ? value.slice(0, 117) + "..." : value}`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => rawStrictReferences(v, strictNames, `${at}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => rawStrictReferences(v, strictNames, `${at}.${k}`));
  return [];
}

/** Applies rewriteStrictReferences to every string of a JSON value. */
export function rewriteJson<T>(value: T, strictNames: readonly string[]): T {
  if (typeof value === "string") return rewriteStrictReferences(value, strictNames) as T;
  if (Array.isArray(value)) return value.map((v) => rewriteJson(v, strictNames)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteJson(v, strictNames)])) as T;
  return value;
}

/**
 * The HCL expression of the offending value of a failed validation, so that every message quotes
 * it: the validation's own `got`, else derived from an `alltrue([for ... : P])` condition (the
 * entries for which P is false), else the variable paths the condition reads.
 */
export function offendingValue(condition: string, varName: string): string {
  const derived = deriveFailing(condition.trim());
  if (derived) return derived;
  const paths = [...new Set(condition.match(new RegExp(`var\\.${varName}(?:\\.[a-z0-9_]+)*(?![a-z0-9_(\\[])`, "g")) ?? [])];
  if (paths.length === 1) return paths[0];
  if (paths.length > 1) return `{ ${paths.map((p) => `${quote(p.replace(/^var\./, ""))} = ${p}`).join(", ")} }`;
  return `var.${varName}`;
}

function deriveFailing(condition: string): string | undefined {
  const m = /^alltrue\((flatten\()?(\[for .*\])\)?\)$/s.exec(condition);
  if (!m) return undefined;
  const inner = failingOf(m[2]);
  return inner ? (m[1] ? `flatten(${inner})` : inner) : undefined;
}

/** `[for a in C : P]` -> `[for a in C : a if !(P)]`; nested `[for a in C : [for ...]]` recurses. */
function failingOf(forExpr: string): string | undefined {
  const m = /^\[for (\w+)(?:, (\w+))? in (.+?) : (.*)\]$/s.exec(forExpr);
  if (!m) return undefined;
  const [, a, b, collection, body] = m;
  if (/ if /.test(body.replace(/"[^"]*"/g, '""')) && !body.startsWith("[")) return undefined;
  if (body.startsWith("[for ") && body.endsWith("]") && balanced(body)) {
    const inner = failingOf(body);
    return inner ? `[for ${a}${b ? `, ${b}` : ""} in ${collection} : ${inner}]` : undefined;
  }
  if (!balanced(body)) return undefined;
  return b ? `[for ${a}, ${b} in ${collection} : { (${a}) = ${b} } if !(${body})]` : `[for ${a} in ${collection} : ${a} if !(${body})]`;
}

function balanced(s: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c) && --depth < 0) return false;
  }
  return depth === 0 && !inString;
}

/**
 * A validation's message with the offending value appended (`Got: <json>.`), unless the message
 * already interpolates a value or the validation opts out (`got: ""`) or the input is sensitive.
 */
export function messageWithValue(v: VariableSpec, val: VariableValidation): string {
  if (val.got === "" || v.sensitive || /\$\{/.test(val.message)) return val.message;
  const expr = val.got ?? offendingValue(val.condition, v.name);
  const whole = `jsonencode(var.${v.name})`;
  return `${val.message} Got: \${${expr === `var.${v.name}` ? whole : `try(jsonencode(${expr}), ${whole})`}}.`;
}

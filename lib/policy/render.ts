/**
 * Rendering of plain policy data into Terraform. Policies are built as plain data
 * (PolicyDocument) in which a Terraform expression may stand in for a value:
 * `tfExpr("var.allowed_regions")` as a whole value, or embedded in a string:
 * `` `arn:${tfExpr("local.partition")}:s3:::${tfExpr("var.name")}-*` ``.
 *
 * `jsonencodePolicy(doc)` gives `${jsonencode({...})}`: Terraform renders the JSON,
 * so every policy is fully known at plan time when its inputs are, literal IAM
 * policy variables such as `${aws:username}` are escaped (`$${aws:username}`), and
 * nothing is hand-concatenated JSON.
 */

const OPEN = "\u0000tf<";
const CLOSE = ">tf\u0000";
const SENTINEL = /\u0000tf<([\s\S]*?)>tf\u0000/g;

/** A Terraform expression standing in for a value (or part of a string). */
export function tfExpr(expression: string): string {
  return `${OPEN}${expression}${CLOSE}`;
}

export function hasExpr(s: string): boolean {
  return s.includes(OPEN);
}

/** Escapes a literal so Terraform reads it verbatim inside a quoted template. */
function literal(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
}

/** One string value as an HCL expression. */
function stringExpr(s: string): string {
  const whole = s.match(/^\u0000tf<([\s\S]*?)>tf\u0000$/);
  if (whole && !whole[1].includes(OPEN)) return whole[1];
  let out = "";
  let last = 0;
  for (const m of s.matchAll(SENTINEL)) {
    out += literal(s.slice(last, m.index)) + "${" + m[1] + "}";
    last = m.index! + m[0].length;
  }
  return `"${out}${literal(s.slice(last))}"`;
}

/** Any JSON-like value as an HCL expression (objects keep key order). */
export function toHclExpression(value: unknown): string {
  if (typeof value === "string") return stringExpr(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(toHclExpression).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${stringExpr(k)} = ${toHclExpression(v)}`).join(", ")}}`;
}

/** `${jsonencode(<doc>)}`: the Terraform JSON value of a policy attribute. */
export function jsonencodePolicy(doc: unknown): string {
  return interpolated(jsonencodeExpr(doc));
}

/**
 * The policy as JSON with every expression replaced by `substitute(expr)` (a list
 * or a string), for synth-time size estimates and unit tests.
 */
export function resolveStatic(value: unknown, substitute: (expression: string) => unknown): unknown {
  if (typeof value === "string") {
    const whole = value.match(/^\u0000tf<([\s\S]*?)>tf\u0000$/);
    if (whole) return substitute(whole[1]);
    return value.replace(SENTINEL, (_, e: string) => String(substitute(e)));
  }
  if (Array.isArray(value)) {
    // A list expression inside a list (e.g. Resource: [arn1, tfExpr("var.arns")]) is flattened, as Terraform's flatten() would.
    return value.flatMap((v) => {
      const r = resolveStatic(v, substitute);
      return Array.isArray(r) ? r : [r];
    });
  }
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [resolveStatic(k, substitute) as string, resolveStatic(v, substitute)]),
    );
  return value;
}

/** Minified JSON of a static policy (what AWS counts for SCPs). */
export function minified(doc: unknown): string {
  return JSON.stringify(doc);
}

/** Characters AWS counts for managed policies: everything but whitespace. */
export function nonWhitespaceLength(doc: unknown): number {
  return JSON.stringify(doc).replace(/\s/g, "").length;
}

/* ------------------------------------------------------------------------------------------ */
/* Expression helpers for stack code (iam-baseline, data-lake): whole Terraform expressions, not slices   */
/* of rendered strings.                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** `jsonencode(<doc>)`: a policy as an HCL expression, to nest inside a larger expression. */
export function jsonencodeExpr(doc: unknown): string {
  return "jsonencode(" + toHclExpression(doc) + ")";
}

/** `${<expression>}`: the Terraform JSON value whose content is the whole expression. */
export function interpolated(expression: string): string {
  return "${" + expression + "}";
}

/** The expression of a whole-value placeholder (`tfExpr(x)` gives x), else undefined. */
export function exprOf(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const whole = value.match(/^\u0000tf<([\s\S]*?)>tf\u0000$/);
  return whole && !whole[1].includes(OPEN) ? whole[1] : undefined;
}

/** `["a", "b"]`: a list of literal strings as an HCL expression, each escaped as `toHclExpression` does. */
export function hclStrings(xs: readonly string[]): string {
  return toHclExpression([...xs]);
}

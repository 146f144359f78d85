/**
 * Terraform expressions built from parts, which the synth-time policy checks can still resolve.
 *
 * The lake renders parts of its policies as HCL decided at plan time: a statement list with
 * optional statements, `concat(...)` of ARN lists, a for-expression over the zones. The policy
 * engine checks the very documents the module renders, with worst-case inputs, through a
 * substitute: a function from the text of a Terraform expression to a value (lib/policy/engine.ts).
 * So each such expression is remembered, by its text, with how to compute its value from the
 * values of its parts; `withComposites` puts that table in front of a module's own lookup of
 * references (`var.name`, `local.region`, ...). The same text always means the same expression,
 * so one table serves every document. Pure: no cdktf import.
 */
import type { Substitute } from "../engine";
import { resolveStatic, tfExpr, toHclExpression } from "../render";

/** How to compute an expression's value from the values of its parts. */
export type Resolve = (substitute: Substitute) => unknown;

const COMPOSITES = new Map<string, Resolve>();

/** A placeholder (tfExpr) for the HCL text `hcl`, remembered with how to resolve it. */
export function composite(hcl: string, resolve: Resolve): string {
  COMPOSITES.set(hcl, resolve);
  return tfExpr(hcl);
}

/** Registers a composite condition's text (conditions are rendered as bare HCL, not placeholders). */
export function compositeCondition(hcl: string, resolve: (substitute: Substitute) => boolean): string {
  COMPOSITES.set(hcl, resolve);
  return hcl;
}

/** A substitute that resolves composite expressions from their parts and everything else by `lookup`. */
export function withComposites(lookup: Substitute): Substitute {
  const substitute: Substitute = (expression) => {
    const resolve = COMPOSITES.get(expression);
    return resolve ? resolve(substitute) : lookup(expression);
  };
  return substitute;
}

/** `substitute` with the variables of a for-expression bound (e.g. `z` to one zone key). */
export function withBindings(substitute: Substitute, bindings: ReadonlyMap<string, unknown>): Substitute {
  return withComposites((e) => (bindings.has(e) ? bindings.get(e) : substitute(e)));
}

/** The value of a condition's HCL text; a condition without a boolean worst case is a synth error. */
export function holds(conditionHcl: string, substitute: Substitute): boolean {
  const value = substitute(conditionHcl);
  if (typeof value !== "boolean")
    throw new Error(
      `the policy checks have no boolean value for the condition ${conditionHcl} (got ${JSON.stringify(value)}): declare its worst case in the module's substitute table`,
    );
  return value;
}

/** The value of a list expression; anything else is a synth error naming the expression. */
export function listOf(value: unknown, substitute: Substitute): unknown[] {
  const resolved = resolveStatic(value, substitute);
  if (!Array.isArray(resolved))
    throw new Error(
      `the policy checks need a list for ${toHclExpression(value)} (got ${JSON.stringify(resolved)}): declare its worst case in the module's substitute table`,
    );
  return resolved;
}

export interface ForList {
  /** The iteration variable of each element (`z`). */
  readonly each: string;
  /** Also bind the element's index (`i` in `for i, z in ...`). */
  readonly index?: string;
  /** The collection: a list value or a tfExpr placeholder of an HCL list expression. */
  readonly over: unknown;
  /** One element: plain data holding tfExpr(each) (and tfExpr(index)) where the variable is used. */
  readonly item: unknown;
  /** Keeps an element only when this HCL condition (over the variables) holds. */
  readonly when?: string;
}

/** `[for <index>, <each> in <over> : <item> if <when>]` as a placeholder. */
export function forList(f: ForList): string {
  const vars = f.index ? `${f.index}, ${f.each}` : f.each;
  const hcl = `[for ${vars} in ${toHclExpression(f.over)} : ${toHclExpression(f.item)}${f.when ? ` if ${f.when}` : ""}]`;
  return composite(hcl, (substitute) =>
    listOf(f.over, substitute).flatMap((element, i) => {
      const bound = withBindings(substitute, new Map<string, unknown>([[f.each, element], ...(f.index ? ([[f.index, i]] as const) : [])]));
      return f.when === undefined || holds(f.when, bound) ? [resolveStatic(f.item, bound)] : [];
    }),
  );
}

/** `<condition> ? <a> : <b>` of two values, as a placeholder (the condition from conditional.ts). */
export function choose(condition: { readonly hcl: string }, a: unknown, b: unknown): string {
  return composite(`${condition.hcl} ? ${toHclExpression(a)} : ${toHclExpression(b)}`, (substitute) =>
    resolveStatic(holds(condition.hcl, substitute) ? a : b, substitute),
  );
}

/** `<map>[<key>].<attribute>`: one attribute of one entry of a map, e.g. `var.zones[z].prefixes`. */
export function member(mapExpression: string, keyExpression: string, attribute: string): string {
  return composite(`${mapExpression}[${keyExpression}].${attribute}`, (substitute) => {
    const map = substitute(mapExpression);
    const key = String(substitute(keyExpression));
    const entry = map !== null && typeof map === "object" ? (map as Record<string, unknown>)[key] : undefined;
    if (entry === null || typeof entry !== "object")
      throw new Error(`the policy checks found no entry ${JSON.stringify(key)} in the worst case of ${mapExpression}`);
    return (entry as Record<string, unknown>)[attribute];
  });
}

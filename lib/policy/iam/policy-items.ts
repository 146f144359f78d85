/**
 * Policies whose statements may be present or absent depending on module inputs.
 *
 * A `PolicyItem` is either a plain statement or an `OptionalStatement` whose HCL boolean `when`
 * decides, at plan time, whether Terraform includes it. Rendering keeps everything in one
 * `jsonencode(...)`: optional statements become `(<when> ? [<statement>] : [])` inside a
 * `flatten([...])`, so the policy stays fully known at plan time and never contains an empty
 * `Resource` list. Pure: no cdktf import.
 */
import { jsonencodePolicy, resolveStatic, toHclExpression, tfExpr } from "../render";
import { PolicyDocument, Statement } from "../types";

export interface OptionalStatement {
  /** HCL boolean expression (no `${}`), e.g. `length(var.x) > 0`. */
  readonly when: string;
  readonly statement: Statement;
}

export type PolicyItem = Statement | OptionalStatement;

export function isOptional(item: PolicyItem): item is OptionalStatement {
  return (item as OptionalStatement).when !== undefined && (item as OptionalStatement).statement !== undefined;
}

export function optional(when: string, statement: Statement): OptionalStatement {
  return { when, statement };
}

export function statementOf(item: PolicyItem): Statement {
  return isOptional(item) ? item.statement : item;
}

/** The policy as plain data with Terraform placeholders (for `jsonencodePolicy`). */
export function policyData(items: readonly PolicyItem[]): unknown {
  if (items.length === 0) throw new Error("a policy needs at least one statement");
  if (!items.some(isOptional)) return { Version: "2012-10-17", Statement: items };
  // Each optional statement is its own conditional so both branches have one consistent type.
  const parts = items.map((item) =>
    isOptional(item) ? `(${item.when} ? [${toHclExpression(item.statement)}] : [])` : toHclExpression(item),
  );
  return { Version: "2012-10-17", Statement: tfExpr(`flatten([${parts.join(", ")}])`) };
}

/** `${jsonencode(...)}` of the policy: the value of a policy attribute or local. */
export function renderPolicy(items: readonly PolicyItem[], opts: { allowAllOptional?: boolean } = {}): string {
  if (!opts.allowAllOptional && items.length > 0 && items.every(isOptional)) {
    throw new Error("a policy of optional statements only could render an empty Statement list; add a fixed statement");
  }
  return jsonencodePolicy(policyData(items));
}

/**
 * The policy as JSON data for unit tests and size estimates: Terraform expressions replaced by
 * `substitute(expr)`, optional statements kept when `include(when)` is true (default: all).
 */
export function resolvePolicy(
  items: readonly PolicyItem[],
  substitute: (expression: string) => unknown,
  include: (when: string) => boolean = () => true,
): PolicyDocument {
  const statements = items.filter((i) => !isOptional(i) || include(i.when)).map(statementOf);
  return resolveStatic({ Version: "2012-10-17", Statement: statements }, substitute) as PolicyDocument;
}

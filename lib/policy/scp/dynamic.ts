/**
 * Statements whose shape depends on module inputs. A catalog statement is built once as plain
 * data from {@link OrgPolicyInputs}; the inputs are either concrete values (synth-time sizing,
 * unit tests, simulation) or Terraform expressions (the module's HCL). Optional condition
 * blocks are expressed with {@link mergeWhen}, which gives a plain object for concrete inputs
 * and a `merge(...)` expression (via {@link tfExpr}) for Terraform inputs, so one definition
 * serves both.
 *
 * Pure: no cdktf import.
 */
import { tfExpr, toHclExpression } from "../render";
import type { Condition, Statement } from "../types";

/** A boolean known at synth time, or an HCL boolean expression (without `${}`). */
export type Flag = boolean | { readonly hcl: string };

/** A list known at synth time, or a {@link tfExpr} placeholder standing for one. */
export type ListInput = readonly string[] | string;

/** A statement whose Condition (or a whole block of it) may be a Terraform expression. */
export type DynStatement = Omit<Statement, "Condition"> & { Condition?: Condition | string };

export function flagHcl(f: Flag): string {
  return typeof f === "boolean" ? String(f) : f.hcl;
}

function isStatic(f: Flag): f is boolean {
  return typeof f === "boolean";
}

export interface OptionalPart {
  readonly when: Flag;
  readonly add: Record<string, unknown>;
}

/**
 * `base` with each part's keys added when its flag holds (a shallow merge, as HCL's merge()).
 *  - all flags concrete: the merged object, or undefined when it is empty;
 *  - otherwise: a tfExpr of `merge(base, {for k, v in add : k => v if flag}, ...)`, or, for an
 *    empty base and a single part, `flag ? add : null` (so no empty object reaches the JSON).
 * `base` may itself be an expression (a previous mergeWhen result); it is then never empty.
 */
export function mergeWhen(base: Record<string, unknown> | string | undefined, ...parts: OptionalPart[]): any {
  const baseObj = base ?? {};
  if (typeof baseObj !== "string" && parts.every((p) => isStatic(p.when))) {
    const out: Record<string, unknown> = { ...baseObj };
    for (const p of parts) {
      if (!p.when) continue;
      for (const [k, v] of Object.entries(p.add)) {
        if (k in out) throw new Error(`mergeWhen: key "${k}" would be overwritten`);
        out[k] = v;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  const active = parts.filter((p) => p.when !== false);
  const baseEmpty = typeof baseObj !== "string" && Object.keys(baseObj).length === 0;
  if (baseEmpty) {
    if (active.length === 0) return undefined;
    if (active.length === 1) return tfExpr(`${flagHcl(active[0].when)} ? ${toHclExpression(active[0].add)} : null`);
    throw new Error("mergeWhen: an empty base with several optional parts is not supported");
  }
  const pieces = active.map((p) =>
    p.when === true ? toHclExpression(p.add) : `{ for k, v in ${toHclExpression(p.add)} : k => v if ${flagHcl(p.when)} }`,
  );
  if (pieces.length === 0) return baseObj;
  return tfExpr(`merge(${toHclExpression(baseObj)}, ${pieces.join(", ")})`);
}

/** The break-glass / automation exemption: principals whose ARN matches are not denied. */
export interface Exemption {
  readonly arns: ListInput;
  /** Whether the list is non-empty (an empty ArnNotLike list would be invalid). */
  readonly present: Flag;
}

/** The condition key the exemption is tested on (ARN operators, case-insensitive key). */
export const EXEMPTION_KEY = "aws:PrincipalARN";

/** Adds `ArnNotLike aws:PrincipalARN <arns>` to a Deny statement (Allow statements are returned unchanged). */
export function withExemption(stmt: DynStatement, exemption: Exemption): DynStatement {
  if (stmt.Effect !== "Deny") return stmt;
  const Condition = mergeWhen(stmt.Condition, { when: exemption.present, add: { ArnNotLike: { [EXEMPTION_KEY]: exemption.arns } } });
  const out: DynStatement = { ...stmt };
  if (Condition === undefined) delete out.Condition;
  else out.Condition = Condition;
  return out;
}

/** The exemption for a concrete list. */
export function staticExemption(arns: readonly string[]): Exemption {
  return { arns, present: arns.length > 0 };
}

/**
 * HCL of one statement as a JSON string: `jsonencode({for k, v in {...} : k => v if v != null})`.
 * Attributes that are null at plan time (an optional Condition) are dropped.
 */
export function statementJsonHcl(stmt: DynStatement): string {
  return `jsonencode({ for k, v in ${toHclExpression(stmt)} : k => v if v != null })`;
}

/**
 * Statements that exist only under a condition. A condition is either known now (a boolean:
 * unit tests, synth-time estimates) or a Terraform boolean expression decided at plan time
 * (`equals("var.x", "strict")`). With only known conditions a statement list is plain data;
 * with a Terraform condition it becomes one HCL `concat(...)` expression whose optional parts
 * are `[for s in [...] : s if <cond>]` (a `cond ? [...] : []` conditional would make
 * Terraform unify the element types and, for example, turn numbers into strings). The
 * synth-time policy checks resolve that expression with the module's worst-case inputs: the
 * statements whose conditions then hold (expressions.ts). Pure: no cdktf import.
 */
import { tfExpr, toHclExpression } from "../render";
import { PolicyDocument, Statement } from "../types";
import { composite, compositeCondition, forList, holds, listOf } from "./expressions";

/** A condition Terraform decides at plan time: its HCL boolean expression. */
export interface PlanCondition {
  readonly hcl: string;
}

export type Cond = boolean | PlanCondition;

/**
 * A condition decided by Terraform at plan time: a reference to a boolean (`local.kms_enabled`,
 * `var.create_athena_workgroup`), whose worst case the module's substitute gives.
 */
export function hcl(expression: string): PlanCondition {
  return { hcl: expression };
}

/** `<expression> == "<value>"`: true at synth time when the expression's worst case is that value. */
export function equals(expression: string, value: string): PlanCondition {
  return { hcl: compositeCondition(`${expression} == ${JSON.stringify(value)}`, (s) => s(expression) === value) };
}

/** `length(<list>) > 0` of an HCL list (or map) expression. */
export function nonEmpty(listExpression: string): PlanCondition {
  return {
    hcl: compositeCondition(`length(${listExpression}) > 0`, (s) => {
      const v = s(listExpression);
      // A map counts its keys; anything but a list or map is refused (listOf names the expression).
      return v !== null && typeof v === "object" ? Object.keys(v).length > 0 : listOf(tfExpr(listExpression), s).length > 0;
    }),
  };
}

export function not(c: Cond): Cond {
  return typeof c === "boolean" ? !c : { hcl: compositeCondition(`!(${c.hcl})`, (s) => !holds(c.hcl, s)) };
}

export function and(a: Cond, b: Cond): Cond {
  if (typeof a === "boolean") return a ? b : false;
  if (typeof b === "boolean") return b ? a : false;
  return { hcl: compositeCondition(`(${a.hcl}) && (${b.hcl})`, (s) => holds(a.hcl, s) && holds(b.hcl, s)) };
}

/** Either condition; two plan-time conditions render as `(a) || (b)`. */
export function or(a: Cond, b: Cond): Cond {
  if (typeof a === "boolean" && typeof b === "boolean") return a || b;
  const text = (c: Cond) => (typeof c === "boolean" ? String(c) : c.hcl);
  return { hcl: compositeCondition(`(${text(a)}) || (${text(b)})`, (s) => isTrue(a, s) || isTrue(b, s)) };
}

/** A condition's value with the worst-case inputs of `substitute`. */
export function isTrue(c: Cond, substitute: (expression: string) => unknown): boolean {
  return typeof c === "boolean" ? c : holds(c.hcl, substitute);
}

export interface Optional {
  readonly when: Cond;
  readonly statements: readonly Statement[];
}

/**
 * One statement per element of a Terraform collection, decided at plan time:
 * `[for <index>, <each> in <over> : <statement> if <when>]` (the statement uses the loop's
 * variables through tfExpr). Always makes the statement list an HCL expression.
 */
export interface Repeated {
  /** The element variable (`z`). */
  readonly each: string;
  /** The index variable (`i`), if the statement uses it. */
  readonly index?: string;
  /** The collection, an HCL list expression (`sort(keys(var.zones))`). */
  readonly over: string;
  readonly statement: Statement;
  /** Only elements where this condition (over the loop's variables) holds. */
  readonly when?: Cond;
}

export type Part = Statement | Optional | Repeated;

export function repeated(r: Repeated): Repeated {
  return r;
}

function isRepeated(p: Part): p is Repeated {
  return (p as Repeated).over !== undefined && (p as Repeated).statement !== undefined;
}

export function when(cond: Cond, ...statements: Statement[]): Optional {
  return { when: cond, statements };
}

function isOptional(p: Part): p is Optional {
  return (p as Optional).when !== undefined && (p as Optional).statements !== undefined;
}

/**
 * The Statement value of a policy: an array when every condition is known, otherwise a
 * Terraform expression placeholder that concatenates the parts. That placeholder resolves, for
 * the synth-time checks, to the statements whose conditions hold with the module's worst-case
 * inputs (see expressions.ts).
 */
export function statementList(parts: readonly Part[]): Statement[] | string {
  if (parts.every((p) => !isRepeated(p) && (!isOptional(p) || typeof p.when === "boolean"))) {
    return parts.flatMap((p) => (isOptional(p) ? (p.when ? [...p.statements] : []) : [p as Statement]));
  }
  // Each block is a list value: a run of fixed statements, or a for-expression placeholder.
  const blocks: unknown[] = [];
  let run: Statement[] = [];
  const flush = () => {
    if (run.length) blocks.push(run);
    run = [];
  };
  for (const p of parts) {
    if (isRepeated(p)) {
      if (p.when === false) continue;
      flush();
      const filter = p.when === undefined || p.when === true ? undefined : p.when.hcl;
      blocks.push(forList({ each: p.each, index: p.index, over: tfExpr(p.over), item: p.statement, when: filter }));
      continue;
    }
    if (!isOptional(p)) {
      run.push(p);
      continue;
    }
    if (typeof p.when === "boolean") {
      if (p.when) run.push(...p.statements);
      continue;
    }
    flush();
    if (p.statements.length) blocks.push(forList({ each: "s", over: [...p.statements], item: tfExpr("s"), when: p.when.hcl }));
  }
  flush();
  return composite(`concat(${blocks.map(toHclExpression).join(", ")})`, (s) => blocks.flatMap((b) => listOf(b, s)));
}

/** A policy document whose statement list may be decided at plan time. */
export interface LakePolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[] | string;
}

export function policy(parts: readonly Part[]): LakePolicyDocument {
  return { Version: "2012-10-17", Statement: statementList(parts) };
}

/**
 * The document as the policy engine records it (lib/policy/engine.ts PolicyRecord): the very
 * value the module renders. A plan-time statement list stays its placeholder, which the
 * module's substitute resolves to the statements its worst-case inputs emit (statementList).
 */
export function engineDocument(doc: LakePolicyDocument): PolicyDocument {
  return doc as unknown as PolicyDocument;
}

/** The plain document, for policies built with known conditions only. */
export function staticPolicy(doc: LakePolicyDocument): PolicyDocument {
  if (typeof doc.Statement === "string") throw new Error("policy has plan-time conditions; build it with known conditions");
  return { Version: doc.Version, Statement: doc.Statement };
}

/**
 * Statements that exist only under a condition. A condition is either known now (a boolean:
 * unit tests, synth-time estimates) or a Terraform boolean expression decided at plan time
 * (`hcl("var.x == \"strict\"")`). With only known conditions a statement list is plain data;
 * with a Terraform condition it becomes one HCL `concat(...)` expression whose optional parts
 * are `[for s in [...] : s if <cond>]` (a `cond ? [...] : []` conditional would make
 * Terraform unify the element types and, for example, turn numbers into strings).
 * Pure: no cdktf import.
 */
import { tfExpr, toHclExpression } from "../render";
import { PolicyDocument, Statement } from "../types";

export type Cond = boolean | { readonly hcl: string };

/** A condition decided by Terraform at plan time. */
export function hcl(expression: string): Cond {
  return { hcl: expression };
}

export function not(c: Cond): Cond {
  return typeof c === "boolean" ? !c : { hcl: `!(${c.hcl})` };
}

export interface Optional {
  readonly when: Cond;
  readonly statements: readonly Statement[];
}

/**
 * One statement per element of a Terraform collection, decided at plan time:
 * `[for <forClause> : <statement> if <when>]` (the statement may use the loop's variables
 * through tfExpr). Always makes the statement list an HCL expression.
 */
export interface Repeated {
  readonly forClause: string;
  readonly statement: Statement;
  readonly when?: string;
}

export type Part = Statement | Optional | Repeated;

export function repeated(forClause: string, statement: Statement, when?: string): Repeated {
  return { forClause, statement, when };
}

function isRepeated(p: Part): p is Repeated {
  return (p as Repeated).forClause !== undefined;
}

export function when(cond: Cond, ...statements: Statement[]): Optional {
  return { when: cond, statements };
}

function isOptional(p: Part): p is Optional {
  return (p as Optional).when !== undefined && (p as Optional).statements !== undefined;
}

/**
 * The Statement value of a policy: an array when every condition is known, otherwise a
 * Terraform expression placeholder (see render.ts) that concatenates the parts.
 */
export function statementList(parts: readonly Part[]): Statement[] | string {
  if (parts.every((p) => !isRepeated(p) && (!isOptional(p) || typeof p.when === "boolean"))) {
    return parts.flatMap((p) => (isOptional(p) ? (p.when ? [...p.statements] : []) : [p as Statement]));
  }
  const blocks: string[] = [];
  let run: Statement[] = [];
  const flush = () => {
    if (run.length) blocks.push(toHclExpression(run));
    run = [];
  };
  for (const p of parts) {
    if (isRepeated(p)) {
      flush();
      blocks.push(`[for ${p.forClause} : ${toHclExpression(p.statement)}${p.when ? ` if ${p.when}` : ""}]`);
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
    if (p.statements.length) blocks.push(`[for s in ${toHclExpression([...p.statements])} : s if ${p.when.hcl}]`);
  }
  flush();
  return tfExpr(`concat(${blocks.join(", ")})`);
}

/** A policy document whose statement list may be decided at plan time. */
export interface LakePolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[] | string;
}

export function policy(parts: readonly Part[]): LakePolicyDocument {
  return { Version: "2012-10-17", Statement: statementList(parts) };
}

/** The plain document, for policies built with known conditions only. */
export function staticPolicy(doc: LakePolicyDocument): PolicyDocument {
  if (typeof doc.Statement === "string") throw new Error("policy has plan-time conditions; build it with known conditions");
  return { Version: doc.Version, Statement: doc.Statement };
}

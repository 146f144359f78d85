/**
 * The policy engine: every policy document of every module passes the same rules
 * at synth time; every problem is collected and reported at once, each naming the
 * module, the policy and the statement.
 */
import { PolicyDocument, PolicyKind } from "./types";
import { resolveStatic } from "./render";
import { DEFAULT_LIMITS, PolicyLimits, RULES } from "./rules";

export interface PolicyRecord {
  module: string;
  /** Stable policy name within the module (e.g. the Terraform resource name). */
  name: string;
  kind: PolicyKind;
  /** Plain policy data; may hold tfExpr() placeholders. */
  document: PolicyDocument;
  /** Allow of `*` on `*` is intended (the admin persona). */
  allowFullAccess?: boolean;
}

/**
 * Replaces Terraform expressions for synth-time checks: a function from the
 * expression (e.g. "var.allowed_regions") to a representative value, usually the
 * variable's default.
 */
export type Substitute = (expression: string) => unknown;

export interface EngineProblem {
  module: string;
  policy: string;
  rule: string;
  statement?: number;
  sid?: string;
  message: string;
}

export function formatProblem(p: EngineProblem): string {
  const where = p.statement === undefined ? "" : `, statement ${p.statement}${p.sid ? ` (Sid ${p.sid})` : ""}`;
  return `${p.module} / ${p.policy}${where}: ${p.message} [${p.rule}]`;
}

export function checkPolicy(record: PolicyRecord, substitute: Substitute, limits: PolicyLimits = DEFAULT_LIMITS): EngineProblem[] {
  const doc = resolveStatic(record.document, substitute) as PolicyDocument;
  const ctx = { kind: record.kind, allowFullAccess: record.allowFullAccess ?? false, limits };
  const problems: EngineProblem[] = [];
  for (const [rule, fn] of Object.entries(RULES)) {
    for (const f of fn(doc, ctx)) {
      problems.push({
        module: record.module,
        policy: record.name,
        rule,
        statement: f.statement,
        sid: f.statement === undefined ? undefined : doc.Statement[f.statement]?.Sid,
        message: f.message,
      });
    }
  }
  return problems;
}

export function checkPolicies(
  records: readonly PolicyRecord[],
  substitute: Substitute,
  limits: PolicyLimits = DEFAULT_LIMITS,
): EngineProblem[] {
  const seen = new Set<string>();
  const problems: EngineProblem[] = [];
  for (const r of records) {
    const key = `${r.module}/${r.name}`;
    if (seen.has(key)) problems.push({ module: r.module, policy: r.name, rule: "unique-name", message: "policy name is used twice" });
    seen.add(key);
    problems.push(...checkPolicy(r, substitute, limits));
  }
  return problems;
}

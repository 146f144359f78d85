/**
 * One definition per policy: the documents a module hands to the policy engine must be exactly
 * the documents it renders into Terraform, and every policy it renders must have been handed to
 * the engine. A copy kept for the engine drifts (a statement added to one side only is checked
 * nowhere), so this compares text, not meaning:
 *  - each registered record, rendered as `jsonencode(<document>)` with the module's strict inputs
 *    read from the `inputs` child module (as the synthesized JSON reads them), occurs verbatim in
 *    a string of the synthesized Terraform JSON;
 *  - once every such occurrence is removed, no string of the Terraform JSON still holds a policy
 *    statement list (`"Statement" =`), so nothing is rendered that the engine did not see.
 * A policy built at plan time from the caller's own statements (`callerPolicies`, by JSON path) is
 * the caller's, not the module's: the engine cannot see it, and the test names each such path.
 * A module that packs its statements into policies at plan time (org-scp: which statements go
 * into which SCP depends on the inputs) renders statements, not documents, and builds both sides
 * from the same statement functions; for it the check compares statement Sids both ways instead.
 */
import { PolicyRecord } from "../lib/policy/engine";
import { toHclExpression } from "../lib/policy/render";
import { rewriteStrictReferences } from "../lib/strict-input";

export interface DefinitionProblem {
  readonly module: string;
  readonly problem: string;
}

/** Every string value of a JSON tree, with its JSON path. */
function stringsOf(value: unknown, at = "$", out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => stringsOf(v, `${at}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) stringsOf(v, `${at}.${k}`, out);
  return out;
}

/** The Terraform text a record renders to, as the module's synthesized JSON holds it. */
export function renderedText(record: PolicyRecord, strictInputs: readonly string[]): string {
  return rewriteStrictReferences(`jsonencode(${toHclExpression(record.document)})`, strictInputs);
}

/** The problems of one module: records never rendered, and rendered policies never registered. */
export function definitionProblems(
  module: string,
  terraformJson: unknown,
  records: readonly PolicyRecord[],
  strictInputs: readonly string[],
  options: { packedAtPlanTime?: boolean; callerPolicies?: readonly string[] } = {},
): DefinitionProblem[] {
  const strings = stringsOf(terraformJson);
  if (options.packedAtPlanTime) return sidProblems(module, strings, records);
  const problems: DefinitionProblem[] = [];
  const texts = records.map((r) => [r, renderedText(r, strictInputs)] as const);
  for (const [r, text] of texts)
    if (!strings.some(([, s]) => s.includes(text)))
      problems.push({ module, problem: `policy "${r.name}" (${r.kind}) is checked by the engine but rendered nowhere in the module` });
  // Longest first, so a record whose text contains another's is removed whole.
  const byLength = texts.map(([, t]) => t).sort((a, b) => b.length - a.length);
  for (const [at, s] of strings) {
    let rest = s;
    for (const t of byLength) rest = rest.split(t).join("");
    if (/"?Statement"? =/.test(rest) && !options.callerPolicies?.includes(at))
      problems.push({ module, problem: `${at} renders a policy the engine never checked` });
  }
  return problems;
}

/** Plan-time packing: every Sid rendered is checked by the engine, and every Sid checked is rendered. */
function sidProblems(module: string, strings: ReadonlyArray<[string, string]>, records: readonly PolicyRecord[]): DefinitionProblem[] {
  const rendered = new Set(strings.flatMap(([, s]) => [...s.matchAll(/"Sid" = "([^"$]+)"/g)].map((m) => m[1])));
  const checked = new Set(records.flatMap((r) => r.document.Statement.map((st) => st.Sid).filter((x): x is string => !!x)));
  return [
    ...[...rendered]
      .filter((sid) => !checked.has(sid))
      .map((sid) => ({ module, problem: `statement ${sid} is rendered but the engine never checked it` })),
    ...[...checked]
      .filter((sid) => !rendered.has(sid))
      .map((sid) => ({ module, problem: `statement ${sid} is checked by the engine but rendered nowhere in the module` })),
  ].sort((a, b) => a.problem.localeCompare(b.problem));
}

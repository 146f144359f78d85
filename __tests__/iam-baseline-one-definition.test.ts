/**
 * One definition per policy in iam-baseline: every document the policy engine checks is, text for
 * text, a policy the synthesized module renders, and every policy the module renders is one the
 * engine checked (except the custom groups', built at plan time from the caller's statements).
 */
import { PolicyRecord } from "../lib/policy/engine";
import { jsonencodeExpr, resolveStatic } from "../lib/policy/render";
import { optional } from "../lib/policy/iam/policy-items";
import { PolicyDocument, Statement } from "../lib/policy/types";
import { worstCaseStatements } from "../modules/iam-baseline/policies";
import { rewriteJson } from "../lib/strict-input";
import { synthAll } from "./helpers/synth";

/** A policy document written in HCL (`Version = "2012-10-17"`) or JSON (`"Version":"2012-10-17"`). */
const POLICY_VERSION = /"?Version"?\s*[=:]\s*"2012-10-17"/;

/** Every string of a Terraform JSON value but its variable blocks, with where it is. */
function stringsOf(value: unknown, where = ""): [string, string][] {
  if (typeof value === "string") return [[where, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${where}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => (where === "" && k === "variable" ? [] : stringsOf(v, where ? `${where}.${k}` : k)));
  return [];
}

/** The text a record renders in cdk.tf.json: its jsonencode, strict inputs read through module.inputs. */
const renderedText = (record: PolicyRecord, strictInputs: readonly string[]) => rewriteJson(jsonencodeExpr(record.document), strictInputs);

/** Records whose rendered text occurs nowhere in the module. */
function unrendered(tf: unknown, records: readonly PolicyRecord[], strictInputs: readonly string[]): string[] {
  const strings = stringsOf(tf).map(([, s]) => s);
  return records.filter((r) => !strings.some((s) => s.includes(renderedText(r, strictInputs)))).map((r) => r.name);
}

/** Places of the module holding a policy document that no record accounts for. */
function unrecorded(tf: unknown, records: readonly PolicyRecord[], strictInputs: readonly string[]): string[] {
  const texts = records.map((r) => renderedText(r, strictInputs));
  return stringsOf(tf)
    .filter(([, s]) => POLICY_VERSION.test(texts.reduce((rest, t) => rest.split(t).join("<record>"), s)))
    .map(([where]) => where);
}

describe("iam-baseline: the engine checks exactly the policies the module renders", () => {
  const result = synthAll();
  const stack = result.stacks.find((s) => s.spec.id === "iam-baseline")!;
  const tf = result.modules["iam-baseline"];

  it("every registered document occurs, as rendered, in cdk.tf.json", () => {
    expect(stack.policies.length).toBeGreaterThan(30);
    expect(unrendered(tf, stack.policies, stack.strictInputs)).toEqual([]);
  });

  it("every policy document in cdk.tf.json comes from a registered record (the custom groups' are the caller's)", () => {
    expect(unrecorded(tf, stack.policies, stack.strictInputs)).toEqual(["locals.custom_group_policies"]);
  });

  it("a policy attribute is a record or a reference to the locals holding them", () => {
    const attributes = stringsOf(tf.resource).filter(([where]) => /\.(policy|assume_role_policy)$/.test(where));
    expect(attributes.length).toBeGreaterThan(15);
    const texts = stack.policies.map((r) => `\${${renderedText(r, stack.strictInputs)}}`);
    for (const [where, value] of attributes)
      expect({ where, ok: texts.includes(value) || /^\$\{[^{}]*\}$/.test(value) }).toEqual({ where, ok: true });
  });

  it("the checks fail on a document the engine saw but the module does not render, and on one it renders unchecked", () => {
    const altered = stack.policies.map((r) =>
      r.name === "self_service"
        ? { ...r, document: { ...r.document, Statement: [{ Effect: "Deny" as const, Action: "*", Resource: "*" }] } }
        : r,
    );
    expect(unrendered(tf, altered, stack.strictInputs)).toEqual(["self_service"]);
    expect(unrecorded(tf, altered, stack.strictInputs)).toContain("locals.self_service_policy");
    const handWritten = { ...tf, locals: { ...tf.locals, extra: '${jsonencode({"Version" = "2012-10-17", "Statement" = []})}' } };
    expect(unrecorded(handWritten, stack.policies, stack.strictInputs)).toContain("locals.extra");
  });
});

describe("iam-baseline: the engine sees every statement a policy can hold", () => {
  const result = synthAll();
  const stack = result.stacks.find((s) => s.spec.id === "iam-baseline")!;
  const sidsRendered = (r: PolicyRecord) => new Set([...jsonencodeExpr(r.document).matchAll(/"Sid" = "([A-Za-z0-9]+)"/g)].map((m) => m[1]));

  it("each record, resolved with the module's worst case, holds every Sid its rendered text can emit", () => {
    let conditional = 0;
    for (const r of stack.policies) {
      const resolved = resolveStatic(r.document, stack.substitute) as PolicyDocument;
      if (typeof (r.document as { Statement: unknown }).Statement === "string") conditional++;
      expect({ policy: r.name, sids: [...new Set(resolved.Statement.map((s) => s.Sid))].sort() }).toEqual({
        policy: r.name,
        sids: [...sidsRendered(r)].sort(),
      });
    }
    expect(conditional).toBeGreaterThan(10);
  });

  const S = (Sid: string, Action: string | string[]): Statement => ({ Sid, Effect: "Deny", Action, Resource: "*" });
  const sids = (st: Statement[]) => st.map((s) => `${s.Sid}:${JSON.stringify(s.Action)}`);

  it("worst case: every optional statement present; of two alternatives c / !(c), the larger", () => {
    const items = [
      S("Fixed", "s3:GetObject"),
      optional("var.a", S("WhenA", "s3:PutObject")),
      optional("length(var.b) > 0", S("WhenB", "s3:ListBucket")),
    ];
    expect(sids(worstCaseStatements(items, () => undefined))).toEqual([
      'Fixed:"s3:GetObject"',
      'WhenA:"s3:PutObject"',
      'WhenB:"s3:ListBucket"',
    ]);
    const small = S("Alt", "s3:GetObject");
    const large = S("Alt", ["s3:GetObject", "s3:PutObject"]);
    expect(sids(worstCaseStatements([optional("var.c", small), optional("!(var.c)", large)], () => undefined))).toEqual([
      'Alt:["s3:GetObject","s3:PutObject"]',
    ]);
    expect(sids(worstCaseStatements([optional("var.c", large), optional("!(var.c)", small)], () => undefined))).toEqual([
      'Alt:["s3:GetObject","s3:PutObject"]',
    ]);
  });
});

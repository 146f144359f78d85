/**
 * One definition per policy, for the data lake: the policy engine checks exactly the documents
 * the module renders. Every record's `jsonencode(...)` text is in the synthesized JSON, every
 * policy-bearing attribute and local is made of records, and the engine resolves each record with
 * the worst-case inputs declared in modules/data-lake/spec.ts, every optional statement those
 * inputs switch on included.
 */
import { checkPolicies, PolicyRecord } from "../lib/policy/engine";
import { jsonencodeExpr, resolveStatic } from "../lib/policy/render";
import { sizeOf } from "../lib/policy/rules";
import { ACCESS_POINT_NAME_RULES, BUCKET_NAME_RULES, nameProblems, withComposites } from "../lib/policy/s3";
import { PolicyDocument } from "../lib/policy/types";
import { rewriteJson } from "../lib/strict-input";
import { ModuleStack } from "../lib/module-stack";
import { DATA_LAKE_SPEC, NAME_MAX_LENGTH } from "../modules/data-lake/spec";
import { allStrings, synthAll } from "./helpers/synth";

const result = synthAll();
const stack = result.stacks.find((s) => s.spec.id === "data-lake")!;
const tf = result.modules["data-lake"];

/** The HCL text of a record as the synthesized JSON holds it (strict inputs read through module.inputs). */
function recordText(s: ModuleStack, r: PolicyRecord): string {
  return rewriteJson(jsonencodeExpr(r.document), s.strictInputs);
}

/** Records whose text is not in any string of the synthesized module. */
function recordsNotRendered(s: ModuleStack, module: any, records: readonly PolicyRecord[]): string[] {
  const strings = allStrings(module).map((x) => x.value);
  return records.filter((r) => !strings.some((v) => v.includes(recordText(s, r)))).map((r) => r.name);
}

/**
 * Policy-bearing attributes (policy arguments of buckets, access points, keys and IAM policies)
 * and locals (any local holding a jsonencode) that are not made of records: once every record's
 * text is taken out, no jsonencode may remain, and an attribute that holds no record must read a
 * local that does (directly, or through the for_each it iterates).
 */
function policiesNotFromRecords(s: ModuleStack, module: any, records: readonly PolicyRecord[]): string[] {
  const texts = records.map((r) => recordText(s, r));
  const strip = (v: string) => texts.reduce((acc, x) => acc.split(x).join("<record>"), v);
  const problems: string[] = [];
  const policyLocals = new Set<string>();
  for (const [name, value] of Object.entries<unknown>(module.locals ?? {})) {
    if (typeof value !== "string" || !value.includes("jsonencode(")) continue;
    const rest = strip(value);
    if (rest.includes("jsonencode(")) problems.push(`local.${name} holds a policy that is not a record`);
    if (rest.includes("<record>")) policyLocals.add(name);
  }
  const readsPolicyLocal = (v: string) => [...v.matchAll(/local\.([a-z0-9_]+)/g)].some((m) => policyLocals.has(m[1]));
  const attributes: Array<[string, string]> = [
    ["aws_s3_bucket_policy", "policy"],
    ["aws_s3_access_point", "policy"],
    ["aws_kms_key", "policy"],
    ["aws_iam_policy", "policy"],
  ];
  for (const [type, attribute] of attributes) {
    for (const [name, body] of Object.entries<any>(module.resource?.[type] ?? {})) {
      const value = body[attribute];
      const where = `${type}.${name}.${attribute}`;
      if (typeof value !== "string") {
        problems.push(`${where} is not a rendered policy`);
        continue;
      }
      const rest = strip(value);
      if (rest.includes("jsonencode(")) problems.push(`${where} holds a policy that is not a record`);
      else if (!rest.includes("<record>")) {
        const source = value === "${each.value}" ? String(body.for_each ?? "") : value;
        if (!readsPolicyLocal(source)) problems.push(`${where} (${value}) reads no recorded policy`);
      }
    }
  }
  return problems;
}

const resolved = (r: PolicyRecord) => resolveStatic(r.document, stack.substitute) as PolicyDocument;
const sids = (r: PolicyRecord) => resolved(r).Statement.map((st) => st.Sid);
const byName = (name: string) => stack.policies.find((p) => p.name === name)!;

describe("data-lake: the policy engine checks the rendered documents", () => {
  it("registers every policy it renders, and they pass with the worst-case inputs", () => {
    expect(stack.policies.map((p) => p.name).sort()).toEqual([
      "aws_iam_policy.analyst",
      "aws_iam_policy.read_only",
      "aws_iam_policy.read_write",
      "aws_kms_key.lake",
      "aws_s3_access_point.zone",
      "aws_s3_bucket_policy.athena_results",
      "aws_s3_bucket_policy.logs",
      "aws_s3_bucket_policy.zone",
      "local.analyst_policy_sizes",
      "local.read_only_policy_sizes",
      "local.read_write_policy_sizes",
    ]);
    expect(checkPolicies(stack.policies, stack.substitute)).toEqual([]);
  });

  it("each record's jsonencode text is in the synthesized module", () => {
    expect(recordsNotRendered(stack, tf, stack.policies)).toEqual([]);
  });

  it("a record that differs from what is rendered is found (fixture: one statement more)", () => {
    const r = byName("aws_kms_key.lake");
    const widened: PolicyRecord = {
      ...r,
      name: "widened",
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] },
    };
    expect(recordsNotRendered(stack, tf, [...stack.policies, widened])).toEqual(["widened"]);
  });

  it("every policy attribute and policy local is made of records", () => {
    expect(policiesNotFromRecords(stack, tf, stack.policies)).toEqual([]);
  });

  it("a policy not registered is found (fixtures: an unregistered access point policy, a hand-written bucket policy)", () => {
    const others = stack.policies.filter((p) => p.name !== "aws_s3_access_point.zone");
    expect(policiesNotFromRecords(stack, tf, others)).toEqual([
      "local.access_point_policies holds a policy that is not a record",
      "aws_s3_access_point.zone.policy (${local.access_point_policies[each.key]}) reads no recorded policy",
    ]);
    const handWritten = structuredClone(tf);
    handWritten.resource.aws_s3_bucket_policy.logs.policy = '${jsonencode({"Statement" = []})}';
    expect(policiesNotFromRecords(stack, handWritten, stack.policies)).toEqual([
      "aws_s3_bucket_policy.logs.policy holds a policy that is not a record",
    ]);
  });

  it("the worst case switches on the optional statements (KMS, strict header, break-glass, prefixes, writers, Athena, folder markers)", () => {
    expect(sids(byName("aws_s3_bucket_policy.zone"))).toEqual([
      "DenyInsecureTransport",
      "DenyUploadsWithoutEncryptionHeader",
      "DenyUploadsWithOtherEncryption",
      "DenyCustomerProvidedKeys",
      "DenyKmsUploadsWithoutTheLakeKey",
      "DenyUploadsUnderAnotherKmsKey",
      "DelegateAccessControlToOwnAccountAccessPoints",
    ]);
    const logs = resolved(byName("aws_s3_bucket_policy.logs")).Statement.find((s) => s.Sid === "DenyLogDeletionExceptBreakGlass")!;
    expect(logs.Condition?.ArnNotLike?.["aws:PrincipalArn"]).toEqual(
      DATA_LAKE_SPEC.variables.find((v) => v.name === "break_glass_principal_arns")!.worstCase,
    );
    expect(sids(byName("aws_s3_access_point.zone"))).toEqual([
      "DenyInsecureTransport",
      "ListPrefixesThroughAccessPoint",
      "ReadThroughAccessPoint",
      "WriteThroughAccessPoint",
    ]);
    // One reader and one writer grant per zone (three zones).
    expect(sids(byName("aws_kms_key.lake"))).toEqual([
      "EnableIamPoliciesOfTheAccount",
      "ZoneReaders0",
      "ZoneReaders1",
      "ZoneReaders2",
      "ZoneWriters0",
      "ZoneWriters1",
      "ZoneWriters2",
    ]);
    expect(sids(byName("aws_iam_policy.analyst"))).toEqual(
      expect.arrayContaining(["CreateFoldersInAnalystZone", "DeleteInAnalystZone", "EncryptAnalystZone"]),
    );
    expect(sids(byName("aws_iam_policy.read_only"))).toEqual(
      expect.arrayContaining(["RunQueriesInLakeWorkgroups", "ReadGlueCatalog", "WriteAndReadQueryResults", "EncryptQueryResults"]),
    );
    const glue = resolved(byName("aws_iam_policy.read_only")).Statement.find((s) => s.Sid === "ReadGlueCatalog")!;
    expect(glue.Resource).toHaveLength(3);
  });

  it("the statements the worst case leaves out pass the engine with the other inputs (no prefixes, direct writes, no break-glass, no workgroup, no KMS)", () => {
    const other: Record<string, unknown> = {
      "cfg.prefixes": [],
      "var.analyst_write_mode": "direct",
      "var.break_glass_principal_arns": [],
      "local.athena_workgroup_arns": [],
      "var.encryption_header_mode": "if_present",
      "local.kms_enabled": false,
    };
    const otherSubstitute = withComposites((e) => (e in other ? other[e] : stack.substitute(e)));
    const seen = new Set<string>();
    for (const substitute of [stack.substitute, otherSubstitute]) {
      expect(checkPolicies(stack.policies, substitute)).toEqual([]);
      for (const r of stack.policies) {
        for (const st of (resolveStatic(r.document, substitute) as PolicyDocument).Statement) seen.add(`${r.name} ${st.Sid}`);
      }
    }
    // Every optional statement of the builders, in one scenario or the other.
    expect([...seen].filter((x) => !x.startsWith("local.")).sort()).toEqual(
      expect.arrayContaining([
        "aws_s3_access_point.zone ListThroughAccessPoint",
        "aws_s3_access_point.zone ListPrefixesThroughAccessPoint",
        "aws_iam_policy.analyst WriteAnalystZone",
        "aws_iam_policy.analyst WriteAnalystZoneThroughAccessPoint",
        "aws_iam_policy.analyst CreateFoldersInAnalystZone",
        "aws_iam_policy.read_only RunQueriesInLakeWorkgroups",
        "aws_iam_policy.read_only DenyQueriesInOtherWorkgroups",
        "aws_s3_bucket_policy.logs DenyLogDeletionExceptBreakGlass",
        "aws_s3_bucket_policy.zone DenyUploadsWithoutEncryptionHeader",
        "aws_s3_bucket_policy.zone DenyKmsUploadsWithoutTheLakeKey",
      ]),
    );
    const withoutWorkgroups = (resolveStatic(byName("aws_iam_policy.read_only").document, otherSubstitute) as PolicyDocument).Statement;
    expect(withoutWorkgroups.find((st) => st.Sid === "DenyQueriesInOtherWorkgroups")!.Resource).toBe("arn:aws:athena:*:*:workgroup/*");
    const withoutBreakGlass = (resolveStatic(byName("aws_s3_bucket_policy.logs").document, otherSubstitute) as PolicyDocument).Statement;
    expect(withoutBreakGlass.find((st) => st.Sid === "DenyLogDeletionExceptBreakGlass")!.Condition).toBeUndefined();
  });

  it("the documents are resolved with the longest name and every worst-case zone", () => {
    const name = "x".repeat(NAME_MAX_LENGTH);
    const readWrite = resolved(byName("aws_iam_policy.read_write")).Statement.find((s) => s.Sid === "ListLakeZones")!;
    expect(readWrite.Resource).toEqual([
      `arn:aws:s3:::${name}-a`,
      `arn:aws:s3:::${name}-b`,
      `arn:aws:s3:::${name}-c`,
      `arn:aws:s3:ap-southeast-2:111122223333:accesspoint/${name}-a-access`,
      `arn:aws:s3:ap-southeast-2:111122223333:accesspoint/${name}-b-access`,
      `arn:aws:s3:ap-southeast-2:111122223333:accesspoint/${name}-c-access`,
    ]);
    const ap = resolved(byName("aws_s3_access_point.zone")).Statement.find((s) => s.Sid === "WriteThroughAccessPoint")!;
    expect(ap.Resource).toEqual([
      `arn:aws:s3:ap-southeast-2:111122223333:accesspoint/${name}-a-access/object/raw/*`,
      `arn:aws:s3:ap-southeast-2:111122223333:accesspoint/${name}-a-access/object/curated/*`,
    ]);
  });

  it("the quota checks are at least as strict as with the former hand-built copies", () => {
    // Sizes the engine measured on the hand-built copies; the zone bucket policy's copy used a
    // name and zone no input can have (an access point name of 60 characters), so its bound is
    // the valid worst case instead (see CHANGELOG).
    const before: Record<string, number> = {
      "aws_s3_bucket_policy.athena_results": 1612,
      "aws_s3_bucket_policy.logs": 1713,
      "aws_s3_access_point.zone": 1893,
      "aws_kms_key.lake": 1012,
      "aws_iam_policy.read_write": 2228,
      "aws_iam_policy.analyst": 3437,
      "aws_iam_policy.read_only": 4738,
    };
    for (const [name, size] of Object.entries(before)) {
      const r = byName(name);
      expect({ name, atLeast: sizeOf(r.kind, resolved(r))!.size >= size }).toEqual({ name, atLeast: true });
    }
  });

  it("the worst-case inputs are valid inputs: names within the S3 rules, the write zone a zone", () => {
    const worst = (n: string) => DATA_LAKE_SPEC.variables.find((v) => v.name === n)!.worstCase;
    const name = worst("name") as string;
    const zones = Object.keys(worst("zones") as object);
    expect(name).toHaveLength(NAME_MAX_LENGTH);
    for (const z of zones) {
      expect(nameProblems(`${name}-${z}`, BUCKET_NAME_RULES)).toEqual([]);
      expect(nameProblems(`${name}-${z}-access`, ACCESS_POINT_NAME_RULES)).toEqual([]);
    }
    expect(zones).toContain(worst("analyst_write_zone"));
  });

  it("an expression without a worst-case value fails the check, naming it", () => {
    expect(() => stack.substitute("local.not_declared")).toThrow(/local\.not_declared.*no worst-case value/);
  });
});

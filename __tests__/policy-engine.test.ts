import { checkPolicies, checkPolicy, formatProblem, PolicyRecord } from "../lib/policy/engine";
import { tfExpr } from "../lib/policy/render";
import { doc } from "../lib/policy/types";

const sub = (e: string) => (e === "var.allowed_regions" ? ["ap-southeast-2"] : "x");
const rec = (document: PolicyRecord["document"], extra: Partial<PolicyRecord> = {}): PolicyRecord => ({
  module: "test-module",
  name: "test_policy",
  kind: "managed",
  document,
  ...extra,
});
const rules = (r: PolicyRecord) => checkPolicy(r, sub).map((p) => p.rule);

describe("policy engine rules", () => {
  it("passes a good least-privilege policy", () => {
    const good = doc([
      {
        Sid: "ReadLake",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:List*"],
        Resource: "arn:aws:s3:::lake-*",
        Condition: { StringEquals: { "aws:RequestedRegion": tfExpr("var.allowed_regions") } },
      },
    ]);
    expect(checkPolicy(rec(good), sub)).toEqual([]);
  });

  it("rejects actions that do not exist, wildcards that match nothing and retired actions", () => {
    const bad = doc([{ Sid: "A", Effect: "Allow", Action: ["s3:GetObjects", "s3:Frob*", "aws-portal:ViewBilling"], Resource: "*" }]);
    const found = checkPolicy(rec(bad), sub).filter((p) => p.rule === "actions-exist");
    expect(found.map((p) => p.message).join("\n")).toMatch(/s3:GetObjects[\s\S]*s3:Frob\*[\s\S]*aws-portal:ViewBilling/);
    expect(found.every((p) => p.statement === 0 && p.sid === "A")).toBe(true);
  });

  it("rejects invalid and repeated Sids", () => {
    const bad = doc([
      { Sid: "Not valid!", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      { Sid: "Dup", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      { Sid: "Dup", Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
    ]);
    expect(rules(rec(bad)).filter((r) => r === "sid-valid-unique")).toHaveLength(2);
  });

  it('rejects an Allow to Principal "*" without a condition, accepts it narrowed', () => {
    const open = doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]);
    const narrowed = doc([
      {
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::b/*",
        Condition: { StringEquals: { "s3:DataAccessPointAccount": "111122223333" } },
      },
    ]);
    expect(rules(rec(open, { kind: "bucket" }))).toContain("no-public-allow");
    expect(rules(rec(narrowed, { kind: "bucket" }))).not.toContain("no-public-allow");
  });

  it('rejects Allow "*" on "*" except where the record is the admin persona', () => {
    const admin = doc([{ Effect: "Allow", Action: "*", Resource: "*" }]);
    expect(rules(rec(admin))).toContain("no-full-access");
    expect(rules(rec(admin, { allowFullAccess: true }))).not.toContain("no-full-access");
  });

  it("rejects unknown ${...} policy variables and accepts IAM ones", () => {
    const ok = doc([{ Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}" }]);
    const bad = doc([{ Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${var.name}" }]);
    expect(rules(rec(ok))).toEqual([]);
    expect(rules(rec(bad))).toEqual(["policy-variables"]);
  });

  it("enforces size limits per kind", () => {
    const many = (n: number) =>
      doc(
        Array.from({ length: n }, (_, i) => ({
          Sid: `S${i}`,
          Effect: "Deny" as const,
          Action: "s3:DeleteBucket",
          Resource: `arn:aws:s3:::bucket-${i}`,
        })),
      );
    expect(rules(rec(many(30), { kind: "trust" }))).toContain("size");
    expect(rules(rec(many(20), { kind: "managed" }))).not.toContain("size");
    expect(rules(rec(many(80), { kind: "managed" }))).toContain("size");
    expect(rules(rec(many(60), { kind: "scp" }))).toContain("size");
    expect(checkPolicy(rec(many(60), { kind: "scp" }), sub, { scpMaxChars: 10000 }).map((p) => p.rule)).not.toContain("size");
  });

  it("collects every problem of every policy at once, each naming module, policy and statement", () => {
    const problems = checkPolicies(
      [
        rec(doc([{ Sid: "One", Effect: "Allow", Action: "s3:GetObjects", Resource: "*" }]), { name: "first" }),
        rec(doc([{ Sid: "Two", Effect: "Allow", Action: "*", Resource: "*" }]), { name: "second" }),
        rec(doc([]), { name: "second" }),
      ],
      sub,
    );
    const text = problems.map(formatProblem);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^test-module \/ first, statement 0 \(Sid One\): .*s3:GetObjects.* \[actions-exist\]$/),
        expect.stringMatching(/^test-module \/ second, statement 0 \(Sid Two\): Allow of "\*" on "\*" is reserved .* \[no-full-access\]$/),
        expect.stringMatching(/^test-module \/ second: policy name is used twice \[unique-name\]$/),
        expect.stringMatching(/^test-module \/ second: has no statement \[non-empty\]$/),
      ]),
    );
  });
});

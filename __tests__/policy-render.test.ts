import { hasExpr, jsonencodePolicy, resolveStatic, tfExpr, toHclExpression } from "../lib/policy/render";
import { checkTemplate } from "./helpers/hcl";

describe("policy rendering to Terraform", () => {
  const doc = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Self",
        Effect: "Allow",
        Action: ["iam:ChangePassword"],
        Resource: `arn:${tfExpr("local.partition")}:iam::*:user/\${aws:username}`,
        Condition: { StringEquals: { "aws:RequestedRegion": tfExpr("var.allowed_regions") } },
      },
    ],
  };

  it("escapes IAM policy variables and embeds expressions", () => {
    const hcl = toHclExpression(doc);
    expect(hcl).toContain('"arn:${local.partition}:iam::*:user/$${aws:username}"');
    expect(hcl).toContain('"aws:RequestedRegion" = var.allowed_regions');
    expect(hasExpr(doc.Statement[0].Resource)).toBe(true);
  });

  it("produces a valid Terraform template whose references are the expressions", async () => {
    const declared = new Set(["local.partition", "var.allowed_regions"]);
    expect(await checkTemplate(jsonencodePolicy(doc), declared, "$")).toEqual([]);
    expect(await checkTemplate(jsonencodePolicy(doc), new Set(), "$")).toHaveLength(2);
  });

  it("resolves statically for size estimates, flattening list expressions", () => {
    const r = resolveStatic({ a: [tfExpr("x"), "b"], s: `p-${tfExpr("y")}` }, (e) => (e === "x" ? ["1", "2"] : "Y"));
    expect(r).toEqual({ a: ["1", "2", "b"], s: "p-Y" });
  });

  it("escapes quotes, backslashes and template directives in literals", () => {
    expect(toHclExpression('a"b\\c%{x}')).toBe('"a\\"b\\\\c%%{x}"');
  });
});

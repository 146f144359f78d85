import { MODULE_IDS } from "../lib/module-interface";
import { checkModuleTemplates, checkTemplate, interpolations } from "./helpers/hcl";
import { moduleJson } from "./helpers/synth";

describe("every string of every synthesized module is a valid Terraform template (HashiCorp's HCL parser)", () => {
  it.each(MODULE_IDS)("%s", async (id) => {
    expect(await checkModuleTemplates(moduleJson(id))).toEqual([]);
  });
});

describe("the HCL layer catches what terraform would reject", () => {
  const declared = new Set(["var.name", "aws_iam_group.persona"]);

  it("rejects a raw ${aws:username} policy variable", async () => {
    const problems = await checkTemplate('{"Resource":"arn:aws:iam::*:user/${aws:username}"}', declared, "$.policy");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\$\.policy: not a valid Terraform template/);
  });

  it("accepts the escaped form $${aws:username}", async () => {
    expect(await checkTemplate('{"Resource":"arn:aws:iam::*:user/$${aws:username}"}', declared, "$.policy")).toEqual([]);
  });

  it("rejects a reference to an undeclared variable or resource", async () => {
    expect(await checkTemplate("${var.nmae}-x", declared, "$.a")).toEqual([
      '$.a: reference "var.nmae" does not resolve to a declared name',
    ]);
    expect(await checkTemplate('${aws_iam_group.other["x"].name}', declared, "$.b")).toHaveLength(1);
  });

  it("accepts for-expressions, conditionals and indexes over declared names", async () => {
    expect(await checkTemplate('${{ for k, g in aws_iam_group.persona : k => g.name if k != "x" }}', declared, "$.c")).toEqual([]);
    expect(await checkTemplate('${var.name == "a" ? "b" : "c"}', declared, "$.d")).toEqual([]);
  });

  it("finds interpolations but not escapes", () => {
    expect(interpolations('a ${var.x} $${aws:username} ${jsonencode({"a" = "}"})}')).toEqual(["var.x", 'jsonencode({"a" = "}"})']);
  });
});

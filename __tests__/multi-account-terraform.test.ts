/**
 * The multi-account example (examples/dev-prod/multi-account: an identity account with the
 * people and groups, a dev and a prod account with the environment roles) planned offline
 * against freshly synthesized modules: it validates, plans, and each module instance holds what
 * its account should (people only in the identity account, the environment's roles only in its
 * own account, trusting the identity account).
 */
import * as path from "path";
import { MULTI_ACCOUNT, planExample, prepareExamples } from "../tools/access/examples";
import { planResources } from "../tools/offline-terraform";
import { moduleAccounts, planOfModules } from "../tools/attack/model";
import { describeTerraform, validate } from "../tools/terraform";

describeTerraform("examples/dev-prod/multi-account plans offline", () => {
  let root: string;
  let json: any;
  beforeAll(() => {
    root = prepareExamples();
    const r = planExample(root, MULTI_ACCOUNT);
    if (!r.ok) throw new Error(`terraform plan of examples/${MULTI_ACCOUNT} failed:\n${r.stderr}`);
    json = r.json;
  });

  it("terraform validate succeeds", () => {
    const v = JSON.parse(validate(path.join(root, "examples", MULTI_ACCOUNT)).stdout);
    expect({ valid: v.valid, diagnostics: v.diagnostics }).toEqual({ valid: true, diagnostics: [] });
  });

  it("people live in the identity account only; each environment's roles in its own account, trusting the identity account", () => {
    const rs = planResources(json).filter((r: any) => r.mode === "managed");
    const of = (module: string, type: string) => rs.filter((r: any) => r.address.startsWith(`module.${module}.`) && r.type === type);
    expect(
      of("identity", "aws_iam_user")
        .map((r: any) => r.values.name)
        .sort(),
    ).toEqual(["admin-fay", "ci-bot", "data-eli", "dev-ana", "ops-dee"]);
    expect([
      ...of("dev", "aws_iam_user"),
      ...of("prod", "aws_iam_user"),
      ...of("dev", "aws_iam_group"),
      ...of("prod", "aws_iam_group"),
    ]).toEqual([]);
    for (const [module, env, account] of [
      ["dev", "dev", "222222222222"],
      ["prod", "prod", "333333333333"],
    ] as const) {
      const roles = of(module, "aws_iam_role");
      expect(roles.map((r: any) => r.values.name).sort()).toEqual(
        ["automation", "data-team", "developer", "devops"].map((p) => `acme-${env}-${p}`),
      );
      for (const r of roles) {
        const principals = JSON.parse(r.values.assume_role_policy).Statement.map((s: any) => s.Principal.AWS);
        expect(principals.every((p: string) => p === "arn:aws:iam::111111111111:root")).toBe(true);
      }
      expect(json.variables[`${module}_account_id`].value).toBe(account);
    }
    expect(
      of("identity", "aws_iam_role")
        .map((r: any) => r.values.name)
        .sort(),
    ).toEqual(["acme-github-deploy", "acme-support"]);
  });

  it("the analysis reads each instance's account from its account_id input, and a bad one is refused by name", () => {
    expect(moduleAccounts(json)).toEqual([
      { accountId: "222222222222", modules: ["dev"] },
      { accountId: "111111111111", modules: ["identity"] },
      { accountId: "333333333333", modules: ["prod"] },
    ]);
    const prodOnly = planResources(planOfModules(json, ["prod"]));
    expect(prodOnly.length).toBeGreaterThan(0);
    expect(prodOnly.filter((r: any) => !r.address.startsWith("module.prod."))).toEqual([]);
    const bad = { ...json, variables: { ...json.variables, prod_account_id: { value: "prod" } } };
    expect(() => moduleAccounts(bad)).toThrow(
      'attack model: module.prod: account_id is not a 12-digit account known at plan time (got "prod")',
    );
  });
});

import { MODULE_IDS } from "../lib/module-interface";
import { moduleDir } from "./helpers/synth";
import { copyModule, describeTerraform, initAndValidate, plan, plannedResources, writeRoot } from "./helpers/terraform";
import { consumerRoot } from "./helpers/consumer";

describeTerraform("terraform init + validate on each synthesized module (offline mirror)", () => {
  it.each(MODULE_IDS)("%s is valid", (id) => {
    const dir = writeRoot({}, `validate-${id}`);
    copyModule(moduleDir(id), dir);
    const r = initAndValidate(dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it("catches a raw ${aws:username} in a policy (the fixture must fail validate)", () => {
    const dir = writeRoot({
      "main.tf.json": JSON.stringify({
        terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100, < 7.0" } } },
        resource: {
          aws_iam_policy: {
            broken: {
              name: "broken",
              policy:
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::*:user/${aws:username}"}]}',
            },
          },
        },
      }),
    });
    const r = initAndValidate(dir);
    expect(r.valid).toBe(false);
    expect(JSON.stringify(r.diagnostics)).toMatch(/interpolation|Invalid character|Extra characters/i);
  });
});

describeTerraform("a consumer root plans offline with the modules under count/for_each", () => {
  let result: ReturnType<typeof plan>;
  beforeAll(() => {
    result = plan(consumerRoot());
  });

  it("plans without error", () => {
    expect(result.stderr).toBe("");
    expect(result.ok).toBe(true);
  });

  it("has no warning about provider blocks or legacy modules", () => {
    expect(result.stdout + result.stderr).not.toMatch(/Warning|legacy|provider configuration/i);
  });

  it("plans resources inside the counted / for_each module instances", () => {
    const addresses = Object.keys(plannedResources(result.json!));
    expect(addresses.some((a) => a.startsWith("module.iam[0]."))).toBe(true);
    expect(addresses.some((a) => a.startsWith('module.lake["acme-lake"].'))).toBe(true);
    expect(addresses.some((a) => a.startsWith("module.org[0]."))).toBe(true);
  });
});

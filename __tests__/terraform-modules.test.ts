import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS, ModuleId } from "../lib/module-interface";
import { moduleDir, moduleJson } from "./helpers/synth";
import { copyModule, describeTerraform, initAndValidate, plan, plannedResources, writeRoot } from "./helpers/terraform";
import { consumerRoot } from "./helpers/consumer";

/**
 * Upgrade safety: the resource instance addresses a consumer's default plan contains
 * are pinned in __tests__/fixtures/resource-addresses.json. A refactor that renames
 * one (construct id, for_each key, count <-> for_each) would make every consumer's
 * next plan destroy and recreate it; that is only allowed with a `moved` block
 * (ModuleSpec.moved). New addresses must be added to the pin file in the same
 * change (UPDATE_ADDRESSES=1 npx jest terraform-modules), so reviewers see them.
 */
const PIN_FILE = path.join(__dirname, "fixtures", "resource-addresses.json");
const CALLS: Record<ModuleId, RegExp> = {
  "iam-baseline": /^module\.iam\[0\]\./,
  "data-lake": /^module\.lake\["acme-lake"\]\./,
  "org-scp": /^module\.org\[0\]\./,
};

/** Module-relative instance addresses per module, from a plan of the consumer root. */
function addressesByModule(planJson: any): Record<ModuleId, string[]> {
  const all = Object.keys(plannedResources(planJson)).filter((a) => !a.includes(".data."));
  const out = {} as Record<ModuleId, string[]>;
  for (const id of MODULE_IDS)
    out[id] = all
      .filter((a) => CALLS[id].test(a))
      .map((a) => a.replace(CALLS[id], ""))
      .sort();
  return out;
}

/** `aws_x.name["key"]` -> `aws_x.name` */
const blockOf = (address: string) => address.replace(/\[[^\]]*\]$/, "");

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

  describe("resource addresses of the default configuration are pinned", () => {
    let current: Record<ModuleId, string[]>;
    beforeAll(() => {
      current = addressesByModule(result.json);
      if (process.env.UPDATE_ADDRESSES === "1") fs.writeFileSync(PIN_FILE, JSON.stringify(current, null, 2) + "\n");
    });

    it.each(MODULE_IDS)("%s: no pinned address disappears without a moved block", (id) => {
      const pinned: string[] = JSON.parse(fs.readFileSync(PIN_FILE, "utf8"))[id];
      const moved: { from: string; to: string }[] = moduleJson(id).moved ?? [];
      const gone = pinned.filter((a) => !current[id].includes(a) && !moved.some((m) => m.from === a || m.from === blockOf(a)));
      expect(gone).toEqual([]);
    });

    it.each(MODULE_IDS)("%s: every current address is pinned (review new resources; UPDATE_ADDRESSES=1 to record)", (id) => {
      const pinned: string[] = JSON.parse(fs.readFileSync(PIN_FILE, "utf8"))[id];
      expect(current[id].filter((a) => !pinned.includes(a))).toEqual([]);
    });

    it("the check notices a rename: a pinned address missing from a plan is reported", () => {
      const pinned: string[] = JSON.parse(fs.readFileSync(PIN_FILE, "utf8"))["iam-baseline"];
      const renamed = current["iam-baseline"].map((a) =>
        a.replace("aws_iam_account_password_policy.password_policy", "aws_iam_account_password_policy.this"),
      );
      expect(pinned.filter((a) => !renamed.includes(a))).toEqual(["aws_iam_account_password_policy.password_policy"]);
    });
  });
});

import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS, ModuleId } from "../lib/module-interface";
import { checkAndUpdatePins, readPins, unexplainedRemovals, unpinned } from "../tools/pins";
import { moduleDir, moduleJson, tempDir } from "./helpers/synth";
import { copyModule, describeTerraform, initAndValidate, plan, plannedResources, writeRoot } from "../tools/terraform";
import { consumerRoot } from "./helpers/consumer";

/**
 * Upgrade safety: the resource instance addresses a consumer's default plan contains
 * are pinned in __tests__/fixtures/resource-addresses.json. A refactor that renames
 * one (construct id, for_each key, count <-> for_each) would make every consumer's
 * next plan destroy and recreate it; that is only allowed with a `moved` block
 * (ModuleSpec.moved). New addresses must be added to the pin file in the same
 * change (UPDATE_ADDRESSES=1 npx jest terraform-modules), so reviewers see them; that mode
 * checks removals against the committed pins first and never records one (tools/pins.ts).
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
    let removals: Record<string, string[]>;
    beforeAll(() => {
      current = addressesByModule(result.json);
      // Removals are checked against the committed pins before the update mode may rewrite them.
      removals = checkAndUpdatePins(
        PIN_FILE,
        current,
        (id) => moduleJson(id as ModuleId).moved ?? [],
        process.env.UPDATE_ADDRESSES === "1",
      );
    });

    it.each(MODULE_IDS)("%s: no pinned address disappears without a moved block", (id) => {
      expect(removals[id] ?? []).toEqual([]);
    });

    it.each(MODULE_IDS)("%s: every current address is pinned (review new resources; UPDATE_ADDRESSES=1 to record)", (id) => {
      expect(unpinned(readPins(PIN_FILE)[id], current[id])).toEqual([]);
    });

    it("the check notices a rename: a pinned address missing from a plan is reported unless a moved block explains it", () => {
      const pinned = readPins(PIN_FILE)["iam-baseline"];
      const renamed = current["iam-baseline"].map((a) =>
        a.replace("aws_iam_account_password_policy.password_policy", "aws_iam_account_password_policy.this"),
      );
      expect(unexplainedRemovals(pinned, renamed)).toEqual(["aws_iam_account_password_policy.password_policy"]);
      const moved = [{ from: "aws_iam_account_password_policy.password_policy", to: "aws_iam_account_password_policy.this" }];
      expect(unexplainedRemovals(pinned, renamed, moved)).toEqual([]);
    });

    it("the update mode cannot record a rename away: the pins stay as committed and the removal is reported", () => {
      const file = path.join(tempDir("address-pins"), "resource-addresses.json");
      fs.copyFileSync(PIN_FILE, file);
      const renamed = {
        ...current,
        "org-scp": current["org-scp"].map((a) =>
          a.replace("aws_organizations_organizational_unit.ou", "aws_organizations_organizational_unit.this"),
        ),
      };
      expect(checkAndUpdatePins(file, renamed, () => [], true)).toEqual({ "org-scp": ["aws_organizations_organizational_unit.ou[0]"] });
      expect(fs.readFileSync(file, "utf8")).toBe(fs.readFileSync(PIN_FILE, "utf8"));
    });
  });
});

import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS } from "../lib/module-interface";
import { moduleDir } from "./helpers/synth";
import { describeTerraform, init, tf, writeRoot } from "../tools/terraform";

/**
 * Every synthesized module ships `tests/*.tftest.hcl` (copied from modules/<id>/tests/ at synth)
 * that a consumer runs with `terraform test` in the module directory: a mocked AWS provider, no
 * credentials, no network. Here they run exactly so, offline, in a copy of each synthesized module.
 */

function copyDir(src: string, dest: string): void {
  fs.cpSync(src, dest, { recursive: true, filter: (s) => !path.basename(s).startsWith(".terraform") });
}

/** A copy of the synthesized module, initialized offline. */
function preparedModule(id: string): string {
  const dir = writeRoot({}, `tftest-${id}`);
  copyDir(moduleDir(id as any), dir);
  const r = init(dir);
  if (!r.ok) throw new Error(`terraform init in ${dir} failed:\n${r.stderr}`);
  return dir;
}

describe("every synthesized module ships its terraform tests and the licence", () => {
  it.each(MODULE_IDS)("%s has tests/*.tftest.hcl with mock_provider, refusals and LICENSE", (id) => {
    const dir = moduleDir(id);
    const tests = fs.readdirSync(path.join(dir, "tests")).filter((f) => f.endsWith(".tftest.hcl"));
    expect(tests.length).toBeGreaterThan(0);
    const text = tests.map((f) => fs.readFileSync(path.join(dir, "tests", f), "utf8")).join("\n");
    expect(text).toMatch(/mock_provider "aws"/);
    expect(text).toMatch(/expect_failures\s*=\s*\[var\./);
    expect(text).not.toMatch(/\bseed\b|DESIGN/i);
    // the shipped copies are the sources, byte for byte
    for (const f of tests)
      expect(fs.readFileSync(path.join(dir, "tests", f), "utf8")).toBe(
        fs.readFileSync(path.join(__dirname, "..", "modules", id, "tests", f), "utf8"),
      );
    expect(fs.readFileSync(path.join(dir, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0/);
  });
});

describeTerraform("terraform test in every synthesized module (mocked provider, offline)", () => {
  it.each(MODULE_IDS)("%s: terraform test passes", (id) => {
    const dir = preparedModule(id);
    const r = tf(dir, ["test"]);
    const runs = (r.stdout.match(/run "[^"]+"\.\.\. pass/g) ?? []).length;
    if (!r.ok) throw new Error(`terraform test in ${id} failed:\n${r.stdout}\n${r.stderr}`);
    expect(r.stdout).toMatch(new RegExp(`Success! ${runs} passed, 0 failed\\.`));
    expect(runs).toBeGreaterThanOrEqual(8);
    const fmt = tf(dir, ["fmt", "-check", "-recursive", "tests"]);
    expect(`terraform fmt -check: ${fmt.ok ? "ok" : fmt.stdout + fmt.stderr}`).toBe("terraform fmt -check: ok");
  });

  it("fails on a wrong assertion and on a refusal that does not happen (canary)", () => {
    const dir = preparedModule("org-scp");
    fs.writeFileSync(
      path.join(dir, "tests", "canary.tftest.hcl"),
      `mock_provider "aws" {}
variables {
  parent_id = "r-ab12"
}
run "wrong_assertion" {
  command = plan
  assert {
    condition     = length(aws_organizations_organizational_unit.ou) == 0
    error_message = "canary: the OU is created by default, so this must fail"
  }
}
run "refusal_that_does_not_happen" {
  command = plan
  variables {
    allowed_regions = ["eu-west-1"]
  }
  expect_failures = [var.allowed_regions]
}
`,
    );
    const r = tf(dir, ["test", "-filter=tests/canary.tftest.hcl"]);
    expect(r.ok).toBe(false);
    expect(r.stdout + r.stderr).toMatch(/0 passed, 2 failed/);
    expect(r.stdout + r.stderr).toMatch(/canary: the OU is created by default/);
  });
});

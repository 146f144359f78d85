import { spawnSync } from "child_process";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { skipBanners, terraformSuites } = require("./helpers/terraform-skip");

/**
 * Without terraform (or without the provider mirror) the terraform suites skip, and the run says so
 * loudly: one banner per skipped layer after jest's summary, which jest does not hide (it hides the
 * console output of all-skipped suites). With CI=true they fail instead (describeTerraform).
 */

describe("skip banners", () => {
  const suites = terraformSuites();

  it("finds the terraform suites", () => {
    expect(suites.map((s: { file: string }) => s.file)).toEqual(
      expect.arrayContaining(["terraform-modules.test.ts", "terraform-test.test.ts", "access-matrix.test.ts"]),
    );
  });

  it("one banner per skipped layer, naming the reason, the suites and the fix", () => {
    const banners: string[] = skipBanners({ ok: false, why: "no hashicorp/aws provider mirror at /x" }, suites);
    expect(banners).toHaveLength(2);
    expect(banners[0]).toMatch(/SKIPPED: TERRAFORM LAYER/);
    expect(banners[1]).toMatch(/SKIPPED: IAM SIMULATION LAYER/);
    for (const b of banners) {
      expect(b).toMatch(/why: +no hashicorp\/aws provider mirror at \/x/);
      expect(b).toMatch(/scripts\/build-provider-mirror\.sh/);
    }
    expect(banners[1]).toMatch(/access-matrix\.test\.ts/);
    expect(banners[1]).not.toMatch(/terraform-test\.test\.ts/);
  });

  it("no banner when terraform and the mirror are there, nor for a layer with no suite in the run", () => {
    expect(skipBanners({ ok: true, version: "1.11.4" }, suites)).toEqual([]);
    const only = suites.filter((s: { file: string }) => s.file === "terraform-test.test.ts");
    expect(skipBanners({ ok: false, why: "x" }, only)).toHaveLength(1);
  });

  it("jest --ci shows the banner when terraform is missing (a real run of a skipped suite)", () => {
    const root = path.join(__dirname, "..");
    const r = spawnSync(
      process.execPath,
      [require.resolve("jest/bin/jest"), "--ci", "__tests__/terraform-modules.test.ts", "-t", "is valid"],
      { cwd: root, encoding: "utf8", env: { ...process.env, TERRAFORM_BIN: "/nonexistent/terraform", CI: "false" } },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Tests: +\d+ skipped/);
    expect(r.stderr).toMatch(
      /SKIPPED: TERRAFORM LAYER[^]*terraform binary "\/nonexistent\/terraform" not runnable[^]*suites: terraform-modules\.test\.ts/,
    );
    expect(r.stderr).not.toMatch(/IAM SIMULATION LAYER/);
  });
});

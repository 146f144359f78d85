import * as fs from "fs";
import * as path from "path";

/**
 * Files shipped in every synthesized module directory besides its Terraform JSON and README:
 * the module's `terraform test` files (modules/<id>/tests/*.tftest.hcl, run by consumers with a
 * mocked provider, no credentials, no network) and the licence.
 */
const ROOT = [path.join(__dirname, ".."), path.join(__dirname, "..", "..")].find((p) => fs.existsSync(path.join(p, "LICENSE")));

/** Copies the module's tests into `<dir>/tests/` and LICENSE into `<dir>`; returns the copied paths (relative). */
export function copyModuleFiles(id: string, dir: string): string[] {
  if (!ROOT) throw new Error("LICENSE not found next to the generator; it must ship with every module");
  const copied: string[] = [];
  fs.copyFileSync(path.join(ROOT, "LICENSE"), path.join(dir, "LICENSE"));
  copied.push("LICENSE");
  const testsDir = path.join(ROOT, "modules", id, "tests");
  const tests = fs.existsSync(testsDir)
    ? fs
        .readdirSync(testsDir)
        .filter((f) => f.endsWith(".tftest.hcl"))
        .sort()
    : [];
  if (tests.length) fs.mkdirSync(path.join(dir, "tests"), { recursive: true });
  for (const f of tests) {
    fs.copyFileSync(path.join(testsDir, f), path.join(dir, "tests", f));
    copied.push(`tests/${f}`);
  }
  return copied;
}

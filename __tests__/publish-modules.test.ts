import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS } from "../lib/module-interface";
import { moduleDir, tempDir } from "./helpers/synth";

/**
 * The release's publishing step (scripts/publish-modules.sh), run for real against a local bare
 * repository: two releases, a rerun of each, a refused rewrite of a published tag, and the
 * published tree limited to the module directories with README, tests, LICENSE and CHANGELOG.
 */

const SCRIPT = path.join(__dirname, "..", "scripts", "publish-modules.sh");
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

function git(cwd: string, args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", env: GIT_ENV });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function publish(version: string, stacks: string, remote: string, dist?: string) {
  const r = spawnSync("bash", [SCRIPT, version, stacks, remote, ...(dist ? [dist] : [])], { encoding: "utf8", env: GIT_ENV });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

/** A copy of the synthesized modules, with the clutter a build directory may hold. */
function stacksCopy(): string {
  const stacks = path.join(tempDir("stacks"), "stacks");
  for (const id of MODULE_IDS) fs.cpSync(moduleDir(id), path.join(stacks, id), { recursive: true });
  for (const id of MODULE_IDS) {
    fs.mkdirSync(path.join(stacks, id, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(stacks, id, ".terraform", "x"), "provider cache");
    fs.writeFileSync(path.join(stacks, id, ".terraform.lock.hcl"), "# lock");
    fs.writeFileSync(path.join(stacks, id, "terraform.tfstate"), "{}");
  }
  fs.mkdirSync(path.join(stacks, ".github", "workflows"), { recursive: true });
  fs.writeFileSync(path.join(stacks, ".github", "workflows", "ci.yml"), "name: ci");
  fs.mkdirSync(path.join(stacks, ".ci"), { recursive: true });
  fs.writeFileSync(path.join(stacks, ".ci", "run"), "npm test");
  return stacks;
}

const branchFiles = (bare: string, ref: string) => git(bare, ["ls-tree", "-r", "--name-only", ref]).split("\n").sort();

describe("publish-modules.sh against a bare repository", () => {
  const bare = path.join(tempDir("remote"), "modules.git");
  let stacks: string;
  beforeAll(() => {
    git(path.dirname(bare), ["init", "-q", "--bare", bare]);
    stacks = stacksCopy();
  });

  it("publishes release 0.1.0: branch and tag, only the module directories", () => {
    const dist = tempDir("dist");
    const r = publish("0.1.0", stacks, bare, dist);
    expect(r.out).toMatch(/published .* as modules-v0\.1\.0/);
    expect(r.ok).toBe(true);
    expect(git(bare, ["rev-parse", "modules-v0.1.0^{commit}"])).toBe(git(bare, ["rev-parse", "modules"]));
    const files = branchFiles(bare, "modules");
    const expected = ["CHANGELOG.md", "LICENSE", "README.md"];
    for (const id of MODULE_IDS) {
      expected.push(`${id}/CHANGELOG.md`, `${id}/LICENSE`, `${id}/README.md`, `${id}/cdk.tf.json`);
      for (const f of fs.readdirSync(path.join(moduleDir(id), "tests"))) expected.push(`${id}/tests/${f}`);
    }
    expect(files).toEqual(expected.sort());
    expect(files.filter((f) => f.split("/").some((p) => p.startsWith(".")))).toEqual([]);
    expect(git(bare, ["show", "modules-v0.1.0:iam-baseline/cdk.tf.json"])).toBe(
      fs.readFileSync(path.join(moduleDir("iam-baseline"), "cdk.tf.json"), "utf8").trim(),
    );
    expect(git(bare, ["show", "modules-v0.1.0:org-scp/LICENSE"])).toMatch(/Apache License/);
    expect(fs.readdirSync(dist).sort()).toEqual(MODULE_IDS.map((id) => `${id}-v0.1.0.tar.gz`).sort());
  });

  it("reruns release 0.1.0 without change", () => {
    const before = git(bare, ["rev-parse", "modules"]);
    const r = publish("0.1.0", stacks, bare);
    expect(r.out).toMatch(/already published with this content/);
    expect(r.ok).toBe(true);
    expect(git(bare, ["rev-parse", "modules"])).toBe(before);
  });

  it("publishes release 0.2.0 as a fast-forward of 0.1.0, and reruns it", () => {
    const first = git(bare, ["rev-parse", "modules"]);
    const readme = path.join(stacks, "data-lake", "README.md");
    fs.writeFileSync(readme, fs.readFileSync(readme, "utf8") + "\nChanged in 0.2.0.\n");
    const r = publish("0.2.0", stacks, bare);
    expect(r.out).toMatch(/as modules-v0\.2\.0/);
    expect(r.ok).toBe(true);
    const second = git(bare, ["rev-parse", "modules"]);
    expect(second).not.toBe(first);
    expect(git(bare, ["rev-parse", `${second}^`])).toBe(first);
    expect(git(bare, ["rev-parse", "modules-v0.2.0^{commit}"])).toBe(second);
    expect(git(bare, ["rev-parse", "modules-v0.1.0^{commit}"])).toBe(first);
    expect(git(bare, ["show", "modules-v0.2.0:data-lake/README.md"])).toMatch(/Changed in 0\.2\.0\./);

    const rerun = publish("0.2.0", stacks, bare);
    expect(rerun.ok).toBe(true);
    expect(git(bare, ["rev-parse", "modules"])).toBe(second);
  });

  it("refuses to move a published tag to different content", () => {
    const r = publish("0.1.0", stacks, bare);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/modules-v0\.1\.0 is already published with different content/);
  });

  it("refuses a malformed version", () => {
    const r = publish("1.0", stacks, bare);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/version "1\.0" is not X\.Y\.Z/);
  });
});

/**
 * The entry point `cdktf synth` runs (cdktf.json: `node scripts/run-app.js`): the esbuild bundle
 * dist/app.js (scripts/build-app.js), rebuilt when its content-hash stamp (scripts/build-hash.js)
 * does not match the sources. The other suites test the sources in-process through ts-jest; this
 * one proves the bundle is the same program and is never stale.
 *
 * Every run happens in a temporary copy of the project (node_modules linked), so the real dist/
 * is never touched and no test depends on what ran before it. GUARDRAIL_BUILD_DEBUG=1 makes the
 * entry point say how it got its bundle (fresh, built, waited, built-in-memory).
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../app/synthesize";
import { DEFAULT_OPTIONS } from "../lib/config";
import { filesOf, tempDir } from "./helpers/synth";

const root = path.join(__dirname, "..");
const PROJECT_FILES = [
  "main.ts",
  "LICENSE",
  "app",
  "lib",
  "modules",
  "scripts",
  "templates",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
const OLD = new Date("2001-01-01T00:00:00Z");
const { buildApp } = require("../scripts/build-app") as { buildApp: (root: string) => { code: string; metafile: any } };

/** A copy of the project's sources with node_modules linked (or given). */
function projectCopy(name: string, nodeModules = path.join(root, "node_modules")): string {
  const copy = tempDir(name);
  for (const f of PROJECT_FILES) fs.cpSync(path.join(root, f), path.join(copy, f), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(nodeModules, path.join(copy, "node_modules"));
  return copy;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outdir: string;
  how: string | undefined;
}

const runEnv = (outdir: string, env: Record<string, string> = {}) => {
  const { GUARDRAILS_CONFIG: _ignored, ...base } = process.env;
  return { ...base, CDKTF_OUTDIR: outdir, GUARDRAIL_BUILD_DEBUG: "1", ...env };
};
const result = (r: { status: number | null; stdout: string; stderr: string }, outdir: string): Run => ({
  ...r,
  outdir,
  how: r.stderr.match(/^build: ([\w-]+)$/m)?.[1],
});

/** `node scripts/run-app.js` of a copy, from a clean working directory (so no guardrails.config.json). */
function runApp(copy: string, env: Record<string, string> = {}, uid?: number): Run {
  const cwd = tempDir("entry-cwd");
  const outdir = path.join(cwd, "out");
  if (uid !== undefined) fs.chmodSync(cwd, 0o777);
  const r = spawnSync(process.execPath, [path.join(copy, "scripts", "run-app.js")], {
    cwd,
    env: runEnv(outdir, env),
    encoding: "utf8",
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  return result(r, outdir);
}

function runAppAsync(copy: string): Promise<Run> {
  const cwd = tempDir("entry-cwd");
  const outdir = path.join(cwd, "out");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(copy, "scripts", "run-app.js")], { cwd, env: runEnv(outdir) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve(result({ status, stdout, stderr }, outdir)));
  });
}

/** Writes `content` to `file` and gives it an old mtime, as `cp -p`, `rsync -a` or `tar x` would. */
function writeWithOldMtime(file: string, content: string): void {
  fs.writeFileSync(file, content);
  fs.utimesSync(file, OLD, OLD);
}

/** What the sources synthesize in-process, for comparison. */
let expected: Record<string, string>;
beforeAll(() => {
  expected = filesOf(synthesize(DEFAULT_OPTIONS, path.join(tempDir("entry-ref"), "out")).outdir);
  expect(Object.keys(expected)).toEqual(expect.arrayContaining(["stacks/iam-baseline/cdk.tf.json", "stacks/org-scp/README.md"]));
});

describe("the app entry point builds when needed and writes what the sources synthesize", () => {
  let copy: string;
  beforeAll(() => {
    copy = projectCopy("entry");
  });

  it("20 concurrent synths from a stale build all succeed with identical output; one of them builds", async () => {
    fs.rmSync(path.join(copy, "dist"), { recursive: true, force: true });
    const runs = await Promise.all(Array.from({ length: 20 }, () => runAppAsync(copy)));
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Synthesized 3 modules/);
      expect(filesOf(r.outdir)).toEqual(expected);
    }
    expect(runs.filter((r) => r.how === "built")).toHaveLength(1);
    expect(runs.every((r) => ["built", "waited", "fresh"].includes(r.how!))).toBe(true);
    expect(fs.readdirSync(path.join(copy, "dist")).filter((f) => f.endsWith(".tmp") || f === ".build-lock")).toEqual([]);
  });

  it("reuses a current bundle without building, with identical output", () => {
    if (!fs.existsSync(path.join(copy, "dist", "app.js"))) expect(runApp(copy).status).toBe(0);
    const again = runApp(copy);
    expect(again.status).toBe(0);
    expect(again.how).toBe("fresh");
    expect(filesOf(again.outdir)).toEqual(expected);
  });

  it("an edit that carries an old mtime is synthesized, and so is its restored original; traces point at the TypeScript line", () => {
    const main = path.join(copy, "main.ts");
    const original = fs.readFileSync(main, "utf8");
    expect(runApp(copy).status).toBe(0); // a current bundle first
    // An unexpected error at a known line of main.ts, written with a 2001 mtime.
    const line = original.split("\n").length + 1;
    writeWithOldMtime(main, `${original}\nthrow new Error("unexpected failure for the trace test");\n`);
    const edited = runApp(copy);
    expect(edited.how).toBe("built");
    expect(edited.status).toBe(1);
    expect(edited.stderr).toContain("unexpected failure for the trace test");
    expect(edited.stderr).toContain(`${main}:${line}:`);
    expect(edited.stderr).not.toMatch(/dist\/app\.js:\d+/);
    // The original back, again with an old mtime (as a `git stash pop` of a cached file would).
    writeWithOldMtime(main, original);
    const restored = runApp(copy);
    expect(restored.how).toBe("built");
    expect(restored.status).toBe(0);
    expect(filesOf(restored.outdir)).toEqual(expected);
  });

  it("bad generator options exit 1 with the field and the rule, not a stack trace", () => {
    const config = path.join(tempDir("entry-config"), "guardrails.config.json");
    fs.writeFileSync(config, JSON.stringify({ modules: ["iam-baseline", "nope"] }));
    const bad = runApp(copy, { GUARDRAILS_CONFIG: config });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/modules/);
    expect(bad.stderr).toMatch(/nope/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("a node_modules replaced under a current bundle (npm ci)", () => {
  // A node_modules of links to the real packages, except one package the app imports (and the
  // bundle contains) that is a real copy.
  const PACKAGE = "handlebars";
  let copy: string;
  let file: string;
  beforeAll(() => {
    const modules = tempDir("entry-node-modules");
    const real = path.join(root, "node_modules");
    for (const e of fs.readdirSync(real))
      if (e === PACKAGE)
        fs.cpSync(path.join(real, e), path.join(modules, e), { recursive: true, preserveTimestamps: true, dereference: true });
      else fs.symlinkSync(path.join(real, e), path.join(modules, e));
    copy = projectCopy("entry-npm-ci", modules);
    file = path.join(modules, PACKAGE, "lib", "index.js");
    expect(runApp(copy).how).toBe("built");
    expect(fs.readFileSync(path.join(copy, "dist", "app.js"), "utf8")).toContain(`${path.basename(modules)}/${PACKAGE}/lib/index.js`);
  });

  it("the same bytes reinstalled (new inode and ctime) are recognised by their content: no rebuild", () => {
    const content = fs.readFileSync(file);
    fs.rmSync(file);
    fs.writeFileSync(file, content);
    const r = runApp(copy);
    expect(r.status).toBe(0);
    expect(r.how).toBe("fresh");
    expect(filesOf(r.outdir)).toEqual(expected);
  });

  it("a bundled dependency whose content changed, even with an old mtime, is rebuilt into the bundle", () => {
    writeWithOldMtime(file, fs.readFileSync(file, "utf8") + '\nglobalThis.reinstalledRelease = "a different release";\n');
    const r = runApp(copy);
    expect(r.status).toBe(0);
    expect(r.how).toBe("built");
    expect(fs.readFileSync(path.join(copy, "dist", "app.js"), "utf8")).toContain('reinstalledRelease="a different release"');
    expect(filesOf(r.outdir)).toEqual(expected);
  });
});

describe("a dist/ that cannot be written", () => {
  it("does not fail the synth: the app is built and run in memory, dist/ stays untouched", () => {
    const copy = projectCopy("entry-readonly");
    const dist = path.join(copy, "dist");
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, "app.js"), "// a stale bundle from another build\n");
    fs.chmodSync(dist, 0o555);
    // Root writes through file modes: then the synth runs as an unprivileged user, for whom the
    // copy is readable and only the output directory writable.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    if (uid !== undefined) fs.chmodSync(copy, 0o755);
    const r = runApp(copy, {}, uid);
    expect(r.stderr).toMatch(/note: dist\/ is not writable; running the app from memory/);
    expect(r.how).toBe("built-in-memory");
    expect(r.status).toBe(0);
    expect(filesOf(r.outdir)).toEqual(expected);
    expect(fs.readdirSync(dist)).toEqual(["app.js"]);
    expect(fs.readFileSync(path.join(dist, "app.js"), "utf8")).toBe("// a stale bundle from another build\n");
  });
});

describe("type errors and the bundle's contents", () => {
  it("a type error stops the build with tsc's message: nothing is bundled or synthesized", () => {
    const copy = projectCopy("entry-typeerror");
    fs.appendFileSync(path.join(copy, "lib", "config.ts"), '\nexport const broken: number = "not a number";\n');
    const r = runApp(copy);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/lib\/config\.ts.*TS2322/);
    expect(r.stderr).toMatch(/The app's TypeScript has errors \(above\); the bundle was not rebuilt\./);
    expect(fs.existsSync(path.join(copy, "dist", "app.js"))).toBe(false);
    expect(fs.existsSync(r.outdir)).toBe(false);
    expect(fs.existsSync(path.join(copy, "dist", ".build-lock"))).toBe(false);
  });

  it("leaves the IAM action catalog external, and stubs archiver exactly where the CDKTF library imports it", () => {
    const { code, metafile } = buildApp(root);
    expect(code).toMatch(/require\.resolve\("@cloud-copilot\/iam-data"\)/);
    const inputs = Object.entries<any>(metafile.inputs);
    // The real archiver and its stream dependencies are never bundled.
    expect(inputs.map(([f]) => f).filter((f) => /node_modules\/(archiver|archiver-utils|zip-stream)\//.test(f))).toEqual([]);
    const importers = inputs.filter(([, i]) => i.imports.some((x: any) => x.original === "archiver")).map(([f]) => f);
    if (importers.length > 0) {
      // The library loads archiver eagerly: the bundle carries the stub that throws if it is ever used.
      expect(inputs.map(([f]) => f)).toContain("scripts/stubs/archiver.js");
      expect(code).toMatch(/archiver is not bundled/);
    } else {
      expect(code).not.toMatch(/archiver is not bundled/);
    }
  });
});

/**
 * The entry point `cdktf synth` runs (cdktf.json: `node scripts/run-app.js`): the esbuild
 * bundle dist/app.js (scripts/build-app.js) run with a V8 code cache. The other suites test
 * the sources in-process through ts-jest; this one proves the bundle is the same program.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../lib/app";
import { DEFAULT_OPTIONS } from "../lib/config";
import { filesOf, tempDir } from "./helpers/synth";

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const bundle = path.join(dist, "app.js");
const stamp = path.join(dist, ".build-stamp");
const codeCache = path.join(dist, "app.js.v8cache");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outdir: string;
  cache: string | undefined;
}

/** `node scripts/run-app.js` from a clean working directory (so no guardrails.config.json). */
function runApp(env: Record<string, string> = {}): Run {
  const outdir = tempDir("entry");
  const { GUARDRAILS_CONFIG: _ignored, ...base } = process.env;
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "run-app.js")], {
    cwd: outdir,
    env: { ...base, CDKTF_OUTDIR: path.join(outdir, "out"), GUARDRAIL_CODE_CACHE_DEBUG: "1", ...env },
    encoding: "utf8",
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outdir: path.join(outdir, "out"),
    cache: r.stderr.match(/^code cache: (\w+)$/m)?.[1],
  };
}

describe("the app entry point (bundle + code cache)", () => {
  let first: Run;
  beforeAll(() => {
    // Force a rebuild as after a source change: an old stamp makes every source newer.
    if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(0), new Date(0));
    first = runApp();
  });

  it("rebuilds the bundle when a source is newer than the last build, and drops the old code cache", () => {
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(fs.statSync(stamp).mtimeMs).toBeGreaterThan(Date.now() - 10 * 60 * 1000);
    expect(first.cache).toBe("none");
    expect(fs.existsSync(codeCache)).toBe(true);
  });

  it("writes byte for byte what the sources synthesize in-process (modules, READMEs, manifest)", () => {
    const inProcess = synthesize(DEFAULT_OPTIONS, path.join(tempDir("entry-ref"), "out"));
    const expected = filesOf(inProcess.outdir);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(["stacks/iam-baseline/cdk.tf.json", "stacks/org-scp/README.md"]));
    expect(filesOf(first.outdir)).toEqual(expected);
    expect(first.stdout).toMatch(/^Synthesized 3 modules/);
  });

  it("reuses the code cache on the next run, with identical output", () => {
    const again = runApp();
    expect(again.status).toBe(0);
    expect(again.cache).toBe("accepted");
    expect(filesOf(again.outdir)).toEqual(filesOf(first.outdir));
  });

  it("a damaged code cache is rejected, the run still succeeds, and a valid cache replaces it", () => {
    fs.writeFileSync(codeCache, Buffer.alloc(4096, 7));
    const damaged = runApp();
    expect(damaged.status).toBe(0);
    expect(damaged.cache).toBe("rejected");
    expect(filesOf(damaged.outdir)).toEqual(filesOf(first.outdir));
    expect(runApp().cache).toBe("accepted");
  });

  it("bad generator options exit 1 with the field and the rule, not a stack trace, and save no code cache", () => {
    const config = path.join(tempDir("entry-config"), "guardrails.config.json");
    fs.writeFileSync(config, JSON.stringify({ modules: ["iam-baseline", "nope"] }));
    fs.rmSync(codeCache);
    const bad = runApp({ GUARDRAILS_CONFIG: config });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/modules/);
    expect(bad.stderr).toMatch(/nope/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect(bad.cache).toBe("none");
    expect(fs.existsSync(codeCache)).toBe(false);
  });

  it("a type error stops the build with tsc's message: nothing is bundled or synthesized", () => {
    // A copy of the app's sources (node_modules linked) with one type error in lib/.
    const copy = tempDir("entry-typeerror");
    for (const f of [
      "main.ts",
      "lib",
      "modules",
      "scripts",
      "templates",
      "tsconfig.json",
      "tsconfig.build.json",
      "package.json",
      "package-lock.json",
    ])
      fs.cpSync(path.join(root, f), path.join(copy, f), { recursive: true });
    fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
    fs.appendFileSync(path.join(copy, "lib", "app.ts"), '\nexport const broken: number = "not a number";\n');
    const r = spawnSync(process.execPath, [path.join(copy, "scripts", "run-app.js")], {
      cwd: copy,
      env: { ...process.env, CDKTF_OUTDIR: path.join(copy, "out") },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/lib\/app\.ts.*TS2322/);
    expect(r.stderr).toMatch(/The app's TypeScript has errors \(above\); the bundle was not rebuilt\./);
    expect(fs.existsSync(path.join(copy, "dist", "app.js"))).toBe(false);
    expect(fs.existsSync(path.join(copy, "out"))).toBe(false);
  });

  it("the bundle leaves the IAM action catalog external and stubs archiver, which cdktf loads only for assets", () => {
    const code = fs.readFileSync(bundle, "utf8");
    expect(code).toMatch(/require\.resolve\("@cloud-copilot\/iam-data"\)/);
    expect(code).toMatch(/archiver is not bundled/);
    expect(code).not.toMatch(/ZipStream|archiver-utils/);
  });
});

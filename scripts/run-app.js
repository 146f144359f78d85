#!/usr/bin/env node
// The app as cdktf runs it (cdktf.json "app"). When a source the bundle includes (main.ts, lib/,
// modules/; templates stay outside) is newer than the last build, it type-checks the app (tsc
// --noEmit) and rebuilds dist/app.js (scripts/build-app.js). Then it runs the bundle with a V8
// code cache:
//  - The first run after a build compiles the bundle and, when the app succeeds, saves V8's
//    compiled code for every function it ran to dist/app.js.v8cache (written to a temporary
//    file, then renamed, so concurrent runs never read half a cache).
//  - Later runs hand that cache to V8 and skip most parsing and compiling. V8 checks the cache
//    against the source and its own version and flags; a stale or damaged cache is rejected,
//    the run compiles normally and a fresh cache replaces it.
// GUARDRAIL_CODE_CACHE_DEBUG=1 reports on stderr whether the cache was none/accepted/rejected.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Module = require("module");

const root = path.join(__dirname, "..");
const bundle = path.join(root, "dist", "app.js");
const stamp = path.join(root, "dist", ".build-stamp");
const cacheFile = bundle + ".v8cache";
const SOURCES = [
  "main.ts",
  "lib",
  "modules",
  "scripts/build-app.js",
  "scripts/stubs",
  "tsconfig.json",
  "tsconfig.build.json",
  "package-lock.json",
];

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return /\.(ts|js|json)$/.test(p) ? st.mtimeMs : 0;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function ensureBuilt() {
  const built = fs.existsSync(bundle) && fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : -1;
  const sources = SOURCES.map((s) => path.join(root, s)).filter((p) => fs.existsSync(p));
  if (built >= Math.max(...sources.map(newest))) return;
  // esbuild only strips types, so a rebuild type-checks first, as `cdktf synth` always has.
  const check = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", path.join(root, "tsconfig.build.json")],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (check.status !== 0) fail("The app's TypeScript has errors (above); the bundle was not rebuilt.");
  try {
    require("./build-app").buildApp();
  } catch {
    fail("esbuild could not bundle the app (errors above).");
  }
  fs.rmSync(cacheFile, { force: true });
  fs.writeFileSync(stamp, new Date().toISOString() + "\n");
}

/** Runs `file` as the main CommonJS module, compiled with `cacheFile`'s code when V8 accepts it. */
function runWithCodeCache(file) {
  const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (process.env.GUARDRAIL_CODE_CACHE_DEBUG)
    process.stderr.write(`code cache: ${!cachedData ? "none" : script.cachedDataRejected ? "rejected" : "accepted"}\n`);
  if (!cachedData || script.cachedDataRejected) {
    process.on("exit", (code) => {
      if (code !== 0) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    });
  }
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  const localRequire = Module.createRequire(file);
  script.runInThisContext()(mod.exports, localRequire, mod, file, path.dirname(file));
}

ensureBuilt();
runWithCodeCache(bundle);

#!/usr/bin/env node
/**
 * The app as cdktf runs it (cdktf.json "app"): the esbuild bundle dist/app.js, rebuilt first when
 * its build stamp does not match the sources (scripts/build-hash.js: content hashes, not mtimes).
 *
 * - A rebuild type-checks (tsc --noEmit; esbuild only strips types) and bundles
 *   (scripts/build-app.js), then renames the new files into dist/ (never half-written).
 * - Concurrent synths of a stale build take turns through a lock directory (dist/.build-lock): one
 *   builds, the others wait and then run its bundle. A lock left by a process that died is broken.
 * - A dist/ that cannot be written (read-only checkout, another user's files) does not fail the
 *   synth: the app is built and run in memory, with a note on stderr.
 * - The stack trace of an unexpected error points at the TypeScript sources: its frames in the
 *   bundle are mapped through dist/app.js.map when the error escapes, so a synth that succeeds
 *   never pays for reading the map (Node's --enable-source-maps parses it eagerly: ~0.3 s a run).
 * GUARDRAIL_BUILD_DEBUG=1 reports on stderr how the bundle was obtained (fresh, built, waited,
 * built-in-memory).
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { freshness, readStamp, signatures, stampLine } = require("./build-hash");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const bundle = path.join(dist, "app.js");
const lockDir = path.join(dist, ".build-lock");
const LOCK_STALE_MS = 10 * 60 * 1000;

let holdingLock = false;

function fail(message) {
  console.error(message);
  if (holdingLock) fs.rmSync(lockDir, { recursive: true, force: true });
  process.exit(1);
}

function debug(what) {
  if (process.env.GUARDRAIL_BUILD_DEBUG) process.stderr.write(`build: ${what}\n`);
}

/** The bundle's code when its stamp matches the sources now, else undefined. */
function currentBundle() {
  let code;
  try {
    code = fs.readFileSync(bundle, "utf8");
  } catch {
    return undefined;
  }
  const stamp = readStamp(code);
  const state = freshness(root, stamp);
  if (state === "restamp") {
    // The same dependency bytes were reinstalled (npm ci): record their new signatures so the
    // next runs skip hashing them. Best effort: a read-only dist/ just hashes again next time.
    try {
      const { writeAtomic } = require("./build-app");
      code = code.slice(0, stamp.at) + stampLine({ ...stamp, at: undefined, signatures: signatures(root, stamp.dependencies) });
      writeAtomic(bundle, code);
    } catch {
      // keep running the verified code
    }
  }
  return state ? code : undefined;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Takes the build lock: { held: true }, { held: false } when dist/ cannot be written (build
 * without it), or { code } when another process held it and left a current bundle behind.
 */
function lock() {
  for (;;) {
    try {
      fs.mkdirSync(dist, { recursive: true });
      fs.mkdirSync(lockDir);
      holdingLock = true;
      fs.writeFileSync(path.join(lockDir, "owner"), String(process.pid));
      return { held: true };
    } catch (e) {
      if (e.code !== "EEXIST") return { held: false };
    }
    // Another synth is building: wait (cheaply) until it is done or gone, then look at its result.
    // (Two builds at once would still be safe, only slower: every write is a rename.)
    while (fs.existsSync(lockDir)) {
      if (lockAbandoned()) fs.rmSync(lockDir, { recursive: true, force: true });
      else sleep(100);
    }
    const code = currentBundle();
    if (code !== undefined) return { code };
  }
}

function lockAbandoned() {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, "owner"), "utf8"));
    process.kill(pid, 0);
    return false;
  } catch (e) {
    if (e.code === "EPERM") return false; // alive, another user's process
    if (e.code === "ESRCH") return true;
    // No owner file yet: the holder has just created the lock, unless it is old.
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > LOCK_STALE_MS;
    } catch {
      return false; // released meanwhile
    }
  }
}

/** Type-checks and bundles: { code, map } in memory, and { mapFile } when written to dist/. */
function rebuild(canWrite) {
  const tsc = [require.resolve("typescript/bin/tsc", { paths: [root] }), "--noEmit", "-p", path.join(root, "tsconfig.build.json")];
  // tsc records incremental state in dist/; without a writable dist/ it checks from scratch.
  if (!canWrite) tsc.push("--incremental", "false");
  const check = spawnSync(process.execPath, tsc, { cwd: root, stdio: "inherit" });
  if (check.status !== 0) fail("The app's TypeScript has errors (above); the bundle was not rebuilt.");
  const { buildApp, writeBuild } = require("./build-app");
  let build;
  try {
    build = buildApp(root);
  } catch {
    fail("esbuild could not bundle the app (errors above).");
  }
  if (canWrite) {
    try {
      writeBuild(build, dist);
      debug("built");
      return { ...build, mapFile: bundle + ".map" };
    } catch (e) {
      canWrite = false;
      process.stderr.write(`note: could not write ${path.relative(root, bundle)} (${e.code ?? e.message}); running the app from memory\n`);
    }
  } else process.stderr.write(`note: ${path.relative(root, dist)}/ is not writable; running the app from memory\n`);
  debug("built-in-memory");
  return build;
}

function obtainBundle() {
  const code = currentBundle();
  if (code !== undefined) {
    debug("fresh");
    return { code, mapFile: bundle + ".map" };
  }
  const taken = lock();
  if (taken.code !== undefined) {
    debug("waited");
    return { code: taken.code, mapFile: bundle + ".map" };
  }
  try {
    // A build may have finished between our first look and taking the lock.
    const again = taken.held ? currentBundle() : undefined;
    if (again !== undefined) {
      debug("waited");
      return { code: again, mapFile: bundle + ".map" };
    }
    return rebuild(taken.held);
  } finally {
    if (taken.held) fs.rmSync(lockDir, { recursive: true, force: true });
    holdingLock = false;
  }
}

/**
 * Rewrites the bundle's positions in a formatted error (`dist/app.js:LINE:COL`) to the TypeScript
 * lines they came from, through the source map. Only an error that escapes the app pays for
 * reading the map; Node's --enable-source-maps would parse it on every run (~0.3 s).
 */
function mapTrace(text, build) {
  let map;
  try {
    map = new Module.SourceMap(JSON.parse(build.map ?? fs.readFileSync(build.mapFile, "utf8")));
  } catch {
    return text; // no map: the bundle's positions are still correct, only less readable
  }
  const escaped = bundle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, "g"), (whole, line, column) => {
    const e = map.findEntry(Number(line) - 1, Number(column) - 1);
    if (!e || !e.originalSource) return whole;
    return `${path.resolve(dist, e.originalSource)}:${e.originalLine + 1}:${e.originalColumn + 1}`;
  });
}

/** Runs the bundle's code as the main module, named dist/app.js (its require() resolves from there). */
function run(build) {
  // Node would print the minified bundle line above an uncaught error; the mapped trace says more.
  process.on("uncaughtException", (e) => {
    process.stderr.write(`${mapTrace(require("util").inspect(e), build)}\n`);
    process.exit(1);
  });
  const mod = new Module(bundle, null);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dist);
  mod._compile(build.code.replace(/^#!.*/, ""), bundle);
}

run(obtainBundle());

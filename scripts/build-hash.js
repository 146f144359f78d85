/**
 * What makes dist/app.js current: SHA-256 hashes over the content (never the mtimes) of
 *  - the sources: every file of main.ts, app/, lib/, modules/, scripts/stubs/, and the build itself
 *    (this file, scripts/build-app.js, the tsconfigs, package.json, package-lock.json);
 *  - the dependencies: every other file the last build read, as esbuild's metafile lists them (the
 *    node_modules files that went into the bundle, and esbuild's package.json for its version).
 * An edit restored with an old mtime (`cp -p`, `rsync -a`, `tar x`, a CI cache) or a node_modules
 * replaced by `npm ci` changes a hash, so the next synth rebuilds.
 *
 * The sources are hashed on every run (about 60 small files). The ~300 dependency files (5.6 MB)
 * are hashed only when one's stat signature (size, mtime, ctime, inode) differs from the build's,
 * the way git's index trusts unchanged files: any write to a file, and any replacement of it, gives
 * it a new ctime, which no tool can set back. A dependency changed while the build read it is
 * caught by comparing its ctime with the build's start.
 *
 * The stamp travels inside the bundle, on its last line, so a reader always gets the stamp of the
 * very bytes it runs (no separate stamp file that a concurrent build could replace between reads).
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const SOURCES = [
  "main.ts",
  "app",
  "lib",
  "modules",
  "scripts/stubs",
  "scripts/build-app.js",
  "scripts/build-hash.js",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
const STAMP_PREFIX = "//# guardrail-build ";

/** Root-relative paths of every file under the source roots, sorted. */
function sourceFiles(root) {
  const out = [];
  const walk = (rel) => {
    let st;
    try {
      st = fs.statSync(path.join(root, rel));
    } catch {
      return; // an optional root that does not exist
    }
    if (!st.isDirectory()) return void out.push(rel);
    for (const e of fs.readdirSync(path.join(root, rel)).sort()) walk(`${rel}/${e}`);
  };
  SOURCES.forEach(walk);
  return out;
}

/** Root-relative paths the bundle depends on besides the sources (from esbuild's metafile). */
function dependencyFiles(root, metafileInputs) {
  const own = new Set(sourceFiles(root));
  const esbuildPackage = path.relative(root, require.resolve("esbuild/package.json", { paths: [root] }));
  return [...new Set([...metafileInputs.filter((f) => !own.has(f)), esbuildPackage])].sort();
}

function hashFiles(root, files) {
  const hash = crypto.createHash("sha256");
  for (const rel of files) {
    hash.update(rel + "\0");
    try {
      hash.update(fs.readFileSync(path.join(root, rel)));
    } catch {
      hash.update("\0missing\0"); // a deleted file must change the hash too
    }
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Content hash of the sources as they are on disk now. */
const sourceHash = (root) => hashFiles(root, sourceFiles(root));

/** Content hash of the dependency files as they are on disk now. */
const dependencyHash = (root, dependencies) => hashFiles(root, dependencies);

/** One stat signature per dependency ("missing" when absent). */
function signatures(root, dependencies) {
  return dependencies.map((rel) => {
    try {
      const st = fs.statSync(path.join(root, rel), { bigint: true });
      return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
    } catch {
      return "missing";
    }
  });
}

/** Latest ctime (ns) among the dependencies, to detect one changed while a build read it. */
function newestChange(root, dependencies) {
  let newest = 0n;
  for (const rel of dependencies) {
    try {
      const st = fs.statSync(path.join(root, rel), { bigint: true });
      if (st.ctimeNs > newest) newest = st.ctimeNs;
    } catch {
      // missing: the hash records it
    }
  }
  return newest;
}

/**
 * Is a bundle with `stamp` current for the files on disk? "fresh" (all hashes and signatures
 * match), "restamp" (content matches, but some dependency's signature changed: same bytes
 * reinstalled; the caller may record the new signatures) or false (rebuild).
 */
function freshness(root, stamp) {
  if (!stamp || stamp.sourceHash !== sourceHash(root)) return false;
  const now = signatures(root, stamp.dependencies);
  if (now.every((s, i) => s === stamp.signatures[i])) return "fresh";
  return dependencyHash(root, stamp.dependencies) === stamp.dependencyHash ? "restamp" : false;
}

/** The line a build appends to the bundle. */
function stampLine(stamp) {
  return `${STAMP_PREFIX}${JSON.stringify(stamp)}\n`;
}

/** The stamp on the bundle's last line, or undefined when it has none (or a damaged one). */
function readStamp(code) {
  const at = code.lastIndexOf(STAMP_PREFIX);
  if (at < 0) return undefined;
  try {
    const stamp = JSON.parse(code.slice(at + STAMP_PREFIX.length));
    const ok =
      typeof stamp.sourceHash === "string" &&
      typeof stamp.dependencyHash === "string" &&
      Array.isArray(stamp.dependencies) &&
      Array.isArray(stamp.signatures);
    return ok ? { ...stamp, at } : undefined;
  } catch {
    return undefined;
  }
}

module.exports = {
  SOURCES,
  STAMP_PREFIX,
  sourceFiles,
  dependencyFiles,
  sourceHash,
  dependencyHash,
  signatures,
  newestChange,
  freshness,
  stampLine,
  readStamp,
};

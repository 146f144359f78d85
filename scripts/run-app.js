#!/usr/bin/env node
// Runs the compiled app (dist/main.js), compiling first when a source the build
// includes (main.ts, lib/, modules/) is newer than the last build. Compiled JS keeps
// `cdktf synth` close to the bare CLI's floor.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const out = path.join(root, "dist", "main.js");
const stamp = path.join(root, "dist", ".build-stamp");
const SOURCES = ["main.ts", "lib", "modules", "tsconfig.json", "tsconfig.build.json", "package-lock.json"];

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return /\.(ts|json)$/.test(p) ? st.mtimeMs : 0;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newest(path.join(p, e))));
}

const built = fs.existsSync(out) && fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : -1;
if (
  built <
  Math.max(
    ...SOURCES.map((s) => path.join(root, s))
      .filter(fs.existsSync)
      .map(newest),
  )
) {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
    stdio: "inherit",
    cwd: root,
  });
  fs.writeFileSync(stamp, new Date().toISOString() + "\n");
}
require(out);

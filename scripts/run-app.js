#!/usr/bin/env node
// Runs the compiled app (dist/main.js), compiling first when the sources are newer
// than the build. Compiled JS keeps `cdktf synth` close to the bare CLI's floor.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const out = path.join(root, "dist", "main.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (
      entry.name === "node_modules" ||
      entry.name.startsWith(".") ||
      ["dist", "cdktf.out", "__tests__", "examples", "bench"].includes(entry.name)
    )
      continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < newestSource(root)) {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
    stdio: "inherit",
    cwd: root,
  });
}
require(out);

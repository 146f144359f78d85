// Bundle-time stand-in for `archiver`, which cdktf loads eagerly for TerraformAsset
// archives. The guardrail app never creates assets; loading the real package (and its
// stream dependencies) cost ~35 ms of every synth. Any use fails loudly, never silently.
module.exports = function archiver() {
  throw new Error(
    "archiver is not bundled into dist/app.js: the guardrail app does not create TerraformAsset archives (see scripts/build-app.js)",
  );
};

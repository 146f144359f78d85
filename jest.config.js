/**
 * Test layers as jest projects (tools/test-layers.js), so each runs alone:
 * `npx jest --selectProjects <pure|synth|hcl|entry|plan>`. npm run test:fast = pure + synth + hcl;
 * npm run test:plan = plan; npm test = everything.
 * @type {import('jest').Config}
 */
const { LAYERS } = require("./tools/test-layers");

const named = Object.values(LAYERS).flat();
const files = (names) => names.map((n) => `<rootDir>/__tests__/${n}.test.ts`);
const project = (displayName, testMatch, extra = {}) => ({
  displayName,
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch,
  transform: { "^.+\\.ts$": "ts-jest" },
  ...extra,
});

module.exports = {
  testTimeout: 300000,
  maxWorkers: 2,
  // After the summary, one banner per skipped terraform layer (jest hides the console of all-skipped suites).
  reporters: ["default", "<rootDir>/__tests__/helpers/skip-reporter.js"],
  projects: [
    project("pure", files(LAYERS.pure)),
    // Every test file not named in another layer, so a new file always runs somewhere.
    project("synth", ["<rootDir>/__tests__/**/*.test.ts"], {
      testPathIgnorePatterns: ["/node_modules/", ...named.map((n) => `/__tests__/${n}\\.test\\.ts$`)],
    }),
    project("hcl", files(LAYERS.hcl)),
    project("entry", files(LAYERS.entry)),
    project("plan", files(LAYERS.plan)),
  ],
};

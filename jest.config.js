/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "ts-jest" },
  testTimeout: 300000,
  maxWorkers: 2,
  // After the summary, one banner per skipped terraform layer (jest hides the console of all-skipped suites).
  reporters: ["default", "<rootDir>/__tests__/helpers/skip-reporter.js"],
};

/**
 * The project's shape, checked statically (tools/architecture.ts; `npm run check:architecture`):
 *  - folders depend one way: lib/ never imports modules/, app/ or main.ts; modules/ never import app/;
 *  - lib/policy is pure: no chain of imports from it reaches cdktf, constructs or the provider;
 *  - the pure test layer loads no cdktf either (so it tests the policy code, not a synth);
 *  - no function in lib/ or modules/ is longer than 120 lines;
 *  - the AWS quotas are written down once, in lib/policy/limits.ts.
 * The last two hold today except for the entries of KNOWN_* below: a committed allow-list that
 * may only shrink. A new offender fails; an entry that no longer offends fails too, until it is
 * deleted here, so the list cannot keep a fixed problem's place warm.
 */
import * as path from "path";
import { CDKTF_PACKAGES, chainsToPackage, folderImports, longFunctions, numberLiterals, ROOT, tsFiles } from "../tools/architecture";
import * as limits from "../lib/policy/limits";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAYERS } = require("../tools/test-layers") as { LAYERS: Record<string, string[]> };

const MAX_FUNCTION_LINES = 120;

/** Functions over MAX_FUNCTION_LINES today (the module stacks' constructors and one spec). */
const KNOWN_LONG_FUNCTIONS = [
  "modules/iam-baseline/stack.ts: IamBaselineStack.constructor",
  "modules/org-scp/spec.ts: orgScpSpec",
  "modules/org-scp/stack.ts: OrgScpStack.constructor",
];

/** Pure-layer tests that still import a module stack (for functions that live in stack.ts today). */
const KNOWN_IMPURE_PURE_TESTS = ["iam-baseline-policy", "org-scp-policy"];

describe("folders depend one way", () => {
  it("lib/ imports nothing from modules/, app/ or main.ts", () => {
    expect(folderImports("lib", ["modules", "app", "main.ts"])).toEqual([]);
  });

  it("modules/ import nothing from app/ or main.ts", () => {
    expect(folderImports("modules", ["app", "main.ts"])).toEqual([]);
  });

  it("the check sees an import across folders (app/ composes the modules)", () => {
    expect(folderImports("app", ["modules"]).length).toBeGreaterThan(0);
  });
});

describe("lib/policy is pure policy code", () => {
  it("no file under lib/policy reaches cdktf, constructs or the provider through its imports", () => {
    expect(tsFiles("lib/policy").flatMap((f) => chainsToPackage(f, CDKTF_PACKAGES))).toEqual([]);
  });

  it("the check follows chains: lib/module-stack.ts reaches constructs", () => {
    expect(chainsToPackage(path.join(ROOT, "lib", "module-stack.ts"), CDKTF_PACKAGES)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^lib\/module-stack\.ts -> .*(cdktf|constructs)/)]),
    );
  });
});

describe("the pure test layer loads no cdktf", () => {
  const chains = (name: string) => chainsToPackage(path.join(ROOT, "__tests__", `${name}.test.ts`), CDKTF_PACKAGES);

  it.each(LAYERS.pure.filter((n) => !KNOWN_IMPURE_PURE_TESTS.includes(n)))("%s imports no cdktf", (name) => {
    expect(chains(name)).toEqual([]);
  });

  it.each(KNOWN_IMPURE_PURE_TESTS)("%s is still a known offender (delete it from the list once it is pure)", (name) => {
    expect(chains(name).length).toBeGreaterThan(0);
  });
});

describe(`no function over ${MAX_FUNCTION_LINES} lines in lib/ and modules/`, () => {
  const offenders = longFunctions(tsFiles("lib", "modules"), MAX_FUNCTION_LINES);

  it("no offender outside the known list", () => {
    expect(offenders.filter((o) => !KNOWN_LONG_FUNCTIONS.includes(o.id)).map((o) => `${o.id} (${o.lines} lines)`)).toEqual([]);
  });

  it("every entry of the known list still offends (delete the ones that were split)", () => {
    expect(KNOWN_LONG_FUNCTIONS.filter((id) => !offenders.some((o) => o.id === id))).toEqual([]);
  });

  it("the check measures functions, methods, constructors and arrows", () => {
    const ids = longFunctions(tsFiles("lib", "modules"), 5).map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/\.constructor$/), expect.stringMatching(/: \w+$/)]));
    expect(longFunctions(tsFiles("lib", "modules"), 1_000_000)).toEqual([]);
  });
});

describe("one home for the AWS quotas", () => {
  const QUOTAS = [
    limits.MANAGED_POLICY_MAX_CHARS,
    limits.TRUST_POLICY_MAX_CHARS,
    limits.GROUP_INLINE_POLICY_MAX_CHARS,
    limits.ROLE_INLINE_POLICY_MAX_CHARS,
    limits.BUCKET_POLICY_MAX_BYTES,
    limits.SCP_MAX_CHARS,
  ];

  it("no quota figure is a number literal in app/, lib/ or modules/ outside lib/policy/limits.ts", () => {
    expect(numberLiterals(tsFiles("app", "lib", "modules"), QUOTAS, ["lib/policy/limits.ts"])).toEqual([]);
  });

  it("the check finds them where they are written (lib/policy/limits.ts)", () => {
    expect(numberLiterals(tsFiles("lib/policy/limits.ts"), QUOTAS).length).toBeGreaterThanOrEqual(5);
  });
});

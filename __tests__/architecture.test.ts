/**
 * The project's shape, checked statically (tools/architecture.ts; `npm run check:architecture`):
 *  - folders depend one way: lib/ never imports modules/, app/ or main.ts; modules/ never import app/;
 *  - lib/policy is pure: no chain of imports from it reaches cdktf, constructs or the provider;
 *  - the pure test layer loads no cdktf either (so it tests the policy code, not a synth);
 *  - no function in lib/ or modules/ is longer than 120 lines;
 *  - the AWS quotas are written down once, in lib/policy/limits.ts;
 *  - no rendered Terraform or JSON text is cut by position (`.slice(2, -1)` of a jsonencode);
 *  - HCL string lists are printed by the toolkit's escaping `hclStrings`, not by hand.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  CDKTF_PACKAGES,
  chainsToPackage,
  folderImports,
  handPrintedStringLists,
  longFunctions,
  numberLiterals,
  renderedCuts,
  ROOT,
  tsFiles,
} from "../tools/architecture";
import * as limits from "../lib/policy/limits";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LAYERS } = require("../tools/test-layers") as { LAYERS: Record<string, string[]> };

const MAX_FUNCTION_LINES = 120;

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
  it.each(LAYERS.pure)("%s imports no cdktf", (name) => {
    expect(chainsToPackage(path.join(ROOT, "__tests__", `${name}.test.ts`), CDKTF_PACKAGES)).toEqual([]);
  });

  it("the check sees a test that synthesizes (iam-baseline loads cdktf)", () => {
    expect(chainsToPackage(path.join(ROOT, "__tests__", "iam-baseline.test.ts"), CDKTF_PACKAGES).length).toBeGreaterThan(0);
  });
});

describe(`no function over ${MAX_FUNCTION_LINES} lines in lib/ and modules/`, () => {
  const offenders = longFunctions(tsFiles("lib", "modules"), MAX_FUNCTION_LINES);

  it("no offender", () => {
    expect(offenders.map((o) => `${o.id} (${o.lines} lines)`)).toEqual([]);
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

describe("no hand-sliced rendered strings", () => {
  it("nothing in app/, lib/ or modules/ cuts rendered Terraform or JSON text by position", () => {
    expect(renderedCuts(tsFiles("app", "lib", "modules"))).toEqual([]);
  });

  it("the check finds the cuts it is about", () => {
    const file = path.join(os.tmpdir(), `cuts-${process.pid}.ts`);
    fs.writeFileSync(
      file,
      "const a = jsonencodePolicy(doc).slice(2, -1);\nconst b = apHcl.slice(1, -1);\nconst c = `x${y}`.substring(1);\nconst d = names.slice(1);\n",
    );
    try {
      expect(renderedCuts([file]).map((c) => c.replace(/^.*:(\d+) /, "$1 "))).toEqual([
        "1 jsonencodePolicy(doc).slice(2, -1)",
        "2 apHcl.slice(1, -1)",
        "3 `x${y}`.substring(1)",
      ]);
    } finally {
      fs.rmSync(file);
    }
  });
});

describe("HCL string lists are printed by the toolkit (lib/policy/render.ts hclStrings)", () => {
  it("no hand-written string-list printer in app/, lib/ or modules/", () => {
    expect(handPrintedStringLists(tsFiles("app", "lib", "modules"))).toEqual([]);
  });

  it("the check finds the printers it is about, and leaves lists of expressions alone", () => {
    const file = path.join(os.tmpdir(), `lists-${process.pid}.ts`);
    fs.writeFileSync(
      file,
      [
        'const a = `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;',
        'const b = `contains([${ROLES.map((r) => `"${r}"`).join(", ")}], ${x})`;',
        'const c = `flatten([${parts.join(", ")}])`;',
        "",
      ].join("\n"),
    );
    try {
      expect(handPrintedStringLists([file]).map((c) => Number(c.replace(/^.*:(\d+) .*$/s, "$1")))).toEqual([1, 2]);
    } finally {
      fs.rmSync(file);
    }
  });
});

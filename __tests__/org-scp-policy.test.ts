/**
 * Layer 1 for org-scp: the pure policy code in lib/policy/scp (controls, exemption classes,
 * sizing, stable placement, custom statements, the plan-time placement generator, the exemption
 * pattern rule) and the synth-time quota check.
 */
import { getCatalog } from "../lib/policy/catalog";
import { globalServiceActions } from "../lib/policy/global-services";
import { tfExpr } from "../lib/policy/render";
import { asArray, PolicyDocument, Statement } from "../lib/policy/types";
import { GuardrailError } from "../lib/errors";
import { DEFAULT_OPTIONS } from "../lib/config";
import {
  CATALOG_SIDS,
  controlStatements,
  IAM_WRITE_ACTIONS,
  RCP_CONTROLS,
  rcpStatements,
  SCP_CONTROLS,
  SCP_HOMES,
  scpStatements,
  SECURITY_SERVICE_ACTIONS,
  securityServiceActions,
  staticInputs,
} from "../lib/policy/scp/controls";
import { EXEMPTION_KEY, mergeWhen, statementJsonHcl, withExemption } from "../lib/policy/scp/dynamic";
import {
  firstFitDecreasing,
  formatCount,
  layoutProblems,
  packCapacity,
  POLICY_ENVELOPE,
  policyLength,
  stablePack,
  tfJsonLength,
} from "../lib/policy/scp/placement";
import { CustomStatement, customToStatement } from "../lib/policy/scp/custom";
import { planTimePlacementLocals } from "../lib/policy/scp/plan-time-placement";
import {
  defaultPolicyValues,
  moduleLayout,
  moduleLayoutProblems,
  packPolicies,
  representativeValues,
  terraformJson,
} from "../lib/policy/scp/layout";
import { AUDIT_RESOURCE_ARN_REGEX, EXEMPT_ARN_REGEX } from "../modules/org-scp/spec";
import { checkDefaultQuotas } from "../modules/org-scp/policies";

const allOn = Object.fromEntries([...SCP_CONTROLS, ...RCP_CONTROLS].map((c) => [c.toggle, true]));
const EXEMPT = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/terraform-*"];

/** A deterministic pseudo-random sequence (mulberry32). */
function rng(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A custom Deny statement whose minified JSON is exactly `size` characters. */
function customOfSize(i: number, size: number): CustomStatement {
  const base: CustomStatement = { sid: `Custom${i}`, actions: ["ec2:RunInstances"], resources: [`arn:aws:ec2:*:*:instance/`] };
  const pad = size - tfJsonLength(customToStatement(base, []));
  if (pad < 0) throw new Error(`size ${size} too small`);
  return { ...base, resources: [`arn:aws:ec2:*:*:instance/${"x".repeat(pad)}`] };
}

describe("catalog statements", () => {
  const everything = [...scpStatements(representativeValues()), ...rcpStatements(representativeValues())];

  test("every action of every control exists in the IAM catalog (no retired aws-portal)", () => {
    const problems = getCatalog().validatePolicyActions({ Version: "2012-10-17", Statement: everything as Statement[] });
    expect(problems).toEqual([]);
    for (const s of everything)
      for (const a of [...asArray(s.Action), ...asArray(s.NotAction)]) {
        expect(a).not.toMatch(/^aws-portal:/);
      }
  });

  test("every protected-service pattern matches actions of the IAM catalog, and none matches a read (List/Get/Describe)", () => {
    for (const actions of Object.values(SECURITY_SERVICE_ACTIONS))
      for (const a of actions) {
        const matched = getCatalog()
          .expand(a)
          .map((x) => x.split(":")[1]);
        expect({ a, some: matched.length > 0 }).toEqual({ a, some: true });
        expect({ a, reads: matched.filter((n) => /^(List|Get|Describe)/.test(n)) }).toEqual({ a, reads: [] });
      }
  });

  test("Sids are unique, alphanumeric and match the controls' declared sids", () => {
    const sids = everything.map((s) => s.Sid!);
    expect(new Set(sids).size).toBe(sids.length);
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
    expect([...sids].sort()).toEqual([...CATALOG_SIDS].sort());
  });

  test("SCP statements are Deny only; RCP statements are Deny with Principal *", () => {
    for (const s of scpStatements(defaultPolicyValues({ toggles: allOn }))) expect(s.Effect).toBe("Deny");
    for (const s of rcpStatements(defaultPolicyValues({ toggles: allOn }))) {
      expect(s.Effect).toBe("Deny");
      expect(s.Principal).toBe("*");
    }
  });

  test("region deny: NotAction is the curated global-service list, condition on the allowed regions", () => {
    const [deny, bucket] = scpStatements(defaultPolicyValues({ allowedRegions: ["eu-central-1", "eu-west-1"] }));
    expect(deny.Sid).toBe("DenyOutsideAllowedRegions");
    expect(deny.NotAction).toEqual(globalServiceActions());
    expect(deny.Condition).toEqual({ StringNotEquals: { "aws:RequestedRegion": ["eu-central-1", "eu-west-1"] } });
    expect(bucket).toMatchObject({
      Sid: "DenyBucketsOutsideAllowedRegions",
      Action: "s3:CreateBucket",
      Condition: { StringNotEqualsIfExists: { "s3:LocationConstraint": ["eu-central-1", "eu-west-1"] } },
    });
  });

  test("root deny: partition-aware root ARN with the AssumeRoot carve-out (Null aws:AssumedRoot), which can be turned off", () => {
    const root = (v: Parameters<typeof defaultPolicyValues>[0]) =>
      scpStatements(defaultPolicyValues(v)).find((s) => s.Sid === "DenyRootUser")!;
    expect(root({}).Action).toBe("*");
    expect(root({}).Condition).toEqual({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:root" }, Null: { "aws:AssumedRoot": "true" } });
    expect(root({ partition: "aws-us-gov", exemptAssumedRoot: false }).Condition).toEqual({
      ArnLike: { "aws:PrincipalArn": "arn:aws-us-gov:iam::*:root" },
    });
  });

  test("the other controls deny what the issue lists", () => {
    const by = Object.fromEntries(scpStatements(defaultPolicyValues({ toggles: allOn })).map((s) => [s.Sid, asArray(s.Action)]));
    expect(by.DenyLeavingOrganization).toEqual(["organizations:LeaveOrganization"]);
    expect(by.DenyRegionOptInChanges).toEqual(["account:DisableRegion", "account:EnableRegion"]);
    expect(by.DenyAccountPublicAccessBlockChanges).toEqual(["s3:PutAccountPublicAccessBlock"]);
    expect(by.DenyIamUsersAndAccessKeys).toEqual(["iam:CreateAccessKey", "iam:CreateUser"]);
    expect(by.ProtectSecurityServices).toEqual(
      expect.arrayContaining(["cloudtrail:Stop*", "cloudtrail:Delete*", "cloudtrail:Put*", "cloudtrail:Update*"]),
    );
    for (const prefix of ["cloudtrail:", "config:", "guardduty:", "securityhub:", "access-analyzer:"])
      expect(by.ProtectSecurityServices.some((a: string) => a.startsWith(prefix))).toBe(true);
  });

  test("toggles: defaults on except IAM users; protected services can be narrowed; an empty list drops the control", () => {
    const sids = (v: Parameters<typeof defaultPolicyValues>[0]) => scpStatements(defaultPolicyValues(v)).map((s) => s.Sid);
    expect(sids({})).not.toContain("DenyIamUsersAndAccessKeys");
    expect(sids({ toggles: { deny_root_user: false } })).not.toContain("DenyRootUser");
    expect(securityServiceActions(["guardduty"])).toEqual(SECURITY_SERVICE_ACTIONS.guardduty);
    expect(sids({ protectedSecurityServices: [] })).not.toContain("ProtectSecurityServices");
  });

  test("the break-glass exemption goes on every SCP Deny statement when there is one, and nowhere when the list is empty", () => {
    const withArns = scpStatements(defaultPolicyValues({ toggles: allOn, exemptPrincipalArns: EXEMPT }));
    for (const s of withArns) expect((s.Condition as any).ArnNotLike).toEqual({ [EXEMPTION_KEY]: EXEMPT });
    // ... and the break-glass ARNs are protected against IAM writes by everyone else.
    expect(withArns.find((s) => s.Sid === "ProtectBreakGlassPrincipals")).toMatchObject({ Action: IAM_WRITE_ACTIONS, Resource: EXEMPT });
    for (const s of scpStatements(defaultPolicyValues({ toggles: allOn }))) expect(JSON.stringify(s)).not.toContain("ArnNotLike");
    // RCPs carry no exemption: nobody may bypass TLS or the perimeter.
    for (const s of rcpStatements(defaultPolicyValues({ toggles: allOn, exemptPrincipalArns: EXEMPT })))
      expect(JSON.stringify(s)).not.toContain("ArnNotLike");
    // Statements without a condition get one holding just the exemption.
    expect(withExemption({ Effect: "Deny", Action: "x:Y", Resource: "*" }, { arns: ["a"], present: true }).Condition).toEqual({
      ArnNotLike: { [EXEMPTION_KEY]: ["a"] },
    });
    expect(withExemption({ Effect: "Allow", Action: "x:Y", Resource: "*" }, { arns: ["a"], present: true }).Condition).toBeUndefined();
  });

  test("RCP: org id, trusted accounts and the AWS-service carve-out", () => {
    const [tls, org, deputy] = rcpStatements(defaultPolicyValues({ organizationId: "o-abcdefghij", trustedAccountIds: ["444455556666"] }));
    expect(tls.Condition).toEqual({ BoolIfExists: { "aws:SecureTransport": "false" } });
    expect(org.Condition).toEqual({
      StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-abcdefghij", "aws:PrincipalAccount": ["444455556666"] },
      BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
    });
    expect(deputy.Condition).toMatchObject({ Bool: { "aws:PrincipalIsAWSService": "true" }, Null: { "aws:SourceAccount": "false" } });
  });
});

describe("dynamic statements render to HCL", () => {
  const base = staticInputs(defaultPolicyValues());
  const tfInputs = {
    ...base,
    partition: tfExpr("local.partition"),
    allowedRegions: tfExpr("var.allowed_regions"),
    exemptions: {
      ...base.exemptions,
      breakGlass: { arns: tfExpr("local.exempt_break_glass"), present: { hcl: "length(local.exempt_break_glass) > 0" } },
    },
    exemptAssumedRoot: { hcl: "var.exempt_assumed_root" },
  };

  test("mergeWhen: plain object for concrete flags, merge() expression for Terraform flags", () => {
    expect(mergeWhen({ A: 1 }, { when: true, add: { B: 2 } }, { when: false, add: { C: 3 } })).toEqual({ A: 1, B: 2 });
    expect(mergeWhen({}, { when: false, add: { C: 3 } })).toBeUndefined();
    expect(() => mergeWhen({ A: 1 }, { when: true, add: { A: 2 } })).toThrow(/overwritten/);
    expect(mergeWhen({ A: "x" }, { when: { hcl: "var.f" }, add: { B: "y" } })).toBe(
      tfExpr(`merge({"A" = "x"}, { for k, v in {"B" = "y"} : k => v if var.f })`),
    );
    expect(mergeWhen(undefined, { when: { hcl: "var.f" }, add: { B: "y" } })).toBe(tfExpr(`var.f ? {"B" = "y"} : null`));
  });

  test("the root deny renders partition, carve-out and exemption as expressions", () => {
    const root = SCP_CONTROLS.find((c) => c.toggle === "deny_root_user")!;
    const hcl = statementJsonHcl(controlStatements(root, tfInputs)[0].statement);
    expect(hcl).toContain('"arn:${local.partition}:iam::*:root"');
    expect(hcl).toContain("if var.exempt_assumed_root");
    expect(hcl).toContain('"aws:PrincipalARN" = local.exempt_break_glass');
    expect(hcl).toMatch(/^jsonencode\(\{ for k, v in \{.*\} : k => v if v != null \}\)$/s);
  });
});

describe("sizing", () => {
  test("tfJsonLength is the length of Terraform's jsonencode (HTML characters escaped)", () => {
    expect(tfJsonLength({ a: "x" })).toBe('{"a":"x"}'.length);
    expect(tfJsonLength({ a: "<&>" })).toBe('{"a":"\\u003c\\u0026\\u003e"}'.length);
    expect(terraformJson({ b: 1, a: "<" })).toBe('{"a":"\\u003c","b":1}');
  });

  test("policyLength adds the envelope and the commas", () => {
    expect(POLICY_ENVELOPE).toBe('{"Statement":[],"Version":"2012-10-17"}'.length);
    const stmts = [{ Sid: "A" }, { Sid: "BB" }, { Sid: "CCC" }];
    expect(policyLength(stmts.map((s) => JSON.stringify(s).length))).toBe(
      terraformJson({ Version: "2012-10-17", Statement: stmts }).length,
    );
  });

  test("formatCount writes thousands separators", () => {
    expect([5, 5120, 12345, 1234567].map(formatCount)).toEqual(["5", "5,120", "12,345", "1,234,567"]);
  });
});

describe("packing (first-fit decreasing)", () => {
  const LIMIT = 5120;

  test("40 custom statements pack into the fewest policies, each within the limit", () => {
    // 40 statements of 1,000 characters: 5 fit a 5,120-character policy (5*1001 - 1 + 39 = 5,043), 6 do not.
    const statements = Array.from({ length: 40 }, (_, i) => customToStatement(customOfSize(i, 1000), []));
    for (const s of statements) expect(tfJsonLength(s)).toBe(1000);
    const policies = packPolicies("scp", statements, "guardrails", LIMIT);
    expect(policies).toHaveLength(8); // = ceil(40 / 5): optimal
    for (const p of policies) {
      expect(p.length).toBeLessThanOrEqual(LIMIT);
      expect(p.length).toBe(terraformJson(p.document).length);
    }
    expect(policies.map((p) => p.name)).toEqual(Array.from({ length: 8 }, (_, i) => `guardrails-scp-${i + 1}`));
    // Every statement exactly once, in the original order within each policy.
    expect(policies.flatMap((p) => p.sids).sort()).toEqual(statements.map((s) => s.Sid).sort());
    for (const p of policies) expect(p.sids).toEqual([...p.sids].sort((a, b) => Number(a.slice(6)) - Number(b.slice(6))));
  });

  test("mixed sizes: large statements first, small ones fill the gaps (fewer policies than in-order packing)", () => {
    // Three 3,000s cannot share a policy; the four 600s fill the gaps (original order kept inside each policy).
    const sizes = [600, 3000, 600, 3000, 600, 3000, 600];
    const bins = firstFitDecreasing(sizes, (s) => s, LIMIT);
    expect(bins).toHaveLength(3);
    expect(bins.map((b) => b.indexes)).toEqual([[0, 1, 2, 4], [3, 6], [5]]);
    // The same sizes in a different order pack into the same number of policies.
    expect(firstFitDecreasing([...sizes].reverse(), (s) => s, LIMIT)).toHaveLength(3);
  });

  test("property: random statement sets are packed within the limit, completely, and no two policies could be merged", () => {
    const rand = rng(20261122);
    for (let run = 0; run < 300; run++) {
      const n = 1 + Math.floor(rand() * 60);
      const limit = 1000 + Math.floor(rand() * 9000);
      const sizes = Array.from({ length: n }, () => 20 + Math.floor(rand() * (limit - 100)));
      const bins = firstFitDecreasing(sizes, (s) => s, limit);
      expect(bins.flatMap((b) => b.indexes).sort((a, b) => a - b)).toEqual(sizes.map((_, i) => i));
      const cap = packCapacity(limit);
      const loads = bins.map((b) => b.items.reduce((a, s) => a + s + 1, 0));
      expect(bins.every((b) => b.length <= limit)).toBe(true);
      // First fit: any two policies together exceed one policy's capacity.
      let mergeable = false;
      for (let i = 0; i < loads.length; i++) for (let j = i + 1; j < loads.length; j++) mergeable ||= loads[i] + loads[j] <= cap;
      expect(mergeable).toBe(false);
      // Lower bound: never more than twice the optimum (and within ceil(total/cap) + 1 for these sizes).
      const lower = Math.ceil(loads.reduce((a, b) => a + b, 0) / cap);
      expect(bins.length).toBeLessThanOrEqual(2 * lower);
      // Deterministic.
      expect(firstFitDecreasing(sizes, (s) => s, limit)).toEqual(bins);
    }
  });

  test("an oversized statement gets a policy of its own, reported with the policy name and size", () => {
    const big = customToStatement(customOfSize(1, 5300), []);
    const policies = packPolicies("scp", [big, customToStatement(customOfSize(2, 200), [])], "guardrails", LIMIT);
    expect(policies).toHaveLength(2);
    expect(policies[0].sids).toEqual(["Custom1"]);
    const problems = layoutProblems(policies, { kind: "SCP", maxChars: LIMIT, maxPerTarget: 5, managedPolicy: "FullAWSAccess" });
    expect(problems).toEqual([
      `SCP guardrails-scp-1 (statement Custom1) is ${formatCount(policies[0].length)} characters; the limit is 5,120.`,
    ]);
    expect(policies[0].length).toBe(5300 + POLICY_ENVELOPE);
  });

  test("too many policies for the per-target limit fails with a clear message", () => {
    const statements = Array.from({ length: 30 }, (_, i) => customToStatement(customOfSize(i, 1000), []));
    const policies = packPolicies("scp", statements, "guardrails", LIMIT);
    expect(policies).toHaveLength(6);
    expect(layoutProblems(policies, { kind: "SCP", maxChars: LIMIT, maxPerTarget: 5, managedPolicy: "FullAWSAccess", others: 1 })).toEqual([
      "Each target would have 8 SCPs (6 from this module, FullAWSAccess and 1 other); the limit is 5.",
    ]);
    // Without other policies and with a larger per-target quota it fits.
    expect(layoutProblems(policies, { kind: "SCP", maxChars: LIMIT, maxPerTarget: 7, managedPolicy: "FullAWSAccess" })).toEqual([]);
  });
});

describe("custom statements", () => {
  test("conditions are grouped by operator, the exemption is added unless exempt = false", () => {
    const c: CustomStatement = {
      sid: "DenyBigInstances",
      actions: ["ec2:RunInstances"],
      resources: ["arn:aws:ec2:*:*:instance/*"],
      conditions: [
        { test: "StringNotLike", variable: "ec2:InstanceType", values: ["t3.*"] },
        { test: "StringNotLike", variable: "ec2:InstanceType", values: ["t4g.*"] },
        { test: "ArnNotLike", variable: "aws:PrincipalARN", values: ["arn:aws:iam::*:role/Ops"] },
      ],
    };
    expect(customToStatement(c, EXEMPT)).toEqual({
      Sid: "DenyBigInstances",
      Effect: "Deny",
      Action: ["ec2:RunInstances"],
      Resource: ["arn:aws:ec2:*:*:instance/*"],
      Condition: {
        StringNotLike: { "ec2:InstanceType": ["t3.*", "t4g.*"] },
        ArnNotLike: { "aws:PrincipalARN": ["arn:aws:iam::*:role/Ops", ...EXEMPT] },
      },
    });
    expect(customToStatement({ sid: "X", not_actions: ["s3:*"], exempt: false }, EXEMPT)).toEqual({
      Sid: "X",
      Effect: "Deny",
      NotAction: ["s3:*"],
      Resource: ["*"],
    });
    expect(customToStatement({ sid: "Y", actions: ["s3:*"], not_resources: ["arn:aws:s3:::keep"] }, [])).toEqual({
      Sid: "Y",
      Effect: "Deny",
      Action: ["s3:*"],
      NotResource: ["arn:aws:s3:::keep"],
    });
  });
});

describe("plan-time placement generator", () => {
  test("unrolls two passes (homes, then the rest) per statement position and exposes the assignment and the policies", () => {
    const locals = planTimePlacementLocals({
      prefix: "scp",
      sizes: "local.sizes",
      homes: "local.homes",
      homeCount: 2,
      maxChars: "var.scp_max_chars",
      maxItems: 3,
    });
    expect(Object.keys(locals)).toEqual([
      "scp_pack_sizes",
      "scp_pack_homes",
      "scp_pack_capacity",
      "scp_pack_overflow",
      "scp_pack_home_0",
      "scp_pack_hload_0",
      "scp_pack_home_1",
      "scp_pack_hload_1",
      "scp_pack_home_2",
      "scp_pack_hload_2",
      "scp_pack_loads_start",
      "scp_pack_open_start",
      "scp_pack_bin_0",
      "scp_pack_loads_0",
      "scp_pack_open_0",
      "scp_pack_bin_1",
      "scp_pack_loads_1",
      "scp_pack_open_1",
      "scp_pack_bin_2",
      "scp_pack_loads_2",
      "scp_pack_open_2",
      "scp_assignment",
      "scp_policy_indexes",
    ]);
    expect(locals.scp_pack_capacity).toBe(`var.scp_max_chars - ${POLICY_ENVELOPE} + 1`);
    expect(locals.scp_pack_bin_2).toContain("local.scp_pack_loads_1");
    expect(locals.scp_policy_indexes).toBe("[for j, x in local.scp_pack_open_2 : j if x]");
    expect(() => planTimePlacementLocals({ prefix: "x", sizes: "[]", homes: "[]", homeCount: 0, maxChars: "1", maxItems: 0 })).toThrow();
  });
});

describe("stable placement", () => {
  const LIMIT = 5120;
  const placement = (l: ReturnType<typeof moduleLayout>) => Object.fromEntries(l.scps.flatMap((p) => p.sids.map((sid) => [sid, p.name])));
  const moved = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((sid) => sid in b && a[sid] !== b[sid]);
  // A realistic organization whose homes have room (the pipelines hold no audit resources).
  const org = { ...representativeValues(), pipelineAuditResourceArns: [] };
  const customs = [customOfSize(1, 900), customOfSize(2, 700), customOfSize(3, 400)];

  test("every catalog statement has a home: the region lock in the first SCP, the rest in the second", () => {
    for (const c of SCP_CONTROLS)
      for (const sid of c.sids) expect([sid, SCP_HOMES[sid]]).toEqual([sid, c.toggle.includes("region") ? 0 : 1]);
    const l = moduleLayout({ values: defaultPolicyValues(), maxChars: LIMIT });
    expect(l.scps.map((p) => p.name)).toEqual(["guardrails-scp-1", "guardrails-scp-2"]);
    expect(l.scps[0].sids).toEqual(["DenyOutsideAllowedRegions", "DenyBucketsOutsideAllowedRegions", "DenyRegionOptInChanges"]);
  });

  test("one more exempt ARN or allowed region moves no statement while the homes have room (custom statements have policies of their own)", () => {
    const before = moduleLayout({ values: org, customStatements: customs, maxChars: LIMIT });
    for (const values of [
      { ...org, exemptPrincipalArns: [...org.exemptPrincipalArns, "arn:aws:iam::*:role/BreakGlassOps"] },
      { ...org, allowedRegions: [...org.allowedRegions, "eu-west-1"] },
    ]) {
      const after = moduleLayout({ values, customStatements: customs, maxChars: LIMIT });
      expect(moved(placement(before), placement(after))).toEqual([]);
      for (const p of after.scps) expect(p.length).toBeLessThanOrEqual(LIMIT);
    }
  });

  test("an appended custom statement or a control switched off moves nothing", () => {
    const before = placement(moduleLayout({ values: org, customStatements: customs, maxChars: LIMIT }));
    for (const v of [
      moduleLayout({ values: org, customStatements: [...customs, customOfSize(4, 300)], maxChars: LIMIT }),
      moduleLayout({
        values: { ...org, toggles: { ...org.toggles, deny_leaving_organization: false } },
        customStatements: customs,
        maxChars: LIMIT,
      }),
      moduleLayout({ values: { ...org, allowCloudfrontDependencies: false }, customStatements: customs, maxChars: LIMIT }),
    ])
      expect(moved(before, placement(v))).toEqual([]);
  });

  test("a crowded organization: only the statements whose home has no room left move", () => {
    const full = representativeValues();
    const grown = { ...full, exemptPrincipalArns: [...full.exemptPrincipalArns, "arn:aws:iam::*:role/BreakGlassOps"] };
    const after = moduleLayout({ values: grown, maxChars: LIMIT });
    const movedSids = moved(placement(moduleLayout({ values: full, maxChars: LIMIT })), placement(after));
    const home = (sid: string) => after.scps.find((p) => p.name === `guardrails-scp-${SCP_HOMES[sid] + 1}`)!;
    for (const sid of movedSids) {
      const stmt = after.scps.flatMap((p) => p.document.Statement).find((x) => x.Sid === sid)!;
      expect(home(sid).sids).not.toContain(sid);
      expect(home(sid).length + tfJsonLength(stmt) + 1).toBeGreaterThan(LIMIT);
    }
  });

  test("fixture that turns it red: first-fit decreasing (the old packing) moves statements on the same change", () => {
    const ffd = (v: typeof org) => {
      const stmts = [...(scpStatements(v) as Statement[]), ...customs.map((c) => customToStatement(c, v.exemptPrincipalArns))];
      const bins = firstFitDecreasing(stmts, (s) => tfJsonLength(s), LIMIT);
      return Object.fromEntries(bins.flatMap((b, i) => b.items.map((s) => [s.Sid!, `scp-${i + 1}`])));
    };
    const grown = { ...org, exemptPrincipalArns: [...org.exemptPrincipalArns, "arn:aws:iam::*:role/BreakGlassOps"] };
    expect(moved(ffd(org), ffd(grown)).length).toBeGreaterThan(0);
  });

  test("property: a statement that fits its home is always placed there; every policy within the limit; deterministic", () => {
    const rand = rng(20261129);
    for (let run = 0; run < 300; run++) {
      const n = 1 + Math.floor(rand() * 40);
      const limit = 1000 + Math.floor(rand() * 9000);
      const homes = 1 + Math.floor(rand() * 3);
      const items = Array.from({ length: n }, () => ({
        size: 20 + Math.floor(rand() * (limit / 3)),
        home: rand() < 0.6 ? Math.floor(rand() * homes) : -1,
      }));
      const r = stablePack(items, limit, homes);
      const cap = packCapacity(limit);
      const homeLoad = new Array(homes).fill(0);
      items.forEach((it, i) => {
        if (it.home >= 0 && homeLoad[it.home] + it.size + 1 <= cap) {
          homeLoad[it.home] += it.size + 1;
          expect(r.assignment[i]).toBe(it.home);
        }
      });
      for (const b of r.policies) expect(r.loads[b]).toBeLessThanOrEqual(cap);
      expect(stablePack(items, limit, homes)).toEqual(r);
    }
  });
});

describe("exemption patterns", () => {
  const ok = (a: string) => new RegExp(EXEMPT_ARN_REGEX).test(a);
  test("a literal role or user family passes; a leading wildcard or a short literal prefix is refused", () => {
    for (const a of [
      "arn:aws:iam::*:role/BreakGlass",
      "arn:aws:iam::111122223333:role/ops/BreakGlass",
      "arn:aws:iam::*:role/stacksets-exec-*",
      "arn:aws:iam::*:role/terraform-*",
      "arn:aws-us-gov:iam::*:user/break-glass-?",
    ])
      expect({ a, ok: ok(a) }).toEqual({ a, ok: true });
    for (const a of [
      "arn:aws:iam::*:role/*",
      "arn:aws:iam::*:role/*a*",
      "arn:aws:iam::*:role/*-*",
      "arn:aws:iam::*:user/*e*",
      "arn:aws:iam::*:role/ab*",
      "arn:aws:iam::*:role/*/BreakGlass",
      "arn:aws:iam::*:role/BreakGlass/",
      "arn:aws:iam::*:root",
      "arn:aws:sts::*:assumed-role/BreakGlass/x",
    ])
      expect({ a, ok: ok(a) }).toEqual({ a, ok: false });
  });

  test("pipeline audit resources: trails and analyzers with a literal name prefix only", () => {
    const audit = (a: string) => new RegExp(AUDIT_RESOURCE_ARN_REGEX).test(a);
    expect(audit("arn:aws:cloudtrail:*:*:trail/acme-account-trail")).toBe(true);
    expect(audit("arn:aws:access-analyzer:ap-southeast-2:111122223333:analyzer/acme-*")).toBe(true);
    expect(audit("arn:aws:cloudtrail:*:*:trail/*")).toBe(false);
    expect(audit("arn:aws:guardduty:*:*:detector/abcd")).toBe(false);
  });
});

describe("synth-time quota check of the defaults", () => {
  test("the defaults fit the AWS default quotas: two SCPs (the two homes) and one RCP; a representative organization three SCPs", () => {
    const layout = moduleLayout({ values: defaultPolicyValues(), maxChars: DEFAULT_OPTIONS.scpMaxChars });
    expect(layout.scps).toHaveLength(2);
    expect(layout.rcps).toHaveLength(1);
    for (const p of layout.scps) expect(p.length).toBeLessThanOrEqual(5120);
    const org = moduleLayout({ values: representativeValues(), maxChars: DEFAULT_OPTIONS.scpMaxChars });
    expect(org.scps).toHaveLength(3);
    expect(moduleLayoutProblems(org, { maxChars: 5120, maxPerTarget: 5 })).toEqual([]);
    expect(moduleLayoutProblems(layout, { maxChars: 5120, maxPerTarget: 5 })).toEqual([]);
    expect(() => checkDefaultQuotas(DEFAULT_OPTIONS)).not.toThrow();
  });

  test("a quota too small for the defaults throws naming the policy and its size", () => {
    let err: unknown;
    try {
      checkDefaultQuotas({ scpMaxChars: 2000, scpMaxPerTarget: 5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuardrailError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/with the default inputs, the policies do not fit the quotas/);
    expect(msg).toMatch(
      /SCP guardrails-scp-\d \(statement DenyOutsideAllowedRegions\) is 2,\d{3} characters; the limit is 2,000 \(generator option scpMaxChars\)\./,
    );
  });

  test("too few policies per target for the packed defaults throws naming the counts", () => {
    // The defaults need two SCPs (their homes), so each target would have 3.
    const layout = moduleLayout({ values: defaultPolicyValues(), maxChars: 3000 });
    expect(layout.scps).toHaveLength(2);
    expect(() => checkDefaultQuotas({ scpMaxChars: 3000, scpMaxPerTarget: 2 })).toThrow(
      /Each target would have 3 SCPs \(2 from this module, FullAWSAccess\); the limit is 2 \(generator option scpMaxPerTarget\)\./,
    );
  });

  test("property: for every quota from 2,400 to 10,000 the packed default policies each fit", () => {
    for (let maxChars = 2400; maxChars <= 10000; maxChars += 100) {
      const layout = moduleLayout({ values: defaultPolicyValues({ toggles: allOn }), maxChars });
      for (const p of [...layout.scps, ...layout.rcps]) expect(p.length).toBeLessThanOrEqual(maxChars);
      const docs: PolicyDocument[] = layout.scps.map((p) => p.document);
      expect(docs.flatMap((d) => d.Statement).length).toBe(scpStatements(defaultPolicyValues({ toggles: allOn })).length);
    }
  });
});

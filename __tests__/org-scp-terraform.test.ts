/**
 * Layers 4 and 6 for org-scp: terraform validate / plan of a root that calls the generated
 * module (offline mirror), plan-time refusals whose messages are asserted, the plan-time packing
 * compared with the TypeScript reference bin for bin, and IAM decisions simulated with decide()
 * on the SCPs and the RCP read from the plan JSON (FullAWSAccess at every level).
 */
import * as path from "path";
import type { PolicyDocument } from "../lib/policy/types";
import { CustomStatement, customToStatement } from "../lib/policy/scp/custom";
import { defaultPolicyValues, moduleLayout } from "../lib/policy/scp/layout";
import { formatCount, tfJsonLength } from "../lib/policy/scp/pack";
import { moduleDir } from "./helpers/synth";
import { FULL_AWS_ACCESS, decide, defaultContext, type SimLayers, type SimRequest } from "../tools/simulate";
import {
  copyModule,
  describeTerraform,
  initAndValidate,
  offlineProvider,
  plan,
  plannedResources,
  writeRoot,
  type PlanResult,
} from "../tools/terraform";

const ACCT = "111122223333";
const ORG = "o-abcdefghij";
const EXEMPT = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/terraform-*"];
const REGIONS = ["ap-southeast-2", "eu-central-1"];
const TARGETS = ["ou-ab12-abcdefgh", ACCT];

/** A custom statement whose minified JSON (with the exemption) is exactly `size` characters. */
function customOfSize(i: number, size: number, exempt = EXEMPT): CustomStatement {
  const base: CustomStatement = { sid: `Custom${i}`, actions: ["ec2:RunInstances"], resources: ["arn:aws:ec2:*:*:instance/"] };
  const pad = size - tfJsonLength(customToStatement(base, exempt));
  return { ...base, resources: [`arn:aws:ec2:*:*:instance/${"x".repeat(pad)}`] };
}

const DENY_BIG_INSTANCES: CustomStatement = {
  sid: "DenyLargeInstances",
  actions: ["ec2:RunInstances"],
  resources: ["arn:aws:ec2:*:*:instance/*"],
  conditions: [{ test: "StringNotLike", variable: "ec2:InstanceType", values: ["t3.*", "t4g.*"] }],
};
/** Enough custom statements that the SCP statements need two policies. */
const CUSTOM: CustomStatement[] = [DENY_BIG_INSTANCES, customOfSize(1, 900), customOfSize(2, 700)];

const ROOT_TF = `
variable "allowed_regions" {
  type    = list(string)
  default = ${JSON.stringify(REGIONS)}
}
variable "custom_statements" {
  type    = any
  default = []
}
variable "enable_rcp" {
  type    = bool
  default = true
}
variable "organization_id" {
  type    = string
  default = "${ORG}"
}
variable "exempt_principal_arns" {
  type    = list(string)
  default = ${JSON.stringify(EXEMPT)}
}
variable "target_ids" {
  type    = list(string)
  default = ${JSON.stringify(TARGETS)}
}

module "org" {
  source                         = "./modules/org-scp"
  parent_id                      = "r-ab12"
  ou_name                        = "workloads"
  target_ids                     = var.target_ids
  allowed_regions                = var.allowed_regions
  exempt_principal_arns          = var.exempt_principal_arns
  deny_iam_users_and_access_keys = true
  custom_statements              = var.custom_statements
  enable_rcp                     = var.enable_rcp
  organization_id                = var.organization_id
  name_prefix                    = "acme"
}

module "plain" {
  source     = "./modules/org-scp"
  create_ou  = false
  target_ids = ["r-ab12"]
}

module "off" {
  source     = "./modules/org-scp"
  enabled    = false
  parent_id  = "r-ab12"
  target_ids = ["r-ab12"]
  enable_rcp = true
  organization_id = "${ORG}"
}

output "org" {
  value = module.org
}
output "plain" {
  value = module.plain
}
output "off" {
  value = module.off
}
`;

/** Terraform's diagnostics without box drawing and line wrapping. */
const flat = (r: PlanResult) => (r.stderr + r.stdout).replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");

describeTerraform("org-scp: terraform validate and plan (offline)", () => {
  let dir: string;
  let result: PlanResult;
  let planned: Record<string, any>;
  let outputs: Record<string, any>;
  const scpsOf = (module: string): { name: string; doc: PolicyDocument; content: string }[] =>
    Object.entries(planned)
      .filter(([a, v]) => a.startsWith(`module.${module}.aws_organizations_policy.`) && v.type === "SERVICE_CONTROL_POLICY")
      .map(([, v]) => ({ name: v.name, doc: JSON.parse(v.content), content: v.content }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const rcpsOf = (module: string) =>
    Object.entries(planned)
      .filter(([a, v]) => a.startsWith(`module.${module}.aws_organizations_policy.`) && v.type === "RESOURCE_CONTROL_POLICY")
      .map(([, v]) => ({ name: v.name as string, doc: JSON.parse(v.content) as PolicyDocument }));

  beforeAll(() => {
    dir = writeRoot({ "providers.tf": offlineProvider(), "main.tf": ROOT_TF }, "orgscp");
    copyModule(moduleDir("org-scp", { modules: ["org-scp"] }), path.join(dir, "modules", "org-scp"));
    result = plan(dir, { custom_statements: CUSTOM });
    if (!result.ok) throw new Error(`plan failed:\n${result.stderr}`);
    planned = plannedResources(result.json);
    // Known parts of the outputs (policy ids are known after apply only).
    outputs = Object.fromEntries(Object.entries<any>(result.json.output_changes).map(([k, v]) => [k, v.after]));
  });

  test("the module validates and plans without warnings", () => {
    const v = initAndValidate(dir);
    expect(v.diagnostics).toEqual([]);
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(/Warning/);
  });

  test("plan-time packing equals the TypeScript first-fit-decreasing reference, policy for policy", () => {
    const expected = moduleLayout({
      values: defaultPolicyValues({
        allowedRegions: REGIONS,
        exemptPrincipalArns: EXEMPT,
        organizationId: ORG,
        toggles: { deny_iam_users_and_access_keys: true },
      }),
      customStatements: CUSTOM,
      namePrefix: "acme",
      maxChars: 5120,
    });
    expect(expected.scps.length).toBe(2);
    const scps = scpsOf("org");
    expect(scps.map((p) => p.name)).toEqual(expected.scps.map((p) => p.name));
    scps.forEach((p, i) => {
      expect(p.doc).toEqual(expected.scps[i].document);
      expect(p.content.length).toBe(expected.scps[i].length);
    });
    expect(rcpsOf("org").map((p) => p.doc)).toEqual(expected.rcps.map((p) => p.document));
  });

  test("outputs: policy sizes are the minified lengths and within the limit; ids per policy; counts per target", () => {
    const sizes = outputs.org.policy_sizes as Record<string, number>;
    expect(Object.keys(sizes).sort()).toEqual(["acme-rcp-1", "acme-scp-1", "acme-scp-2"]);
    for (const p of [...scpsOf("org"), ...rcpsOf("org").map((r) => ({ ...r, content: JSON.stringify(r.doc) }))]) {
      expect(sizes[p.name]).toBe(p.content.length);
      expect(sizes[p.name]).toBeLessThanOrEqual(5120);
    }
    expect(outputs.org.policy_count_per_target).toEqual({
      created_ou: { scp: 3, rcp: 2 },
      "ou-ab12-abcdefgh": { scp: 3, rcp: 2 },
      [ACCT]: { scp: 3, rcp: 2 },
    });
    // policy_ids are known after apply; their keys are the policy names.
    const unknown = result.json.output_changes?.org?.after_unknown?.policy_ids;
    expect(Object.keys(unknown ?? {}).sort()).toEqual(["acme-rcp-1", "acme-scp-1", "acme-scp-2"]);
  });

  test("every policy is attached to the created OU and to every existing target; nothing detaches FullAWSAccess", () => {
    const att = Object.entries(planned).filter(([a]) => a.startsWith("module.org.aws_organizations_policy_attachment."));
    expect(att.map(([a]) => a).sort()).toEqual(
      ["acme-rcp-1", "acme-scp-1", "acme-scp-2"]
        .flatMap((p) => ["created_ou", ...TARGETS].map((t) => `${p}/${t}`))
        .map((k) => `module.org.aws_organizations_policy_attachment.${k.includes("rcp") ? "rcp" : "scp"}_attachment["${k}"]`)
        .sort(),
    );
    for (const [, v] of att) expect(v.policy_id ?? "").not.toMatch(/FullAWSAccess/);
    expect(planned["module.org.aws_organizations_organizational_unit.ou[0]"]).toMatchObject({ name: "workloads", parent_id: "r-ab12" });
  });

  test("defaults (module.plain): one SCP of the default catalog on the root, no OU, no RCP", () => {
    const expected = moduleLayout({ values: defaultPolicyValues(), maxChars: 5120 });
    expect(scpsOf("plain").map((p) => p.doc)).toEqual(expected.scps.map((p) => p.document));
    expect(rcpsOf("plain")).toEqual([]);
    expect(Object.keys(planned).filter((a) => a.startsWith("module.plain.aws_organizations_organizational_unit"))).toEqual([]);
    expect(outputs.plain.policy_count_per_target).toEqual({ "r-ab12": { scp: 2, rcp: 0 } });
    expect(outputs.plain.ou_id).toBeNull();
  });

  test("enabled = false (module.off) plans nothing", () => {
    expect(Object.keys(planned).filter((a) => a.startsWith("module.off."))).toEqual([]);
    expect(outputs.off).toMatchObject({ ou_id: null, policy_ids: {}, policy_sizes: {}, policy_count_per_target: {} });
  });

  describe("SCP layer simulated with decide() on the planned policies", () => {
    const admin: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    let layers: SimLayers;
    beforeAll(() => {
      // FullAWSAccess at the root, FullAWSAccess + the module's SCPs on the OU, FullAWSAccess on the account.
      layers = { identity: [admin], scps: [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...scpsOf("org").map((p) => p.doc)], [FULL_AWS_ACCESS]] };
    });
    const dev = `arn:aws:sts::${ACCT}:assumed-role/Developer/alice`;
    const run = (req: Partial<SimRequest> & { region?: string; ctx?: Record<string, string | undefined> }) =>
      decide(layers, {
        principal: req.principal ?? dev,
        action: req.action!,
        resource: req.resource ?? "*",
        context: defaultContext({ "aws:RequestedRegion": req.region ?? "ap-southeast-2", ...req.ctx }),
      });
    const instance = (region: string) => `arn:aws:ec2:${region}:${ACCT}:instance/i-0123456789abcdef0`;
    const deniedBy = (sid: string) =>
      expect.objectContaining({ allowed: false, deniedBy: "scp", explicit: true, detail: expect.stringContaining(sid) });

    test("a request in a non-allowed region is denied; in the allowed regions it is allowed", async () => {
      await expect(run({ action: "ec2:RunInstances", resource: instance("us-west-2"), region: "us-west-2" })).resolves.toEqual(
        deniedBy("DenyOutsideAllowedRegions"),
      );
      await expect(run({ action: "ec2:RunInstances", resource: instance("us-east-1"), region: "us-east-1" })).resolves.toEqual(
        deniedBy("DenyOutsideAllowedRegions"),
      );
      // (t3.micro: the custom statement below denies other instance types.)
      for (const region of REGIONS)
        await expect(
          run({ action: "ec2:RunInstances", resource: instance(region), region, ctx: { "ec2:InstanceType": "t3.micro" } }),
        ).resolves.toEqual({ allowed: true });
      await expect(run({ action: "s3:GetObject", resource: "arn:aws:s3:::acme-data/report.csv" })).resolves.toEqual({ allowed: true });
    });

    test("global services through us-east-1 are allowed", async () => {
      const east = { region: "us-east-1" };
      await expect(run({ ...east, action: "iam:CreateRole", resource: `arn:aws:iam::${ACCT}:role/app` })).resolves.toEqual({
        allowed: true,
      });
      await expect(run({ ...east, action: "organizations:DescribeOrganization" })).resolves.toEqual({ allowed: true });
      await expect(run({ ...east, action: "budgets:ViewBudget", resource: `arn:aws:budgets::${ACCT}:budget/monthly` })).resolves.toEqual({
        allowed: true,
      });
      await expect(run({ ...east, action: "sts:GetCallerIdentity" })).resolves.toEqual({ allowed: true });
    });

    test("exempt principals (exact and wildcard) are not denied", async () => {
      for (const principal of [
        `arn:aws:sts::${ACCT}:assumed-role/BreakGlass/oncall`,
        `arn:aws:sts::${ACCT}:assumed-role/terraform-deployer/ci`,
      ]) {
        await expect(run({ principal, action: "ec2:RunInstances", resource: instance("us-west-2"), region: "us-west-2" })).resolves.toEqual(
          {
            allowed: true,
          },
        );
        await expect(
          run({ principal, action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:ap-southeast-2:${ACCT}:trail/org` }),
        ).resolves.toEqual({ allowed: true });
      }
    });

    test("leaving the organization is denied (except for the break-glass role)", async () => {
      await expect(run({ action: "organizations:LeaveOrganization", region: "us-east-1" })).resolves.toEqual(
        deniedBy("DenyLeavingOrganization"),
      );
      await expect(
        run({
          principal: `arn:aws:sts::${ACCT}:assumed-role/BreakGlass/oncall`,
          action: "organizations:LeaveOrganization",
          region: "us-east-1",
        }),
      ).resolves.toEqual({ allowed: true });
    });

    test("the root user is denied; a centralized-root-access session (aws:AssumedRoot) is not", async () => {
      const root = `arn:aws:iam::${ACCT}:root`;
      await expect(run({ principal: root, action: "ec2:DescribeInstances" })).resolves.toEqual(deniedBy("DenyRootUser"));
      await expect(run({ principal: root, action: "iam:ListUsers", region: "us-east-1" })).resolves.toEqual(deniedBy("DenyRootUser"));
      await expect(run({ principal: root, action: "ec2:DescribeInstances", ctx: { "aws:AssumedRoot": "true" } })).resolves.toEqual({
        allowed: true,
      });
    });

    test("stopping or deleting security services is denied", async () => {
      await expect(
        run({ action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:ap-southeast-2:${ACCT}:trail/org` }),
      ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      await expect(
        run({ action: "cloudtrail:DeleteTrail", resource: `arn:aws:cloudtrail:ap-southeast-2:${ACCT}:trail/org` }),
      ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      await expect(
        run({
          action: "guardduty:DeleteDetector",
          resource: `arn:aws:guardduty:ap-southeast-2:${ACCT}:detector/12abc34d567e8fa901bc2d34e56789f0`,
        }),
      ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      await expect(
        run({ action: "securityhub:DisableSecurityHub", resource: `arn:aws:securityhub:ap-southeast-2:${ACCT}:hub/default` }),
      ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      await expect(
        run({
          action: "config:StopConfigurationRecorder",
          resource: `arn:aws:config:ap-southeast-2:${ACCT}:configuration-recorder/default/abc123`,
        }),
      ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      // Reading them stays allowed.
      await expect(run({ action: "cloudtrail:DescribeTrails" })).resolves.toEqual({ allowed: true });
    });

    test("opt-in regions, account public access block, IAM users: denied", async () => {
      await expect(
        run({ action: "account:EnableRegion", resource: `arn:aws:account::${ACCT}:account`, region: "us-east-1" }),
      ).resolves.toEqual(deniedBy("DenyRegionOptInChanges"));
      await expect(run({ action: "s3:PutAccountPublicAccessBlock", region: "us-east-1" })).resolves.toEqual(
        deniedBy("DenyAccountPublicAccessBlockChanges"),
      );
      await expect(run({ action: "iam:CreateUser", resource: `arn:aws:iam::${ACCT}:user/bob`, region: "us-east-1" })).resolves.toEqual(
        deniedBy("DenyIamUsersAndAccessKeys"),
      );
    });

    test("S3 buckets located outside the allowed regions are denied, inside allowed", async () => {
      const create = (constraint: string) =>
        run({ action: "s3:CreateBucket", resource: "arn:aws:s3:::acme-new", ctx: { "s3:LocationConstraint": constraint } });
      await expect(create("us-west-2")).resolves.toEqual(deniedBy("DenyBucketsOutsideAllowedRegions"));
      await expect(create("eu-central-1")).resolves.toEqual({ allowed: true });
    });

    test("the custom statement applies", async () => {
      const ctx = (type: string) => ({ "ec2:InstanceType": type });
      await expect(run({ action: "ec2:RunInstances", resource: instance("ap-southeast-2"), ctx: ctx("m5.24xlarge") })).resolves.toEqual(
        deniedBy("DenyLargeInstances"),
      );
      await expect(run({ action: "ec2:RunInstances", resource: instance("ap-southeast-2"), ctx: ctx("t3.micro") })).resolves.toEqual({
        allowed: true,
      });
    });
  });

  describe("RCP layer simulated with decide() on the planned RCP", () => {
    const BUCKET = "arn:aws:s3:::acme-data";
    const OBJECT = `${BUCKET}/report.csv`;
    const partner = "arn:aws:iam::444455556666:role/partner";
    const bucketPolicy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: partner }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }],
    };
    const get = (principal: string, ctx: Record<string, string | undefined>) =>
      decide(
        {
          identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }],
          resource: bucketPolicy,
          rcps: [rcpsOf("org").map((r) => r.doc)],
        },
        {
          principal,
          action: "s3:GetObject",
          resource: OBJECT,
          resourceAccount: ACCT,
          context: defaultContext({ "aws:PrincipalIsAWSService": "false", ...ctx }),
        },
      );

    test("a principal outside the organization is denied even when the bucket policy allows it", async () => {
      await expect(get(partner, {})).resolves.toMatchObject({ allowed: false, deniedBy: "rcp", explicit: true });
    });

    test("a principal of the organization is allowed over TLS and denied without it", async () => {
      const alice = `arn:aws:sts::${ACCT}:assumed-role/Analyst/alice`;
      await expect(get(alice, { "aws:PrincipalOrgID": ORG })).resolves.toEqual({ allowed: true });
      await expect(get(alice, { "aws:PrincipalOrgID": ORG, "aws:SecureTransport": "false" })).resolves.toMatchObject({
        allowed: false,
        deniedBy: "rcp",
        detail: expect.stringContaining("EnforceSecureTransport"),
      });
    });
  });

  describe("plan-time refusals (messages asserted)", () => {
    test("bad region code, exempt ARN, target id and custom action are refused by validation", () => {
      const r = plan(dir, {
        allowed_regions: ["ap-southeast-2", "mars-north-1"],
        exempt_principal_arns: ["arn:aws:iam::*:role/*"],
        target_ids: ["ou-bad"],
        custom_statements: [{ sid: "Bad", actions: ["ec2 RunInstances"] }],
      });
      expect(r.ok).toBe(false);
      const out = flat(r);
      expect(out).toContain("Every entry of allowed_regions must be an AWS region code such as ap-southeast-2.");
      expect(out).toContain("Every entry of exempt_principal_arns must be an IAM role or user ARN");
      expect(out).toContain("Every entry of target_ids must be a root id (r-xxxx), an OU id (ou-xxxx-xxxxxxxx) or a 12-digit account id.");
      expect(out).toContain("Every action in custom_statements must look like service:Action");
    });

    test("an over-large custom statement set is refused: the policy too large (named, with its size), too many policies per target, RCP without organization_id", () => {
      // One statement larger than a whole policy, and twenty more that need several policies.
      const huge = customOfSize(99, 6000);
      const many = Array.from({ length: 20 }, (_, i) => customOfSize(i, 1500));
      const expected = moduleLayout({
        values: defaultPolicyValues({
          allowedRegions: REGIONS,
          exemptPrincipalArns: EXEMPT,
          toggles: { deny_iam_users_and_access_keys: true },
        }),
        customStatements: [huge, ...many],
        namePrefix: "acme",
        maxChars: 5120,
      });
      const big = expected.scps.find((p) => p.sids.includes("Custom99"))!;
      expect(big.sids).toEqual(["Custom99"]);
      expect(big.length).toBeGreaterThan(5120);
      const n = expected.scps.length;
      expect(n + 1).toBeGreaterThan(5);

      const r = plan(dir, { custom_statements: [huge, ...many], organization_id: null });
      expect(r.ok).toBe(false);
      const out = flat(r);
      expect(out).toContain(`SCP ${big.name} is ${formatCount(big.length)} characters; the limit is 5,120 (scp_max_chars).`);
      expect(out).toContain("a single statement (Custom99) is larger than a whole policy");
      expect(out).toContain(
        `Each target would have ${n + 1} SCPs (${n} from this module, FullAWSAccess and 0 others); the limit is 5 (scp_max_per_target).`,
      );
      expect(out).toContain("The organization_id is required when enable_rcp is true");
      // The other policies are within the limit: only the oversized one is reported.
      expect(out.match(/characters; the limit is 5,120/g)).toHaveLength(1);
    });
  });
});

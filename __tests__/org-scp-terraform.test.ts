/**
 * Layers 4 and 6 for org-scp: terraform validate / plan of a root that calls the generated
 * module (offline mirror), plan-time refusals whose messages are asserted, the plan-time placement
 * compared with the TypeScript reference policy for policy, and IAM decisions simulated with
 * decide() on the SCPs and the RCP read from the plan JSON (FullAWSAccess at every level), among
 * them the attacker's cases: a member-account administrator creating a role that matches an
 * exemption, a pipeline deploying the account baseline, CloudFront's us-east-1 dependencies and
 * Control Tower's roles. Each simulated check has a fixture (a widened or narrowed policy) that
 * turns it red.
 */
import * as path from "path";
import type { PolicyDocument } from "../lib/policy/types";
import { CustomStatement, customToStatement } from "../lib/policy/scp/custom";
import { defaultPolicyValues, moduleLayout } from "../lib/policy/scp/layout";
import type { Statement } from "../lib/policy/types";
import { formatCount, tfJsonLength } from "../lib/policy/scp/placement";
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

# A realistic organization: break-glass, security administrators, pipelines with the audit
# resources iam-baseline deploys, StackSets and Control Tower roles, the CloudFront opt-in, and a
# target that is only known after apply (an OU created in the same root).
resource "aws_organizations_organizational_unit" "extra" {
  name      = "extra"
  parent_id = "r-ab12"
}

module "guarded" {
  source                               = "./modules/org-scp"
  name_prefix                          = "guard"
  create_ou                            = false
  targets                              = { workloads = "ou-ab12-workload1", extra = aws_organizations_organizational_unit.extra.id }
  allowed_regions                      = ["ap-southeast-2"]
  exempt_principal_arns                = ["arn:aws:iam::*:role/BreakGlass"]
  security_admin_principal_arns        = ["arn:aws:iam::*:role/acme-security-admin"]
  pipeline_principal_arns              = ["arn:aws:iam::*:role/acme-github-deploy"]
  pipeline_audit_resource_arns         = ["arn:aws:cloudtrail:*:*:trail/acme-account-trail", "arn:aws:access-analyzer:*:*:analyzer/acme-*"]
  exempt_organization_automation_roles = ["stacksets-exec-*"]
  control_tower_compatible             = true
  allow_cloudfront_dependencies        = true
  deny_iam_users_and_access_keys       = true
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

  const expectedOrg = () =>
    moduleLayout({
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

  test("plan-time placement equals the TypeScript reference, policy for policy (two homes, then the custom statements)", () => {
    const expected = expectedOrg();
    expect(expected.scps.map((p) => p.name)).toEqual(["acme-scp-1", "acme-scp-2", "acme-scp-3"]);
    expect(expected.scps[2].sids).toEqual(CUSTOM.map((c) => c.sid));
    const scps = scpsOf("org");
    expect(scps.map((p) => p.name)).toEqual(expected.scps.map((p) => p.name));
    scps.forEach((p, i) => {
      expect(p.doc).toEqual(expected.scps[i].document);
      expect(p.content.length).toBe(expected.scps[i].length);
    });
    expect(rcpsOf("org").map((p) => p.doc)).toEqual(expected.rcps.map((p) => p.document));
  });

  test("the realistic organization plans with a target known only after apply, and its placement equals the reference", () => {
    const expected = moduleLayout({
      values: defaultPolicyValues({
        exemptPrincipalArns: ["arn:aws:iam::*:role/BreakGlass"],
        securityAdminPrincipalArns: ["arn:aws:iam::*:role/acme-security-admin"],
        pipelinePrincipalArns: ["arn:aws:iam::*:role/acme-github-deploy"],
        pipelineAuditResourceArns: ["arn:aws:cloudtrail:*:*:trail/acme-account-trail", "arn:aws:access-analyzer:*:*:analyzer/acme-*"],
        organizationAutomationRoles: ["stacksets-exec-*"],
        controlTowerCompatible: true,
        allowCloudfrontDependencies: true,
        toggles: { deny_iam_users_and_access_keys: true },
      }),
      namePrefix: "guard",
      maxChars: 5120,
    });
    const scps = scpsOf("guarded");
    expect(scps.map((p) => p.name)).toEqual(expected.scps.map((p) => p.name));
    scps.forEach((p, i) => expect(p.doc).toEqual(expected.scps[i].document));
    const att = Object.keys(planned).filter((a) => a.startsWith("module.guarded.aws_organizations_policy_attachment."));
    expect(att.sort()).toEqual(
      expected.scps
        .flatMap((p) =>
          ["extra", "workloads"].map((t) => `module.guarded.aws_organizations_policy_attachment.scp_attachment["${p.name}/${t}"]`),
        )
        .sort(),
    );
  });

  test("outputs: policy sizes are the minified lengths and within the limit; ids per policy; counts per target", () => {
    const sizes = outputs.org.policy_sizes as Record<string, number>;
    const names = [...expectedOrg().scps.map((p) => p.name), "acme-rcp-1"].sort();
    expect(Object.keys(sizes).sort()).toEqual(names);
    for (const p of [...scpsOf("org"), ...rcpsOf("org").map((r) => ({ ...r, content: JSON.stringify(r.doc) }))]) {
      expect(sizes[p.name]).toBe(p.content.length);
      expect(sizes[p.name]).toBeLessThanOrEqual(5120);
    }
    expect(outputs.org.policy_count_per_target).toEqual({
      created_ou: { scp: 4, rcp: 2 },
      "ou-ab12-abcdefgh": { scp: 4, rcp: 2 },
      [ACCT]: { scp: 4, rcp: 2 },
    });
    // policy_ids are known after apply; their keys are the policy names.
    const unknown = result.json.output_changes?.org?.after_unknown?.policy_ids;
    expect(Object.keys(unknown ?? {}).sort()).toEqual(names);
  });

  test("every policy is attached to the created OU and to every existing target; nothing detaches FullAWSAccess", () => {
    const att = Object.entries(planned).filter(([a]) => a.startsWith("module.org.aws_organizations_policy_attachment."));
    expect(att.map(([a]) => a).sort()).toEqual(
      [...expectedOrg().scps.map((p) => p.name), "acme-rcp-1"]
        .flatMap((p) => ["created_ou", ...TARGETS].map((t) => `${p}/${t}`))
        .map((k) => `module.org.aws_organizations_policy_attachment.${k.includes("rcp") ? "rcp" : "scp"}_attachment["${k}"]`)
        .sort(),
    );
    for (const [, v] of att) expect(v.policy_id ?? "").not.toMatch(/FullAWSAccess/);
    expect(planned["module.org.aws_organizations_organizational_unit.ou[0]"]).toMatchObject({ name: "workloads", parent_id: "r-ab12" });
  });

  test("defaults (module.plain): the two home SCPs of the default catalog on the root, no OU, no RCP", () => {
    const expected = moduleLayout({ values: defaultPolicyValues(), maxChars: 5120 });
    expect(scpsOf("plain").map((p) => p.doc)).toEqual(expected.scps.map((p) => p.document));
    expect(rcpsOf("plain")).toEqual([]);
    expect(Object.keys(planned).filter((a) => a.startsWith("module.plain.aws_organizations_organizational_unit"))).toEqual([]);
    expect(outputs.plain.policy_count_per_target).toEqual({ "r-ab12": { scp: 3, rcp: 0 } });
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

  describe("attacker's cases on the realistic organization (module.guarded), simulated with decide()", () => {
    const admin: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    let docs: PolicyDocument[];
    beforeAll(() => {
      docs = scpsOf("guarded").map((p) => p.doc);
    });
    const role = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
    const session = (name: string) => `arn:aws:sts::${ACCT}:assumed-role/${name}/s`;
    const ADMIN = session("WorkloadAdmin");
    const PIPELINE = session("acme-github-deploy");
    const SECADMIN = session("acme-security-admin");
    const BREAK_GLASS = session("BreakGlass");
    type Req = { principal: string; action: string; resource?: string; region?: string; ctx?: Record<string, string> };
    const run = (req: Req, scps: PolicyDocument[] = docs) =>
      decide(
        { identity: [admin], scps: [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...scps]] },
        {
          principal: req.principal,
          action: req.action,
          resource: req.resource ?? "*",
          context: defaultContext({ "aws:RequestedRegion": req.region ?? "ap-southeast-2", ...req.ctx }),
        },
      );
    const deniedBy = (sid: string) => expect.objectContaining({ allowed: false, deniedBy: "scp", detail: expect.stringContaining(sid) });
    /** The policies with one statement changed (or removed when `fn` returns undefined): the fixtures that turn a check red. */
    const mutate = (sid: string, fn: (s: Statement) => Statement | undefined) =>
      docs.map((d) => ({
        ...d,
        Statement: d.Statement.flatMap((s) => (s.Sid === sid ? (fn(structuredClone(s)) ?? []) : [s])),
      }));
    const addExempt = (arn: string) => (s: Statement) => {
      const c = s.Condition as any;
      c.ArnNotLike["aws:PrincipalARN"] = [...[c.ArnNotLike["aws:PrincipalARN"]].flat(), arn];
      return s;
    };
    const east = "us-east-1";
    const recorder = (region: string) => `arn:aws:config:${region}:${ACCT}:configuration-recorder/default/abc123`;

    describe("the role-creation bypass: a non-exempt member-account administrator cannot become exempt", () => {
      const bypasses: Array<[string, string]> = [
        ["iam:CreateRole", role("BreakGlass")],
        ["iam:UpdateAssumeRolePolicy", role("BreakGlass")],
        ["iam:AttachRolePolicy", role("BreakGlass")],
        ["iam:PutRolePolicy", role("acme-github-deploy")],
        ["iam:UpdateAssumeRolePolicy", role("acme-security-admin")],
        ["iam:CreateRole", role("stacksets-exec-evil/anything")], // a path under a wildcard exemption
        ["iam:CreateRole", role("AWSControlTowerExecution")],
        ["iam:DeleteRolePermissionsBoundary", role("BreakGlass")],
        ["iam:TagRole", role("BreakGlass")],
        ["iam:PassRole", role("BreakGlass")],
      ];
      test.each(bypasses)("%s on %s is denied", async (action, resource) => {
        await expect(run({ principal: ADMIN, action, resource, region: east })).resolves.toEqual(
          expect.objectContaining({
            allowed: false,
            deniedBy: "scp",
            detail: expect.stringMatching(/Protect(BreakGlass|SecurityAdmin|Pipeline)Principals/),
          }),
        );
      });

      test("roles outside the exemptions stay manageable; each class manages its own; break-glass manages all", async () => {
        await expect(run({ principal: ADMIN, action: "iam:CreateRole", resource: role("app-service"), region: east })).resolves.toEqual({
          allowed: true,
        });
        await expect(
          run({ principal: PIPELINE, action: "iam:UpdateAssumeRolePolicy", resource: role("acme-github-deploy"), region: east }),
        ).resolves.toEqual({
          allowed: true,
        });
        await expect(run({ principal: PIPELINE, action: "iam:CreateRole", resource: role("BreakGlass"), region: east })).resolves.toEqual(
          deniedBy("ProtectBreakGlassPrincipals"),
        );
        await expect(
          run({ principal: SECADMIN, action: "iam:PutRolePolicy", resource: role("acme-github-deploy"), region: east }),
        ).resolves.toEqual(deniedBy("ProtectPipelinePrincipals"));
        await expect(
          run({ principal: BREAK_GLASS, action: "iam:CreateRole", resource: role("BreakGlass"), region: east }),
        ).resolves.toEqual({ allowed: true });
      });

      test("fixture that turns it red: without the protection statement the administrator creates role/BreakGlass", async () => {
        const widened = mutate("ProtectBreakGlassPrincipals", () => undefined);
        await expect(
          run({ principal: ADMIN, action: "iam:CreateRole", resource: role("BreakGlass"), region: east }, widened),
        ).resolves.toEqual({
          allowed: true,
        });
        await expect(
          run({ principal: ADMIN, action: "iam:CreateRole", resource: role("stacksets-exec-evil/anything"), region: east }, widened),
        ).resolves.toEqual({
          allowed: true,
        });
      });
    });

    describe("a pipeline deploys iam-baseline and data-lake (trail update and destroy included) without being exempt from leaving", () => {
      const trail = `arn:aws:cloudtrail:ap-southeast-2:${ACCT}:trail/acme-account-trail`;
      const analyzer = `arn:aws:access-analyzer:ap-southeast-2:${ACCT}:analyzer/acme-account`;
      const deploy: Req[] = [
        { principal: PIPELINE, action: "iam:CreateRole", resource: role("acme-prod-developer"), region: east },
        { principal: PIPELINE, action: "iam:PutRolePolicy", resource: role("acme-prod-developer"), region: east },
        { principal: PIPELINE, action: "iam:CreatePolicy", resource: `arn:aws:iam::${ACCT}:policy/acme-engineer`, region: east },
        { principal: PIPELINE, action: "iam:CreateUser", resource: `arn:aws:iam::${ACCT}:user/jo`, region: east },
        { principal: PIPELINE, action: "iam:UpdateAccountPasswordPolicy", region: east },
        { principal: PIPELINE, action: "iam:CreateAccountAlias", region: east },
        { principal: PIPELINE, action: "cloudtrail:CreateTrail", resource: trail },
        { principal: PIPELINE, action: "cloudtrail:UpdateTrail", resource: trail },
        { principal: PIPELINE, action: "cloudtrail:PutEventSelectors", resource: trail },
        { principal: PIPELINE, action: "cloudtrail:StartLogging", resource: trail },
        { principal: PIPELINE, action: "cloudtrail:StopLogging", resource: trail },
        { principal: PIPELINE, action: "cloudtrail:DeleteTrail", resource: trail },
        { principal: PIPELINE, action: "access-analyzer:CreateAnalyzer", resource: analyzer },
        { principal: PIPELINE, action: "access-analyzer:DeleteAnalyzer", resource: analyzer },
        {
          principal: PIPELINE,
          action: "s3:CreateBucket",
          resource: "arn:aws:s3:::acme-lake-landing-zone",
          ctx: { "s3:LocationConstraint": "ap-southeast-2" },
        },
        { principal: PIPELINE, action: "s3:PutBucketPolicy", resource: "arn:aws:s3:::acme-lake-landing-zone" },
        { principal: PIPELINE, action: "s3:DeleteBucket", resource: "arn:aws:s3:::acme-lake-landing-zone" },
        { principal: PIPELINE, action: "athena:CreateWorkGroup", resource: `arn:aws:athena:ap-southeast-2:${ACCT}:workgroup/acme-lake` },
        { principal: PIPELINE, action: "budgets:ModifyBudget", resource: `arn:aws:budgets::${ACCT}:budget/monthly`, region: east },
      ];
      test.each(deploy.map((r) => [r.action, r.resource ?? "*", r] as const))("%s on %s is allowed", async (_a, _r, req) => {
        await expect(run(req)).resolves.toEqual({ allowed: true });
      });

      const refused: Array<[Req, string]> = [
        [{ principal: PIPELINE, action: "organizations:LeaveOrganization", region: east }, "DenyLeavingOrganization"],
        [
          { principal: PIPELINE, action: "cloudtrail:StopLogging", resource: `arn:aws:cloudtrail:ap-southeast-2:${ACCT}:trail/org-trail` },
          "LimitPipelinesToTheirAuditResources",
        ],
        [
          {
            principal: PIPELINE,
            action: "cloudtrail:DeleteTrail",
            resource: `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/aws-controltower-BaselineCloudTrail`,
          },
          "LimitPipelinesToTheirAuditResources",
        ],
        [
          {
            principal: PIPELINE,
            action: "guardduty:DeleteDetector",
            resource: `arn:aws:guardduty:ap-southeast-2:${ACCT}:detector/12abc34d567e8fa901bc2d34e56789f0`,
          },
          "LimitPipelinesToTheirAuditResources",
        ],
        [
          { principal: PIPELINE, action: "config:StopConfigurationRecorder", resource: recorder("ap-southeast-2") },
          "LimitPipelinesToTheirAuditResources",
        ],
        [{ principal: PIPELINE, action: "securityhub:CreateAutomationRule" }, "LimitPipelinesToTheirAuditResources"],
        [
          {
            principal: PIPELINE,
            action: "ec2:RunInstances",
            resource: `arn:aws:ec2:us-west-2:${ACCT}:instance/i-0123456789abcdef0`,
            region: "us-west-2",
          },
          "DenyOutsideAllowedRegions",
        ],
        [
          { principal: PIPELINE, action: "account:EnableRegion", resource: `arn:aws:account::${ACCT}:account`, region: east },
          "DenyRegionOptInChanges",
        ],
      ];
      test.each(refused.map(([r, sid]) => [r.action, sid, r] as const))("%s is denied (%s)", async (_a, sid, req) => {
        await expect(run(req)).resolves.toEqual(deniedBy(sid));
      });

      test("fixtures that turn it red: the pipeline made break-glass leaves the organization; without its audit resources it cannot update the trail", async () => {
        await expect(
          run(
            { principal: PIPELINE, action: "organizations:LeaveOrganization", region: east },
            mutate("DenyLeavingOrganization", addExempt("arn:aws:iam::*:role/acme-github-deploy")),
          ),
        ).resolves.toEqual({ allowed: true });
        const noCarveOut = mutate("ProtectSecurityServices", (st) => {
          const c = st.Condition as any;
          c.ArnNotLike["aws:PrincipalARN"] = [c.ArnNotLike["aws:PrincipalARN"]]
            .flat()
            .filter((a: string) => !a.includes("acme-github-deploy"));
          return st;
        });
        await expect(run({ principal: PIPELINE, action: "cloudtrail:UpdateTrail", resource: trail }, noCarveOut)).resolves.toEqual(
          deniedBy("ProtectSecurityServices"),
        );
      });

      test("security administrators run the security services but stay region-locked and in the organization", async () => {
        await expect(
          run({ principal: SECADMIN, action: "config:StopConfigurationRecorder", resource: recorder("ap-southeast-2") }),
        ).resolves.toEqual({ allowed: true });
        await expect(
          run({
            principal: SECADMIN,
            action: "guardduty:CreateFilter",
            resource: `arn:aws:guardduty:ap-southeast-2:${ACCT}:detector/12abc34d567e8fa901bc2d34e56789f0/filter/suppress-all`,
          }),
        ).resolves.toEqual({
          allowed: true,
        });
        await expect(run({ principal: SECADMIN, action: "organizations:LeaveOrganization", region: east })).resolves.toEqual(
          deniedBy("DenyLeavingOrganization"),
        );
        await expect(
          run({ principal: SECADMIN, action: "config:StopConfigurationRecorder", resource: recorder("us-west-2"), region: "us-west-2" }),
        ).resolves.toEqual(deniedBy("DenyOutsideAllowedRegions"));
        await expect(
          run({
            principal: ADMIN,
            action: "guardduty:CreateIPSet",
            resource: "*",
          }),
        ).resolves.toEqual(deniedBy("ProtectSecurityServices"));
      });
    });

    describe("a CloudFront distribution with its certificate and web ACL under allow_cloudfront_dependencies", () => {
      const webAcl = `arn:aws:wafv2:us-east-1:${ACCT}:global/webacl/site/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
      const edgeFn = `arn:aws:lambda:us-east-1:${ACCT}:function:edge-auth`;
      const site: Req[] = [
        { principal: ADMIN, action: "acm:RequestCertificate", region: east },
        {
          principal: ADMIN,
          action: "acm:DescribeCertificate",
          resource: `arn:aws:acm:us-east-1:${ACCT}:certificate/12345678-1234-1234-1234-123456789012`,
          region: east,
        },
        { principal: ADMIN, action: "wafv2:CreateWebACL", resource: webAcl, region: east },
        { principal: ADMIN, action: "wafv2:UpdateWebACL", resource: webAcl, region: east },
        { principal: ADMIN, action: "lambda:CreateFunction", resource: edgeFn, region: east },
        { principal: ADMIN, action: "lambda:PublishVersion", resource: edgeFn, region: east },
        { principal: ADMIN, action: "lambda:EnableReplication", resource: `${edgeFn}:1`, region: east },
        {
          principal: ADMIN,
          action: "cloudfront:CreateDistribution",
          region: east,
        },
        { principal: ADMIN, action: "kms:CreateKey", region: east, ctx: { "kms:KeySpec": "ECC_NIST_P256" } },
        {
          principal: ADMIN,
          action: "route53:EnableHostedZoneDNSSEC",
          resource: "arn:aws:route53:::hostedzone/Z0123456789EXAMPLE",
          region: east,
        },
      ];
      test.each(site.map((r) => [r.action, r] as const))("%s in us-east-1 is allowed", async (_a, req) => {
        await expect(run(req)).resolves.toEqual({ allowed: true });
      });

      const notOpened: Array<[Req, string]> = [
        [
          {
            principal: ADMIN,
            action: "ec2:RunInstances",
            resource: `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0123456789abcdef0`,
            region: east,
          },
          "DenyOutsideAllowedRegions",
        ],
        [
          { principal: ADMIN, action: "kms:CreateKey", region: east, ctx: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } },
          "DenyNonDnssecKeysInUsEast1",
        ],
        [
          {
            principal: ADMIN,
            action: "wafv2:CreateWebACL",
            resource: `arn:aws:wafv2:us-east-1:${ACCT}:regional/webacl/api/a1b2c3d4`,
            region: east,
          },
          "DenyRegionalWafInUsEast1",
        ],
        [{ principal: ADMIN, action: "lambda:InvokeFunction", resource: edgeFn, region: east }, "DenyOutsideAllowedRegions"],
        [{ principal: ADMIN, action: "lambda:CreateFunctionUrlConfig", resource: edgeFn, region: east }, "DenyOutsideAllowedRegions"],
        [{ principal: ADMIN, action: "acm:RequestCertificate", region: "us-west-2" }, "DenyCloudFrontDependenciesElsewhere"],
        [
          {
            principal: ADMIN,
            action: "lambda:CreateFunction",
            resource: `arn:aws:lambda:eu-west-1:${ACCT}:function:x`,
            region: "eu-west-1",
          },
          "DenyCloudFrontDependenciesElsewhere",
        ],
      ];
      test.each(notOpened.map(([r, sid]) => [r.action, r.region!, sid, r] as const))(
        "%s in %s stays denied (%s)",
        async (_a, _r, sid, req) => {
          await expect(run(req)).resolves.toEqual(deniedBy(sid));
        },
      );

      test("fixtures that turn it red: without the opt-in (module.org) the certificate is denied; without the key-spec statement any key is created", async () => {
        const plain = scpsOf("org").map((p) => p.doc);
        await expect(run({ principal: ADMIN, action: "acm:RequestCertificate", region: east }, plain)).resolves.toEqual(
          deniedBy("DenyOutsideAllowedRegions"),
        );
        await expect(
          run(
            { principal: ADMIN, action: "kms:CreateKey", region: east, ctx: { "kms:KeySpec": "SYMMETRIC_DEFAULT" } },
            mutate("DenyNonDnssecKeysInUsEast1", () => undefined),
          ),
        ).resolves.toEqual({ allowed: true });
      });
    });

    describe("Control Tower and organization-automation roles under control_tower_compatible", () => {
      const automation = [
        session("AWSControlTowerExecution"),
        session("aws-controltower-ConfigRecorderRole"),
        session("stacksets-exec-0123456789abcdef"),
      ];
      test.each(automation)("%s works in every region and manages Config", async (principal) => {
        await expect(
          run({ principal, action: "config:PutConfigurationRecorder", resource: recorder("us-west-2"), region: "us-west-2" }),
        ).resolves.toEqual({
          allowed: true,
        });
        await expect(
          run({
            principal,
            action: "cloudtrail:UpdateTrail",
            resource: `arn:aws:cloudtrail:us-east-1:${ACCT}:trail/aws-controltower-BaselineCloudTrail`,
            region: east,
          }),
        ).resolves.toEqual({
          allowed: true,
        });
      });

      test("fixture that turns it red: without the toggle (module.org) Control Tower's execution role is denied", async () => {
        const plain = scpsOf("org").map((p) => p.doc);
        await expect(
          run(
            {
              principal: session("AWSControlTowerExecution"),
              action: "config:PutConfigurationRecorder",
              resource: recorder("us-west-2"),
              region: "us-west-2",
            },
            plain,
          ),
        ).resolves.toEqual(deniedBy("DenyOutsideAllowedRegions"));
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
      expect(out).toContain("Every entry of allowed_regions must be a known region of the aws partition: af-south-1, ");
      expect(out).toContain('Got: ["mars-north-1"].');
      expect(out).toContain("Every entry of exempt_principal_arns must name a literal IAM role or user family");
      expect(out).toContain('Refused: ["arn:aws:iam::*:role/*"].');
      expect(out).toContain("Every entry of target_ids must be a root id (r-xxxx), an OU id (ou-xxxx-xxxxxxxx) or a 12-digit account id.");
      expect(out).toContain('Refused: ["ou-bad"].');
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
      expect(out).toContain("so the statements it holds (Custom99) do not fit together in a smaller one");
      expect(out).toContain(
        `Each target would have ${n + 1} SCPs (${n} from this module, FullAWSAccess and 0 others); the limit is 5 (scp_max_per_target).`,
      );
      expect(out).toContain("The organization_id is required when enable_rcp is true");
      // The other policies are within the limit: only the oversized one is reported.
      expect(out.match(/characters; the limit is 5,120/g)).toHaveLength(1);
    });

    test("a broad exemption pattern, non-ASCII custom content and a duplicate target are refused, naming the input and the value", () => {
      const r = plan(dir, {
        exempt_principal_arns: ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/*a*", "arn:aws:iam::*:user/*e*"],
        custom_statements: [
          DENY_BIG_INSTANCES,
          {
            sid: "DenyOtherTeams",
            actions: ["s3:DeleteBucket"],
            conditions: [{ test: "StringNotEquals", variable: "aws:PrincipalTag/team", values: ["d\u00e9veloppement"] }],
          },
        ],
        target_ids: ["ou-ab12-abcdefgh", ACCT, "ou-ab12-abcdefgh"],
      });
      expect(r.ok).toBe(false);
      const out = flat(r);
      expect(out).toContain("Every entry of exempt_principal_arns must name a literal IAM role or user family");
      expect(out).toContain("starts with at least 4 literal characters before any * or ?");
      expect(out).toContain('Refused: ["arn:aws:iam::*:role/*a*","arn:aws:iam::*:user/*e*"].');
      expect(out).toContain("Every string in custom_statements must be printable ASCII");
      expect(out).toContain('Refused sids: ["DenyOtherTeams"].');
      expect(out).toContain('The target_ids list must not repeat an id; repeated: ["ou-ab12-abcdefgh"].');
    });
  });
});

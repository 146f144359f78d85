/**
 * Layers 4 and 6 for the IAM baseline: offline `terraform plan` of real roots that call the
 * generated module (single account, identity + environment accounts, lockdown, defaults), the
 * plan-time refusals of bad input, and the persona access table decided by
 * @cloud-copilot/iam-simulate on the policies READ FROM THE PLAN JSON.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyDocument } from "../lib/policy/types";
import { getCatalog } from "../lib/policy/catalog";
import { moduleDir } from "./helpers/synth";
import { decide, defaultContext, Decision } from "../tools/simulate";
import { copyModule, describeTerraform, plan, plannedResources, tf, writeRoot, offlineProvider, PlanResult } from "../tools/terraform";

const ACCT = "111122223333";
const IDENTITY = "111111111111";
const PROD = "333333333333";
const SRC = "./modules/iam-baseline";

const ROOT = `
module "single" {
  source      = "${SRC}"
  name_prefix = "acme"
  account_id  = "${ACCT}"
  users = {
    alice = { personas = ["admin"], console_access = true, pgp_key = "keybase:alice" }
    erin  = { personas = ["engineer"], console_access = true, pgp_key = "keybase:erin" }
    bob   = { personas = ["engineer"] }
    ann   = { personas = ["analyst"] }
    dev   = { personas = ["developer"] }
    ops   = { personas = ["devops"] }
    dana  = { personas = ["data_team"] }
    ci    = { personas = ["automation"] }
    multi = { personas = ["developer", "support_desk"] }
  }
  custom_groups = {
    support_desk = { statements = [{ sid = "ReadCases", actions = ["support:DescribeCases"], region = "global" }] }
  }
  lake_access = {
    buckets = {
      landing  = { bucket_name = "acme-landing-zone" }
      analysis = { bucket_name = "acme-analysis", analyst = "write" }
    }
  }
  deploy_permissions = {
    artifact_bucket_names = ["acme-artifacts"]
    pass_role_arns        = ["arn:aws:iam::${ACCT}:role/acme-workload-*"]
  }
  environments  = { dev = {}, test = {}, prod = {} }
  allow_shared_account_environments = true
  protected_bucket_names = ["acme-tf-state"]
  github_oidc   = { enabled = true, repositories = [{ repository = "acme/app", branches = ["main"], environments = ["prod"] }] }
  budget        = { limit_amount = 500, emails = ["finops@example.com"] }
  cloudtrail    = { enabled = true, bucket_name = "acme-trail-${ACCT}" }
  account_alias = "acme-single"
}

module "identity" {
  source       = "${SRC}"
  name_prefix  = "idn"
  account_id   = "${IDENTITY}"
  environments = { dev = { account_id = "222222222222" }, prod = { account_id = "${PROD}" } }
  users        = { ops = { personas = ["devops"] }, dev = { personas = ["developer"] } }
}

module "prod_account" {
  source              = "${SRC}"
  name_prefix         = "idn"
  account_id          = "${PROD}"
  personas            = { admin = false, engineer = false, analyst = false, developer = false, devops = false, data_team = false, automation = false }
  environments        = { prod = { trusted_account_id = "${IDENTITY}" } }
  create_support_role = false
  access_analyzer     = { enabled = false }
}

module "locked" {
  source      = "${SRC}"
  name_prefix = "lock"
  account_id  = "${ACCT}"
  users       = { alice = { personas = ["admin"] }, dev = { personas = ["developer"] } }
  environments = { dev = {} }
  lockdown = {
    enabled                    = true
    break_glass_principal_arns = ["arn:aws:iam::${ACCT}:user/oncall", "arn:aws:iam::${ACCT}:role/break-glass-*"]
  }
}

module "scoped" {
  source            = "${SRC}"
  name_prefix       = "scp"
  account_id        = "${ACCT}"
  users             = { alice = { personas = ["admin"] }, dev = { personas = ["developer"] }, ops = { personas = ["devops"] } }
  environments      = { dev = {} }
  lockdown          = { enabled = true, break_glass_principal_arns = ["arn:aws:iam::${ACCT}:role/break-glass-oncall"] }
  lockdown_personas = ["developer"]
}

module "revoked" {
  source                            = "${SRC}"
  name_prefix                       = "rev"
  account_id                        = "${ACCT}"
  users                             = { dev = { personas = ["developer"] } }
  environments                      = { dev = {} }
  allow_password_change_without_mfa = false
  lockdown                          = { revoke_sessions_issued_before = "2025-06-01T00:00:00Z" }
}

module "defaults" {
  source      = "${SRC}"
  name_prefix = "dflt"
  account_id  = "${ACCT}"
}

output "single" {
  value = {
    group_names         = module.single.group_names
    group_arns          = module.single.group_arns
    policy_arns         = module.single.policy_arns
    role_arns           = module.single.role_arns
    assumable_role_arns = module.single.assumable_role_arns
    user_names          = module.single.user_names
    lockdown_active     = module.single.lockdown_active
  }
}
output "identity_role_arns" { value = module.identity.role_arns }
output "prod_role_arns" { value = module.prod_account.role_arns }
`;

function rootWith(files: Record<string, string>, prefix: string): string {
  const dir = writeRoot({ "providers.tf": offlineProvider(), ...files }, prefix);
  copyModule(moduleDir("iam-baseline"), path.join(dir, "modules", "iam-baseline"));
  return dir;
}

/** Terraform's diagnostics with box drawing and line wrapping removed. */
const flat = (s: string) => s.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ");

type Resources = Record<string, any>;
const policy = (r: Resources, address: string): PolicyDocument => {
  const v = r[address];
  if (!v) throw new Error(`no planned resource ${address}`);
  const json = v.policy ?? v.assume_role_policy;
  if (typeof json !== "string") throw new Error(`${address}: policy not known at plan time`);
  return JSON.parse(json);
};

/** The managed policies attached to a group of a module instance, read from planned attachments. */
function groupPolicies(r: Resources, mod: string, group: string): PolicyDocument[] {
  const p = `module.${mod}.`;
  const docs: PolicyDocument[] = [];
  for (const address of Object.keys(r).sort()) {
    if (!address.startsWith(p)) continue;
    const m = /^aws_iam_group_policy_attachment\.(group_\w+)\["(.+)"\]$/.exec(address.slice(p.length));
    if (!m) continue;
    const [, kind, key] = m;
    if (kind === "group_persona" && (key === group || new RegExp(`^${group}_\\d+$`).test(key)))
      docs.push(policy(r, `${p}aws_iam_policy.persona["${key}"]`));
    if (key !== group) continue;
    if (kind === "group_self_service") docs.push(policy(r, `${p}aws_iam_policy.self_service[0]`));
    if (kind === "group_lake") docs.push(policy(r, `${p}aws_iam_policy.lake["${key}"]`));
    if (kind === "group_custom") docs.push(policy(r, `${p}aws_iam_policy.custom_group["${key}"]`));
  }
  for (const inline of ["group_lockdown", "group_guardrails"]) {
    const a = `${p}aws_iam_group_policy.${inline}["${group}"]`;
    if (r[a]) docs.push(policy(r, a));
  }
  if (!docs.length) throw new Error(`no policies attached to group ${group} of module ${mod}`);
  return docs;
}

/** Policies of a user: the union over the groups of its planned membership. */
function userPolicies(r: Resources, mod: string, user: string): PolicyDocument[] {
  const p = `module.${mod}.`;
  const names: string[] = r[`${p}aws_iam_user_group_membership.user_groups["${user}"]`].groups;
  const keyOf = (name: string) =>
    Object.entries(r)
      .find(([a, v]) => a.startsWith(`${p}aws_iam_group.this[`) && v.name === name)![0]
      .match(/\["(.+)"\]/)![1];
  return names.flatMap((n) => groupPolicies(r, mod, keyOf(n)));
}

/** Policies of an environment role (`env/persona`) of a module instance. */
function rolePolicies(r: Resources, mod: string, role: string): PolicyDocument[] {
  const p = `module.${mod}.`;
  const docs: PolicyDocument[] = [];
  for (const address of Object.keys(r).sort()) {
    const level = new RegExp(
      `^${p.replace(/\./g, "\\.")}aws_iam_role_policy_attachment\\.environment_role_level\\["${role}/(.+)"\\]$`,
    ).exec(address);
    if (level) docs.push(policy(r, `${p}aws_iam_policy.environment["${level[1]}"]`));
  }
  for (const inline of ["environment_role_lockdown", "environment_role_guardrails"]) {
    const a = `${p}aws_iam_role_policy.${inline}["${role}"]`;
    if (r[a]) docs.push(policy(r, a));
  }
  if (!docs.length) throw new Error(`no policies attached to role ${role} of module ${mod}`);
  return docs;
}

const user = (name: string, account = ACCT) => `arn:aws:iam::${account}:user/${name}`;
const session = (role: string, who: string, account = ACCT) => `arn:aws:sts::${account}:assumed-role/${role}/${who}`;
const REGION = "ap-southeast-2";
const arn = {
  instance: (region = REGION) => `arn:aws:ec2:${region}:${ACCT}:instance/i-0123456789abcdef0`,
  iamUser: (name: string) => `arn:aws:iam::${ACCT}:user/${name}`,
  object: (bucket: string, key = "data/part-0001.csv") => `arn:aws:s3:::${bucket}/${key}`,
  role: (name: string, account = ACCT) => `arn:aws:iam::${account}:role/${name}`,
};
const US_EAST_1 = { "aws:RequestedRegion": "us-east-1" };
/** An environment role launches instances tagged as its environment's (owned-compute rule). */
const OWNED_BY = (env: string) => ({ "aws:RequestTag/owner": `environment/${env}` });
const NO_MFA = { "aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": undefined };
const SSE = { "s3:x-amz-server-side-encryption": "AES256" };

describeTerraform("iam-baseline: offline plan of real roots", () => {
  let result: PlanResult;
  let r: Resources;
  let rootDir: string;

  beforeAll(() => {
    rootDir = rootWith({ "main.tf": ROOT }, "iam-plan");
    result = plan(rootDir);
    if (!result.ok) throw new Error(`plan failed:\n${result.stderr}`);
    r = plannedResources(result.json);
  });

  it("plans without warnings", () => {
    expect(flat(result.stdout + result.stderr)).not.toMatch(/Warning/);
  });

  it("every policy and trust policy is fully known at plan time, valid JSON, within its quota", () => {
    const catalog = getCatalog();
    let n = 0;
    for (const [address, v] of Object.entries(r)) {
      for (const key of ["policy", "assume_role_policy"]) {
        if (!(key in v)) continue;
        n++;
        expect({ address, known: typeof v[key] === "string" }).toEqual({ address, known: true });
        const doc = JSON.parse(v[key]);
        const size = v[key].replace(/\s/g, "").length;
        if (key === "assume_role_policy") expect({ address, size: size <= 2048 }).toEqual({ address, size: true });
        else if (address.includes("aws_iam_policy.")) expect({ address, size: size <= 6144 }).toEqual({ address, size: true });
        expect({ address, problems: catalog.validatePolicyActions(doc) }).toEqual({ address, problems: [] });
        expect(v[key]).not.toContain("aws-portal:");
        if (key === "assume_role_policy")
          for (const s of doc.Statement) expect(JSON.stringify(s.Principal)).not.toMatch(/^"\*"$|"AWS":"\*"/);
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it("the default call creates only the baseline: password policy, groups, policies, environment roles, analyzer, support role", () => {
    const types = new Set(
      Object.keys(r)
        .filter((a) => a.startsWith("module.defaults."))
        .map((a) => a.split(".")[2]),
    );
    expect([...types].sort()).toEqual([
      "aws_accessanalyzer_analyzer",
      "aws_iam_account_password_policy",
      "aws_iam_group",
      "aws_iam_group_policy",
      "aws_iam_group_policy_attachment",
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_s3_account_public_access_block",
    ]);
    // The workload boundary and its guard on every group (admins included) and the support role.
    expect(r["module.defaults.aws_iam_policy.workload_boundary"].name).toBe("dflt-workload-boundary");
    expect(Object.keys(r).filter((a) => a.startsWith("module.defaults.aws_iam_group_policy.group_workload_boundary")).length).toBe(
      Object.keys(r).filter((a) => a.startsWith("module.defaults.aws_iam_group.this")).length,
    );
    expect(r['module.defaults.aws_iam_group_policy.group_workload_boundary["admin"]']).toBeDefined();
    expect(r["module.defaults.aws_iam_role_policy.support_workload_boundary[0]"]).toBeDefined();
    expect(r["module.defaults.aws_iam_account_password_policy.password_policy"]).toMatchObject({
      minimum_password_length: 14,
      password_reuse_prevention: 24,
      max_password_age: 90,
      require_symbols: true,
      require_numbers: true,
      require_uppercase_characters: true,
      require_lowercase_characters: true,
    });
    // No environment unless asked for: dev and prod in one account need an explicit opt-in.
    expect(Object.keys(r).filter((a) => a.startsWith("module.defaults.aws_iam_role.environment_role"))).toEqual([]);
    expect(r["module.defaults.aws_s3_account_public_access_block.account_public_access_block[0]"]).toMatchObject({
      account_id: ACCT,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(r['module.defaults.aws_iam_group.this["data_team"]'].name).toBe("dflt-data-team");
    expect(r["module.defaults.aws_iam_role.support[0]"].name).toBe("dflt-support");
  });

  it("users: additive membership per user, login profiles with password reset, no policies on users", () => {
    expect(r['module.single.aws_iam_user_group_membership.user_groups["multi"]'].groups).toEqual(["acme-developer", "acme-support-desk"]);
    expect(r['module.single.aws_iam_user_login_profile.user_console["alice"]'].password_reset_required).toBe(true);
    expect(r['module.single.aws_iam_user_login_profile.user_console["erin"]'].pgp_key).toBe("keybase:erin");
    expect(r['module.single.aws_iam_user_login_profile.user_console["bob"]']).toBeUndefined();
    expect(Object.keys(r).some((a) => /aws_iam_user_policy/.test(a))).toBe(false);
  });

  it("memberships and login profiles name their user at plan time and come after the users in the graph", () => {
    expect(r['module.single.aws_iam_user_group_membership.user_groups["multi"]'].user).toBe("multi");
    expect(r['module.single.aws_iam_user_login_profile.user_console["erin"]'].user).toBe("erin");
    // They read the names through local.created_user_names (plan time linear in users); the
    // dependency on aws_iam_user.user must survive that indirection.
    const graph = tf(rootDir, ["graph"]);
    expect(graph.ok).toBe(true);
    for (const dependent of ["aws_iam_user_group_membership.user_groups", "aws_iam_user_login_profile.user_console"])
      expect(graph.stdout).toContain(`"module.single.${dependent}" -> "module.single.aws_iam_user.user"`);
  });

  it("outputs: group names/ARNs, policy ARNs per persona, environment roles, known at plan time", () => {
    const out = result.json.planned_values.outputs.single.value;
    expect(out.group_names.data_team).toBe("acme-data-team");
    expect(out.group_arns.admin).toBe(`arn:aws:iam::${ACCT}:group/acme-admin`);
    expect(out.policy_arns.engineer).toEqual([
      `arn:aws:iam::${ACCT}:policy/acme-engineer`,
      `arn:aws:iam::${ACCT}:policy/acme-self-service`,
      `arn:aws:iam::${ACCT}:policy/acme-engineer-lake`,
    ]);
    expect(out.policy_arns.automation).toEqual([
      `arn:aws:iam::${ACCT}:policy/acme-automation`,
      `arn:aws:iam::${ACCT}:policy/acme-automation-2`,
    ]);
    expect(out.role_arns.prod.devops).toBe(`arn:aws:iam::${ACCT}:role/acme-prod-devops`);
    expect(Object.keys(out.role_arns).sort()).toEqual(["dev", "prod", "test"]);
    expect(out.lockdown_active).toBe(false);
    expect(result.json.planned_values.outputs.identity_role_arns.value).toEqual({});
    expect(result.json.planned_values.outputs.prod_role_arns.value).toEqual({
      prod: {
        ...Object.fromEntries(
          ["automation", "data_team", "developer", "devops"].map((p) => [p, `arn:aws:iam::${PROD}:role/idn-prod-${p.replace("_", "-")}`]),
        ),
      },
    });
  });

  it("GitHub OIDC: provider, deploy role trusting exact repo/branch/environment subjects, deploy policy only", () => {
    expect(r["module.single.aws_iam_openid_connect_provider.github[0]"]).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const trust = policy(r, "module.single.aws_iam_role.github_deploy[0]");
    expect(trust.Statement).toEqual([
      {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:environment:prod"],
          },
        },
      },
    ]);
    expect(r['module.single.aws_iam_role_policy_attachment.github_deploy_level["deploy"]']).toBeDefined();
    expect(r["module.single.aws_iam_role_policy_attachment.github_deploy_assume[0]"]).toBeDefined();
  });

  it("hygiene: budget e-mails, CloudTrail with log file validation on a hardened bucket, alias, analyzer, CIS support role", () => {
    const b = r["module.single.aws_budgets_budget.budget[0]"];
    expect(b.notification.map((n: any) => n.subscriber_email_addresses)).toEqual([["finops@example.com"], ["finops@example.com"]]);
    expect(r["module.single.aws_cloudtrail.cloudtrail[0]"]).toMatchObject({
      enable_log_file_validation: true,
      is_multi_region_trail: true,
    });
    expect(r["module.single.aws_s3_bucket_public_access_block.cloudtrail_bucket_public_access[0]"]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const bp = policy(r, "module.single.aws_s3_bucket_policy.cloudtrail_bucket_policy[0]");
    expect(bp.Statement.map((s) => s.Sid)).toEqual([
      "CloudTrailAclCheck",
      "CloudTrailWrite",
      "DenyInsecureTransport",
      "DenyChangesButDeliveryAndBreakGlass",
    ]);
    expect(r["module.single.aws_iam_account_alias.account_alias[0]"].account_alias).toBe("acme-single");
    expect(r["module.single.aws_iam_role_policy_attachment.support_access[0]"].policy_arn).toBe("arn:aws:iam::aws:policy/AWSSupportAccess");
    expect(policy(r, "module.single.aws_iam_role.support[0]").Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${ACCT}:root` });
  });

  /* ------------------------------------------------------------------------------------------ */
  /* The persona access table, decided by iam-simulate on the planned policies                   */
  /* ------------------------------------------------------------------------------------------ */

  const as =
    (mod: string, who: string, account = ACCT) =>
    (action: string, resource: string, ctx: Record<string, string | undefined> = {}): Promise<Decision> =>
      decide({ identity: userPolicies(r, mod, who) }, { principal: user(who, account), action, resource, context: defaultContext(ctx) });
  const inRole =
    (mod: string, role: string, roleName: string, account = ACCT) =>
    (action: string, resource: string, ctx: Record<string, string | undefined> = {}): Promise<Decision> =>
      decide(
        { identity: rolePolicies(r, mod, role) },
        { principal: session(roleName, "someone", account), action, resource, context: defaultContext(ctx) },
      );
  const assume = (
    mod: string,
    who: string,
    trustMod: string,
    role: string,
    roleName: string,
    ctx: Record<string, string | undefined> = {},
    account = ACCT,
    roleAccount = ACCT,
  ) =>
    decide(
      { identity: userPolicies(r, mod, who), resource: policy(r, `module.${trustMod}.aws_iam_role.environment_role["${role}"]`) },
      { principal: user(who, account), action: "sts:AssumeRole", resource: arn.role(roleName, roleAccount), context: defaultContext(ctx) },
    );
  const ALLOWED = { allowed: true };
  const IMPLICIT = { allowed: false, deniedBy: "implicit" };
  const EXPLICIT = { allowed: false, deniedBy: "identity", explicit: true };

  describe("admin", () => {
    const alice = () => as("single", "alice");
    it("everything in the allowed regions; IAM, billing views, CloudShell, Access Analyzer", async () => {
      await expect(alice()("ec2:RunInstances", arn.instance())).resolves.toEqual(ALLOWED);
      await expect(alice()("iam:CreateRole", arn.role("x"), US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(alice()("ce:GetCostAndUsage", `arn:aws:billing::${ACCT}:billingview/primary`, US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(alice()("billing:GetBillingData", `arn:aws:billing::${ACCT}:billingview/primary`, US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(alice()("cloudshell:CreateEnvironment", "*")).resolves.toEqual(ALLOWED);
      await expect(alice()("access-analyzer:ListAnalyzers", "*")).resolves.toEqual(ALLOWED);
    });
    it("not in any other region, not without MFA", async () => {
      await expect(alice()("ec2:RunInstances", arn.instance("us-west-2"), { "aws:RequestedRegion": "us-west-2" })).resolves.toMatchObject(
        IMPLICIT,
      );
      await expect(alice()("iam:CreateRole", arn.role("x"), { "aws:RequestedRegion": "eu-west-1" })).resolves.toMatchObject(IMPLICIT);
      await expect(alice()("ec2:RunInstances", arn.instance(), NO_MFA)).resolves.toMatchObject(EXPLICIT);
      await expect(
        alice()("ec2:RunInstances", arn.instance(), { "aws:MultiFactorAuthPresent": undefined, "aws:MultiFactorAuthAge": undefined }),
      ).resolves.toMatchObject(EXPLICIT);
    });
  });

  describe("engineer", () => {
    const erin = () => as("single", "erin");
    it("EC2, Glue, CloudShell, CodeCommit; read and write every lake zone with encrypted uploads", async () => {
      await expect(erin()("ec2:RunInstances", arn.instance(), { "aws:RequestTag/owner": "erin" })).resolves.toEqual(ALLOWED);
      await expect(erin()("glue:CreateJob", `arn:aws:glue:${REGION}:${ACCT}:job/erin-etl`)).resolves.toEqual(ALLOWED);
      await expect(erin()("iam:PassRole", arn.role("workload-etl"), { "iam:PassedToService": "glue.amazonaws.com" })).resolves.toEqual(
        ALLOWED,
      );
      await expect(erin()("cloudshell:CreateEnvironment", "*")).resolves.toEqual(ALLOWED);
      await expect(erin()("codecommit:GitPush", `arn:aws:codecommit:${REGION}:${ACCT}:app`)).resolves.toEqual(ALLOWED);
      for (const bucket of ["acme-landing-zone", "acme-analysis"]) {
        await expect(erin()("s3:GetObject", arn.object(bucket))).resolves.toEqual(ALLOWED);
        await expect(erin()("s3:PutObject", arn.object(bucket), SSE)).resolves.toEqual(ALLOWED);
      }
    });
    it("no IAM policies, no others' credentials, no unencrypted upload, nothing outside the regions or without MFA", async () => {
      await expect(erin()("iam:CreatePolicy", `arn:aws:iam::${ACCT}:policy/x`, US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(erin()("iam:CreateAccessKey", arn.iamUser("bob"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(erin()("s3:PutObject", arn.object("acme-landing-zone"))).resolves.toMatchObject(EXPLICIT);
      await expect(
        erin()("ec2:RunInstances", arn.instance("eu-west-1"), { "aws:RequestedRegion": "eu-west-1", "aws:RequestTag/owner": "erin" }),
      ).resolves.toMatchObject(IMPLICIT);
      await expect(erin()("glue:CreateJob", `arn:aws:glue:${REGION}:${ACCT}:job/erin-etl`, NO_MFA)).resolves.toMatchObject(EXPLICIT);
      await expect(erin()("glue:UpdateJob", `arn:aws:glue:${REGION}:${ACCT}:job/bob-etl`)).resolves.toMatchObject(EXPLICIT);
      await expect(erin()("ec2:ModifyInstanceAttribute", arn.instance(), { "aws:ResourceTag/owner": "bob" })).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(
        erin()("iam:PassRole", arn.role("acme-prod-devops"), { "iam:PassedToService": "glue.amazonaws.com" }),
      ).resolves.toMatchObject(IMPLICIT);
      await expect(erin()("s3:GetObject", arn.object("acme-tf-state", "guardrails.tfstate"))).resolves.toMatchObject(EXPLICIT);
      await expect(erin()("s3:GetObject", arn.object("other-bucket"))).resolves.toMatchObject(IMPLICIT);
    });
  });

  describe("analyst", () => {
    const ann = () => as("single", "ann");
    it("EC2, ECS, Lambda, SageMaker; read landing-zone and analysis; write and delete in analysis", async () => {
      await expect(ann()("ecs:CreateCluster", `arn:aws:ecs:${REGION}:${ACCT}:cluster/c1`)).resolves.toEqual(ALLOWED);
      await expect(ann()("lambda:InvokeFunction", `arn:aws:lambda:${REGION}:${ACCT}:function:f`)).resolves.toEqual(ALLOWED);
      await expect(
        ann()("sagemaker:CreateNotebookInstance", `arn:aws:sagemaker:${REGION}:${ACCT}:notebook-instance/ann-nb`),
      ).resolves.toEqual(ALLOWED);
      await expect(
        ann()("iam:PassRole", arn.role("workload-notebooks"), { "iam:PassedToService": "sagemaker.amazonaws.com" }),
      ).resolves.toEqual(ALLOWED);
      await expect(ann()("ec2:DescribeInstances", "*")).resolves.toEqual(ALLOWED);
      await expect(ann()("s3:GetObject", arn.object("acme-landing-zone"))).resolves.toEqual(ALLOWED);
      await expect(ann()("s3:PutObject", arn.object("acme-analysis"), SSE)).resolves.toEqual(ALLOWED);
      await expect(ann()("s3:DeleteObject", arn.object("acme-analysis"))).resolves.toEqual(ALLOWED);
    });
    it("no write or delete in landing-zone, no unencrypted upload, no IAM changes", async () => {
      await expect(ann()("s3:PutObject", arn.object("acme-landing-zone"), SSE)).resolves.toMatchObject(IMPLICIT);
      await expect(ann()("s3:DeleteObject", arn.object("acme-landing-zone"))).resolves.toMatchObject(IMPLICIT);
      await expect(ann()("s3:PutObject", arn.object("acme-analysis"))).resolves.toMatchObject(EXPLICIT);
      await expect(ann()("iam:AttachUserPolicy", arn.iamUser("ann"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(
        ann()("sagemaker:CreatePresignedNotebookInstanceUrl", `arn:aws:sagemaker:${REGION}:${ACCT}:notebook-instance/bob-nb`),
      ).resolves.toMatchObject(EXPLICIT);
      await expect(ann()("lambda:UpdateFunctionCode", `arn:aws:lambda:${REGION}:${ACCT}:function:acme-web`)).resolves.toMatchObject(
        EXPLICIT,
      );
    });
  });

  describe("developer (environment roles)", () => {
    it("assumes the dev role with MFA and has full use of dev; reads prod logs", async () => {
      await expect(assume("single", "dev", "single", "dev/developer", "acme-dev-developer")).resolves.toEqual(ALLOWED);
      await expect(assume("single", "dev", "single", "prod/developer", "acme-prod-developer")).resolves.toEqual(ALLOWED);
      const devRole = inRole("single", "dev/developer", "acme-dev-developer");
      await expect(devRole("ec2:RunInstances", arn.instance(), OWNED_BY("dev"))).resolves.toEqual(ALLOWED);
      await expect(devRole("s3:DeleteObject", arn.object("dev-scratch"))).resolves.toEqual(ALLOWED);
      // Owned compute, on the planned policies: its environment's functions, never another's.
      const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCT}:function:${name}`;
      await expect(devRole("lambda:UpdateFunctionCode", fn("dev-api"))).resolves.toEqual(ALLOWED);
      await expect(devRole("lambda:UpdateFunctionCode", fn("acme-web"))).resolves.toMatchObject(EXPLICIT);
      await expect(devRole("ec2:RunInstances", arn.instance())).resolves.toMatchObject(EXPLICIT);
      const prodRole = inRole("single", "prod/developer", "acme-prod-developer");
      await expect(prodRole("logs:FilterLogEvents", `arn:aws:logs:${REGION}:${ACCT}:log-group:/app/prod`)).resolves.toEqual(ALLOWED);
    });
    it("changes nothing in prod; the dev role cannot touch production-tagged resources in a shared account", async () => {
      const prodRole = inRole("single", "prod/developer", "acme-prod-developer");
      await expect(prodRole("ec2:TerminateInstances", arn.instance())).resolves.toMatchObject(IMPLICIT);
      await expect(prodRole("s3:PutObject", arn.object("prod-data"), SSE)).resolves.toMatchObject(IMPLICIT);
      await expect(prodRole("logs:DeleteLogGroup", `arn:aws:logs:${REGION}:${ACCT}:log-group:/app/prod`)).resolves.toMatchObject(IMPLICIT);
      const devRole = inRole("single", "dev/developer", "acme-dev-developer");
      await expect(devRole("ec2:TerminateInstances", arn.instance(), { "aws:ResourceTag/environment": "prod" })).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(devRole("iam:CreateUser", arn.iamUser("x"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
    });
    it("role assumption needs recent MFA and the own persona's role", async () => {
      await expect(assume("single", "dev", "single", "dev/developer", "acme-dev-developer", NO_MFA)).resolves.toMatchObject({
        allowed: false,
      });
      await expect(
        assume("single", "dev", "single", "dev/developer", "acme-dev-developer", { "aws:MultiFactorAuthAge": "7200" }),
      ).resolves.toMatchObject(IMPLICIT);
      await expect(assume("single", "dev", "single", "prod/devops", "acme-prod-devops")).resolves.toMatchObject(IMPLICIT);
      await expect(assume("single", "ops", "single", "dev/developer", "acme-dev-developer")).resolves.toMatchObject(IMPLICIT);
      await expect(assume("single", "ann", "single", "dev/developer", "acme-dev-developer")).resolves.toMatchObject(IMPLICIT);
    });
  });

  describe("devops", () => {
    const prod = () => inRole("single", "prod/devops", "acme-prod-devops");
    const dev = () => inRole("single", "dev/devops", "acme-dev-devops");
    it("operates dev and prod (near-admin)", async () => {
      await expect(assume("single", "ops", "single", "prod/devops", "acme-prod-devops")).resolves.toEqual(ALLOWED);
      await expect(prod()("ec2:RunInstances", arn.instance(), OWNED_BY("prod"))).resolves.toEqual(ALLOWED);
      await expect(prod()("rds:CreateDBSnapshot", `arn:aws:rds:${REGION}:${ACCT}:db:prod-db`)).resolves.toEqual(ALLOWED);
      await expect(prod()("acm:RequestCertificate", "*", US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(prod()("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z123", US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(dev()("s3:DeleteObject", arn.object("dev-data"))).resolves.toEqual(ALLOWED);
    });
    it("cannot delete prod data, disable CloudTrail, or assume without MFA", async () => {
      await expect(prod()("s3:DeleteObject", arn.object("prod-data"))).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("s3:DeleteBucket", "arn:aws:s3:::prod-data")).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("rds:DeleteDBInstance", `arn:aws:rds:${REGION}:${ACCT}:db:prod-db`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("dynamodb:DeleteTable", `arn:aws:dynamodb:${REGION}:${ACCT}:table/orders`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("backup:DeleteRecoveryPoint", `arn:aws:backup:${REGION}:${ACCT}:recovery-point:abc`)).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(prod()("cloudtrail:StopLogging", `arn:aws:cloudtrail:${REGION}:${ACCT}:trail/acme`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("rds:ModifyDBInstance", `arn:aws:rds:${REGION}:${ACCT}:db:prod-db`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("dynamodb:BatchWriteItem", `arn:aws:dynamodb:${REGION}:${ACCT}:table/orders`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("s3:PutBucketVersioning", "arn:aws:s3:::prod-data")).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("ec2:TerminateInstances", arn.instance())).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("sts:AssumeRole", arn.role("acme-prod-admin"), US_EAST_1)).resolves.toMatchObject(EXPLICIT);
      await expect(dev()("cloudtrail:DeleteTrail", `arn:aws:cloudtrail:${REGION}:${ACCT}:trail/acme`)).resolves.toMatchObject(EXPLICIT);
      await expect(prod()("iam:CreateUser", arn.iamUser("x"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(assume("single", "ops", "single", "prod/devops", "acme-prod-devops", NO_MFA)).resolves.toMatchObject({ allowed: false });
    });
  });

  describe("data_team", () => {
    const dana = () => as("single", "dana");
    it("reads the lake buckets and browses the catalog; queries run only in the lake's workgroup (its policy, below)", async () => {
      await expect(dana()("s3:GetObject", arn.object("acme-landing-zone"))).resolves.toEqual(ALLOWED);
      await expect(dana()("s3:ListBucket", "arn:aws:s3:::acme-analysis")).resolves.toEqual(ALLOWED);
      await expect(dana()("glue:GetTable", `arn:aws:glue:${REGION}:${ACCT}:table/lake/events`)).resolves.toEqual(ALLOWED);
      await expect(dana()("athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCT}:workgroup/primary`)).resolves.toMatchObject(
        IMPLICIT,
      );
    });
    it("writes or deletes no object", async () => {
      await expect(dana()("s3:PutObject", arn.object("acme-analysis"), SSE)).resolves.toMatchObject(IMPLICIT);
      await expect(dana()("s3:DeleteObject", arn.object("acme-landing-zone"))).resolves.toMatchObject(IMPLICIT);
    });
  });

  describe("automation", () => {
    const ci = () => as("single", "ci");
    const noMfa = { "aws:MultiFactorAuthPresent": undefined, "aws:MultiFactorAuthAge": undefined };
    it("deployment actions only, with long-lived keys (no MFA) or through the OIDC role", async () => {
      await expect(ci()("cloudformation:UpdateStack", `arn:aws:cloudformation:${REGION}:${ACCT}:stack/acme-app/1`, noMfa)).resolves.toEqual(
        ALLOWED,
      );
      await expect(ci()("ecs:UpdateService", `arn:aws:ecs:${REGION}:${ACCT}:service/c1/acme-web`, noMfa)).resolves.toEqual(ALLOWED);
      await expect(ci()("ecr:PutImage", `arn:aws:ecr:${REGION}:${ACCT}:repository/acme-app`, noMfa)).resolves.toEqual(ALLOWED);
      await expect(ci()("lambda:UpdateFunctionCode", `arn:aws:lambda:${REGION}:${ACCT}:function:acme-f`, noMfa)).resolves.toEqual(ALLOWED);
      await expect(ci()("lambda:UpdateFunctionCode", `arn:aws:lambda:${REGION}:${ACCT}:function:billing`, noMfa)).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(ci()("s3:PutObject", arn.object("acme-artifacts", "app/1.zip"), noMfa)).resolves.toEqual(ALLOWED);
      await expect(
        ci()("iam:PassRole", arn.role("acme-workload-web"), { ...noMfa, "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
      ).resolves.toEqual(ALLOWED);
      const oidc = (action: string, resource: string) =>
        decide(
          { identity: [policy(r, 'module.single.aws_iam_policy.environment["deploy"]')] },
          { principal: session("acme-github-deploy", "gha"), action, resource, context: defaultContext(noMfa) },
        );
      await expect(oidc("ecs:UpdateService", `arn:aws:ecs:${REGION}:${ACCT}:service/c1/acme-web`)).resolves.toEqual(ALLOWED);
      await expect(oidc("iam:CreateRole", arn.role("x"))).resolves.toMatchObject(EXPLICIT);
      await expect(oidc("iam:CreateUser", arn.iamUser("x"))).resolves.toMatchObject(EXPLICIT);
    });
    it("creates no users, changes no IAM policies, reads no lake data, passes no other role", async () => {
      await expect(ci()("iam:CreateUser", arn.iamUser("x"), { ...noMfa, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
      await expect(ci()("iam:PutUserPolicy", arn.iamUser("ci"), { ...noMfa, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
      await expect(
        ci()("iam:CreatePolicyVersion", `arn:aws:iam::${ACCT}:policy/acme-automation`, { ...noMfa, ...US_EAST_1 }),
      ).resolves.toMatchObject(EXPLICIT);
      await expect(ci()("s3:GetObject", arn.object("acme-landing-zone"), noMfa)).resolves.toMatchObject(EXPLICIT);
      await expect(
        ci()("iam:PassRole", arn.role("acme-admin"), { ...noMfa, "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
      ).resolves.toMatchObject(EXPLICIT);
      await expect(ci()("iam:CreateRole", arn.role("x"), { ...noMfa, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
      await expect(ci()("ec2:RunInstances", arn.instance(), noMfa)).resolves.toMatchObject(IMPLICIT);
    });
  });

  describe("every human: self-service", () => {
    const bob = () => as("single", "bob");
    it("without MFA: view the password policy, change the own password, set up an own MFA device; nothing else", async () => {
      await expect(bob()("iam:GetAccountPasswordPolicy", "*", { ...NO_MFA, ...US_EAST_1 })).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:ChangePassword", arn.iamUser("bob"), { ...NO_MFA, ...US_EAST_1 })).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:CreateVirtualMFADevice", `arn:aws:iam::${ACCT}:mfa/bob-phone`, { ...NO_MFA, ...US_EAST_1 })).resolves.toEqual(
        ALLOWED,
      );
      await expect(bob()("iam:EnableMFADevice", arn.iamUser("bob"), { ...NO_MFA, ...US_EAST_1 })).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:CreateAccessKey", arn.iamUser("bob"), { ...NO_MFA, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
      await expect(bob()("ec2:DescribeInstances", "*", NO_MFA)).resolves.toMatchObject(EXPLICIT);
    });
    it("with MFA: own access keys and MFA devices (several), never another user's", async () => {
      await expect(bob()("iam:CreateAccessKey", arn.iamUser("bob"), US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:DeleteAccessKey", arn.iamUser("bob"), US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:CreateVirtualMFADevice", `arn:aws:iam::${ACCT}:mfa/bob-yubikey`, US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(bob()("iam:CreateAccessKey", arn.iamUser("erin"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(bob()("iam:ChangePassword", arn.iamUser("erin"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(bob()("iam:CreateVirtualMFADevice", `arn:aws:iam::${ACCT}:mfa/erin`, US_EAST_1)).resolves.toMatchObject(IMPLICIT);
      await expect(bob()("iam:DeactivateMFADevice", arn.iamUser("erin"), US_EAST_1)).resolves.toMatchObject(IMPLICIT);
    });
    it("the toggle off: no password change before MFA", async () => {
      const dev = as("revoked", "dev");
      await expect(dev("iam:ChangePassword", arn.iamUser("dev"), { ...NO_MFA, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
      await expect(dev("iam:CreateVirtualMFADevice", `arn:aws:iam::${ACCT}:mfa/dev`, { ...NO_MFA, ...US_EAST_1 })).resolves.toEqual(
        ALLOWED,
      );
    });
    it("a custom group gets its own statements, region-locked, plus self-service", async () => {
      const multi = as("single", "multi");
      await expect(multi("support:DescribeCases", "*", US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(multi("support:DescribeCases", "*")).resolves.toMatchObject(IMPLICIT);
      await expect(multi("support:DescribeCases", "*", { ...NO_MFA, ...US_EAST_1 })).resolves.toMatchObject(EXPLICIT);
    });
  });

  describe("one account per environment", () => {
    it("the identity account creates no roles; its groups may assume only their persona's roles in the environment accounts", () => {
      expect(Object.keys(r).filter((a) => a.startsWith("module.identity.aws_iam_role.environment_role"))).toEqual([]);
      const devops = groupPolicies(r, "identity", "devops")
        .flatMap((d) => d.Statement)
        .find((s) => s.Sid === "AssumeOwnPersonaEnvironmentRoles")!;
      expect(devops.Resource).toEqual([arn.role("idn-dev-devops", "222222222222"), arn.role("idn-prod-devops", PROD)]);
    });
    it("the environment account creates the roles trusting the identity account (never *)", () => {
      const trust = policy(r, 'module.prod_account.aws_iam_role.environment_role["prod/devops"]');
      expect(trust.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${IDENTITY}:root` });
      expect(Object.keys(r).filter((a) => a.startsWith("module.prod_account.aws_iam_group."))).toEqual([]);
      expect(r['module.prod_account.aws_iam_role.environment_role["prod/devops"]'].tags).toEqual({ environment: "prod" });
    });
    it("cross-account assumption: own persona with MFA allowed; without MFA or another persona's role denied", async () => {
      const x = (who: string, role: string, roleName: string, ctx: Record<string, string | undefined> = {}) =>
        assume("identity", who, "prod_account", role, roleName, ctx, IDENTITY, PROD);
      await expect(x("ops", "prod/devops", "idn-prod-devops")).resolves.toEqual(ALLOWED);
      await expect(x("ops", "prod/devops", "idn-prod-devops", NO_MFA)).resolves.toMatchObject({ allowed: false });
      await expect(x("ops", "prod/developer", "idn-prod-developer")).resolves.toMatchObject({ allowed: false });
      await expect(x("dev", "prod/devops", "idn-prod-devops")).resolves.toMatchObject({ allowed: false });
      await expect(x("dev", "prod/developer", "idn-prod-developer")).resolves.toEqual(ALLOWED);
    });
  });

  describe("incident lockdown", () => {
    it("is delivered as inline policies on every group and role (no managed-policy quota), support role included", () => {
      const groups = Object.keys(r).filter((a) => a.startsWith("module.locked.aws_iam_group.this["));
      const locked = Object.keys(r).filter((a) => a.startsWith("module.locked.aws_iam_group_policy.group_lockdown["));
      expect(locked.length).toBe(groups.length);
      const roles = Object.keys(r).filter((a) => a.startsWith("module.locked.aws_iam_role.environment_role["));
      const lockedRoles = Object.keys(r).filter((a) => a.startsWith("module.locked.aws_iam_role_policy.environment_role_lockdown["));
      expect(roles.length).toBeGreaterThan(0);
      expect(lockedRoles.length).toBe(roles.length);
      expect(r["module.locked.aws_iam_role_policy.support_lockdown[0]"]).toBeDefined();
      expect(Object.keys(r).some((a) => /aws_iam_(group|role)_policy_attachment\.\w*lockdown/.test(a))).toBe(false);
    });
    it("denies everything to non-admins; admins keep the incident-response actions (disable keys, read CloudTrail and costs)", async () => {
      const alice = as("locked", "alice");
      await expect(alice("ec2:RunInstances", arn.instance())).resolves.toMatchObject(EXPLICIT);
      await expect(alice("iam:CreateAccessKey", arn.iamUser("dev"), US_EAST_1)).resolves.toMatchObject(EXPLICIT);
      await expect(alice("iam:UpdateAccessKey", arn.iamUser("dev"), US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(alice("cloudtrail:LookupEvents", "*")).resolves.toEqual(ALLOWED);
      await expect(alice("ce:GetCostAndUsage", `arn:aws:billing::${ACCT}:billingview/primary`, US_EAST_1)).resolves.toEqual(ALLOWED);
      await expect(as("locked", "dev")("iam:ChangePassword", arn.iamUser("dev"), US_EAST_1)).resolves.toMatchObject(EXPLICIT);
      const role = inRole("locked", "dev/developer", "lock-dev-developer");
      await expect(role("ec2:RunInstances", arn.instance())).resolves.toMatchObject(EXPLICIT);
    });
    it("a per-persona scope locks the compromised persona alone", async () => {
      expect(Object.keys(r).filter((a) => a.startsWith("module.scoped.aws_iam_group_policy.group_lockdown["))).toEqual([
        'module.scoped.aws_iam_group_policy.group_lockdown["developer"]',
      ]);
      expect(Object.keys(r).filter((a) => a.startsWith("module.scoped.aws_iam_role_policy.environment_role_lockdown["))).toEqual([
        'module.scoped.aws_iam_role_policy.environment_role_lockdown["dev/developer"]',
      ]);
      expect(r["module.scoped.aws_iam_role_policy.support_lockdown[0]"]).toBeUndefined();
      await expect(inRole("scoped", "dev/developer", "scp-dev-developer")("ec2:RunInstances", arn.instance())).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(inRole("scoped", "dev/devops", "scp-dev-devops")("ec2:RunInstances", arn.instance(), OWNED_BY("dev"))).resolves.toEqual(
        ALLOWED,
      );
    });
    it("revokes sessions issued before the given time, and only those", async () => {
      const role = inRole("revoked", "dev/developer", "rev-dev-developer");
      await expect(role("ec2:RunInstances", arn.instance(), { "aws:TokenIssueTime": "2025-05-31T23:00:00Z" })).resolves.toMatchObject(
        EXPLICIT,
      );
      await expect(
        role("ec2:RunInstances", arn.instance(), { "aws:TokenIssueTime": "2025-06-01T01:00:00Z", ...OWNED_BY("dev") }),
      ).resolves.toEqual(ALLOWED);
    });
  });
  describe("attacker's chains", () => {
    it("no role chaining: a role session cannot assume a human role (trust admits IAM users only) nor, by its own policy, any role", async () => {
      const trust = policy(r, 'module.single.aws_iam_role.environment_role["prod/devops"]');
      const chain = await decide(
        {
          identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }],
          resource: trust,
        },
        {
          principal: session("acme-dev-developer", "x"),
          action: "sts:AssumeRole",
          resource: arn.role("acme-prod-devops"),
          context: defaultContext(),
        },
      );
      expect(chain).toMatchObject({ allowed: false });
      await expect(
        inRole("single", "dev/developer", "acme-dev-developer")("sts:AssumeRole", arn.role("acme-prod-devops"), US_EAST_1),
      ).resolves.toMatchObject(EXPLICIT);
      const auto = policy(r, 'module.single.aws_iam_role.environment_role["prod/automation"]');
      expect(auto.Statement[0].Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": [arn.role("acme-github-deploy")] } });
      expect(auto.Statement[1].Condition).toEqual({
        StringEquals: { "aws:PrincipalType": "User", "aws:PrincipalTag/acme-automation": "true" },
      });
      // The automation user carries the tag the trust admits; a human user does not.
      expect(r['module.single.aws_iam_user.user["ci"]'].tags).toMatchObject({ "acme-automation": "true" });
      expect(r['module.single.aws_iam_user.user["alice"]'].tags ?? {}).not.toHaveProperty("acme-automation");
    });
    it("the state bucket and the trail bucket are denied to every non-admin group and role; admins keep them", async () => {
      for (const role of ["dev/developer", "dev/devops", "prod/devops", "prod/data_team", "prod/automation"]) {
        const name = `acme-${role.replace("/", "-").replace("_", "-")}`;
        for (const bucket of ["acme-tf-state", `acme-trail-${ACCT}`])
          await expect(inRole("single", role, name)("s3:GetObject", arn.object(bucket, "k"))).resolves.toMatchObject(EXPLICIT);
      }
      await expect(as("single", "ann")("s3:GetObject", arn.object("acme-tf-state", "k"))).resolves.toMatchObject(EXPLICIT);
      await expect(as("single", "alice")("s3:GetObject", arn.object("acme-tf-state", "k"))).resolves.toEqual(ALLOWED);
    });
    it("shared account (opted in): the dev role keeps dev buckets, loses the lake and resources tagged for another environment", async () => {
      const devRole = inRole("single", "dev/developer", "acme-dev-developer");
      await expect(devRole("s3:DeleteObject", arn.object("acme-dev-scratch"))).resolves.toEqual(ALLOWED);
      await expect(devRole("s3:DeleteObject", arn.object("acme-landing-zone"))).resolves.toMatchObject(EXPLICIT);
      await expect(
        devRole("rds:DeleteDBInstance", `arn:aws:rds:${REGION}:${ACCT}:db:x`, { "aws:ResourceTag/environment": "test" }),
      ).resolves.toMatchObject(EXPLICIT);
    });
    it("the trail bucket: no change or delete by admins or devops; CloudTrail still delivers", async () => {
      const bp = policy(r, "module.single.aws_s3_bucket_policy.cloudtrail_bucket_policy[0]");
      const obj = arn.object(`acme-trail-${ACCT}`, `AWSLogs/${ACCT}/CloudTrail/x.json.gz`);
      const asRole = (role: string, name: string, action: string, res: string) =>
        decide(
          { identity: rolePolicies(r, "single", role), resource: bp },
          { principal: session(name, "x"), action, resource: res, context: defaultContext() },
        );
      expect(await asRole("prod/devops", "acme-prod-devops", "s3:DeleteObject", obj)).toMatchObject({ allowed: false });
      const admin = await decide(
        { identity: userPolicies(r, "single", "alice"), resource: bp },
        { principal: user("alice"), action: "s3:PutBucketPolicy", resource: `arn:aws:s3:::acme-trail-${ACCT}`, context: defaultContext() },
      );
      expect(admin).toMatchObject({ allowed: false, deniedBy: "resource" });
    });
  });
});

describeTerraform("iam-baseline: plan-time refusals of bad input", () => {
  it("variable validations name the input and the rule", () => {
    const dir = rootWith(
      {
        "main.tf": `
module "bad" {
  source              = "${SRC}"
  name_prefix         = "9bad"
  account_id          = "1234"
  allowed_regions     = ["mars-north-1"]
  password_policy     = { minimum_length = 8, password_reuse_prevention = 30, max_password_age = 2000 }
  persona_policy_arns = { wizard = ["arn:aws:iam::aws:policy/ReadOnlyAccess"], engineer = ["not-an-arn"] }
  custom_groups       = { admin = { policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, empty = {} }
  users               = { "bad name!" = { personas = ["engineer"] }, carol = { personas = [] } }
  environments        = { Prod = {}, dev = { account_id = "12", personas = ["engineer"] } }
  role_max_mfa_age_seconds = 10
  github_oidc         = { enabled = true, repositories = [] }
  account_alias       = "Bad--Alias"
  budget              = { limit_amount = 0, emails = ["not-an-email"] }
  cloudtrail          = { enabled = true }
  lockdown            = { break_glass_principal_arns = ["*"], revoke_sessions_issued_before = "yesterday" }
}
`,
      },
      "iam-bad-vars",
    );
    const res = plan(dir);
    expect(res.ok).toBe(false);
    // The object inputs' own rules run on the converted values in the inputs child module, which
    // Terraform evaluates only once the module's variables passed: a second root holds those.
    const objectsOnly = rootWith(
      {
        "main.tf": fs
          .readFileSync(path.join(dir, "main.tf"), "utf8")
          .replace(/^\s*(name_prefix|allowed_regions|persona_policy_arns|role_max_mfa_age_seconds|account_alias)\s*=.*\n/gm, "")
          .replace('account_id          = "1234"', `account_id          = "${ACCT}"`),
      },
      "iam-bad-objects",
    );
    const res2 = plan(objectsOnly);
    expect(res2.ok).toBe(false);
    const err = flat(res.stderr + res2.stderr);
    for (const message of [
      "The name_prefix must start with a letter",
      "The account_id must be a 12-digit AWS account ID.",
      "Every entry of allowed_regions must be a known region of the aws partition",
      "The password_policy.minimum_length must be from 14 (CIS) to 128.",
      "The password_policy.password_reuse_prevention must be from 1 to 24.",
      "The password_policy.max_password_age must be from 0 (never expires) to 1095 days.",
      "Every key of persona_policy_arns must be a built-in persona",
      "Every value in persona_policy_arns must be an IAM policy ARN",
      "Every key of custom_groups must be snake_case",
      "Every custom_groups entry needs at least one statement or one policy ARN.",
      "Every key of users must be an IAM user name",
      "Every entry of users needs at least one persona",
      "Every key of environments must be 1-16 lowercase letters",
      "Every environments[*].account_id and trusted_account_id must be a 12-digit AWS account ID.",
      "Every environments[*].personas entry must be one of admin, developer, devops, data_team, automation",
      "The role_max_mfa_age_seconds must be a whole number from 300",
      "When github_oidc.enabled is true, github_oidc.repositories must name at least one repository.",
      "The account_alias must be 3-63 lowercase letters",
      "The budget.limit_amount must be greater than 0.",
      "The budget.emails must list 1 to 10 e-mail addresses.",
      "When cloudtrail.enabled is true, cloudtrail.bucket_name must be given.",
      "Every lockdown.break_glass_principal_arns entry must be an IAM user or role ARN",
      "The lockdown.revoke_sessions_issued_before must be an RFC 3339 UTC timestamp",
    ])
      expect({ message, found: err.includes(message) }).toEqual({ message, found: true });
  });

  it("refusals naming the input and the value: readable passwords, console automation, lockdown without or with broad break-glass, shared account, an analyst named like an environment", () => {
    const dir = rootWith(
      {
        "main.tf": `
module "refused" {
  source       = "${SRC}"
  name_prefix  = "ref"
  account_id   = "${ACCT}"
  users = {
    carol = { personas = ["engineer"], console_access = true }
    robot = { personas = ["automation"], console_access = true, pgp_key = "keybase:robot" }
    dev   = { personas = ["analyst"] }
  }
  environments = { dev = {}, prod = {} }
  lockdown = { enabled = true, break_glass_principal_arns = [] }
}
module "broad" {
  source      = "${SRC}"
  name_prefix = "brd"
  account_id  = "${ACCT}"
  users       = { oncall = { personas = ["admin"] } }
  lockdown    = { enabled = true, break_glass_principal_arns = ["arn:aws:iam::${ACCT}:user/*", "arn:aws:iam::${ACCT}:user/oncall", "arn:aws:iam::${ACCT}:role/brd-*"] }
}
`,
      },
      "iam-refusals",
    );
    const res = plan(dir);
    expect(res.ok).toBe(false);
    const err = flat(res.stderr);
    for (const message of [
      'users["carol"] has console_access = true but no pgp_key',
      'users["robot"] has console_access = true but only the automation persona (automation)',
      "environments: production environment(s) prod share account 111122223333 with non-production environment(s) dev",
      "set allow_shared_account_environments = true",
      "lockdown.enabled = true but lockdown.break_glass_principal_arns is empty",
      'lockdown.break_glass_principal_arns entries ["arn:aws:iam::111122223333:user/*"] are broader than one named principal family',
      "match users or roles of this module",
      'users ["dev"] (engineers or analysts) are named like environments',
    ])
      expect({ message, found: err.includes(message) }).toEqual({ message, found: true });
  });

  it("preconditions: unknown personas of users, more than 10 policies per group, oversized policies and trust policies", () => {
    const extra = Array.from({ length: 9 }, (_, i) => `"arn:aws:iam::${ACCT}:policy/extra-${i}"`).join(", ");
    const buckets = Array.from({ length: 60 }, (_, i) => `b${i} = { bucket_name = "acme-lake-bucket-with-a-long-name-${i}" }`).join(
      "\n      ",
    );
    const repos = Array.from({ length: 40 }, (_, i) => `{ repository = "acme/service-${i}", branches = ["main", "release"] }`).join(", ");
    const dir = rootWith(
      {
        "main.tf": `
module "pre" {
  source              = "${SRC}"
  name_prefix         = "pre"
  account_id          = "${ACCT}"
  personas            = { analyst = false }
  users               = { carol = { personas = ["engineer", "wizard", "analyst"] } }
  persona_policy_arns = { engineer = [${extra}], analyst = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }
  lake_access         = {
    buckets = {
      ${buckets}
    }
  }
  github_oidc         = { enabled = true, repositories = [${repos}] }
}
`,
      },
      "iam-preconditions",
    );
    const res = plan(dir);
    expect(res.ok).toBe(false);
    const err = flat(res.stderr);
    expect(err).toContain(
      "Every persona of users[carol] must be an enabled built-in persona (see personas) or a custom_groups key; unknown: wizard, analyst.",
    );
    expect(err).toContain("Group engineer would have more than 10 managed policies");
    expect(err).toContain("Every key of persona_policy_arns must be an enabled persona; nothing is attached to a disabled one: analyst.");
    expect(err).toMatch(/The lake (engineer|data_team) policy exceeds the IAM limit of 6144 characters/);
    expect(err).toContain("The GitHub OIDC trust policy exceeds 2048 characters");
  });
});

describeTerraform("iam-baseline + data-lake: the lake's policies attach to personas through persona_policy_arns", () => {
  let lakePlan: PlanResult;
  it("plans the attachments (for_each keyed by index, so ARNs may be unknown until apply)", () => {
    const dir = rootWith(
      {
        "main.tf": `
module "lake" {
  source     = "./modules/data-lake"
  name       = "acme-lake"
  account_id = "${ACCT}"
}
module "iam" {
  source      = "${SRC}"
  name_prefix = "acme"
  account_id  = "${ACCT}"
  environments = { prod = { policy_arns = { data_team = module.lake.policy_arns.read_only } } }
  persona_policy_arns = {
    engineer  = module.lake.policy_arns.read_write
    analyst   = module.lake.policy_arns.analyst
    data_team = module.lake.policy_arns.read_only
  }
}
`,
      },
      "iam-lake",
    );
    copyModule(moduleDir("data-lake"), path.join(dir, "modules", "data-lake"));
    const res = plan(dir);
    if (!res.ok) throw new Error(res.stderr);
    lakePlan = res;
    const planned = plannedResources(res.json);
    for (const key of ["engineer/0", "analyst/0", "data_team/0"])
      expect(planned[`module.iam.aws_iam_group_policy_attachment.group_extra["${key}"]`]).toBeDefined();
    // The persona policies themselves grant no S3 object access on all buckets.
    const engineer = policy(planned, 'module.iam.aws_iam_policy.persona["engineer"]');
    expect(JSON.stringify(engineer)).not.toMatch(/"s3:\*"|"s3:(Get|Put)Object"/);
  });

  it("a prod data_team role runs a real Athena query in the lake's workgroup (lake read, results written); not in another workgroup", async () => {
    const planned = plannedResources(lakePlan.json);
    expect(planned['module.iam.aws_iam_role_policy_attachment.environment_role_extra["prod/data_team/0"]']).toBeDefined();
    const lakeReadOnly = Object.keys(planned)
      .filter((a) => a.startsWith("module.lake.aws_iam_policy.read_only"))
      .map((a) => policy(planned, a));
    const level = Object.keys(planned)
      .filter((a) => /^module\.iam\.aws_iam_role_policy_attachment\.environment_role_level\["prod\/data_team\//.test(a))
      .map((a) => policy(planned, `module.iam.aws_iam_policy.environment["${a.split("/").pop()!.slice(0, -2)}"]`));
    expect(level.length).toBeGreaterThan(0);
    const role = (action: string, resource: string, ctx: Record<string, string> = {}) =>
      decide(
        { identity: [...level, ...lakeReadOnly] },
        { principal: session("acme-prod-data-team", "dana"), action, resource, context: defaultContext(ctx) },
      );
    const wg = `arn:aws:athena:${REGION}:${ACCT}:workgroup/acme-lake-data-team`;
    await expect(role("athena:StartQueryExecution", wg)).resolves.toEqual({ allowed: true });
    await expect(role("athena:GetQueryResults", wg)).resolves.toEqual({ allowed: true });
    await expect(role("glue:GetTable", `arn:aws:glue:${REGION}:${ACCT}:table/lake/events`)).resolves.toEqual({ allowed: true });
    await expect(role("s3:GetObject", arn.object("acme-lake-landing-zone"))).resolves.toEqual({ allowed: true });
    await expect(role("s3:PutObject", arn.object("acme-lake-athena-results", "acme-lake-data-team/q1.csv"), SSE)).resolves.toEqual({
      allowed: true,
    });
    await expect(role("athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCT}:workgroup/primary`)).resolves.toMatchObject({
      allowed: false,
    });
    await expect(role("s3:DeleteObject", arn.object("acme-lake-landing-zone"))).resolves.toMatchObject({ allowed: false });
  });
});

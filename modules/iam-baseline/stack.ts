import { Construct } from "constructs";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamGroup } from "@cdktf/provider-aws/lib/iam-group";
import { IamGroupPolicyAttachment } from "@cdktf/provider-aws/lib/iam-group-policy-attachment";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { IamUserGroupMembership } from "@cdktf/provider-aws/lib/iam-user-group-membership";
import { IamUserLoginProfile } from "@cdktf/provider-aws/lib/iam-user-login-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { IamAccountAlias } from "@cdktf/provider-aws/lib/iam-account-alias";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { IamGroupPolicy } from "@cdktf/provider-aws/lib/iam-group-policy";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { TerraformLocal, TerraformResource, Token } from "../../lib/cdktf";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { failIfProblems } from "../../lib/errors";
import { PolicyRecord } from "../../lib/policy/engine";
import { interpolated, tfExpr, toHclExpression } from "../../lib/policy/render";
import {
  ENVIRONMENT_ACCESS,
  ENVIRONMENT_LEVELS,
  ENVIRONMENT_PERSONAS,
  LAKE_PERSONAS,
  PERSONAS,
  nameFragment,
} from "../../lib/policy/iam/personas";
import {
  assumeRolesStatement,
  cloudTrailBucketPolicy,
  cloudTrailLogsTrust,
  GITHUB_OIDC_HOST,
  githubOidcTrust,
  supportRoleTrust,
} from "../../lib/policy/iam/statements";
import { PolicyItem } from "../../lib/policy/iam/policy-items";
import { MANAGED_POLICY_MAX_CHARS, MAX_MANAGED_POLICIES_PER_PRINCIPAL, TRUST_POLICY_MAX_CHARS } from "../../lib/policy/iam/pack";
import { automationEnvironmentRoleTrust, humanEnvironmentRoleTrust, ModulePolicies, modulePolicies, StatementLists } from "./policies";
import { nonEmpty, OWNED_COMPUTE_ROLE, REFS } from "./references";
import { derivedWorstCase } from "./sizing";
import { IAM_BASELINE_SPEC } from "./spec";

/** `${<expr>}`: a Terraform expression as an attribute value. */
const e = interpolated;
/** Typed references for provider attributes that are not strings (they render as `${<expr>}`). */
const num = (expr: string): number => Token.asNumber(e(expr));
const bool = (expr: string) => Token.asAny(e(expr));
const strings = (expr: string): string[] => Token.asList(e(expr));
const stringMap = (expr: string): Record<string, string> => Token.asStringMap(e(expr));

const sizeCheck = (policy: string, what: string) => ({
  condition: e(`length(${policy}) <= ${MANAGED_POLICY_MAX_CHARS}`),
  errorMessage: `The ${what} policy exceeds the IAM limit of ${MANAGED_POLICY_MAX_CHARS} characters for a managed policy; use fewer allowed_regions, environments or lake buckets, or split the input.`,
});

const BREAK_GLASS_FAMILY = "^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{3,}[*]?$";

/** Engineers and analysts (who own compute named <user>-*) named like an environment (which owns <environment>-*). */
const OWNERS_NAMED_LIKE_ENVIRONMENTS = `[for u, c in var.users : u if contains(keys(var.environments), u) && length(setintersection(c.personas, ["engineer", "analyst"])) > 0]`;

/** Plan-time checks that read more than one input (validation blocks cannot before Terraform 1.9). */
function moduleChecks() {
  return [
    {
      condition: e("!local.shared_account_environments || var.allow_shared_account_environments"),
      errorMessage:
        'environments: production environment(s) ${join(", ", local.production_names_in_account)} share account ${var.account_id} with non-production environment(s) ${join(", ", local.nonproduction_names_in_account)}. IAM cannot fully separate them there (untagged resources of other services stay reachable from non-production roles). Give each environment its own account (environments.<name>.account_id), or set allow_shared_account_environments = true to accept that.',
    },
    {
      condition: e(`length(${OWNERS_NAMED_LIKE_ENVIRONMENTS}) == 0`),
      errorMessage: `users \${jsonencode(${OWNERS_NAMED_LIKE_ENVIRONMENTS})} (engineers or analysts) are named like environments: compute named <user>-* is the user's own and compute named <environment>-* the environment's, so the two would own each other's compute. Rename the user or the environment.`,
    },
    {
      condition: e("!var.lockdown.enabled || length(var.lockdown.break_glass_principal_arns) > 0"),
      errorMessage:
        "lockdown.enabled = true but lockdown.break_glass_principal_arns is empty: the lockdown would lock out every responder. Name at least one break-glass user or role outside this module.",
    },
    {
      condition: e(`alltrue([for a in var.lockdown.break_glass_principal_arns : can(regex("${BREAK_GLASS_FAMILY}", a))])`),
      errorMessage: `lockdown.break_glass_principal_arns entries \${jsonencode([for a in var.lockdown.break_glass_principal_arns : a if !can(regex("${BREAK_GLASS_FAMILY}", a))])} are broader than one named principal family: give a user or role name (at least 3 characters) with at most one trailing *, such as role/break-glass-*.`,
    },
    {
      condition: e(
        `length([for t in local.break_glass_tails : t if anytrue(concat([for u in keys(var.users) : endswith(t, "*") ? startswith("\${var.account_id}:user/\${u}", trimsuffix(t, "*")) : t == "\${var.account_id}:user/\${u}"], [endswith(t, "*") ? (startswith("\${var.account_id}:role/\${var.name_prefix}-", trimsuffix(t, "*")) || startswith(trimsuffix(t, "*"), "\${var.account_id}:role/\${var.name_prefix}-")) : startswith(t, "\${var.account_id}:role/\${var.name_prefix}-")]))]) == 0`,
      ),
      errorMessage: `lockdown.break_glass_principal_arns \${jsonencode(var.lockdown.break_glass_principal_arns)} match users or roles of this module (users \${jsonencode(keys(var.users))}, roles \${var.name_prefix}-*): a lockdown must not exempt the principals it locks. Use a break-glass principal managed outside the module.`,
    },
    {
      condition: e(
        `!startswith(var.workload_role_name_prefix, "\${var.name_prefix}-") && !startswith("\${var.name_prefix}-", var.workload_role_name_prefix)`,
      ),
      errorMessage:
        'workload_role_name_prefix "${var.workload_role_name_prefix}" overlaps the module\'s own role names (${var.name_prefix}-*): people could pass the environment roles to compute. Choose a prefix of its own, such as workload-.',
    },
  ];
}

/**
 * The IAM baseline. The constructor reads like the module's README: the inputs (spec.ts), the
 * locals, the policies, then the resources section by section (password policy, persona groups,
 * lockdown and guardrails, workload boundary, users, environment roles, GitHub deployer, account
 * hygiene, CloudTrail) and the outputs. Each section is a private method adding resources to this
 * stack, not a child construct: the construct path is the pinned Terraform address. The sections
 * run in a fixed order, which is also the order of the blocks in cdk.tf.json.
 */
export class IamBaselineStack extends ModuleStack {
  /** Statement lists decided at plan time, for the engine's worst-case substitution. */
  private readonly statementLists = new StatementLists();
  /** The module's tags, on every taggable resource. */
  private readonly tags = stringMap("var.tags");

  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, IAM_BASELINE_SPEC);
    const policies = modulePolicies();
    this.checkPolicyCounts(policies);

    new DataAwsPartition(this, "current", {});
    this.inputLocals();
    this.personaPolicyLocals(policies);
    this.lockdownLocals(policies);
    this.attachmentLocals();
    this.roleLocals();

    const passwordPolicy = this.passwordPolicy();
    this.personaGroups();
    this.lockdownAndGuardrails();
    this.workloadBoundary(policies);
    this.users();
    this.environmentRoles(policies);
    this.deployer();
    this.accountHygiene();
    this.trail();
    this.outputs(passwordPolicy);
  }

  /**
   * Values of the engine's worst case: a plan-time statement list rendered by this stack, a
   * local derived from the inputs' worst cases (sizing.ts), else an input's worst case or default.
   */
  substitute = (expression: string): unknown =>
    this.statementLists.worstCase(expression, this.substitute) ?? derivedWorstCase(expression) ?? this.defaultSubstitute(expression);

  private local(name: string, value: unknown): TerraformLocal {
    return new TerraformLocal(this, name, value);
  }

  private forEach(r: TerraformResource, expr: string): void {
    r.addOverride("for_each", e(expr));
  }

  /** The resource exists while the HCL condition holds. */
  private count(r: TerraformResource, condition: string): void {
    r.addOverride("count", e(`${condition} ? 1 : 0`));
  }

  /** Registers a policy of statement items with the engine; returns its Terraform value. */
  private policy(
    name: string,
    kind: PolicyRecord["kind"],
    items: readonly PolicyItem[],
    opts: { allowAllOptional?: boolean; allowFullAccess?: boolean } = {},
  ): string {
    const document = this.statementLists.document(items, opts);
    return this.policyJson({ name, kind, document, ...(opts.allowFullAccess ? { allowFullAccess: true } : {}) });
  }

  /* ---------------------------------------------------------------- locals from the inputs */
  private inputLocals(): void {
    const local = (name: string, expr: string) => this.local(name, e(expr));
    // The partition of the provider's account: every ARN is built from it.
    local("partition", "data.aws_partition.current.partition");
    // Where people may call STS: the global endpoint's Region and the allowed regions.
    local("sts_regions", `distinct(concat(["us-east-1"], var.allowed_regions))`);
    // Group key -> IAM group name, for the enabled personas and the custom groups.
    local(
      "group_names",
      `merge({ for p, on in var.personas : p => "\${var.name_prefix}-\${replace(p, "_", "-")}" if on }, { for g, c in var.custom_groups : g => "\${var.name_prefix}-\${replace(g, "_", "-")}" })`,
    );
    // Groups of people (not automation): they get the self-service policy.
    local(
      "human_groups",
      `concat([for p, on in var.personas : p if on && p != "automation"], [for g, c in var.custom_groups : g if c.human])`,
    );
    // The environments with their defaults applied (accounts, production flag).
    local(
      "environments",
      `{ for name, env in var.environments : name => { account_id = coalesce(env.account_id, var.account_id), trusted_account_id = coalesce(env.trusted_account_id, var.account_id), production = env.production != null ? env.production : contains(["prod", "production", "prd"], name), personas = env.personas, max_session_duration = env.max_session_duration, policy_arns = env.policy_arns } }`,
    );
    // Production and non-production environments of this account: a shared account needs consent.
    local(
      "production_names_in_account",
      `[for name, env in local.environments : name if env.production && env.account_id == var.account_id]`,
    );
    local(
      "nonproduction_names_in_account",
      `[for name, env in local.environments : name if !env.production && env.account_id == var.account_id]`,
    );
    local(
      "shared_account_environments",
      "length(local.production_names_in_account) > 0 && length(local.nonproduction_names_in_account) > 0",
    );
    // What the automation persona deploys is named with this prefix.
    local("deploy_name_prefix", `var.deploy_name_prefix == null ? "\${var.name_prefix}-" : var.deploy_name_prefix`);
    // Buckets (and their objects) no non-admin principal may touch: the listed ones and the trail's.
    local(
      "protected_bucket_arns",
      `flatten([for b in distinct(concat(var.protected_bucket_names, var.cloudtrail.enabled && var.cloudtrail.bucket_name != null ? [var.cloudtrail.bucket_name] : [])) : ["arn:\${local.partition}:s3:::\${b}", "arn:\${local.partition}:s3:::\${b}/*"]])`,
    );
    // Break-glass ARNs without their partition, to compare with the module's own principals.
    local("break_glass_tails", `[for a in var.lockdown.break_glass_principal_arns : replace(a, "/^arn:[^:]+:iam::/", "")]`);
    // Persona -> its access level in non-production and production environments.
    this.local(
      "environment_access",
      Object.fromEntries(Object.entries(ENVIRONMENT_ACCESS).map(([p, a]) => [p, { nonprod: a.nonprod, prod: a.prod }])),
    );
    // "<environment>/<persona>" -> the environment role this account holds.
    local(
      "environment_roles",
      `merge([for name, env in local.environments : { for p in env.personas : "\${name}/\${p}" => { environment = name, persona = p, name = "\${var.name_prefix}-\${name}-\${replace(p, "_", "-")}", level = local.environment_access[p][env.production ? "prod" : "nonprod"], production = env.production, trusted_account_id = env.trusted_account_id, max_session_duration = env.max_session_duration, extra_policy_arns = lookup(env.policy_arns, p, []) } } if env.account_id == var.account_id]...)`,
    );
    // Persona -> the environment roles (of every account) its people may assume.
    local(
      "assumable_role_arns",
      `{ for p in ${toHclExpression(ENVIRONMENT_PERSONAS)} : p => [for name, env in local.environments : "arn:\${local.partition}:iam::\${env.account_id}:role/\${var.name_prefix}-\${name}-\${replace(p, "_", "-")}" if contains(env.personas, p)] }`,
    );
    // Values of the environment tag that mark production resources.
    local("production_environment_names", `[for name, env in local.environments : name if env.production]`);
    // The GitHub deploy role's name (the automation roles trust it by name).
    this.local("github_role_name", "${var.name_prefix}-github-deploy");
    // The access levels some role uses: only their policies are created.
    local(
      "environment_levels",
      `toset(concat([for k, r in local.environment_roles : r.level], var.github_oidc.enabled ? ["deploy"] : []))`,
    );
    // Lake persona -> the buckets it may read (read or write access).
    local(
      "lake_read_bucket_arns",
      `{ for p in ${toHclExpression(LAKE_PERSONAS)} : p => [for z, b in var.lake_access.buckets : "arn:\${local.partition}:s3:::\${b.bucket_name}" if contains(["read", "write"], b[p])] }`,
    );
    // Lake persona -> the objects it may write.
    local(
      "lake_write_object_arns",
      `{ for p in ${toHclExpression(LAKE_PERSONAS)} : p => [for z, b in var.lake_access.buckets : "arn:\${local.partition}:s3:::\${b.bucket_name}/*" if b[p] == "write"] }`,
    );
    // Every lake bucket and object: the automation persona must never read them.
    local(
      "lake_all_arns",
      `flatten([for z, b in var.lake_access.buckets : ["arn:\${local.partition}:s3:::\${b.bucket_name}", "arn:\${local.partition}:s3:::\${b.bucket_name}/*"]])`,
    );
    // The artifact objects the automation persona may upload.
    local("artifact_object_arns", `[for b in var.deploy_permissions.artifact_bucket_names : "arn:\${local.partition}:s3:::\${b}/*"]`);
    // Whether an incident lockdown is in force (deny-all or session revocation).
    local("lockdown_active", "var.lockdown.enabled || var.lockdown.revoke_sessions_issued_before != null");
  }

  /* ---------------------------------------------------------------- policies of the persona groups */
  private personaPolicyLocals(policies: ModulePolicies): void {
    // Policy key -> the persona, IAM name and document of each persona policy (split to fit the quota).
    const personaPolicies: Record<string, { persona: string; name: string; policy: string }> = {};
    for (const p of PERSONAS) {
      policies.persona[p].forEach((chunk, i) => {
        personaPolicies[i === 0 ? p : `${p}_${i + 1}`] = {
          persona: p,
          name: `\${var.name_prefix}-${nameFragment(p)}${i === 0 ? "" : `-${i + 1}`}`,
          policy: this.policy(`persona_${p}_${i + 1}`, "managed", chunk, { allowFullAccess: p === "admin" }),
        };
      });
    }
    this.local("persona_policies", personaPolicies);
    // How many managed policies each persona's group gets from the module.
    this.local("persona_policy_counts", Object.fromEntries(PERSONAS.map((p) => [p, policies.persona[p].length])));
    // Policy key -> the level, IAM name and document of each environment access-level policy.
    const environmentPolicies: Record<string, { level: string; name: string; policy: string }> = {};
    for (const level of ENVIRONMENT_LEVELS) {
      policies.environment[level].forEach((chunk, i) => {
        environmentPolicies[i === 0 ? level : `${level}_${i + 1}`] = {
          level,
          name: `\${var.name_prefix}-env-${nameFragment(level)}${i === 0 ? "" : `-${i + 1}`}`,
          policy: this.policy(`environment_${level}_${i + 1}`, "managed", chunk, { allowFullAccess: level === "admin" }),
        };
      });
    }
    this.local("environment_policies", environmentPolicies);
    // How many managed policies each access level's roles get from the module.
    this.local("environment_policy_counts", Object.fromEntries(ENVIRONMENT_LEVELS.map((l) => [l, policies.environment[l].length])));
    // The self-service policy of every person (credentials, MFA).
    this.local("self_service_policy", this.policy("self_service", "managed", policies.selfService));
    // Lake persona -> its direct lake access policy.
    this.local("lake_policies", Object.fromEntries(LAKE_PERSONAS.map((p) => [p, this.policy(`lake_${p}`, "managed", policies.lake[p])])));
    // The lake personas that are enabled and can read some bucket: they get their lake policy.
    this.local(
      "lake_personas",
      e(
        `[for p in ${toHclExpression(LAKE_PERSONAS)} : p if contains(keys(local.group_names), p) && length(local.lake_read_bucket_arns[p]) > 0]`,
      ),
    );
  }

  /* ---------------------------------------------------------------- lockdown and guardrail policies */
  private lockdownLocals(policies: ModulePolicies): void {
    // Only optional statements: the policies exist only while local.lockdown_active (one is present).
    // The inline policies go on groups and roles: checked against the smaller group limit.
    this.local("lockdown_policy", this.policy("lockdown", "group-inline", policies.lockdown, { allowAllOptional: true }));
    this.local("lockdown_admin_policy", this.policy("lockdown_admin", "group-inline", policies.lockdownAdmin, { allowAllOptional: true }));
    // An empty lockdown_personas locks every group and role.
    this.local("lockdown_all", e("length(var.lockdown_personas) == 0"));
    // Groups and environment roles the lockdown applies to (none while it is off).
    this.local(
      "lockdown_groups",
      e(
        `local.lockdown_active ? { for g, n in local.group_names : g => n if local.lockdown_all || contains(var.lockdown_personas, g) } : {}`,
      ),
    );
    this.local(
      "lockdown_roles",
      e(
        `local.lockdown_active ? { for k, r in local.environment_roles : k => r if local.lockdown_all || contains(var.lockdown_personas, r.persona) } : {}`,
      ),
    );
    // Only present while protected buckets exist.
    this.local(
      "group_guardrails_policy",
      this.policy("group_guardrails", "group-inline", policies.groupGuardrails, { allowAllOptional: true }),
    );
    // Non-admin groups carry the guardrails while there are protected buckets.
    this.local(
      "guardrail_groups",
      e(`length(local.protected_bucket_arns) > 0 ? { for g, n in local.group_names : g => n if g != "admin" } : {}`),
    );
  }

  /* ---------------------------------------------------------------- what each group gets attached */
  private attachmentLocals(): void {
    const policyArn = (name: string) => `arn:\${local.partition}:iam::\${var.account_id}:policy/${name}`;
    // Custom group -> its policy, built from the caller's statements (checked at plan time only).
    this.local(
      "custom_group_policies",
      e(
        `{ for g, c in var.custom_groups : g => jsonencode({ Version = "2012-10-17", Statement = [for s in c.statements : merge({ Effect = s.effect, Action = s.actions, Resource = s.resources }, { for k, v in { Sid = s.sid } : k => v if v != null }, { for k, v in { Condition = (s.effect == "Allow" && s.region != "any" ? merge(s.conditions, { StringEquals = merge(lookup(s.conditions, "StringEquals", {}), { "aws:RequestedRegion" = s.region == "global" ? tolist(["us-east-1"]) : var.allowed_regions }) }) : s.conditions) } : k => v if length(v) > 0 })] }) if length(c.statements) > 0 }`,
      ),
    );
    // Group -> the policy ARNs the caller attaches besides the module's.
    this.local(
      "group_extra_policy_arns",
      e(
        `merge({ for p, arns in var.persona_policy_arns : p => arns if contains(keys(local.group_names), p) }, { for g, c in var.custom_groups : g => c.policy_arns })`,
      ),
    );
    // Group -> the module's policy ARNs attached to it (built from names: known at plan time).
    this.local(
      "group_module_policy_arns",
      e(
        `{ for g, n in local.group_names : g => concat([for k, v in local.persona_policies : "${policyArn("${v.name}")}" if v.persona == g], contains(local.human_groups, g) ? ["${policyArn("${var.name_prefix}-self-service")}"] : [], contains(local.lake_personas, g) ? ["${policyArn('${var.name_prefix}-${replace(g, "_", "-")}-lake')}"] : [], contains(keys(local.custom_group_policies), g) ? ["${policyArn('${var.name_prefix}-${replace(g, "_", "-")}')}"] : []) }`,
      ),
    );
    // Group -> its managed policies in all, against the per-group quota.
    this.local(
      "group_policy_counts",
      e(
        `{ for g, n in local.group_names : g => length(local.group_module_policy_arns[g]) + length(lookup(local.group_extra_policy_arns, g, [])) }`,
      ),
    );
  }

  /* ---------------------------------------------------------------- trust and attachments of the roles */
  private roleLocals(): void {
    // The GitHub OIDC subjects (repository branches and environments) the deploy role trusts.
    this.local(
      "github_subjects",
      e(
        `flatten([for r in var.github_oidc.repositories : concat([for b in r.branches : "repo:\${r.repository}:ref:refs/heads/\${b}"], [for env in r.environments : "repo:\${r.repository}:environment:\${env}"])])`,
      ),
    );
    // The OIDC provider the deploy role trusts: created here or given.
    this.local(
      "github_provider_arn",
      e(
        `var.github_oidc.create_provider ? "arn:\${local.partition}:iam::\${var.account_id}:oidc-provider/${GITHUB_OIDC_HOST}" : var.github_oidc.provider_arn`,
      ),
    );
    // Role key -> its trust policy: the deploy identities for automation, people with MFA otherwise.
    const automation = this.policyExpr({
      name: "environment_role_trust_automation",
      kind: "trust",
      document: automationEnvironmentRoleTrust(),
    });
    const human = this.policyExpr({ name: "environment_role_trust_human", kind: "trust", document: humanEnvironmentRoleTrust() });
    this.local(
      "environment_role_trust",
      e(`{ for k, r in local.environment_roles : k => r.persona == "automation" ? ${automation} : ${human} }`),
    );
    // "<role>/<policy>" -> each access-level policy attached to each environment role.
    this.local(
      "environment_role_policies",
      e(
        `merge([for rk, r in local.environment_roles : { for pk, p in local.environment_policies : "\${rk}/\${pk}" => { role = rk, policy = pk } if p.level == r.level }]...)`,
      ),
    );
    // "<role>/<index>" -> each extra policy ARN of each environment role.
    this.local(
      "environment_role_extra_policies",
      e(
        `merge([for rk, r in local.environment_roles : { for i, arn in r.extra_policy_arns : "\${rk}/\${i}" => { role = rk, policy_arn = arn } }]...)`,
      ),
    );
    // "<group>/<index>" -> each extra policy ARN of each group.
    this.local(
      "group_extra_policies",
      e(
        `merge([for g, arns in local.group_extra_policy_arns : { for i, arn in arns : "\${g}/\${i}" => { group = g, policy_arn = arn } }]...)`,
      ),
    );
    // The automation roles the GitHub deploy role may assume.
    this.local("github_assumable_role_arns", e(`var.github_oidc.enabled ? local.assumable_role_arns.automation : []`));
  }

  /* ---------------------------------------------------------------- password policy */
  private passwordPolicy(): IamAccountPasswordPolicy {
    const pp = (k: string) => `var.password_policy.${k}`;
    return new IamAccountPasswordPolicy(this, "password_policy", {
      minimumPasswordLength: num(pp("minimum_length")),
      passwordReusePrevention: num(pp("password_reuse_prevention")),
      maxPasswordAge: num(pp("max_password_age")),
      requireSymbols: bool(pp("require_symbols")),
      requireNumbers: bool(pp("require_numbers")),
      requireUppercaseCharacters: bool(pp("require_uppercase")),
      requireLowercaseCharacters: bool(pp("require_lowercase")),
      allowUsersToChangePassword: bool(pp("allow_users_to_change")),
      hardExpiry: bool(pp("hard_expiry")),
      lifecycle: {
        // Module-wide input checks that need more than one variable (validation blocks cannot
        // reference other variables before Terraform 1.9); the password policy always exists.
        precondition: [
          ...moduleChecks(),
          {
            condition: e("alltrue([for p in keys(var.persona_policy_arns) : lookup(var.personas, p, false)])"),
            errorMessage:
              'Every key of persona_policy_arns must be an enabled persona; nothing is attached to a disabled one: ${join(", ", [for p in keys(var.persona_policy_arns) : p if !lookup(var.personas, p, false)])}.',
          },
        ],
      },
    });
  }

  /* ---------------------------------------------------------------- persona groups and their managed policies */
  private personaGroups(): void {
    const tags = this.tags;
    const group = new IamGroup(this, "this", { name: e("each.value"), path: "/" });
    this.forEach(group, "local.group_names");

    const personaPolicy = new IamPolicy(this, "persona", {
      name: e("each.value.name"),
      description: "Persona ${each.value.persona} of the IAM baseline.",
      policy: e("each.value.policy"),
      tags,
      lifecycle: { precondition: [sizeCheck("each.value.policy", "persona ${each.key}")] },
    });
    this.forEach(personaPolicy, `{ for k, v in local.persona_policies : k => v if contains(keys(local.group_names), v.persona) }`);
    const groupPersona = new IamGroupPolicyAttachment(this, "group_persona", {
      group: e("aws_iam_group.this[local.persona_policies[each.key].persona].name"),
      policyArn: "arn:${local.partition}:iam::${var.account_id}:policy${each.value.path}${each.value.name}",
    });
    this.forEach(groupPersona, "aws_iam_policy.persona");

    const selfService = new IamPolicy(this, "self_service", {
      name: "${var.name_prefix}-self-service",
      description: "Self-service credentials for every person, and nothing else without MFA.",
      policy: e("local.self_service_policy"),
      tags,
      lifecycle: { precondition: [sizeCheck("local.self_service_policy", "self-service")] },
    });
    this.count(selfService, "length(local.human_groups) > 0");
    const groupSelf = new IamGroupPolicyAttachment(this, "group_self_service", {
      group: e("aws_iam_group.this[each.key].name"),
      policyArn:
        "arn:${local.partition}:iam::${var.account_id}:policy${aws_iam_policy.self_service[0].path}${aws_iam_policy.self_service[0].name}",
    });
    this.forEach(groupSelf, "toset(local.human_groups)");

    const lakePolicy = new IamPolicy(this, "lake", {
      name: '${var.name_prefix}-${replace(each.key, "_", "-")}-lake',
      description: "Data-lake access of the ${each.key} persona.",
      policy: e("each.value"),
      tags,
      lifecycle: { precondition: [sizeCheck("each.value", "lake ${each.key}")] },
    });
    this.forEach(lakePolicy, `{ for p in local.lake_personas : p => local.lake_policies[p] }`);
    const groupLake = new IamGroupPolicyAttachment(this, "group_lake", {
      group: e("aws_iam_group.this[each.key].name"),
      policyArn: "arn:${local.partition}:iam::${var.account_id}:policy${each.value.path}${each.value.name}",
    });
    this.forEach(groupLake, "aws_iam_policy.lake");

    const customPolicy = new IamPolicy(this, "custom_group", {
      name: '${var.name_prefix}-${replace(each.key, "_", "-")}',
      description: "Custom group ${each.key} of the IAM baseline.",
      policy: e("each.value"),
      tags,
      lifecycle: { precondition: [sizeCheck("each.value", "custom group ${each.key}")] },
    });
    this.forEach(customPolicy, "local.custom_group_policies");
    const groupCustom = new IamGroupPolicyAttachment(this, "group_custom", {
      group: e("aws_iam_group.this[each.key].name"),
      policyArn: "arn:${local.partition}:iam::${var.account_id}:policy${each.value.path}${each.value.name}",
    });
    this.forEach(groupCustom, "aws_iam_policy.custom_group");

    // Checked where the extra policies are attached (module policies alone never exceed the quota),
    // so that a refusal does not hide the other checks of the same plan.
    const groupExtra = new IamGroupPolicyAttachment(this, "group_extra", {
      group: e("aws_iam_group.this[each.value.group].name"),
      policyArn: e("each.value.policy_arn"),
      lifecycle: {
        precondition: [
          {
            condition: e(`local.group_policy_counts[each.value.group] <= ${MAX_MANAGED_POLICIES_PER_PRINCIPAL}`),
            errorMessage: `Group \${each.value.group} would have more than ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies (module policies, persona_policy_arns or custom_groups policy_arns); attach fewer extra policy ARNs.`,
          },
        ],
      },
    });
    this.forEach(groupExtra, "local.group_extra_policies");
  }

  /* ---------------------------------------------------------------- lockdown and guardrails */
  private lockdownAndGuardrails(): void {
    // Inline policies: the managed-policy quota of a group or role can never block them.
    const groupLockdown = new IamGroupPolicy(this, "group_lockdown", {
      name: "${var.name_prefix}-incident-lockdown",
      group: e("aws_iam_group.this[each.key].name"),
      policy: e(`each.key == "admin" ? local.lockdown_admin_policy : local.lockdown_policy`),
    });
    this.forEach(groupLockdown, "local.lockdown_groups");
    const groupGuardrails = new IamGroupPolicy(this, "group_guardrails", {
      name: "${var.name_prefix}-guardrails",
      group: e("aws_iam_group.this[each.key].name"),
      policy: e("local.group_guardrails_policy"),
    });
    this.forEach(groupGuardrails, "local.guardrail_groups");
  }

  /* ---------------------------------------------------------------- workload boundary */
  private workloadBoundary(policies: ModulePolicies): void {
    // Workload roles (workload_role_name_prefix) are created with this boundary only: every module
    // group and role, admins included, carries the inline guard that refuses any other.
    this.local(
      "workload_boundary_policy",
      this.policy("workload_boundary", "managed", policies.workloadBoundary, { allowFullAccess: true }),
    );
    // On groups and roles: checked against the smaller group limit.
    this.local("workload_boundary_guard_policy", this.policy("workload_boundary_guard", "group-inline", policies.workloadBoundaryGuard));
    new IamPolicy(this, "workload_boundary", {
      name: "${var.name_prefix}-workload-boundary",
      path: "/",
      description:
        "Permissions boundary of the workload roles: no IAM writes, role passing or assuming, Organizations, account, audit changes or protected buckets.",
      policy: e("local.workload_boundary_policy"),
      tags: this.tags,
      lifecycle: { precondition: [sizeCheck("local.workload_boundary_policy", "workload boundary")] },
    });
    const groupBoundaryGuard = new IamGroupPolicy(this, "group_workload_boundary", {
      name: "${var.name_prefix}-workload-boundary-guard",
      group: e("aws_iam_group.this[each.key].name"),
      policy: e("local.workload_boundary_guard_policy"),
    });
    this.forEach(groupBoundaryGuard, "local.group_names");
  }

  /* ---------------------------------------------------------------- users */
  private users(): void {
    const user = new IamUser(this, "user", {
      name: e("each.key"),
      path: "/",
      forceDestroy: bool("each.value.force_destroy"),
      // The automation roles trust users of this tag (not a list of names: the trust quota).
      tags: stringMap(
        `merge(var.tags, contains(each.value.personas, "automation") ? { (format("%s-automation", var.name_prefix)) = "true" } : {})`,
      ),
      lifecycle: {
        precondition: [
          {
            // A password Terraform generates without a PGP key sits readable in the state.
            condition: e("!each.value.console_access || each.value.pgp_key != null"),
            errorMessage:
              'users["${each.key}"] has console_access = true but no pgp_key: the initial password would be stored readable in the Terraform state. Give a pgp_key (keybase:<name> or a base64 public key), or set console_access = false and have an admin set the first password outside Terraform (aws iam create-login-profile --password-reset-required).',
          },
          {
            condition: e(`!each.value.console_access || !alltrue([for p in each.value.personas : p == "automation"])`),
            errorMessage:
              'users["${each.key}"] has console_access = true but only the automation persona (${join(", ", each.value.personas)}): automation identities never sign in to the console; set console_access = false.',
          },
        ],
      },
    });
    this.forEach(user, "var.users");
    // Memberships and login profiles read the users' names through this local, not through
    // aws_iam_user.user[each.key]: Terraform (1.11 here; hashicorp/terraform#26355, #37154) fetches
    // every instance of a resource for each such reference, which made plans quadratic in users
    // (1,000 users: ~140 s -> ~45 s; README "Performance and scale"). The local still orders them
    // after their users.
    this.local("created_user_names", e("{ for k, u in aws_iam_user.user : k => u.name }"));
    const membership = new IamUserGroupMembership(this, "user_groups", {
      user: e("local.created_user_names[each.key]"),
      groups: strings(`[for p in each.value.personas : aws_iam_group.this[p].name if contains(keys(local.group_names), p)]`),
      lifecycle: {
        precondition: [
          {
            condition: e("alltrue([for p in each.value.personas : contains(keys(local.group_names), p)])"),
            errorMessage:
              'Every persona of users[${each.key}] must be an enabled built-in persona (see personas) or a custom_groups key; unknown: ${join(", ", [for p in each.value.personas : p if !contains(keys(local.group_names), p)])}.',
          },
        ],
      },
    });
    this.forEach(membership, "var.users");
    const login = new IamUserLoginProfile(this, "user_console", {
      user: e("local.created_user_names[each.key]"),
      passwordResetRequired: true,
      pgpKey: e("each.value.pgp_key"),
      lifecycle: { ignoreChanges: ["password_length", "password_reset_required", "pgp_key"] },
    });
    this.forEach(login, "{ for u, v in var.users : u => v if v.console_access }");
  }

  /* ---------------------------------------------------------------- environment roles */
  private environmentRoles(policies: ModulePolicies): void {
    const envPolicy = new IamPolicy(this, "environment", {
      name: e("each.value.name"),
      description: "Environment access level ${each.value.level} of the IAM baseline.",
      policy: e("each.value.policy"),
      tags: this.tags,
      lifecycle: { precondition: [sizeCheck("each.value.policy", "environment ${each.key}")] },
    });
    this.forEach(envPolicy, "{ for k, v in local.environment_policies : k => v if contains(local.environment_levels, v.level) }");

    const envRole = new IamRole(this, "environment_role", {
      name: e("each.value.name"),
      path: "/",
      description: "${each.value.persona} in the ${each.value.environment} environment (${each.value.level}).",
      assumeRolePolicy: e("local.environment_role_trust[each.key]"),
      maxSessionDuration: num("each.value.max_session_duration"),
      tags: stringMap(`merge(var.tags, { (var.environment_tag_key) = each.value.environment })`),
      lifecycle: {
        precondition: [
          {
            condition: e(`length(local.environment_role_trust[each.key]) <= ${TRUST_POLICY_MAX_CHARS}`),
            errorMessage: `The trust policy of role \${each.value.name} exceeds ${TRUST_POLICY_MAX_CHARS} characters.`,
          },
          {
            condition: e(
              `local.environment_policy_counts[each.value.level] + length(each.value.extra_policy_arns) <= ${MAX_MANAGED_POLICIES_PER_PRINCIPAL}`,
            ),
            errorMessage: `Role \${each.value.name} would have more than ${MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies; attach fewer environments[*].policy_arns.`,
          },
        ],
      },
    });
    this.forEach(envRole, "local.environment_roles");
    const envRoleLevel = new IamRolePolicyAttachment(this, "environment_role_level", {
      role: e("aws_iam_role.environment_role[each.value.role].name"),
      policyArn:
        "arn:${local.partition}:iam::${var.account_id}:policy${aws_iam_policy.environment[each.value.policy].path}${aws_iam_policy.environment[each.value.policy].name}",
    });
    this.forEach(envRoleLevel, "local.environment_role_policies");
    const envRoleExtra = new IamRolePolicyAttachment(this, "environment_role_extra", {
      role: e("aws_iam_role.environment_role[each.value.role].name"),
      policyArn: e("each.value.policy_arn"),
    });
    this.forEach(envRoleExtra, "local.environment_role_extra_policies");
    const envRoleLockdown = new IamRolePolicy(this, "environment_role_lockdown", {
      name: "${var.name_prefix}-incident-lockdown",
      role: e("aws_iam_role.environment_role[each.key].name"),
      policy: e(`each.value.persona == "admin" ? local.lockdown_admin_policy : local.lockdown_policy`),
    });
    this.forEach(envRoleLockdown, "local.lockdown_roles");
    const envRoleGuardrails = new IamRolePolicy(this, "environment_role_guardrails", {
      name: "${var.name_prefix}-guardrails",
      role: e("aws_iam_role.environment_role[each.key].name"),
      policy: this.policy("role_guardrails", "role-inline", policies.roleGuardrails, { allowAllOptional: true }),
    });
    this.forEach(
      envRoleGuardrails,
      `{ for k, r in local.environment_roles : k => r if r.persona != "admin" && (length(local.protected_bucket_arns) > 0 || ${OWNED_COMPUTE_ROLE.replace("each.value", "r")} || (local.shared_account_environments && !r.production && r.persona != "automation")) }`,
    );

    const envRoleBoundaryGuard = new IamRolePolicy(this, "environment_role_workload_boundary", {
      name: "${var.name_prefix}-workload-boundary-guard",
      role: e("aws_iam_role.environment_role[each.key].name"),
      policy: e("local.workload_boundary_guard_policy"),
    });
    this.forEach(envRoleBoundaryGuard, "local.environment_roles");
  }

  /* ---------------------------------------------------------------- GitHub OIDC deployer */
  private deployer(): void {
    const oidc = new IamOpenidConnectProvider(this, "github", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: ["sts.amazonaws.com"],
      tags: this.tags,
    });
    this.count(oidc, "var.github_oidc.enabled && var.github_oidc.create_provider");
    this.local(
      "github_trust_policy",
      this.policyJson({
        name: "github_deploy_trust",
        kind: "trust",
        document: githubOidcTrust(tfExpr("local.github_provider_arn"), tfExpr("local.github_subjects")),
      }),
    );
    const ghRole = new IamRole(this, "github_deploy", {
      name: e("local.github_role_name"),
      path: "/",
      description: "GitHub Actions deployer (OIDC): deployment actions only.",
      assumeRolePolicy: e("local.github_trust_policy"),
      maxSessionDuration: num("var.github_oidc.max_session_duration"),
      tags: this.tags,
      dependsOn: [oidc],
      lifecycle: {
        precondition: [
          {
            condition: e(`length(local.github_trust_policy) <= ${TRUST_POLICY_MAX_CHARS}`),
            errorMessage: `The GitHub OIDC trust policy exceeds ${TRUST_POLICY_MAX_CHARS} characters; list fewer repositories, branches or environments in github_oidc.`,
          },
        ],
      },
    });
    this.count(ghRole, "var.github_oidc.enabled");
    const ghLevel = new IamRolePolicyAttachment(this, "github_deploy_level", {
      role: e("aws_iam_role.github_deploy[0].name"),
      policyArn: "arn:${local.partition}:iam::${var.account_id}:policy${each.value.path}${each.value.name}",
    });
    this.forEach(
      ghLevel,
      `var.github_oidc.enabled ? { for k, v in aws_iam_policy.environment : k => v if local.environment_policies[k].level == "deploy" } : {}`,
    );
    this.local(
      "github_assume_policy",
      // Created only when the optional statement is present.
      this.policy("github_assume", "managed", [assumeRolesStatement(REFS, nonEmpty("local.github_assumable_role_arns"))], {
        allowAllOptional: true,
      }),
    );
    const ghAssume = new IamPolicy(this, "github_assume", {
      name: "${var.name_prefix}-github-deploy-assume",
      description: "Lets the GitHub deploy role assume the automation roles of every environment.",
      policy: e("local.github_assume_policy"),
      tags: this.tags,
    });
    this.count(ghAssume, "length(local.github_assumable_role_arns) > 0");
    const ghAssumeAttach = new IamRolePolicyAttachment(this, "github_deploy_assume", {
      role: e("aws_iam_role.github_deploy[0].name"),
      policyArn:
        "arn:${local.partition}:iam::${var.account_id}:policy${aws_iam_policy.github_assume[0].path}${aws_iam_policy.github_assume[0].name}",
    });
    this.count(ghAssumeAttach, "length(local.github_assumable_role_arns) > 0");
    const ghLockdown = new IamRolePolicy(this, "github_deploy_lockdown", {
      name: "${var.name_prefix}-incident-lockdown",
      role: e("aws_iam_role.github_deploy[0].name"),
      policy: e("local.lockdown_policy"),
    });
    this.count(
      ghLockdown,
      `var.github_oidc.enabled && local.lockdown_active && (local.lockdown_all || contains(var.lockdown_personas, "automation"))`,
    );
    const ghGuardrails = new IamRolePolicy(this, "github_deploy_guardrails", {
      name: "${var.name_prefix}-guardrails",
      role: e("aws_iam_role.github_deploy[0].name"),
      policy: e("local.group_guardrails_policy"),
    });
    this.count(ghGuardrails, "var.github_oidc.enabled && length(local.protected_bucket_arns) > 0");
    const ghBoundaryGuard = new IamRolePolicy(this, "github_deploy_workload_boundary", {
      name: "${var.name_prefix}-workload-boundary-guard",
      role: e("aws_iam_role.github_deploy[0].name"),
      policy: e("local.workload_boundary_guard_policy"),
    });
    this.count(ghBoundaryGuard, "var.github_oidc.enabled");
  }

  /* ---------------------------------------------------------------- account hygiene */
  private accountHygiene(): void {
    const analyzer = new AccessanalyzerAnalyzer(this, "access_analyzer", {
      analyzerName: "${var.name_prefix}-${lower(var.access_analyzer.type)}",
      type: e("var.access_analyzer.type"),
      tags: this.tags,
    });
    this.count(analyzer, "var.access_analyzer.enabled");

    const support = new IamRole(this, "support", {
      name: "${var.name_prefix}-support",
      path: "/",
      description: "AWS Support access (CIS 1.17), assumable with MFA by people of this account.",
      assumeRolePolicy: this.policyJson({ name: "support_trust", kind: "trust", document: supportRoleTrust(REFS) }),
      tags: this.tags,
    });
    this.count(support, "var.create_support_role");
    const supportAccess = new IamRolePolicyAttachment(this, "support_access", {
      role: e("aws_iam_role.support[0].name"),
      policyArn: "arn:${local.partition}:iam::aws:policy/AWSSupportAccess",
    });
    this.count(supportAccess, "var.create_support_role");
    const supportLockdown = new IamRolePolicy(this, "support_lockdown", {
      name: "${var.name_prefix}-incident-lockdown",
      role: e("aws_iam_role.support[0].name"),
      policy: e("local.lockdown_policy"),
    });
    this.count(supportLockdown, "var.create_support_role && local.lockdown_active && local.lockdown_all");
    const supportBoundaryGuard = new IamRolePolicy(this, "support_workload_boundary", {
      name: "${var.name_prefix}-workload-boundary-guard",
      role: e("aws_iam_role.support[0].name"),
      policy: e("local.workload_boundary_guard_policy"),
    });
    this.count(supportBoundaryGuard, "var.create_support_role");

    const alias = new IamAccountAlias(this, "account_alias", { accountAlias: e("var.account_alias") });
    this.count(alias, "var.account_alias != null");

    const budget = new BudgetsBudget(this, "budget", {
      name: "${var.name_prefix}-monthly-cost",
      budgetType: "COST",
      limitAmount: e("tostring(var.budget.limit_amount)"),
      limitUnit: e("var.budget.currency"),
      timeUnit: "MONTHLY",
      notification: [
        {
          comparisonOperator: "GREATER_THAN",
          notificationType: "ACTUAL",
          threshold: num("var.budget.actual_threshold_percent"),
          thresholdType: "PERCENTAGE",
          subscriberEmailAddresses: strings("var.budget.emails"),
        },
        {
          comparisonOperator: "GREATER_THAN",
          notificationType: "FORECASTED",
          threshold: num("var.budget.forecast_threshold_percent"),
          thresholdType: "PERCENTAGE",
          subscriberEmailAddresses: strings("var.budget.emails"),
        },
      ],
      tags: this.tags,
    });
    this.count(budget, "var.budget != null");

    /* ---------------------------------------------------------------- S3 Block Public Access (account) */
    const accountPab = new S3AccountPublicAccessBlock(this, "account_public_access_block", {
      accountId: e("var.account_id"),
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.count(accountPab, "var.s3_account_public_access_block");
  }

  /* ---------------------------------------------------------------- CloudTrail (optional) */
  private trail(): void {
    const createTrailBucket = "var.cloudtrail.enabled && var.cloudtrail.create_bucket";
    const trailBucket = new S3Bucket(this, "cloudtrail_bucket", { bucket: e("var.cloudtrail.bucket_name"), tags: this.tags });
    this.count(trailBucket, createTrailBucket);
    const pab = new S3BucketPublicAccessBlock(this, "cloudtrail_bucket_public_access", {
      bucket: e("aws_s3_bucket.cloudtrail_bucket[0].bucket"),
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.count(pab, createTrailBucket);
    const own = new S3BucketOwnershipControls(this, "cloudtrail_bucket_ownership", {
      bucket: e("aws_s3_bucket.cloudtrail_bucket[0].bucket"),
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    this.count(own, createTrailBucket);
    const ver = new S3BucketVersioningA(this, "cloudtrail_bucket_versioning", {
      bucket: e("aws_s3_bucket.cloudtrail_bucket[0].bucket"),
      versioningConfiguration: { status: "Enabled" },
    });
    this.count(ver, createTrailBucket);
    const sse = new S3BucketServerSideEncryptionConfigurationA(this, "cloudtrail_bucket_encryption", {
      bucket: e("aws_s3_bucket.cloudtrail_bucket[0].bucket"),
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: e(`var.cloudtrail_kms_key_arn == null ? "AES256" : "aws:kms"`),
            kmsMasterKeyId: e("var.cloudtrail_kms_key_arn"),
          },
          bucketKeyEnabled: bool("var.cloudtrail_kms_key_arn != null"),
        },
      ],
    });
    this.count(sse, createTrailBucket);
    const trailName = "${var.name_prefix}-account-trail";
    const bucketPolicy = new S3BucketPolicy(this, "cloudtrail_bucket_policy", {
      bucket: e("aws_s3_bucket.cloudtrail_bucket[0].bucket"),
      policy: this.policy(
        "cloudtrail_bucket_policy",
        "bucket",
        cloudTrailBucketPolicy(
          REFS,
          tfExpr("var.cloudtrail.bucket_name"),
          `${tfExpr("var.name_prefix")}-account-trail`,
          nonEmpty("var.lockdown.break_glass_principal_arns"),
        ),
      ),
      dependsOn: [pab],
    });
    this.count(bucketPolicy, createTrailBucket);
    const trailLogs = "var.cloudtrail.enabled && var.cloudtrail_cloudwatch_logs";
    const logGroup = new CloudwatchLogGroup(this, "cloudtrail_logs", {
      name: "/aws/cloudtrail/${var.name_prefix}-account-trail",
      retentionInDays: num("var.cloudtrail_log_retention_days"),
      kmsKeyId: e("var.cloudtrail_kms_key_arn"),
      tags: this.tags,
    });
    this.count(logGroup, trailLogs);
    const logsRole = new IamRole(this, "cloudtrail_logs_role", {
      name: "${var.name_prefix}-cloudtrail-logs",
      path: "/",
      description: "CloudTrail delivery to CloudWatch Logs.",
      assumeRolePolicy: this.policyJson({
        name: "cloudtrail_logs_trust",
        kind: "trust",
        document: cloudTrailLogsTrust(REFS, `${tfExpr("var.name_prefix")}-account-trail`),
      }),
      tags: this.tags,
    });
    this.count(logsRole, trailLogs);
    logsRole.overrideLogicalId("cloudtrail_logs");
    const logsPolicy = new IamRolePolicy(this, "cloudtrail_logs_policy", {
      name: "${var.name_prefix}-cloudtrail-logs",
      role: e("aws_iam_role.cloudtrail_logs[0].name"),
      policy: this.policyJson({
        name: "cloudtrail_logs_delivery",
        kind: "role-inline",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DeliverTrailEvents",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: `arn:${tfExpr("local.partition")}:logs:*:${tfExpr("var.account_id")}:log-group:/aws/cloudtrail/${tfExpr("var.name_prefix")}-account-trail:log-stream:*`,
            },
          ],
        },
      }),
    });
    this.count(logsPolicy, trailLogs);
    logsPolicy.overrideLogicalId("cloudtrail_logs");
    const trail = new Cloudtrail(this, "cloudtrail", {
      name: trailName,
      s3BucketName: e("var.cloudtrail.bucket_name"),
      kmsKeyId: e("var.cloudtrail_kms_key_arn"),
      cloudWatchLogsGroupArn: e(`var.cloudtrail_cloudwatch_logs ? "\${aws_cloudwatch_log_group.cloudtrail_logs[0].arn}:*" : null`),
      cloudWatchLogsRoleArn: e("var.cloudtrail_cloudwatch_logs ? aws_iam_role.cloudtrail_logs[0].arn : null"),
      enableLogFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: bool("var.cloudtrail.multi_region"),
      enableLogging: true,
      tags: this.tags,
      dependsOn: [bucketPolicy, logsPolicy],
    });
    this.count(trail, "var.cloudtrail.enabled");
  }

  /* ---------------------------------------------------------------- outputs */
  private outputs(passwordPolicy: IamAccountPasswordPolicy): void {
    const out = (name: string, value: unknown, dependsOn: string[] = []) => {
      const o = this.output(name, value);
      if (dependsOn.length) o.addOverride("depends_on", dependsOn);
    };
    out("group_names", e("local.group_names"), ["aws_iam_group.this"]);
    out("group_arns", e(`{ for g, n in local.group_names : g => "arn:\${local.partition}:iam::\${var.account_id}:group/\${n}" }`), [
      "aws_iam_group.this",
    ]);
    out(
      "policy_arns",
      e(`{ for g, n in local.group_names : g => concat(local.group_module_policy_arns[g], lookup(local.group_extra_policy_arns, g, [])) }`),
      [
        "aws_iam_group_policy_attachment.group_persona",
        "aws_iam_group_policy_attachment.group_self_service",
        "aws_iam_group_policy_attachment.group_lake",
        "aws_iam_group_policy_attachment.group_custom",
        "aws_iam_group_policy_attachment.group_extra",
      ],
    );
    out(
      "role_arns",
      e(
        `{ for name in distinct([for k, r in local.environment_roles : r.environment]) : name => { for k, r in local.environment_roles : r.persona => "arn:\${local.partition}:iam::\${var.account_id}:role/\${r.name}" if r.environment == name } }`,
      ),
      ["aws_iam_role.environment_role"],
    );
    out("assumable_role_arns", e("local.assumable_role_arns"));
    out("user_names", e("local.created_user_names"));
    out(
      "user_encrypted_passwords",
      e("{ for u, p in aws_iam_user_login_profile.user_console : u => p.encrypted_password if var.users[u].pgp_key != null }"),
    );
    out("github_deploy_role_arn", e("one(aws_iam_role.github_deploy[*].arn)"));
    out("github_oidc_provider_arn", e("var.github_oidc.enabled ? local.github_provider_arn : null"), [
      "aws_iam_openid_connect_provider.github",
    ]);
    out("workload_boundary_arn", e("aws_iam_policy.workload_boundary.arn"));
    out("support_role_arn", e("one(aws_iam_role.support[*].arn)"));
    out("access_analyzer_arn", e("one(aws_accessanalyzer_analyzer.access_analyzer[*].arn)"));
    out("cloudtrail_arn", e("one(aws_cloudtrail.cloudtrail[*].arn)"));
    out("lockdown_active", e("local.lockdown_active"));
    out("password_policy_expires_passwords", passwordPolicy.expirePasswords);
    this.checkOutputsDeclared();
  }

  /**
   * Synth-time check that each persona's policy chunks leave room on its group for the
   * self-service, lake and lockdown policies. Sizes are the policy engine's size rule at the
   * worst case; plan-time preconditions check the real inputs.
   */
  private checkPolicyCounts(p: ModulePolicies): void {
    const problems: string[] = [];
    for (const [k, chunks] of Object.entries(p.persona))
      if (chunks.length + 3 > MAX_MANAGED_POLICIES_PER_PRINCIPAL) problems.push(`persona ${k} needs ${chunks.length} policies, too many`);
    failIfProblems(`iam-baseline: managed policies per group (AWS quota of ${MAX_MANAGED_POLICIES_PER_PRINCIPAL})`, problems);
  }
}

import { ModuleSpec, VariableSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";
import { DEFAULT_ENVIRONMENT_PERSONAS, ENVIRONMENT_PERSONAS, LAKE_DEFAULT_ACCESS, PERSONAS } from "../../lib/policy/iam/personas";

const hclList = (xs: readonly string[]) => `[${xs.map((x) => `"${x}"`).join(", ")}]`;
const PERSONA_LIST = hclList(PERSONAS);
const ENV_PERSONA_LIST = hclList(ENVIRONMENT_PERSONAS);

/** An IAM customer-managed or AWS-managed policy ARN. */
const POLICY_ARN = "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9+=,.@_/-]+$";
/** An IAM role ARN. */
const ROLE_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/*-]+$";
/** A principal ARN pattern for aws:PrincipalArn (users, roles; a trailing * allowed). */
const PRINCIPAL_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_/*-]+$";
const BUCKET_NAME = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$";
const bucketOk = (x: string) =>
  `(can(regex("${BUCKET_NAME}", ${x})) && !strcontains(${x}, "..") && !can(regex("^[0-9]+\\\\.[0-9]+\\\\.[0-9]+\\\\.[0-9]+$", ${x})))`;
const GROUP_KEY = "^[a-z][a-z0-9_]{0,39}$";
const EMAIL = "^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$";
const RFC3339_UTC = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$";

const personasVariable: VariableSpec = {
  name: "personas",
  type: `object({ ${PERSONAS.map((p) => `${p} = optional(bool, true)`).join(", ")} })`,
  description:
    "Which built-in persona groups to create (admin, engineer, analyst, developer, devops, data_team, automation); each defaults to true.",
  default: {},
  example: "{ analyst = false }",
};

const lakeAccessVariable: VariableSpec = {
  name: "lake_access",
  type: `object({ buckets = optional(map(object({ bucket_name = string, engineer = optional(string, "${LAKE_DEFAULT_ACCESS.engineer}"), analyst = optional(string, "${LAKE_DEFAULT_ACCESS.analyst}"), data_team = optional(string, "${LAKE_DEFAULT_ACCESS.data_team}") })), {}), require_encryption_header = optional(bool, true) })`,
  description:
    "Optional direct lake access: zone -> bucket name and the access (none, read or write) of engineer, analyst and data_team; creates one lake policy per persona. The primary wiring is persona_policy_arns with the data-lake module's policies.",
  default: {},
  validations: [
    {
      condition: `alltrue([for z, b in var.lake_access.buckets : ${bucketOk("b.bucket_name")}])`,
      message: "Every lake_access.buckets[*].bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens).",
    },
    {
      condition: `alltrue(flatten([for z, b in var.lake_access.buckets : [for a in [b.engineer, b.analyst, b.data_team] : contains(["none", "read", "write"], a)]]))`,
      message: "The lake_access.buckets[*] access of engineer, analyst and data_team must each be none, read or write.",
    },
  ],
};

export const IAM_BASELINE_SPEC: ModuleSpec = {
  id: "iam-baseline",
  title: "IAM baseline",
  purpose:
    "The account's identity baseline: a CIS password policy, MFA enforcement, persona groups with least-privilege managed policies, environment roles assumed with MFA, a CI/CD deployer, account hygiene and an incident lockdown switch.",
  variables: [
    {
      name: "name_prefix",
      type: "string",
      description: "Prefix of every IAM name the module creates (groups, policies, roles).",
      default: "guardrail",
      example: `"acme"`,
      validations: [
        {
          condition: `can(regex("^[A-Za-z][A-Za-z0-9+=,.@_-]{0,31}$", var.name_prefix))`,
          message: "The name_prefix must start with a letter and use at most 32 IAM name characters (letters, digits, +=,.@_-).",
        },
      ],
    },
    {
      name: "account_id",
      type: "string",
      description:
        "ID of the AWS account this module instance manages; every ARN in the policies is built from it so that plans are fully known.",
      example: `"111122223333"`,
      validations: [
        { condition: `can(regex("^[0-9]{12}$", var.account_id))`, message: "The account_id must be a 12-digit AWS account ID." },
      ],
    },
    allowedRegionsVariable(),
    {
      name: "password_policy",
      type: "object({ minimum_length = optional(number, 14), password_reuse_prevention = optional(number, 24), max_password_age = optional(number, 90), require_symbols = optional(bool, true), require_numbers = optional(bool, true), require_uppercase = optional(bool, true), require_lowercase = optional(bool, true), allow_users_to_change = optional(bool, true), hard_expiry = optional(bool, false) })",
      description: "Account password policy; the defaults follow the CIS AWS Foundations Benchmark.",
      default: {},
      validations: [
        {
          condition: "var.password_policy.minimum_length >= 14 && var.password_policy.minimum_length <= 128",
          message: "The password_policy.minimum_length must be from 14 (CIS) to 128.",
        },
        {
          condition: "var.password_policy.password_reuse_prevention >= 1 && var.password_policy.password_reuse_prevention <= 24",
          message: "The password_policy.password_reuse_prevention must be from 1 to 24.",
        },
        {
          condition: "var.password_policy.max_password_age >= 0 && var.password_policy.max_password_age <= 1095",
          message: "The password_policy.max_password_age must be from 0 (never expires) to 1095 days.",
        },
        {
          condition:
            "floor(var.password_policy.minimum_length) == var.password_policy.minimum_length && floor(var.password_policy.password_reuse_prevention) == var.password_policy.password_reuse_prevention && floor(var.password_policy.max_password_age) == var.password_policy.max_password_age",
          message: "The password_policy lengths, reuse count and age must be whole numbers.",
        },
      ],
    },
    personasVariable,
    {
      name: "persona_policy_arns",
      type: "map(list(string))",
      description:
        'Extra managed policy ARNs attached to a built-in persona\'s group, e.g. { engineer = module.lake.policy_arns["read_write"], analyst = module.lake.policy_arns["analyst"] } with the data-lake module\'s access policies (its policy_arns output: read_write, analyst, read_only).',
      default: {},
      example: "{}",
      validations: [
        {
          condition: `alltrue([for p in keys(var.persona_policy_arns) : contains(${PERSONA_LIST}, p)])`,
          message: `Every key of persona_policy_arns must be a built-in persona: ${PERSONAS.join(", ")}.`,
        },
        {
          condition: `alltrue([for p, arns in var.persona_policy_arns : alltrue([for a in arns : can(regex("${POLICY_ARN}", a))])])`,
          message: "Every value in persona_policy_arns must be an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<name>).",
        },
      ],
    },
    {
      name: "custom_groups",
      type: `map(object({ human = optional(bool, true), policy_arns = optional(list(string), []), statements = optional(list(object({ sid = optional(string), effect = optional(string, "Allow"), actions = list(string), resources = optional(list(string), ["*"]), conditions = optional(map(map(list(string))), {}), region = optional(string, "allowed") })), []) }))`,
      description:
        "Additional groups: key (snake_case) -> statements for a module-managed policy and/or managed policy ARNs. Allow statements are region-locked to allowed_regions (region = allowed), to us-east-1 (global) or not at all (any). Human groups also get the self-service and MFA policy.",
      default: {},
      validations: [
        {
          condition: `alltrue([for g in keys(var.custom_groups) : can(regex("${GROUP_KEY}", g)) && !contains(${PERSONA_LIST}, g)])`,
          message:
            "Every key of custom_groups must be snake_case (at most 40 characters, starting with a letter) and not a built-in persona name.",
        },
        {
          condition: "alltrue([for g, c in var.custom_groups : length(c.statements) > 0 || length(c.policy_arns) > 0])",
          message: "Every custom_groups entry needs at least one statement or one policy ARN.",
        },
        {
          condition: `alltrue([for g, c in var.custom_groups : alltrue([for a in c.policy_arns : can(regex("${POLICY_ARN}", a))])])`,
          message: "Every custom_groups[*].policy_arns entry must be an IAM policy ARN.",
        },
        {
          condition: `alltrue(flatten([for g, c in var.custom_groups : [for s in c.statements : contains(["Allow", "Deny"], s.effect) && contains(["allowed", "global", "any"], s.region) && length(s.actions) > 0 && length(s.resources) > 0 && (s.sid == null ? true : can(regex("^[A-Za-z0-9]+$", s.sid)))]]))`,
          message:
            "Every custom_groups statement needs effect Allow or Deny, region allowed, global or any, at least one action and resource, and an alphanumeric sid if any.",
        },
        {
          condition: `alltrue(flatten([for g, c in var.custom_groups : [for s in c.statements : [for a in s.actions : a == "*" || can(regex("^[a-z0-9-]+:[A-Za-z0-9*?]+$", a))]]]))`,
          message: "Every action in custom_groups statements must look like service:Action (wildcards allowed) or be *.",
        },
      ],
    },
    {
      name: "users",
      type: "map(object({ personas = list(string), console_access = optional(bool, false), pgp_key = optional(string), force_destroy = optional(bool, false) }))",
      description:
        "IAM users: name -> personas (built-in or custom group keys; membership is additive) and console access (a login profile whose initial password must be reset; give pgp_key to keep only an encrypted password in state).",
      default: {},
      example: `{ alice = { personas = ["developer"], console_access = true } }`,
      validations: [
        {
          condition: `alltrue([for u in keys(var.users) : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", u))])`,
          message: "Every key of users must be an IAM user name: 1-64 letters, digits or +=,.@_-.",
        },
        {
          condition: `alltrue([for u, v in var.users : length(v.personas) > 0 && alltrue([for p in v.personas : can(regex("${GROUP_KEY}", p))])])`,
          message:
            "Every entry of users needs at least one persona, and persona names are snake_case group keys (built-in personas or custom_groups keys).",
        },
        {
          condition: `alltrue([for u, v in var.users : v.pgp_key == null ? true : can(regex("^(keybase:[A-Za-z0-9_-]+|[A-Za-z0-9+/=]+)$", v.pgp_key))])`,
          message: "A users[*].pgp_key must be keybase:<name> or a base64-encoded PGP public key without line breaks.",
        },
      ],
    },
    {
      name: "allow_password_change_without_mfa",
      type: "bool",
      description:
        "Whether a user without MFA may change their own password (and read the password policy): needed for the first console sign-in when the initial password must be reset. Everything else still requires MFA.",
      default: true,
    },
    {
      name: "environments",
      type: `map(object({ account_id = optional(string), trusted_account_id = optional(string), production = optional(bool), personas = optional(list(string), ${hclList(DEFAULT_ENVIRONMENT_PERSONAS)}), max_session_duration = optional(number, 3600), policy_arns = optional(map(list(string)), {}) }))`,
      description:
        "Environments reached through roles assumed with MFA: name -> the account holding its roles (default: account_id), the identity account its roles trust (default: account_id), whether it is production (default: name is prod, production or prd), which personas get a role, and extra policy ARNs per persona. Roles are created only by the module instance whose account_id is the environment's account.",
      default: { dev: {}, prod: {} },
      example: "{ dev = {}, prod = {} }",
      validations: [
        {
          condition: `alltrue([for e in keys(var.environments) : can(regex("^[a-z][a-z0-9-]{0,15}$", e))])`,
          message: "Every key of environments must be 1-16 lowercase letters, digits or hyphens, starting with a letter.",
        },
        {
          condition: `alltrue([for e, v in var.environments : (v.account_id == null ? true : can(regex("^[0-9]{12}$", v.account_id))) && (v.trusted_account_id == null ? true : can(regex("^[0-9]{12}$", v.trusted_account_id)))])`,
          message: "Every environments[*].account_id and trusted_account_id must be a 12-digit AWS account ID.",
        },
        {
          condition: `alltrue([for e, v in var.environments : alltrue([for p in v.personas : contains(${ENV_PERSONA_LIST}, p)]) && length(distinct(v.personas)) == length(v.personas)])`,
          message: `Every environments[*].personas entry must be one of ${ENVIRONMENT_PERSONAS.join(", ")}, without repeats.`,
        },
        {
          condition: "alltrue([for e, v in var.environments : v.max_session_duration >= 3600 && v.max_session_duration <= 43200])",
          message: "Every environments[*].max_session_duration must be from 3600 to 43200 seconds.",
        },
        {
          condition: `alltrue([for e, v in var.environments : alltrue([for p, arns in v.policy_arns : contains(v.personas, p) && alltrue([for a in arns : can(regex("${POLICY_ARN}", a))])])])`,
          message: "Every environments[*].policy_arns key must be one of that environment's personas and every value an IAM policy ARN.",
        },
      ],
    },
    {
      name: "role_max_mfa_age_seconds",
      type: "number",
      description: "Maximum age of the MFA sign-in (aws:MultiFactorAuthAge) accepted when a person assumes an environment role.",
      default: 3600,
      validations: [
        {
          condition:
            "var.role_max_mfa_age_seconds >= 300 && var.role_max_mfa_age_seconds <= 129600 && floor(var.role_max_mfa_age_seconds) == var.role_max_mfa_age_seconds",
          message: "The role_max_mfa_age_seconds must be a whole number from 300 to 129600 (36 hours, the longest session).",
        },
      ],
    },
    {
      name: "environment_tag_key",
      type: "string",
      description:
        "Tag key naming a resource's environment; non-production roles may not touch resources tagged with a production environment's name (protects production in a shared account).",
      default: "environment",
      validations: [
        {
          condition: `can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.environment_tag_key)) && !startswith(lower(var.environment_tag_key), "aws:")`,
          message: "The environment_tag_key must be a tag key of 1-128 letters, digits or _.:/=+-@ and not start with aws:.",
        },
      ],
    },
    lakeAccessVariable,
    {
      name: "deploy_permissions",
      type: "object({ artifact_bucket_names = optional(list(string), []), pass_role_arns = optional(list(string), []) })",
      description:
        "What the automation persona may deploy beyond the fixed deployment set: artifact buckets it may upload to, and workload roles it may pass to ECS tasks and Lambda functions.",
      default: {},
      validations: [
        {
          condition: `alltrue([for b in var.deploy_permissions.artifact_bucket_names : ${bucketOk("b")}])`,
          message: "Every deploy_permissions.artifact_bucket_names entry must be a valid S3 bucket name.",
        },
        {
          condition: `alltrue([for a in var.deploy_permissions.pass_role_arns : can(regex("${ROLE_ARN}", a)) && a != "*"])`,
          message: "Every deploy_permissions.pass_role_arns entry must be an IAM role ARN (a trailing * is allowed).",
        },
      ],
    },
    {
      name: "github_oidc",
      type: `object({ enabled = optional(bool, false), create_provider = optional(bool, true), provider_arn = optional(string), repositories = optional(list(object({ repository = string, branches = optional(list(string), ["main"]), environments = optional(list(string), []) })), []), max_session_duration = optional(number, 3600) })`,
      description:
        "CI/CD through GitHub Actions OIDC instead of long-lived keys: a deploy role (deployment actions only) trusted for the given repositories' branches and GitHub environments; the OIDC provider is created or given by ARN.",
      default: {},
      example: `{ enabled = true, repositories = [{ repository = "acme/app", branches = ["main"] }] }`,
      validations: [
        {
          condition: "var.github_oidc.enabled ? length(var.github_oidc.repositories) > 0 : true",
          message: "When github_oidc.enabled is true, github_oidc.repositories must name at least one repository.",
        },
        {
          condition: "var.github_oidc.create_provider ? true : var.github_oidc.provider_arn != null",
          message: "When github_oidc.create_provider is false, github_oidc.provider_arn must be given.",
        },
        {
          condition: `var.github_oidc.provider_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\\\.actions\\\\.githubusercontent\\\\.com$", var.github_oidc.provider_arn))`,
          message: "The github_oidc.provider_arn must be the ARN of the token.actions.githubusercontent.com OIDC provider.",
        },
        {
          condition: `alltrue([for r in var.github_oidc.repositories : can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$", r.repository)) && alltrue([for b in concat(r.branches, r.environments) : can(regex("^[A-Za-z0-9_./-]+$", b))]) && length(r.branches) + length(r.environments) > 0])`,
          message:
            "Every github_oidc.repositories entry must be owner/name without wildcards, with at least one branch or environment, names without wildcards.",
        },
        {
          condition: "var.github_oidc.max_session_duration >= 900 && var.github_oidc.max_session_duration <= 43200",
          message: "The github_oidc.max_session_duration must be from 900 to 43200 seconds.",
        },
      ],
    },
    {
      name: "access_analyzer",
      type: `object({ enabled = optional(bool, true), type = optional(string, "ACCOUNT") })`,
      description:
        "IAM Access Analyzer for the account (type ACCOUNT) or the organization (ORGANIZATION, from the management or delegated account).",
      default: {},
      validations: [
        {
          condition: `contains(["ACCOUNT", "ORGANIZATION"], var.access_analyzer.type)`,
          message: "The access_analyzer.type must be ACCOUNT or ORGANIZATION.",
        },
      ],
    },
    {
      name: "create_support_role",
      type: "bool",
      description: "Whether to create the AWS Support role (CIS 1.17): AWSSupportAccess, assumable with MFA by people of this account.",
      default: true,
    },
    {
      name: "account_alias",
      type: "string",
      description: "Account alias for the sign-in URL; null leaves the alias unmanaged.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.account_alias == null ? true : (can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.account_alias)) && !strcontains(var.account_alias, "--"))`,
          message:
            "The account_alias must be 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
        },
      ],
    },
    {
      name: "budget",
      type: `object({ limit_amount = number, currency = optional(string, "USD"), emails = list(string), actual_threshold_percent = optional(number, 80), forecast_threshold_percent = optional(number, 100) })`,
      description: "Monthly cost budget with e-mail alerts on actual and forecasted spend (AWS Budgets); null creates no budget.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: "var.budget == null ? true : var.budget.limit_amount > 0",
          message: "The budget.limit_amount must be greater than 0.",
        },
        {
          condition: `var.budget == null ? true : (length(var.budget.emails) > 0 && length(var.budget.emails) <= 10 && alltrue([for e in var.budget.emails : can(regex("${EMAIL}", e))]))`,
          message: "The budget.emails must list 1 to 10 e-mail addresses.",
        },
        {
          condition: `var.budget == null ? true : can(regex("^[A-Z]{3}$", var.budget.currency))`,
          message: "The budget.currency must be a three-letter currency code such as USD.",
        },
        {
          condition:
            "var.budget == null ? true : (var.budget.actual_threshold_percent > 0 && var.budget.actual_threshold_percent <= 1000 && var.budget.forecast_threshold_percent > 0 && var.budget.forecast_threshold_percent <= 1000)",
          message: "The budget thresholds must be percentages from 1 to 1000.",
        },
      ],
    },
    {
      name: "cloudtrail",
      type: "object({ enabled = optional(bool, false), bucket_name = optional(string), create_bucket = optional(bool, true), multi_region = optional(bool, true) })",
      description:
        "Optional CloudTrail trail with log file validation, delivering to bucket_name: a hardened bucket the module creates (versioned, encrypted, private, TLS only) or an existing one whose policy already admits CloudTrail.",
      default: {},
      validations: [
        {
          condition: "var.cloudtrail.enabled ? var.cloudtrail.bucket_name != null : true",
          message: "When cloudtrail.enabled is true, cloudtrail.bucket_name must be given.",
        },
        {
          condition: `var.cloudtrail.bucket_name == null ? true : ${bucketOk("var.cloudtrail.bucket_name")}`,
          message: "The cloudtrail.bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens).",
        },
      ],
    },
    {
      name: "lockdown",
      type: "object({ enabled = optional(bool, false), break_glass_principal_arns = optional(list(string), []), revoke_sessions_issued_before = optional(string) })",
      description:
        "Incident lockdown: enabled attaches a deny-all policy to every group and role of the module; revoke_sessions_issued_before (RFC 3339 UTC) denies sessions issued earlier. Break-glass principals (aws:PrincipalArn patterns) are exempt.",
      default: {},
      validations: [
        {
          condition: `alltrue([for a in var.lockdown.break_glass_principal_arns : can(regex("${PRINCIPAL_ARN}", a))])`,
          message: "Every lockdown.break_glass_principal_arns entry must be an IAM user or role ARN (a trailing * is allowed).",
        },
        {
          condition: `var.lockdown.revoke_sessions_issued_before == null ? true : (can(regex("${RFC3339_UTC}", var.lockdown.revoke_sessions_issued_before)) && can(formatdate("YYYY", var.lockdown.revoke_sessions_issued_before)))`,
          message: "The lockdown.revoke_sessions_issued_before must be an RFC 3339 UTC timestamp of the form YYYY-MM-DDThh:mm:ssZ.",
        },
      ],
    },
    TAGS_VARIABLE,
  ],
  outputs: [
    { name: "group_names", description: "Map of persona or custom group key to IAM group name." },
    { name: "group_arns", description: "Map of persona or custom group key to IAM group ARN." },
    {
      name: "policy_arns",
      description: "Map of persona or custom group key to the managed policy ARNs attached to its group (module policies and extra ARNs).",
    },
    { name: "role_arns", description: "Environment roles created by this instance: map of environment to map of persona to role ARN." },
    {
      name: "assumable_role_arns",
      description: "Map of environment persona to the environment role ARNs its group may assume (in every environment account).",
    },
    { name: "user_names", description: "Map of user key to IAM user name." },
    {
      name: "user_encrypted_passwords",
      description: "PGP-encrypted initial console passwords of users with a pgp_key (no plaintext password is ever output).",
    },
    { name: "github_deploy_role_arn", description: "ARN of the GitHub Actions OIDC deploy role, or null." },
    { name: "github_oidc_provider_arn", description: "ARN of the GitHub Actions OIDC provider the deploy role trusts, or null." },
    { name: "support_role_arn", description: "ARN of the AWS Support role, or null." },
    { name: "access_analyzer_arn", description: "ARN of the IAM Access Analyzer, or null." },
    { name: "cloudtrail_arn", description: "ARN of the CloudTrail trail, or null." },
    { name: "lockdown_policy_arn", description: "ARN of the incident lockdown policy while a lockdown is active, or null." },
    { name: "password_policy_expires_passwords", description: "Whether the account password policy expires passwords." },
  ],
  securityNotes: [
    "The password policy defaults follow CIS AWS Foundations 1.8/1.9: 14 characters minimum, 24 passwords remembered, all four character classes, 90-day maximum age.",
    "Permissions are granted only to groups through customer-managed policies; users get no policies of their own. Every Allow on a regional service is conditioned on aws:RequestedRegion in allowed_regions; global services are allowed only through the Regions that serve them (the curated list shared with org-scp).",
    "Every human group gets the self-service policy: view the password policy, manage their own password, access keys, SSH and Git credentials and MFA devices (`${aws:username}`-scoped; name virtual MFA devices after the user, e.g. alice or alice-phone, so several devices work). Without MFA everything else is denied (BoolIfExists aws:MultiFactorAuthPresent false).",
    "allow_password_change_without_mfa (default true) lets a user whose initial password must be reset sign in and change it before setting up MFA; set it to false when initial passwords are not used.",
    "Console users get a login profile with password_reset_required. Without pgp_key the generated password is stored (sensitive) in the Terraform state and never output: protect the state or give a pgp_key, in which case only user_encrypted_passwords is output.",
    "Environment roles trust the identity account (never *) with MFA no older than role_max_mfa_age_seconds; a group may assume only its own persona's roles. Automation roles trust only the GitHub deploy role and IAM users of the identity account, gated by their identity policies. Use one account per environment for real isolation; in a shared account non-production roles are denied on resources tagged with a production environment's name.",
    "Devops in production and every role below admin cannot stop or change CloudTrail; devops cannot delete production data (S3 objects, buckets and lifecycle, databases, backups, snapshots, volumes, KMS keys). Non-admin roles get no IAM writes and no iam:PassRole.",
    "The automation persona gets deployment actions only (CloudFormation, ECS, Lambda, ECR, CodeDeploy, CloudFront invalidations, uploads to the listed artifact buckets, iam:PassRole only for the listed workload roles to ECS tasks and Lambda) and explicit denies on user, access-key and policy changes and on lake data.",
    "lockdown.enabled attaches a deny-all policy to every group and role of the module, exempting break_glass_principal_arns; revoke_sessions_issued_before denies every session issued before that time.",
    "Policies are sized at synth time (at most 6,144 characters without whitespace with the default allowed_regions) and checked again at plan time, as are the 10 managed policies per group or role and the 2,048-character trust policies.",
  ],
};

import { hclStrings } from "../../lib/policy/render";
import { BUCKET_NAME_RULES, nameRulesHcl } from "../../lib/policy/s3/names";
import { NAME_LENGTHS } from "../../lib/policy/limits";
import { ModuleSpec, VariableSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";
import { DEFAULT_ENVIRONMENT_PERSONAS, ENVIRONMENT_PERSONAS, LAKE_DEFAULT_ACCESS, PERSONAS } from "../../lib/policy/iam/personas";
import {
  WORST_ACCOUNT_ID,
  WORST_ENVIRONMENT_NAMES,
  WORST_NAME_PREFIX,
  WORST_PARTITION,
  worstBucketNames,
  worstLakeBuckets,
  worstRoleArns,
} from "./worst-case";

const PERSONA_LIST = hclStrings(PERSONAS);
const ENV_PERSONA_LIST = hclStrings(ENVIRONMENT_PERSONAS);

/** An IAM customer-managed or AWS-managed policy ARN. */
const POLICY_ARN = "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9+=,.@_/-]+$";
/** An IAM role ARN. */
const ROLE_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/*-]+$";
/** A principal ARN pattern for aws:PrincipalArn (users, roles; a trailing * allowed). */
const PRINCIPAL_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_/*-]+$";
/** Terraform: whether `x` is a valid S3 bucket name (the rules of lib/policy/s3/names.ts). */
const bucketOk = (x: string) => `(${nameRulesHcl(x, BUCKET_NAME_RULES)})`;
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
  worstCase: { buckets: worstLakeBuckets(), require_encryption_header: true },
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
      worstCase: WORST_NAME_PREFIX,
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
      worstCase: WORST_ACCOUNT_ID,
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
        "IAM users: name -> personas (built-in or custom group keys; membership is additive) and console access (a login profile whose initial password must be reset). A console user needs a pgp_key, so that only a PGP-encrypted password reaches the state; without one, set console_access = false and have an admin set the first password outside Terraform. Automation-only users get no console access.",
      default: {},
      example: `{ alice = { personas = ["developer"], console_access = true, pgp_key = "keybase:alice" } }`,
      validations: [
        {
          condition: `alltrue([for u in keys(var.users) : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", u))])`,
          message: "Every key of users must be an IAM user name: 1-64 letters, digits or +=,.@_-.",
        },
        {
          condition: `length([for l, names in { for u in keys(var.users) : lower(u) => u... } : names if length(names) > 1]) == 0`,
          message: "IAM user names are case-insensitive: no two keys of users may differ only in letter case.",
          got: `[for l, names in { for u in keys(var.users) : lower(u) => u... } : names if length(names) > 1]`,
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
      type: `map(object({ account_id = optional(string), trusted_account_id = optional(string), production = optional(bool), personas = optional(list(string), ${hclStrings(DEFAULT_ENVIRONMENT_PERSONAS)}), max_session_duration = optional(number, 3600), policy_arns = optional(map(list(string)), {}) }))`,
      description:
        "Environments reached through roles assumed with MFA: name -> the account holding its roles (default: account_id), the identity account its roles trust (default: account_id), whether it is production (default: name is prod, production or prd), which personas get a role, and extra policy ARNs per persona. Roles are created only by the module instance whose account_id is the environment's account.",
      default: {},
      worstCase: Object.fromEntries(WORST_ENVIRONMENT_NAMES.map((env) => [env, { personas: [...ENVIRONMENT_PERSONAS] }])),
      example: `{ dev = { account_id = "222222222222" }, prod = { account_id = "333333333333" } }`,
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
        "Tag key naming a resource's environment; non-production roles may not touch resources tagged with a production environment's name (protects production in a shared account). Workload roles carry it too (set by an admin when creating the role): a workload role changes only its environment's compute, and in a shared account one not tagged with a production environment destroys no production data.",
      default: "environment",
      validations: [
        {
          condition: `can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.environment_tag_key)) && !startswith(lower(var.environment_tag_key), "aws:")`,
          message: "The environment_tag_key must be a tag key of 1-128 letters, digits or _.:/=+-@ and not start with aws:.",
        },
      ],
    },
    {
      name: "allow_shared_account_environments",
      type: "bool",
      description:
        "Opt-in for a production environment sharing an account with a non-production one. IAM cannot fully separate them there: non-production roles, and the workload roles they pass (unless tagged with a production environment, which they cannot pass), are held to buckets named after their environment and to resources not tagged with another environment, but untagged resources of other services stay within their reach. Without this opt-in the plan refuses such environments.",
      default: false,
      nullable: false,
    },
    {
      name: "protected_bucket_names",
      type: "list(string)",
      description:
        "S3 buckets no principal of the module but admins may touch (Terraform state, logs, ...): every non-admin group and role is denied s3:* on them. The module's own CloudTrail bucket is protected without being listed.",
      default: [],
      worstCase: worstBucketNames(3),
      nullable: false,
      example: `["acme-terraform-state"]`,
      validations: [
        {
          condition: `alltrue([for b in var.protected_bucket_names : ${bucketOk("b")}])`,
          message: `Every protected_bucket_names entry must be an S3 bucket name; not: \${jsonencode([for b in var.protected_bucket_names : b if !${bucketOk("b")}])}.`,
        },
      ],
    },
    {
      name: "workload_role_name_prefix",
      type: "string",
      description:
        "Name prefix of the workload roles that engineers, analysts and non-admin environment roles may pass to compute (iam:PassRole, to the compute services only). Keep these roles no more privileged than the people who pass them.",
      default: "workload-",
      worstCase: "w".repeat(32),
      nullable: false,
      validations: [
        {
          condition: `can(regex("^[A-Za-z][A-Za-z0-9+=,.@_-]{2,40}$", var.workload_role_name_prefix))`,
          message:
            'The workload_role_name_prefix must be 3-41 IAM name characters starting with a letter; not "${var.workload_role_name_prefix}".',
        },
      ],
    },
    {
      name: "owner_tag_key",
      type: "string",
      description:
        "Tag key naming who owns an EC2 instance or ECS task, set at launch and never added, changed or removed afterwards: engineers and analysts set it to their user name, environment roles (full, operate, operate_prod) and workload roles to environment/<environment>; each may change, stop, command or exec into only what carries its value. Named compute (Lambda functions, ECS services and task definitions, Glue jobs, SageMaker notebooks, CloudFormation stacks, CodeBuild projects) is owned by name instead: <user name>-* or <environment>-*.",
      default: "owner",
      worstCase: "o".repeat(32),
      nullable: false,
      validations: [
        {
          condition: `can(regex("^[A-Za-z0-9_.:/=+@-]{1,128}$", var.owner_tag_key)) && !startswith(lower(var.owner_tag_key), "aws:")`,
          message:
            'The owner_tag_key must be a tag key of 1-128 letters, digits or _.:/=+-@ not starting with aws:; not "${var.owner_tag_key}".',
        },
      ],
    },
    {
      name: "deploy_name_prefix",
      type: "string",
      description:
        "Name prefix of what the automation persona deploys (CloudFormation stacks, Lambda functions, ECS services, ECR repositories, CodeDeploy applications); null means <name_prefix>-.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.deploy_name_prefix == null ? true : can(regex("^[A-Za-z][A-Za-z0-9_-]{1,40}$", var.deploy_name_prefix))`,
          message:
            'The deploy_name_prefix must be 2-41 letters, digits, _ or - starting with a letter; not "${var.deploy_name_prefix == null ? "" : var.deploy_name_prefix}".',
        },
      ],
    },
    {
      name: "trusted_automation_user_names",
      type: "list(string)",
      description:
        'Automation users of the trusted (identity) account that may assume this instance\'s automation roles by name, besides the GitHub deploy role. Users of the trusted account tagged <name_prefix>-automation = "true" are trusted without being listed (this module tags the automation users of its own users input; tag cross-account automation users the same way in their account instead of listing them when there are many: every listed name counts against the 2,048-character trust policy quota).',
      default: [],
      worstCase: Array.from({ length: 5 }, (_, i) => `${"u".repeat(60)}${i}`),
      nullable: false,
      validations: [
        {
          condition: `alltrue([for u in var.trusted_automation_user_names : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", u))])`,
          message:
            'Every trusted_automation_user_names entry must be an IAM user name; not: ${jsonencode([for u in var.trusted_automation_user_names : u if !can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", u))])}.',
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
      worstCase: { artifact_bucket_names: worstBucketNames(3), pass_role_arns: worstRoleArns("workload") },
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
      worstCase: { enabled: true, bucket_name: "c".repeat(NAME_LENGTHS.s3BucketMax), create_bucket: true, multi_region: true },
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
        "Incident lockdown: enabled puts a deny-all inline policy on every group and role of the module in lockdown_personas (admins keep the incident-response actions) and needs at least one break-glass principal: a user or role outside the module (one named principal or one family with a trailing *), which also may change the trail bucket. revoke_sessions_issued_before (RFC 3339 UTC) denies sessions issued earlier; it does not touch long-term access keys.",
      default: {},
      worstCase: {
        enabled: true,
        break_glass_principal_arns: [`arn:${WORST_PARTITION}:iam::${WORST_ACCOUNT_ID}:role/break-glass-*`],
        revoke_sessions_issued_before: "2026-01-01T00:00:00Z",
      },
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
    {
      name: "lockdown_personas",
      type: "list(string)",
      description:
        "Scope of the lockdown: the persona or custom group keys whose groups and environment roles it locks (automation includes the GitHub deploy role); empty locks every group and role of the module, the support role included.",
      default: [],
      nullable: false,
      validations: [
        {
          condition: `alltrue([for p in var.lockdown_personas : can(regex("${GROUP_KEY}", p))]) && length(distinct(var.lockdown_personas)) == length(var.lockdown_personas)`,
          message:
            "Every lockdown_personas entry must be a persona or custom group key, without repeats; got ${jsonencode(var.lockdown_personas)}.",
        },
      ],
    },
    {
      name: "cloudtrail_kms_key_arn",
      type: "string",
      description:
        "KMS key (ARN) encrypting the trail's log files, the trail bucket and the CloudWatch Logs group; its key policy must let CloudTrail and CloudWatch Logs use it. null keeps S3-managed encryption.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.cloudtrail_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.cloudtrail_kms_key_arn))`,
          message:
            'The cloudtrail_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); not "${var.cloudtrail_kms_key_arn == null ? "" : var.cloudtrail_kms_key_arn}".',
        },
      ],
    },
    {
      name: "cloudtrail_cloudwatch_logs",
      type: "bool",
      description:
        "Whether the trail also delivers to a CloudWatch Logs group (/aws/cloudtrail/<name_prefix>-account-trail) through a delivery role.",
      default: false,
      nullable: false,
    },
    {
      name: "cloudtrail_log_retention_days",
      type: "number",
      description: "Retention of the trail's CloudWatch Logs group, in days.",
      default: 365,
      nullable: false,
      validations: [
        {
          condition:
            "contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudtrail_log_retention_days)",
          message:
            "The cloudtrail_log_retention_days must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653); not ${var.cloudtrail_log_retention_days}.",
        },
      ],
    },
    {
      name: "s3_account_public_access_block",
      type: "bool",
      description:
        "Whether to turn on S3 Block Public Access for the whole account (all four settings; CIS 2.1.4). Set false in member accounts under org-scp's account public access block control, which denies changes to it: the management account (or a StackSet) then owns the setting.",
      default: true,
      nullable: false,
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
    {
      name: "workload_boundary_arn",
      description:
        "ARN of the workload permissions boundary policy. Create workload roles (workload_role_name_prefix*) with this boundary; the module refuses any other.",
    },
    { name: "support_role_arn", description: "ARN of the AWS Support role, or null." },
    { name: "access_analyzer_arn", description: "ARN of the IAM Access Analyzer, or null." },
    { name: "cloudtrail_arn", description: "ARN of the CloudTrail trail, or null." },
    { name: "lockdown_active", description: "Whether an incident lockdown (deny-all or session revocation) is in force." },
    { name: "password_policy_expires_passwords", description: "Whether the account password policy expires passwords." },
  ],
  securityNotes: [
    "The password policy defaults follow CIS AWS Foundations 1.8/1.9: 14 characters minimum, 24 passwords remembered, all four character classes, 90-day maximum age. s3_account_public_access_block (default true) turns on S3 Block Public Access for the whole account (CIS 2.1.4).",
    "Permissions are granted only to groups through customer-managed policies; users get no policies of their own. Every Allow on a regional service is conditioned on aws:RequestedRegion in allowed_regions; global services are allowed only through the Regions that serve them (the curated list shared with org-scp).",
    "Every human group gets the self-service policy: view the password policy, manage their own password, access keys, SSH and Git credentials and MFA devices (`${aws:username}`-scoped; name virtual MFA devices after the user, e.g. alice or alice-phone, so several devices work). Without MFA everything else is denied (BoolIfExists aws:MultiFactorAuthPresent false).",
    "Initial passwords nobody else can read: a console user must have a pgp_key, so the state holds only the PGP-encrypted password (output as user_encrypted_passwords); the plan refuses console_access without one. Without a PGP key, create the user with console_access = false and have an admin set the first password outside Terraform: aws iam create-login-profile --user-name <name> --password <temporary> --password-reset-required. allow_password_change_without_mfa (default true) lets that user change it before setting up MFA. Automation-only users never get a console password.",
    "protected_bucket_names (Terraform state, logs, ...) and the module's own CloudTrail bucket are denied (s3:*) to every non-admin group and role through an inline guardrails policy; only admins and principals outside the module reach them.",
    "No role chaining: human environment roles and the support role trust only IAM users of the trusted account (aws:PrincipalArn user/*), with MFA no older than role_max_mfa_age_seconds, and a group may assume only its own persona's roles. Non-admin levels deny sts:AssumeRole* whatever extra policies allow. Automation roles trust only the identity account's GitHub deploy role, the users named in trusted_automation_user_names, and IAM users (aws:PrincipalType User) tagged <name_prefix>-automation = \"true\" (aws:PrincipalTag): the module tags its own automation users, and only admins can tag users (non-admin levels and personas have no IAM writes; do not grant iam:TagUser through extra policies). Never every user, and the trust stays one size whatever the number of automation users.",
    "Workload boundary: the module creates <name_prefix>-workload-boundary (output workload_boundary_arn). Create workload roles with this boundary; the module refuses any other. Whatever a workload role's own policies grant, the boundary denies all of IAM (reads included, and so iam:PassRole), sts:AssumeRole*, Organizations, Account, audit-service changes and the protected buckets. Every module group and role, admins included, carries an inline workload-boundary-guard policy that denies iam:CreateRole and iam:PutRolePermissionsBoundary on roles named workload_role_name_prefix* unless iam:PermissionsBoundary is that boundary, iam:DeleteRolePermissionsBoundary on them, and any edit or deletion of the boundary policy (change it through the module; break-glass principals outside the module are not bound). Roles created before the boundary existed must be given it (aws iam put-role-permissions-boundary).",
    "Shared accounts: the module refuses a production environment that shares an account with a non-production one unless allow_shared_account_environments = true. With the opt-in, non-production roles (developer, devops, data_team) are held to their environment: S3 only on buckets named <env>-*, *-<env> or *-<env>-* (objects carry no tags), nothing on resources tagged environment_tag_key = another environment, and the tag key may be set only to their own environment. What is lost: untagged resources of other services (and everything the pipeline deploys without the tag) stay within reach of non-production roles; one account per environment is the real separation.",
    "Production data: the production devops level denies the catalog's data-destroying class (every Write action of a data-bearing service or resource type named Delete/Terminate/Purge/Remove/Deregister/..., derived from the IAM catalog and compressed to service:Verb* patterns), and the indirect ways: backup retention, point-in-time recovery, versioning, lifecycle, log retention, key deletion, imported key material and key-policy replacement. Where the catalog has a condition key for the destroying form (ElastiCache snapshot retention 0, expiring key material) only that form is denied; where it has none (RDS ModifyDBInstance/ModifyDBCluster, dynamodb:UpdateContinuousBackups, s3:PutBucketVersioning, s3:PutLifecycleConfiguration, ...) the whole action is denied in production and an admin makes that change. IAM cannot police deletes made through a database's own SQL (DELETE, DROP TABLE) or data overwritten by an allowed write: use database permissions, backups with vault lock, and versioning.",
    "Every environment role below admin is denied every catalog Write and Permissions-management action of CloudTrail, Config, GuardDuty, Security Hub and IAM Access Analyzer (it can still read them). The module-created trail bucket's policy denies every change and delete (s3:Put*, s3:Delete*, s3:Replicate*, ...) to every principal but CloudTrail's delivery and the lockdown's break-glass principals, admins and Terraform included: change its policy or configuration as break-glass (or the account root). Optional cloudtrail_kms_key_arn encrypts the logs with your key; cloudtrail_cloudwatch_logs delivers them to a CloudWatch Logs group too.",
    "Owned compute: compute runs with a role, so changing its code, user data, commands or configuration acts as that role; non-admins change only compute they own. Ownership is fixed when the compute is created. Named compute is owned by its immutable name: Lambda functions, ECS services and task definitions, Glue jobs, dev endpoints and sessions, SageMaker notebooks, CloudFormation stacks and CodeBuild projects named <user name>-* (engineers, analysts) or <environment>-* (the environment's full, operate and operate_prod roles, and workload roles tagged environment_tag_key = <environment>). A tag cannot serve there: Lambda, Glue and SageMaker authorize tags given at creation through their TagResource/AddTags action, with no condition key telling creation from a later retag. EC2 instances and ECS tasks have no name in their ARN: they are owned by owner_tag_key = <user name> or environment/<environment>, which must be given at launch (ec2:CreateAction / ecs:CreateAction tell the launch apart) and can never be added, changed or removed afterwards. Everything else is foreign: no code, configuration, user data, instance profile, SSM command or session, exec, build, stack update or notebook URL; an own ECS service cannot be pointed at a foreign task definition. A workload role without the environment tag changes no compute. Who else can create owned compute: nobody but its owner and admins. Persons create only <user name>-*, environment roles only <environment>-* (the plan refuses a user named like an environment), workload roles pass no role, and the pipeline registers task definitions and deploys only under deploy_name_prefix. Admins can create anything: never give compute named <environment>-* or <user>-*, or tagged with an owner, a role its owner could not pass (a workload role). iam:PassRole is allowed only on roles named workload_role_name_prefix* and only to the compute services (iam:PassedToService); keep workload roles no more privileged than the people who pass them. Non-admin non-production environment roles have the same workload-only iam:PassRole, never on a role tagged with a production environment; production levels pass no role at all (deployments to production go through the pipeline). Glue job scripts live in S3: keep them in buckets engineers cannot write.",
    "Workload roles in a shared account: workload roles are created by admins (no other principal of the module has IAM writes), with the workload boundary and environment_tag_key = their environment. With allow_shared_account_environments, the boundary denies a workload role not tagged with a production environment (an untagged one included) everything on resources tagged with a production environment, and the data-destroying S3 actions of the catalog's class outside buckets named after its own environment (<env>-*, *-<env>, *-<env>-*): a workload passed by a dev role destroys no production data. A workload role tagged production keeps production's data; non-production roles cannot pass it (they are denied everything on resources tagged production, the role included).",
    "Devops gets CloudFront's us-east-1 dependencies: ACM certificates and WAFv2 web ACLs in us-east-1. Lambda@Edge functions need a role passed in us-east-1 and are left to admins. data_team and analytics_read browse the Glue catalog and list workgroups; queries run in the lake's workgroup through the data-lake module's read_only policy (attach it with persona_policy_arns and environments[*].policy_arns), which reads the lake and writes results only there.",
    "The automation persona gets deployment actions only, on resources named deploy_name_prefix* (default <name_prefix>-): CloudFormation stacks, Lambda functions, ECS services, ECR repositories, CodeDeploy applications; uploads to the listed artifact buckets; iam:PassRole only for the listed workload roles to ECS tasks and Lambda. Every IAM write (one pattern per write verb of the catalog) is denied even if an extra policy grants iam:*, and lake data is denied.",
    "Lockdown: lockdown.enabled needs at least one break-glass principal, a user or role outside the module (one named principal or one family such as role/break-glass-*; the plan refuses patterns broader than that or matching the module's users or roles). It puts an inline deny policy (never blocked by the 10-managed-policy quota) on every group and role of the module in lockdown_personas (empty: all, the support role included); admin groups and roles keep the incident-response actions: read IAM, CloudTrail, CloudWatch Logs, costs and security findings, disable or delete other people's access keys and console passwords. revoke_sessions_issued_before denies sessions issued earlier; it does not touch long-term access keys: disable those (iam:UpdateAccessKey) as a responder.",
    "Policies are sized at synth time (at most 6,144 characters without whitespace with the default allowed_regions) and checked again at plan time, as are the 10 managed policies per group or role and the 2,048-character trust policies.",
  ],
};

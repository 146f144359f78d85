import { hclStrings } from "../../lib/policy/render";
import { ModuleSpec, VariableSpec, VariableValidation } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";
import { DEFAULT_OPTIONS, GeneratorOptions } from "../../lib/config";
import {
  CATALOG_SIDS,
  CLOUDFRONT_DEPENDENCY_ACTIONS,
  CONTROL_TOWER_ROLES,
  ORGANIZATION_AUTOMATION_ROLES,
  OrgControl,
  RCP_CONTROLS,
  SCP_CONTROLS,
  SECURITY_SERVICES,
} from "../../lib/policy/scp/controls";
import { CUSTOM_STATEMENT_TYPE, customStatementValidations, MAX_CUSTOM_STATEMENTS } from "../../lib/policy/scp/custom";

/** Root (r-...), OU (ou-...-...) or account (12 digits) id. */
export const TARGET_ID_REGEX = "^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$";
/** Shortest literal start of an exempt role or user name (before any * or ?). */
export const EXEMPT_NAME_MIN_PREFIX = 4;
/**
 * An exempt principal: an IAM role or user ARN, any partition, account id or *, an optional
 * literal path, and a name that starts with at least EXEMPT_NAME_MIN_PREFIX literal characters
 * before any wildcard (so role/*, role/*a*, role/*-* and user/e* are refused: each is a family
 * anyone could join by naming a role).
 */
export const EXEMPT_ARN_REGEX =
  "^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::([0-9]{12}|[*]):(role|user)/([A-Za-z0-9+=,.@_-]+/)*" +
  `[A-Za-z0-9+=,.@_-]{${EXEMPT_NAME_MIN_PREFIX},}[A-Za-z0-9+=,.@_*?-]*$`;
/** The rule, as the validation messages state it. */
export const EXEMPT_ARN_RULE =
  "arn:<partition>:iam::<12-digit account id or *>:role/<optional literal path/><name> (or :user/...), where the name starts with at least " +
  `${EXEMPT_NAME_MIN_PREFIX} literal characters before any * or ? (e.g. arn:aws:iam::*:role/BreakGlass, arn:aws:iam::*:role/stacksets-exec-*); ` +
  "a wildcard also matches a path (role/BreakGlass* covers role/BreakGlassX/any), and every matching ARN is protected against IAM writes";
/** An audit resource a pipeline deploys: a CloudTrail trail or an IAM Access Analyzer analyzer, named with a literal prefix. */
export const AUDIT_RESOURCE_ARN_REGEX =
  "^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:(cloudtrail:([a-z0-9-]+|[*]):([0-9]{12}|[*]):trail|access-analyzer:([a-z0-9-]+|[*]):([0-9]{12}|[*]):analyzer)/" +
  `[A-Za-z0-9._-]{${EXEMPT_NAME_MIN_PREFIX},}[A-Za-z0-9._*?-]*$`;
export const ORGANIZATION_ID_REGEX = "^o-[a-z0-9]{10,32}$";

function toggle(c: OrgControl): VariableSpec {
  return { name: c.toggle, type: "bool", description: c.description, default: c.defaultEnabled };
}

const bool = (name: string, description: string, dflt: boolean): VariableSpec => ({
  name,
  type: "bool",
  description,
  default: dflt,
  nullable: false,
});

/** HCL: the entries of list `v` for which `test` (an HCL expression of `x`) is false, as JSON. */
const offending = (v: string, test: string) => `\${jsonencode([for x in ${v} : x if !(${test})])}`;
/** HCL: the entries that occur more than once in list `v`, as JSON. */
const repeated = (v: string) => `\${jsonencode(distinct([for i, x in ${v} : x if contains(slice(${v}, 0, i), x)]))}`;

/**
 * A validation that every entry of `list` passes `test` (an HCL expression of the loop variable
 * it is given); the message states `rule` and the entries refused, from the same test.
 */
function everyEntry(list: string, test: (x: string) => string, rule: string, loopVar = "x"): VariableValidation {
  return {
    condition: `alltrue([for ${loopVar} in ${list} : ${test(loopVar)}])`,
    message: `${rule} Refused: ${offending(list, test("x"))}.`,
  };
}

/** A validation that `list` (whose length is `count`) names nothing twice; the message states `rule` and the repeats. */
function noRepeats(list: string, rule: string, count = `length(${list})`): VariableValidation {
  return { condition: `length(distinct(${list})) == ${count}`, message: `${rule}; repeated: ${repeated(list)}.` };
}

/** A root, OU or account id, the form every target must have. */
const isTargetId = (x: string) => `can(regex("${TARGET_ID_REGEX}", ${x}))`;
const TARGET_ID_RULE = "must be a root id (r-xxxx), an OU id (ou-xxxx-xxxxxxxx) or a 12-digit account id.";

/** A list of exempt principal ARN patterns: shape rule, no repeats, no null. */
function principalList(name: string, description: string, example?: string): VariableSpec {
  const v = `var.${name}`;
  return {
    name,
    type: "list(string)",
    description,
    default: [],
    nullable: false,
    ...(example ? { example } : {}),
    validations: [
      everyEntry(
        v,
        (x) => `can(regex("${EXEMPT_ARN_REGEX}", ${x}))`,
        `Every entry of ${name} must name a literal IAM role or user family: ${EXEMPT_ARN_RULE}.`,
      ),
      noRepeats(v, `The ${name} list must not repeat an ARN`),
    ],
  };
}

function limit(name: string, description: string, dflt: number, min: number, max: number): VariableSpec {
  return {
    name,
    type: "number",
    description,
    default: dflt,
    validations: [
      {
        condition: `floor(var.${name}) == var.${name} && var.${name} >= ${min} && var.${name} <= ${max}`,
        message: `The ${name} must be a whole number from ${min} to ${max}.`,
      },
    ],
  };
}

/** What the policies are named after. */
const NAME_PREFIX_VARIABLE: VariableSpec = {
  name: "name_prefix",
  type: "string",
  description: "Prefix of the policy names (<name_prefix>-scp-<n>, <name_prefix>-rcp-<n>).",
  default: "guardrails",
  validations: [
    {
      condition: `can(regex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", var.name_prefix))`,
      message: "The name_prefix must be 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit.",
    },
  ],
};

/** Where the policies go: the optional OU and the existing roots, OUs and accounts. */
function targetVariables(): VariableSpec[] {
  return [
    bool("create_ou", "Create an organizational unit (named ou_name under parent_id) and attach the policies to it.", true),
    {
      name: "ou_name",
      type: "string",
      description: "Name of the organizational unit to create.",
      default: "guardrails",
      validations: [
        {
          condition: "length(var.ou_name) >= 1 && length(var.ou_name) <= 128",
          message: "The ou_name must be 1 to 128 characters.",
        },
      ],
    },
    {
      name: "parent_id",
      type: "string",
      description: "Root or OU id under which the OU is created (r-xxxx or ou-xxxx-xxxxxxxx); required when create_ou is true.",
      default: null,
      example: `"r-ab12"`,
      validations: [
        {
          condition: `var.parent_id == null || can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", var.parent_id))`,
          message: "The parent_id must be a root id (r-xxxx) or an OU id (ou-xxxx-xxxxxxxx).",
        },
      ],
    },
    {
      name: "target_ids",
      type: "list(string)",
      description: "Existing roots (r-...), OUs (ou-...-...) and accounts (12 digits) to attach the policies to, besides the created OU.",
      default: [],
      validations: [
        everyEntry("var.target_ids", isTargetId, `Every entry of target_ids ${TARGET_ID_RULE}`, "t"),
        noRepeats("var.target_ids", "The target_ids list must not repeat an id"),
      ],
    },
    {
      name: "targets",
      type: "map(string)",
      description:
        "Existing roots, OUs and accounts to attach the policies to, by a name you choose (the map key, which must be known at plan); use it instead of target_ids when an id comes from a resource of the same root, e.g. { workloads = aws_organizations_organizational_unit.workloads.id }.",
      default: {},
      nullable: false,
      example: `{ workloads = "ou-ab12-abcdefgh" }`,
      validations: [
        everyEntry(
          "keys(var.targets)",
          (k) => `can(regex("^[A-Za-z0-9_.-]{1,64}$", ${k})) && ${k} != "created_ou"`,
          "Every key of targets must be 1 to 64 letters, digits, dots, underscores or hyphens, and not created_ou (the created OU's key).",
          "k",
        ),
        everyEntry("values(var.targets)", isTargetId, `Every value of targets ${TARGET_ID_RULE}`, "t"),
        noRepeats("values(var.targets)", "The targets map must not name the same id twice", "length(var.targets)"),
      ],
    },
  ];
}

/** The region deny: the allowed Regions and the CloudFront opt-in. */
function regionVariables(): VariableSpec[] {
  return [
    allowedRegionsVariable(
      "Regions where regional services may be used; the region-deny SCP denies every other region. Global services stay reachable through the region that serves them (mostly us-east-1). " +
        "CloudFront and Route 53 also need ACM certificates, CLOUDFRONT-scope WAF web ACLs, DNSSEC KMS keys and Lambda@Edge functions in us-east-1: set allow_cloudfront_dependencies " +
        "rather than adding us-east-1 here, which would open every service in us-east-1.",
    ),
    bool(
      "allow_cloudfront_dependencies",
      `Let the region deny allow, in us-east-1 only, what CloudFront and Route 53 need there (${CLOUDFRONT_DEPENDENCY_ACTIONS.join(", ")}), without opening any other service in us-east-1: ` +
        "WAF changes are limited to CLOUDFRONT-scope (global) resources, new KMS keys to the ECC_NIST_P256 key-signing keys of Route 53 DNSSEC, Lambda to the control plane (no invoke, no function URL). No effect when allowed_regions contains us-east-1.",
      false,
    ),
  ];
}

/** The exemption classes: break-glass, security administrators, pipelines and their audit resources, automation roles. */
function exemptionVariables(): VariableSpec[] {
  return [
    principalList(
      "exempt_principal_arns",
      "Break-glass IAM role or user ARN patterns, exempt from every Deny statement of the SCPs (ArnNotLike aws:PrincipalARN), e.g. arn:aws:iam::*:role/BreakGlass. " +
        "Their ARNs are protected: nobody else may create, edit or pass a matching role or user (protect_exempt_principals). Keep their trust policies to the management account or named principals.",
      `["arn:aws:iam::*:role/BreakGlass"]`,
    ),
    principalList(
      "security_admin_principal_arns",
      "IAM role or user ARN patterns of security administrators: exempt only from protect_security_services (they run CloudTrail, Config, GuardDuty, Security Hub and Access Analyzer), still region-locked and unable to leave the organization.",
    ),
    principalList(
      "pipeline_principal_arns",
      "IAM role ARN patterns of deployment pipelines (e.g. the OIDC deploy role of each account): exempt only from deny_iam_users_and_access_keys, and from protect_security_services on pipeline_audit_resource_arns; never from the region deny, leaving the organization, the root deny or the other security services.",
    ),
    {
      name: "pipeline_audit_resource_arns",
      type: "list(string)",
      description:
        "CloudTrail trails and IAM Access Analyzer analyzers the pipelines deploy (e.g. iam-baseline's arn:aws:cloudtrail:*:*:trail/<name_prefix>-account-trail and arn:aws:access-analyzer:*:*:analyzer/<name_prefix>-*): pipelines may update and destroy these, and no other audit resource.",
      default: [],
      nullable: false,
      validations: [
        everyEntry(
          "var.pipeline_audit_resource_arns",
          (x) => `can(regex("${AUDIT_RESOURCE_ARN_REGEX}", ${x}))`,
          "Every entry of pipeline_audit_resource_arns must be a CloudTrail trail (arn:<partition>:cloudtrail:<region or *>:<account or *>:trail/<name>) or an Access Analyzer analyzer " +
            `(arn:<partition>:access-analyzer:<region or *>:<account or *>:analyzer/<name>) whose name starts with at least ${EXEMPT_NAME_MIN_PREFIX} literal characters.`,
        ),
      ],
    },
    {
      name: "exempt_organization_automation_roles",
      type: "list(string)",
      description:
        `Organization-automation roles to treat as break-glass (exempt from every deny, their ARNs protected), by name: any of ${ORGANIZATION_AUTOMATION_ROLES.join(", ")}. ` +
        "OrganizationAccountAccessRole is what Organizations creates in new accounts, stacksets-exec-* the roles of service-managed StackSets, AWSCloudFormationStackSetExecutionRole those of self-managed StackSets; " +
        "all are assumed from the management account, which SCPs never restrict anyway.",
      default: [],
      nullable: false,
      validations: [
        everyEntry(
          "var.exempt_organization_automation_roles",
          (x) => `contains(${hclStrings(ORGANIZATION_AUTOMATION_ROLES)}, ${x})`,
          `Every entry of exempt_organization_automation_roles must be one of ${ORGANIZATION_AUTOMATION_ROLES.join(", ")}.`,
        ),
      ],
    },
    bool(
      "control_tower_compatible",
      `Treat the roles AWS Control Tower uses in member accounts (${CONTROL_TOWER_ROLES.join(", ")}) as break-glass, as Control Tower's own controls do, so enrolling and updating accounts keeps working.`,
      false,
    ),
  ];
}

/** The SCP catalog's toggles and settings, and the custom statements. */
function scpControlVariables(): VariableSpec[] {
  return [
    ...SCP_CONTROLS.map(toggle),
    bool(
      "exempt_assumed_root",
      "Let centralized root access sessions (sts:AssumeRoot from the management account, aws:AssumedRoot present) through the root-user deny, as Control Tower's ExemptAssumeRoot does.",
      true,
    ),
    {
      name: "protected_security_services",
      type: "list(string)",
      description: `Security services protect_security_services protects: any of ${SECURITY_SERVICES.join(", ")}.`,
      default: [...SECURITY_SERVICES],
      validations: [
        {
          condition: `alltrue([for s in var.protected_security_services : contains(${hclStrings(SECURITY_SERVICES)}, s)])`,
          message: `Every entry of protected_security_services must be one of ${SECURITY_SERVICES.join(", ")}.`,
        },
      ],
    },
    {
      name: "custom_statements",
      type: CUSTOM_STATEMENT_TYPE,
      description:
        `Extra Deny statements for the SCPs (at most ${MAX_CUSTOM_STATEMENTS}, printable ASCII only); each carries the break-glass exemption (exempt_principal_arns and the opted-in automation roles) unless exempt = false, ` +
        "and conditions are { test, variable, values } as in aws_iam_policy_document. Append new statements at the end: statements are placed in order, so an appended one moves nothing.",
      default: [],
      validations: [
        ...customStatementValidations("custom_statements", CATALOG_SIDS),
        {
          condition: `alltrue([for s in var.custom_statements : can(regex("^[ -~]*$", jsonencode(s)))])`,
          message:
            "Every string in custom_statements must be printable ASCII (AWS counts SCP size in bytes, Terraform counts characters, so other text could pass the size check and fail at apply). " +
            `Refused sids: \${jsonencode([for s in var.custom_statements : s.sid if !can(regex("^[ -~]*$", jsonencode(s)))])}.`,
        },
      ],
    },
  ];
}

/** The AWS quotas the policies are packed against; defaults from the generator options. */
function quotaVariables(options: Pick<GeneratorOptions, "scpMaxChars" | "scpMaxPerTarget">): VariableSpec[] {
  return [
    limit(
      "scp_max_chars",
      "Characters allowed in one SCP or RCP (AWS default quota 5,120; raise it only if AWS raised the quota for your organization).",
      options.scpMaxChars,
      1000,
      100000,
    ),
    limit(
      "scp_max_per_target",
      "SCPs (and RCPs) allowed per target, the AWS-managed FullAWSAccess / RCPFullAWSAccess included (AWS default quota 5).",
      options.scpMaxPerTarget,
      2,
      100,
    ),
    {
      name: "other_scps_per_target",
      type: "number",
      description: "SCPs attached to the targets outside this module (besides FullAWSAccess), counted against scp_max_per_target.",
      default: 0,
      validations: [
        {
          condition: "floor(var.other_scps_per_target) == var.other_scps_per_target && var.other_scps_per_target >= 0",
          message: "The other_scps_per_target must be a whole number of at least 0.",
        },
      ],
    },
    {
      name: "other_rcps_per_target",
      type: "number",
      description: "RCPs attached to the targets outside this module (besides RCPFullAWSAccess), counted against scp_max_per_target.",
      default: 0,
      nullable: false,
      validations: [
        {
          condition: "floor(var.other_rcps_per_target) == var.other_rcps_per_target && var.other_rcps_per_target >= 0",
          message: "The other_rcps_per_target must be a whole number of at least 0; got \${var.other_rcps_per_target}.",
        },
      ],
    },
  ];
}

/** The resource control policy (S3 data perimeter), off by default. */
function rcpVariables(): VariableSpec[] {
  return [
    bool(
      "enable_rcp",
      "Create the resource control policy (S3 data perimeter) and attach it to the targets; needs organization_id and RCPs enabled in the organization.",
      false,
    ),
    {
      name: "organization_id",
      type: "string",
      description: "Organization id (o-xxxxxxxxxx) the RCP data perimeter trusts; required when enable_rcp is true.",
      default: null,
      validations: [
        {
          condition: `var.organization_id == null || can(regex("${ORGANIZATION_ID_REGEX}", var.organization_id))`,
          message: "The organization_id must look like o-xxxxxxxxxx (o- and 10 to 32 lowercase letters or digits).",
        },
      ],
    },
    ...RCP_CONTROLS.map(toggle),
    {
      name: "rcp_trusted_account_ids",
      type: "list(string)",
      description:
        "Accounts outside the organization that the RCP data perimeter still lets in (12-digit ids). AWS service principals are let in already; AWS-owned accounts that are not service principals are not: " +
        "add the Elastic Load Balancing account of your region (e.g. 783225319266 for ap-southeast-2) when load balancers deliver access logs to a bucket of the organization in a region older than August 2022, " +
        "and move CloudFront origins from origin access identities (principal in CloudFront's account) to origin access control (the cloudfront.amazonaws.com service principal), which the perimeter lets in.",
      default: [],
      validations: [
        {
          condition: `alltrue([for a in var.rcp_trusted_account_ids : can(regex("^[0-9]{12}$", a))])`,
          message: "Every entry of rcp_trusted_account_ids must be a 12-digit AWS account id.",
        },
      ],
    },
  ];
}

/** The module outputs. */
const OUTPUTS: ModuleSpec["outputs"] = [
  { name: "ou_id", description: "Id of the created OU, or null when no OU is created." },
  { name: "policy_ids", description: "Map of policy name to policy id, for every SCP and RCP of the module." },
  { name: "policy_sizes", description: "Map of policy name to its size in characters (minified JSON, as AWS counts it)." },
  {
    name: "policy_count_per_target",
    description:
      "Map of target (created_ou or the target id) to the number of SCPs and RCPs attached to it, FullAWSAccess, RCPFullAWSAccess and other_scps_per_target included.",
  },
];

/** What the module guarantees and what it leaves to the caller (README "Security notes"). */
const SECURITY_NOTES: ModuleSpec["securityNotes"] = [
  "FullAWSAccess stays attached (the module never detaches it): the SCPs here only deny.",
  "Exemptions are per control: break-glass principals (exempt_principal_arns, plus exempt_organization_automation_roles and the Control Tower roles when control_tower_compatible) are exempt from every deny; " +
    "security_admin_principal_arns only from protect_security_services; pipeline_principal_arns only from deny_iam_users_and_access_keys and, on pipeline_audit_resource_arns, from protect_security_services. " +
    "No exemption lets a pipeline or a security administrator leave the organization, act as root or work outside allowed_regions.",
  "Exempt ARNs must name a literal role or user family (at least four literal characters before any wildcard), and protect_exempt_principals (on by default) denies IAM writes on every exempt ARN to everyone outside its class: " +
    "a member-account administrator cannot create or edit a role that matches an exemption. Who may assume an exempt role is its trust policy's decision: trust the management account or named principals, never the member account.",
  "The region deny exempts the curated global-service list (Global services below, a reason per entry), the same list iam-baseline uses; allow_cloudfront_dependencies adds what CloudFront and Route 53 need in us-east-1 and nothing else there.",
  "The root-user deny keeps centralized root access (sts:AssumeRoot) usable by default (exempt_assumed_root); the management account is never affected by SCPs.",
  "Statements are placed stably at plan time: each catalog statement has a fixed home policy and stays there while it fits, custom statements fill the policies in order, so a change to one input moves only what no longer fits. " +
    "Preconditions refuse a plan whose policy is too large or whose targets would exceed scp_max_per_target, naming the policy and its size.",
  "Custom statements must be printable ASCII, so the plan-time size (characters) is the size AWS counts (bytes).",
  "Policy contents depend only on inputs, so they are fully known at plan time. Exempt ARNs and custom statements must be known at plan (their sizes decide the policies); target ids may be unknown when given through targets (static keys).",
  "Custom statements are Deny-only; their actions are checked for shape at plan time, not against the IAM catalog.",
  "The RCP (off by default) denies non-TLS S3 access and S3 access by principals outside the organization, except AWS service principals acting for the organization and rcp_trusted_account_ids.",
];

/** The module interface, in README order; quota defaults come from the generator options. */
export function orgScpSpec(options: Pick<GeneratorOptions, "scpMaxChars" | "scpMaxPerTarget"> = DEFAULT_OPTIONS): ModuleSpec {
  return {
    id: "org-scp",
    title: "Organization SCPs",
    purpose:
      "An optional AWS Organizations OU (or existing roots, OUs and accounts) with Service Control Policies built from a catalog of guardrails " +
      "(region deny with a curated global-service exemption list, deny leaving the organization, deny the root user, protect security services, " +
      "and more) plus custom statements, packed into as few minified policies as fit the AWS quotas, with break-glass exemptions on every deny, " +
      "and an optional resource control policy (RCP) for an S3 data perimeter.",
    variables: [
      bool("enabled", "Create anything at all; false turns the whole module off.", true),
      NAME_PREFIX_VARIABLE,
      ...targetVariables(),
      ...regionVariables(),
      ...exemptionVariables(),
      ...scpControlVariables(),
      ...quotaVariables(options),
      ...rcpVariables(),
      TAGS_VARIABLE,
    ],
    outputs: OUTPUTS,
    securityNotes: SECURITY_NOTES,
  };
}

export const ORG_SCP_SPEC: ModuleSpec = orgScpSpec();

import { ModuleSpec, VariableSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";
import { DEFAULT_OPTIONS, GeneratorOptions } from "../../lib/config";
import { CATALOG_SIDS, OrgControl, RCP_CONTROLS, SCP_CONTROLS, SECURITY_SERVICES } from "../../lib/policy/scp/catalog";
import { CUSTOM_STATEMENT_TYPE, customStatementValidations, MAX_CUSTOM_STATEMENTS } from "../../lib/policy/scp/custom";

/** Root (r-...), OU (ou-...-...) or account (12 digits) id. */
export const TARGET_ID_REGEX = "^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$";
/**
 * IAM role or user ARN, any partition, account id or *, optional path; wildcards (* ?) only in
 * the name, which must also hold at least one other character (role/* would exempt everyone).
 */
export const EXEMPT_ARN_REGEX =
  "^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::([0-9]{12}|[*]):(role|user)/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_*?-]*[A-Za-z0-9+=,.@_-][A-Za-z0-9+=,.@_*?-]*$";
export const ORGANIZATION_ID_REGEX = "^o-[a-z0-9]{10,32}$";

function toggle(c: OrgControl): VariableSpec {
  return { name: c.toggle, type: "bool", description: c.description, default: c.defaultEnabled };
}

const bool = (name: string, description: string, dflt: boolean): VariableSpec => ({ name, type: "bool", description, default: dflt });

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

/** The module interface; quota defaults come from the generator options. */
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
      {
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
      },
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
          {
            condition: `alltrue([for t in var.target_ids : can(regex("${TARGET_ID_REGEX}", t))])`,
            message: "Every entry of target_ids must be a root id (r-xxxx), an OU id (ou-xxxx-xxxxxxxx) or a 12-digit account id.",
          },
          {
            condition: "length(distinct(var.target_ids)) == length(var.target_ids)",
            message: "The target_ids list must not repeat an id.",
          },
        ],
      },
      allowedRegionsVariable(
        "Regions where regional services may be used; the region-deny SCP denies every other region (global services stay reachable through us-east-1).",
      ),
      {
        name: "exempt_principal_arns",
        type: "list(string)",
        description:
          "IAM role or user ARNs (break-glass, automation) exempt from every Deny statement of the SCPs (ArnNotLike aws:PrincipalARN); wildcards are allowed in the name, e.g. arn:aws:iam::*:role/BreakGlass*.",
        default: [],
        example: `["arn:aws:iam::*:role/BreakGlass"]`,
        validations: [
          {
            condition: `alltrue([for a in var.exempt_principal_arns : can(regex("${EXEMPT_ARN_REGEX}", a))])`,
            message:
              "Every entry of exempt_principal_arns must be an IAM role or user ARN (arn:<partition>:iam::<account id or *>:role/<path/name> or :user/...), with wildcards only in the name and never a bare * name.",
          },
          {
            condition: "length(distinct(var.exempt_principal_arns)) == length(var.exempt_principal_arns)",
            message: "The exempt_principal_arns list must not repeat an ARN.",
          },
        ],
      },
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
            condition: `alltrue([for s in var.protected_security_services : contains([${SECURITY_SERVICES.map((s) => `"${s}"`).join(", ")}], s)])`,
            message: `Every entry of protected_security_services must be one of ${SECURITY_SERVICES.join(", ")}.`,
          },
        ],
      },
      {
        name: "custom_statements",
        type: CUSTOM_STATEMENT_TYPE,
        description:
          `Extra Deny statements for the SCPs (at most ${MAX_CUSTOM_STATEMENTS}); each carries the exempt_principal_arns exemption unless exempt = false, ` +
          "and conditions are { test, variable, values } as in aws_iam_policy_document.",
        default: [],
        validations: customStatementValidations("custom_statements", CATALOG_SIDS),
      },
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
        description: "Accounts outside the organization that the RCP data perimeter still lets in (12-digit ids).",
        default: [],
        validations: [
          {
            condition: `alltrue([for a in var.rcp_trusted_account_ids : can(regex("^[0-9]{12}$", a))])`,
            message: "Every entry of rcp_trusted_account_ids must be a 12-digit AWS account id.",
          },
        ],
      },
      TAGS_VARIABLE,
    ],
    outputs: [
      { name: "ou_id", description: "Id of the created OU, or null when no OU is created." },
      { name: "policy_ids", description: "Map of policy name to policy id, for every SCP and RCP of the module." },
      { name: "policy_sizes", description: "Map of policy name to its size in characters (minified JSON, as AWS counts it)." },
      {
        name: "policy_count_per_target",
        description:
          "Map of target (created_ou or the target id) to the number of SCPs and RCPs attached to it, FullAWSAccess, RCPFullAWSAccess and other_scps_per_target included.",
      },
    ],
    securityNotes: [
      "FullAWSAccess stays attached (the module never detaches it): the SCPs here only deny.",
      "Every SCP Deny statement exempts exempt_principal_arns (ArnNotLike aws:PrincipalARN); keep that list short and specific (break-glass and the pipeline that manages the organization).",
      "The region deny exempts the curated global-service list (Global services below, a reason per entry), the same list iam-baseline uses.",
      "The root-user deny keeps centralized root access (sts:AssumeRoot) usable by default (exempt_assumed_root); the management account is never affected by SCPs.",
      "Policies are minified and packed at plan time (first-fit decreasing) into as few policies as fit scp_max_chars; preconditions refuse a plan whose policy is too large or whose targets would exceed scp_max_per_target, naming the policy and its size.",
      "Policy contents depend only on inputs, so they are fully known at plan time; all inputs must be known at plan time.",
      "Custom statements are Deny-only; their actions are checked for shape at plan time, not against the IAM catalog.",
      "The RCP (off by default) denies non-TLS S3 access and S3 access by principals outside the organization, except AWS service principals acting for the organization.",
    ],
  };
}

export const ORG_SCP_SPEC: ModuleSpec = orgScpSpec();

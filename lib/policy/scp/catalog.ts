/**
 * The org-scp policy catalog: each control is a toggle (a Terraform variable of the module)
 * with a secure default and the statement(s) it contributes. SCP statements are Deny-only
 * (FullAWSAccess stays attached), and every Deny carries the break-glass exemption
 * (see {@link withExemption}). RCP statements form an S3 data perimeter.
 *
 * Each control is a small pure function of {@link OrgPolicyInputs}; the same definition is
 * sized at synth time with concrete inputs and rendered into the module with Terraform inputs.
 *
 * Pure: no cdktf import.
 */
import { globalServiceActions } from "../global-services";
import { CLOUDTRAIL_TAMPER_ACTIONS } from "../shared-actions";
import { DynStatement, Exemption, Flag, ListInput, mergeWhen, withExemption } from "./dynamic";

/** Security services whose stop/delete actions the `protect_security_services` control denies. */
export const SECURITY_SERVICE_ACTIONS = {
  cloudtrail: CLOUDTRAIL_TAMPER_ACTIONS,
  config: [
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:DeleteRetentionConfiguration",
    "config:StopConfigurationRecorder",
  ],
  guardduty: [
    "guardduty:DeleteDetector",
    "guardduty:DeleteMembers",
    "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:DisassociateFromMasterAccount",
    "guardduty:DisassociateMembers",
    "guardduty:StopMonitoringMembers",
    "guardduty:UpdateDetector",
  ],
  securityhub: [
    "securityhub:BatchDisableStandards",
    "securityhub:DeleteMembers",
    "securityhub:DisableSecurityHub",
    "securityhub:DisassociateFromAdministratorAccount",
    "securityhub:DisassociateFromMasterAccount",
    "securityhub:DisassociateMembers",
  ],
  "access-analyzer": ["access-analyzer:DeleteAnalyzer"],
} as const satisfies Record<string, readonly string[]>;

export type SecurityService = keyof typeof SECURITY_SERVICE_ACTIONS;
export const SECURITY_SERVICES = Object.keys(SECURITY_SERVICE_ACTIONS) as SecurityService[];

/** The actions protecting the given services, in catalog order. */
export function securityServiceActions(services: readonly SecurityService[]): string[] {
  return SECURITY_SERVICES.filter((s) => services.includes(s)).flatMap((s) => [...SECURITY_SERVICE_ACTIONS[s]]);
}

/** Actions the RCP data perimeter covers (S3 only: the data lake's service). */
export const RCP_ACTIONS = ["s3:*"];

/** What the statements depend on: concrete values, or Terraform expressions (see dynamic.ts). */
export interface OrgPolicyInputs {
  /** AWS partition, e.g. "aws". */
  readonly partition: string;
  readonly allowedRegions: ListInput;
  readonly exemption: Exemption;
  /** Keep centralized-root-access sessions (sts:AssumeRoot) usable despite the root deny. */
  readonly exemptAssumedRoot: Flag;
  /** Actions of the protected security services (non-empty when the control is included). */
  readonly securityServiceActions: ListInput;
  /** Organization id (o-...) for the RCP data perimeter. */
  readonly organizationId: string;
  /** Accounts outside the organization trusted by the RCP identity perimeter. */
  readonly trustedAccounts: { readonly ids: ListInput; readonly present: Flag };
}

export interface OrgControl {
  readonly kind: "scp" | "rcp";
  /** The module's toggle variable (snake_case). */
  readonly toggle: string;
  readonly defaultEnabled: boolean;
  /** One sentence for the variable description / README. */
  readonly description: string;
  /** Statement ids this control emits (fixed, so custom statements cannot reuse them). */
  readonly sids: readonly string[];
  /** The control's statements, without the exemption (applied by {@link controlStatements}). */
  readonly build: (p: OrgPolicyInputs) => DynStatement[];
}

export const SCP_CONTROLS: readonly OrgControl[] = [
  {
    kind: "scp",
    toggle: "deny_outside_allowed_regions",
    defaultEnabled: true,
    description:
      "Deny every action outside allowed_regions except the curated global services (listed in the module README, a reason per entry), and deny creating S3 buckets located outside allowed_regions.",
    sids: ["DenyOutsideAllowedRegions", "DenyBucketsOutsideAllowedRegions"],
    build: (p): DynStatement[] => [
      {
        Sid: "DenyOutsideAllowedRegions",
        Effect: "Deny",
        NotAction: globalServiceActions(),
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestedRegion": p.allowedRegions as string[] } },
      },
      {
        Sid: "DenyBucketsOutsideAllowedRegions",
        Effect: "Deny",
        Action: "s3:CreateBucket",
        Resource: "*",
        // Absent for us-east-1 buckets: those are governed by the requested region above.
        Condition: { StringNotEqualsIfExists: { "s3:LocationConstraint": p.allowedRegions as string[] } },
      },
    ],
  },
  {
    kind: "scp",
    toggle: "deny_leaving_organization",
    defaultEnabled: true,
    description: "Deny member accounts leaving the organization (organizations:LeaveOrganization).",
    sids: ["DenyLeavingOrganization"],
    build: (): DynStatement[] => [
      { Sid: "DenyLeavingOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
    ],
  },
  {
    kind: "scp",
    toggle: "deny_root_user",
    defaultEnabled: true,
    description:
      "Deny every action by the root user of member accounts (aws:PrincipalArn arn:<partition>:iam::*:root); see exempt_assumed_root for centralized root access.",
    sids: ["DenyRootUser"],
    build: (p): DynStatement[] => [
      {
        Sid: "DenyRootUser",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        // Control Tower's AWS-GR_RESTRICT_ROOT_USER with ExemptAssumeRoot: aws:AssumedRoot is
        // present (true) only in sts:AssumeRoot sessions of centralized root access.
        Condition: mergeWhen(
          { ArnLike: { "aws:PrincipalArn": `arn:${p.partition}:iam::*:root` } },
          { when: p.exemptAssumedRoot, add: { Null: { "aws:AssumedRoot": "true" } } },
        ),
      },
    ],
  },
  {
    kind: "scp",
    toggle: "protect_security_services",
    defaultEnabled: true,
    description:
      "Deny stopping or deleting the security services listed in protected_security_services (CloudTrail, AWS Config, GuardDuty, Security Hub, IAM Access Analyzer).",
    sids: ["ProtectSecurityServices"],
    build: (p): DynStatement[] => [
      { Sid: "ProtectSecurityServices", Effect: "Deny", Action: p.securityServiceActions as string[], Resource: "*" },
    ],
  },
  {
    kind: "scp",
    toggle: "deny_region_opt_in_changes",
    defaultEnabled: true,
    description: "Deny enabling or disabling opt-in regions (account:EnableRegion, account:DisableRegion).",
    sids: ["DenyRegionOptInChanges"],
    build: (): DynStatement[] => [
      { Sid: "DenyRegionOptInChanges", Effect: "Deny", Action: ["account:DisableRegion", "account:EnableRegion"], Resource: "*" },
    ],
  },
  {
    kind: "scp",
    toggle: "deny_account_public_access_block_changes",
    defaultEnabled: true,
    description: "Deny changing or removing the account-level S3 Block Public Access settings (s3:PutAccountPublicAccessBlock).",
    sids: ["DenyAccountPublicAccessBlockChanges"],
    build: (): DynStatement[] => [
      { Sid: "DenyAccountPublicAccessBlockChanges", Effect: "Deny", Action: "s3:PutAccountPublicAccessBlock", Resource: "*" },
    ],
  },
  {
    kind: "scp",
    toggle: "deny_iam_users_and_access_keys",
    defaultEnabled: false,
    description:
      "Deny creating IAM users and access keys (iam:CreateUser, iam:CreateAccessKey); off by default because iam-baseline manages IAM users, turn it on where people sign in through IAM Identity Center.",
    sids: ["DenyIamUsersAndAccessKeys"],
    build: (): DynStatement[] => [
      { Sid: "DenyIamUsersAndAccessKeys", Effect: "Deny", Action: ["iam:CreateAccessKey", "iam:CreateUser"], Resource: "*" },
    ],
  },
];

export const RCP_CONTROLS: readonly OrgControl[] = [
  {
    kind: "rcp",
    toggle: "rcp_deny_insecure_transport",
    defaultEnabled: true,
    description: "In the RCP, deny every S3 request made without TLS (aws:SecureTransport false), whoever the caller.",
    sids: ["EnforceSecureTransport"],
    build: (): DynStatement[] => [
      {
        Sid: "EnforceSecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: RCP_ACTIONS,
        Resource: "*",
        Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
      },
    ],
  },
  {
    kind: "rcp",
    toggle: "rcp_deny_outside_organization",
    defaultEnabled: true,
    description:
      "In the RCP, deny S3 access by principals outside the organization (aws:PrincipalOrgID), except AWS service principals (aws:PrincipalIsAWSService) and rcp_trusted_account_ids.",
    sids: ["EnforceOrgIdentities"],
    build: (p): DynStatement[] => [
      {
        Sid: "EnforceOrgIdentities",
        Effect: "Deny",
        Principal: "*",
        Action: RCP_ACTIONS,
        Resource: "*",
        Condition: {
          StringNotEqualsIfExists: mergeWhen(
            { "aws:PrincipalOrgID": p.organizationId },
            { when: p.trustedAccounts.present, add: { "aws:PrincipalAccount": p.trustedAccounts.ids } },
          ),
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      },
    ],
  },
  {
    kind: "rcp",
    toggle: "rcp_confused_deputy_protection",
    defaultEnabled: true,
    description:
      "In the RCP, deny AWS service principals acting on S3 on behalf of a resource outside the organization (aws:SourceOrgID, when the service sends aws:SourceAccount).",
    sids: ["EnforceConfusedDeputyProtection"],
    build: (p): DynStatement[] => [
      {
        Sid: "EnforceConfusedDeputyProtection",
        Effect: "Deny",
        Principal: "*",
        Action: RCP_ACTIONS,
        Resource: "*",
        Condition: {
          StringNotEqualsIfExists: mergeWhen(
            { "aws:SourceOrgID": p.organizationId },
            { when: p.trustedAccounts.present, add: { "aws:SourceAccount": p.trustedAccounts.ids } },
          ),
          Null: { "aws:SourceAccount": "false" },
          Bool: { "aws:PrincipalIsAWSService": "true" },
        },
      },
    ],
  },
];

/** Every Sid a catalog control can emit (custom statements must use other ids). */
export const CATALOG_SIDS: readonly string[] = [...SCP_CONTROLS, ...RCP_CONTROLS].flatMap((c) => c.sids);

/**
 * A control's statements as they go into a policy: SCP Deny statements carry the exemption.
 * RCP statements do not: they never restrict principals inside the organization that use TLS,
 * and a break-glass principal must not be able to bypass TLS or the perimeter either.
 */
export function controlStatements(control: OrgControl, p: OrgPolicyInputs): DynStatement[] {
  const stmts = control.build(p);
  return control.kind === "scp" ? stmts.map((s) => withExemption(s, p.exemption)) : stmts;
}

/** Concrete values of the module inputs the catalog depends on. */
export interface OrgPolicyValues {
  partition: string;
  allowedRegions: readonly string[];
  exemptPrincipalArns: readonly string[];
  exemptAssumedRoot: boolean;
  protectedSecurityServices: readonly SecurityService[];
  organizationId: string;
  trustedAccountIds: readonly string[];
  /** toggle variable -> on/off; missing toggles take the control's default. */
  toggles: Readonly<Record<string, boolean>>;
}

export function staticInputs(v: OrgPolicyValues): OrgPolicyInputs {
  return {
    partition: v.partition,
    allowedRegions: v.allowedRegions,
    exemption: { arns: v.exemptPrincipalArns, present: v.exemptPrincipalArns.length > 0 },
    exemptAssumedRoot: v.exemptAssumedRoot,
    securityServiceActions: securityServiceActions(v.protectedSecurityServices),
    organizationId: v.organizationId,
    trustedAccounts: { ids: v.trustedAccountIds, present: v.trustedAccountIds.length > 0 },
  };
}

function enabled(control: OrgControl, v: OrgPolicyValues): boolean {
  const on = v.toggles[control.toggle] ?? control.defaultEnabled;
  if (control.toggle === "protect_security_services") return on && v.protectedSecurityServices.length > 0;
  return on;
}

/** The concrete SCP statements for the given values, in catalog order (before custom statements). */
export function scpStatements(v: OrgPolicyValues): DynStatement[] {
  const p = staticInputs(v);
  return SCP_CONTROLS.filter((c) => enabled(c, v)).flatMap((c) => controlStatements(c, p));
}

/** The concrete RCP statements for the given values, in catalog order. */
export function rcpStatements(v: OrgPolicyValues): DynStatement[] {
  const p = staticInputs(v);
  return RCP_CONTROLS.filter((c) => enabled(c, v)).flatMap((c) => controlStatements(c, p));
}

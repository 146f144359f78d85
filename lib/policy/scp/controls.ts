/**
 * The org-scp policy controls: each control is a toggle (a Terraform variable of the module)
 * with a secure default and the statement(s) it contributes. SCP statements are Deny-only
 * (FullAWSAccess stays attached), and every Deny carries the exemption of the principal classes
 * that control lets through (see {@link ExemptionSets}): break-glass principals are exempt from
 * everything, security administrators only from the security-service protection, deployment
 * pipelines only from what deploying the account baseline needs. RCP statements form an S3 data
 * perimeter.
 *
 * Each control is a small pure function of {@link OrgPolicyInputs}; the same definition is
 * sized at synth time with concrete inputs and rendered into the module with Terraform inputs.
 * A statement may be gated by a {@link Flag} (present only when the flag holds).
 *
 * Pure: no cdktf import.
 */
import { globalServiceActions, GLOBAL_REGION } from "../global-services";
import { DynStatement, Exemption, Flag, ListInput, mergeWhen, withExemption } from "./dynamic";

/**
 * Actions whose use on the protected security services blinds or stops audit, after AWS's
 * public SCP examples ("Deny users from disabling Amazon GuardDuty or modifying its
 * configuration", "Deny enabling and disabling AWS Config", "Deny deletion or disassociation ...
 * AWS Security Hub", "Deny deletion of AWS Access Analyzer and findings", "Deny modifications to
 * specific CloudTrail trails"), plus what else blinds them (suppressing Security Hub findings,
 * leaving a central configuration, narrowing what Config records, overriding compliance), written
 * with wildcards where every action they match is a change (never a read) to save characters.
 * Fabricating configuration items (PutResourceConfig), sharing with another aggregator, conformance
 * packs and service-linked recorders reconfigure what Config records and reports, so they are
 * denied too. Creating and starting audit resources stays allowed; so does config:PutEvaluations, which the
 * functions of custom Config rules call.
 */
export const SECURITY_SERVICE_ACTIONS = {
  cloudtrail: [
    "cloudtrail:Delete*",
    "cloudtrail:Deregister*",
    "cloudtrail:DisableFederation",
    "cloudtrail:Put*",
    "cloudtrail:Stop*",
    "cloudtrail:Update*",
  ],
  config: [
    "config:Delete*",
    "config:DisassociateResourceTypes",
    "config:PutAggregationAuthorization",
    "config:PutConfig*",
    "config:PutConformancePack",
    "config:PutConnector",
    "config:PutDeliveryChannel",
    "config:PutExternalEvaluation",
    "config:PutOrganizationConfigRule",
    "config:PutOrganizationConformancePack",
    "config:PutRemediation*",
    "config:PutResourceConfig",
    "config:PutRetentionConfiguration",
    "config:Put*ServiceLinkedConfigurationRecorder",
    "config:Stop*",
  ],
  guardduty: [
    "guardduty:Accept*",
    "guardduty:Archive*",
    "guardduty:Create*",
    "guardduty:Decline*",
    "guardduty:Delete*",
    "guardduty:Disable*",
    "guardduty:Disassociate*",
    "guardduty:Invite*",
    "guardduty:Start*",
    "guardduty:Stop*",
    "guardduty:Unarchive*",
    "guardduty:Update*",
  ],
  securityhub: [
    "securityhub:Accept*",
    "securityhub:BatchDelete*",
    "securityhub:BatchDisable*",
    "securityhub:BatchUpdateAutomationRules",
    "securityhub:BatchUpdateFindings",
    "securityhub:BatchUpdateStandardsControlAssociations",
    "securityhub:CreateAutomationRule*",
    "securityhub:Decline*",
    "securityhub:Delete*",
    "securityhub:Disable*",
    "securityhub:Disassociate*",
    "securityhub:StartConfigurationPolicyDisassociation",
    "securityhub:Update*",
  ],
  "access-analyzer": ["access-analyzer:Apply*", "access-analyzer:CreateArchiveRule", "access-analyzer:Delete*", "access-analyzer:Update*"],
} as const satisfies Record<string, readonly string[]>;

export type SecurityService = keyof typeof SECURITY_SERVICE_ACTIONS;
export const SECURITY_SERVICES = Object.keys(SECURITY_SERVICE_ACTIONS) as SecurityService[];

/** The actions protecting the given services, in catalog order. */
export function securityServiceActions(services: readonly SecurityService[]): string[] {
  return SECURITY_SERVICES.filter((s) => services.includes(s)).flatMap((s) => [...SECURITY_SERVICE_ACTIONS[s]]);
}

/**
 * IAM writes that would let someone become (or act as) an exempt principal: create, delete,
 * trust, attach/put/detach policies, boundaries, tags, instance profiles, pass role, and for
 * users their credentials (access keys, login profile, MFA, SSH/signing keys). Denied on the
 * exempt principals' own ARNs only, so every wildcard is harmless elsewhere.
 */
export const IAM_WRITE_ACTIONS = [
  "iam:Add*",
  "iam:Attach*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Enable*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
];

/**
 * What CloudFront and Route 53 need in us-east-1 (allow_cloudfront_dependencies): ACM
 * certificates, CLOUDFRONT-scope WAF web ACLs, KMS keys for Route 53 DNSSEC signing, Lambda@Edge
 * functions (control plane only: no invoke, no function URL, no event source), and the CloudFront
 * metrics CloudWatch keeps there (read only).
 */
export const CLOUDFRONT_DEPENDENCY_ACTIONS = [
  "acm:*",
  "cloudwatch:GetMetric*",
  "cloudwatch:ListMetrics",
  "kms:*",
  "lambda:AddPermission",
  "lambda:CreateFunction",
  "lambda:Delete*",
  "lambda:DisableReplication",
  "lambda:EnableReplication*",
  "lambda:Get*",
  "lambda:List*",
  "lambda:PublishVersion",
  "lambda:RemovePermission",
  "lambda:TagResource",
  "lambda:UntagResource",
  "lambda:Update*",
  "wafv2:*",
];

/** WAFv2 changes that only REGIONAL-scope resources could receive in us-east-1. */
export const WAF_WRITE_ACTIONS = ["wafv2:Associate*", "wafv2:Create*", "wafv2:Put*", "wafv2:Update*"];

/** The only KMS key spec Route 53 DNSSEC signing accepts (an asymmetric signing key: no Encrypt). */
export const DNSSEC_KEY_SPEC = "ECC_NIST_P256";

/** Actions the RCP data perimeter covers (S3 only: the data lake's service). */
export const RCP_ACTIONS = ["s3:*"];

/** A list that is present only when its flag holds (an empty list has no valid JSON form in a condition). */
export interface OptionalList {
  readonly list: ListInput;
  readonly present: Flag;
}

/**
 * The principal lists each control exempts (ArnNotLike aws:PrincipalARN). Break-glass principals
 * (exempt_principal_arns, plus the organization-automation and Control Tower roles the caller
 * opted into) are in every set.
 */
export interface ExemptionSets {
  /** Break-glass only: every control but the ones below. */
  readonly breakGlass: Exemption;
  /** Break-glass, security administrators, and pipelines when they have audit resources of their own. */
  readonly securityServices: Exemption;
  /** Break-glass and security administrators (the pipelines' audit-resource limit). */
  readonly securityAdmins: Exemption;
  /** Break-glass and pipelines (IAM users: iam-baseline creates them). */
  readonly pipelines: Exemption;
}

/** What the statements depend on: concrete values, or Terraform expressions (see dynamic.ts). */
export interface OrgPolicyInputs {
  /** AWS partition, e.g. "aws". */
  readonly partition: string;
  readonly allowedRegions: ListInput;
  readonly exemptions: ExemptionSets;
  /** The ARN patterns of each exempt class, protected against IAM writes by everyone outside the class. */
  readonly protectedArns: {
    readonly breakGlass: OptionalList;
    readonly securityAdmins: OptionalList;
    readonly pipelines: OptionalList;
  };
  /** Audit resources (trail, analyzer) the pipelines deploy and may change; present only with pipelines. */
  readonly pipelineAuditResources: OptionalList;
  /** Keep centralized-root-access sessions (sts:AssumeRoot) usable despite the root deny. */
  readonly exemptAssumedRoot: Flag;
  /** Actions of the protected security services (non-empty when the control is included). */
  readonly securityServiceActions: ListInput;
  /** Allow ACM, CLOUDFRONT-scope WAF, DNSSEC KMS keys and Lambda@Edge in us-east-1 (opt-in, us-east-1 not allowed). */
  readonly cloudfrontDependencies: Flag;
  /** allowed_regions and us-east-1: where the CloudFront dependencies may be used. */
  readonly cloudfrontDependencyRegions: ListInput;
  /** The region deny's NotAction: the global services, plus the CloudFront dependencies when opted in. */
  readonly regionDenyNotActions: ListInput;
  /** Organization id (o-...) for the RCP data perimeter. */
  readonly organizationId: string;
  /** Accounts outside the organization trusted by the RCP identity perimeter. */
  readonly trustedAccounts: { readonly ids: ListInput; readonly present: Flag };
}

/** A statement with the flag that gates it (true: always present when its control is on). */
export interface GatedStatement {
  readonly when: Flag;
  readonly statement: DynStatement;
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
  /**
   * The SCP this control's statements live in while they fit (0: the region lock, 1: the
   * organization, root, audit and identity controls); fixed, so that a change to one input never
   * moves a statement that still fits. RCP controls have none (-1).
   */
  readonly home: number;
  /** The control's statements with their exemption applied, each with the flag that gates it. */
  readonly build: (p: OrgPolicyInputs) => GatedStatement[];
}

const always = (statement: DynStatement): GatedStatement => ({ when: true, statement });
const gated = (when: Flag, statement: DynStatement): GatedStatement => ({ when, statement });

/** IAM writes on one exempt class's ARNs, denied to everyone outside that class (and break-glass). */
function protectPrincipals(Sid: string, arns: OptionalList, exemption: Exemption): GatedStatement {
  return gated(arns.present, withExemption({ Sid, Effect: "Deny", Action: IAM_WRITE_ACTIONS, Resource: arns.list as string[] }, exemption));
}

/** `Action` denied on every resource to everyone outside `exemption`: the controls of a single statement. */
function denyAction(Sid: string, Action: string | string[], exemption: Exemption): GatedStatement {
  return always(withExemption({ Sid, Effect: "Deny", Action, Resource: "*" }, exemption));
}

/**
 * The perimeter's "outside the organization" test on a pair of keys: `orgKey` (an organization
 * id key) is not the organization, and `accountKey` is none of the trusted accounts (when any).
 */
function outsideOrganization(p: OrgPolicyInputs, orgKey: string, accountKey: string) {
  return mergeWhen({ [orgKey]: p.organizationId }, { when: p.trustedAccounts.present, add: { [accountKey]: p.trustedAccounts.ids } });
}

/** A statement of the RCP data perimeter: S3 denied to any principal when `Condition` holds. */
function perimeterDeny(Sid: string, Condition: DynStatement["Condition"]): GatedStatement {
  return always({ Sid, Effect: "Deny", Principal: "*", Action: RCP_ACTIONS, Resource: "*", Condition });
}

export const SCP_CONTROLS: readonly OrgControl[] = [
  {
    kind: "scp",
    toggle: "deny_outside_allowed_regions",
    home: 0,
    defaultEnabled: true,
    description:
      "Deny every action outside allowed_regions except the curated global services (listed in the module README, a reason per entry), and deny creating S3 buckets located outside allowed_regions; see allow_cloudfront_dependencies for what CloudFront and Route 53 need in us-east-1.",
    sids: [
      "DenyOutsideAllowedRegions",
      "DenyBucketsOutsideAllowedRegions",
      "DenyCloudFrontDependenciesElsewhere",
      "DenyRegionalWafInUsEast1",
      "DenyNonDnssecKeysInUsEast1",
    ],
    build: (p): GatedStatement[] => {
      // Every statement carries the break-glass exemption; the CloudFront ones only with the opt-in.
      const locked = (statement: DynStatement) => always(withExemption(statement, p.exemptions.breakGlass));
      const optIn = (statement: DynStatement) => gated(p.cloudfrontDependencies, withExemption(statement, p.exemptions.breakGlass));
      const inUsEast1 = { StringEquals: { "aws:RequestedRegion": GLOBAL_REGION } };
      return [
        locked({
          Sid: "DenyOutsideAllowedRegions",
          Effect: "Deny",
          NotAction: p.regionDenyNotActions as string[],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": p.allowedRegions as string[] } },
        }),
        locked({
          Sid: "DenyBucketsOutsideAllowedRegions",
          Effect: "Deny",
          Action: "s3:CreateBucket",
          Resource: "*",
          // Absent for us-east-1 buckets: those are governed by the requested region above.
          Condition: { StringNotEqualsIfExists: { "s3:LocationConstraint": p.allowedRegions as string[] } },
        }),
        // With the opt-in, the CloudFront dependencies leave the region deny's scope: they are
        // allowed in the allowed regions and us-east-1 only, and in us-east-1 only for CloudFront.
        optIn({
          Sid: "DenyCloudFrontDependenciesElsewhere",
          Effect: "Deny",
          Action: CLOUDFRONT_DEPENDENCY_ACTIONS,
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": p.cloudfrontDependencyRegions as string[] } },
        }),
        optIn({
          Sid: "DenyRegionalWafInUsEast1",
          Effect: "Deny",
          Action: WAF_WRITE_ACTIONS,
          // CLOUDFRONT-scope WAF resources live under global/ in us-east-1.
          NotResource: `arn:${p.partition}:wafv2:${GLOBAL_REGION}:*:global/*`,
          Condition: inUsEast1,
        }),
        optIn({
          Sid: "DenyNonDnssecKeysInUsEast1",
          Effect: "Deny",
          Action: "kms:CreateKey",
          Resource: "*",
          // Route 53 DNSSEC key-signing keys only: ECC_NIST_P256 keys sign, they cannot encrypt data.
          Condition: { ...inUsEast1, StringNotEquals: { "kms:KeySpec": DNSSEC_KEY_SPEC } },
        }),
      ];
    },
  },
  {
    kind: "scp",
    toggle: "deny_leaving_organization",
    home: 1,
    defaultEnabled: true,
    description: "Deny member accounts leaving the organization (organizations:LeaveOrganization).",
    sids: ["DenyLeavingOrganization"],
    build: (p) => [denyAction("DenyLeavingOrganization", "organizations:LeaveOrganization", p.exemptions.breakGlass)],
  },
  {
    kind: "scp",
    toggle: "deny_root_user",
    home: 1,
    defaultEnabled: true,
    description:
      "Deny every action by the root user of member accounts (aws:PrincipalArn arn:<partition>:iam::*:root); see exempt_assumed_root for centralized root access.",
    sids: ["DenyRootUser"],
    build: (p) => [
      always(
        withExemption(
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
          p.exemptions.breakGlass,
        ),
      ),
    ],
  },
  {
    kind: "scp",
    toggle: "protect_security_services",
    home: 1,
    defaultEnabled: true,
    description:
      "Deny stopping, deleting or reconfiguring the security services listed in protected_security_services (CloudTrail, AWS Config, GuardDuty, Security Hub, IAM Access Analyzer) to everyone but break-glass principals and security_admin_principal_arns; pipelines may change only pipeline_audit_resource_arns.",
    sids: ["ProtectSecurityServices", "LimitPipelinesToTheirAuditResources"],
    build: (p) => [
      denyAction("ProtectSecurityServices", p.securityServiceActions as string[], p.exemptions.securityServices),
      // The pipelines are exempt above only when they have audit resources; here they are held to those.
      gated(
        p.pipelineAuditResources.present,
        withExemption(
          {
            Sid: "LimitPipelinesToTheirAuditResources",
            Effect: "Deny",
            Action: p.securityServiceActions as string[],
            NotResource: p.pipelineAuditResources.list as string[],
            Condition: { ArnLike: { "aws:PrincipalARN": p.protectedArns.pipelines.list as string[] } },
          },
          p.exemptions.securityAdmins,
        ),
      ),
    ],
  },
  {
    kind: "scp",
    toggle: "protect_exempt_principals",
    home: 1,
    defaultEnabled: true,
    description:
      "Deny IAM writes (create, delete, trust, policies, boundary, tags, instance profiles, pass role, credentials) on the ARNs of every exempt principal to everyone outside its class, so that nobody can make themselves exempt by creating or editing a matching role or user.",
    sids: ["ProtectBreakGlassPrincipals", "ProtectSecurityAdminPrincipals", "ProtectPipelinePrincipals"],
    build: (p) => [
      protectPrincipals("ProtectBreakGlassPrincipals", p.protectedArns.breakGlass, p.exemptions.breakGlass),
      protectPrincipals("ProtectSecurityAdminPrincipals", p.protectedArns.securityAdmins, p.exemptions.securityAdmins),
      protectPrincipals("ProtectPipelinePrincipals", p.protectedArns.pipelines, p.exemptions.pipelines),
    ],
  },
  {
    kind: "scp",
    toggle: "deny_region_opt_in_changes",
    home: 0,
    defaultEnabled: true,
    description: "Deny enabling or disabling opt-in regions (account:EnableRegion, account:DisableRegion).",
    sids: ["DenyRegionOptInChanges"],
    build: (p) => [denyAction("DenyRegionOptInChanges", ["account:DisableRegion", "account:EnableRegion"], p.exemptions.breakGlass)],
  },
  {
    kind: "scp",
    toggle: "deny_account_public_access_block_changes",
    home: 1,
    defaultEnabled: true,
    description: "Deny changing or removing the account-level S3 Block Public Access settings (s3:PutAccountPublicAccessBlock).",
    sids: ["DenyAccountPublicAccessBlockChanges"],
    build: (p) => [denyAction("DenyAccountPublicAccessBlockChanges", "s3:PutAccountPublicAccessBlock", p.exemptions.breakGlass)],
  },
  {
    kind: "scp",
    toggle: "deny_iam_users_and_access_keys",
    home: 1,
    defaultEnabled: false,
    description:
      "Deny creating IAM users and access keys (iam:CreateUser, iam:CreateAccessKey) to everyone but break-glass principals and pipelines; off by default because iam-baseline manages IAM users, turn it on where people sign in through IAM Identity Center.",
    sids: ["DenyIamUsersAndAccessKeys"],
    build: (p) => [denyAction("DenyIamUsersAndAccessKeys", ["iam:CreateAccessKey", "iam:CreateUser"], p.exemptions.pipelines)],
  },
];

export const RCP_CONTROLS: readonly OrgControl[] = [
  {
    kind: "rcp",
    toggle: "rcp_deny_insecure_transport",
    home: -1,
    defaultEnabled: true,
    description: "In the RCP, deny every S3 request made without TLS (aws:SecureTransport false), whoever the caller.",
    sids: ["EnforceSecureTransport"],
    build: () => [perimeterDeny("EnforceSecureTransport", { BoolIfExists: { "aws:SecureTransport": "false" } })],
  },
  {
    kind: "rcp",
    toggle: "rcp_deny_outside_organization",
    home: -1,
    defaultEnabled: true,
    description:
      "In the RCP, deny S3 access by principals outside the organization (aws:PrincipalOrgID), except AWS service principals (aws:PrincipalIsAWSService) and rcp_trusted_account_ids.",
    sids: ["EnforceOrgIdentities"],
    build: (p) => [
      perimeterDeny("EnforceOrgIdentities", {
        StringNotEqualsIfExists: outsideOrganization(p, "aws:PrincipalOrgID", "aws:PrincipalAccount"),
        BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
      }),
    ],
  },
  {
    kind: "rcp",
    toggle: "rcp_confused_deputy_protection",
    home: -1,
    defaultEnabled: true,
    description:
      "In the RCP, deny AWS service principals acting on S3 on behalf of a resource outside the organization (aws:SourceOrgID, when the service sends aws:SourceAccount).",
    sids: ["EnforceConfusedDeputyProtection"],
    build: (p) => [
      perimeterDeny("EnforceConfusedDeputyProtection", {
        StringNotEqualsIfExists: outsideOrganization(p, "aws:SourceOrgID", "aws:SourceAccount"),
        Null: { "aws:SourceAccount": "false" },
        Bool: { "aws:PrincipalIsAWSService": "true" },
      }),
    ],
  },
];

/** Number of home SCPs (the highest home + 1). */
export const SCP_HOME_COUNT = Math.max(...SCP_CONTROLS.map((c) => c.home)) + 1;

/** The home SCP of every catalog statement, by Sid. */
export const SCP_HOMES: Readonly<Record<string, number>> = Object.fromEntries(
  SCP_CONTROLS.flatMap((c) => c.sids.map((sid) => [sid, c.home])),
);

/** Every Sid a catalog control can emit (custom statements must use other ids). */
export const CATALOG_SIDS: readonly string[] = [...SCP_CONTROLS, ...RCP_CONTROLS].flatMap((c) => c.sids);

/**
 * A control's statements with the flags that gate them. SCP Deny statements carry their
 * exemption (applied in each control's build). RCP statements carry none: they never restrict
 * principals inside the organization that use TLS, and a break-glass principal must not be able
 * to bypass TLS or the perimeter either.
 */
export function controlStatements(control: OrgControl, p: OrgPolicyInputs): GatedStatement[] {
  return control.build(p);
}

/** Names of the organization-automation roles that can be exempted (exempt_organization_automation_roles). */
export const ORGANIZATION_AUTOMATION_ROLES = [
  "OrganizationAccountAccessRole",
  "stacksets-exec-*",
  "AWSCloudFormationStackSetExecutionRole",
] as const;

/** The roles AWS Control Tower exempts from its own Region deny control (control_tower_compatible). */
export const CONTROL_TOWER_ROLES = [
  "AWSControlTowerExecution",
  "aws-controltower-ConfigRecorderRole",
  "aws-controltower-ForwardSnsNotificationRole",
  "AWSControlTower_VPCFlowLogsRole",
] as const;

/** Concrete values of the module inputs the catalog depends on. */
export interface OrgPolicyValues {
  partition: string;
  allowedRegions: readonly string[];
  /** Break-glass principals: exempt from every control. */
  exemptPrincipalArns: readonly string[];
  securityAdminPrincipalArns: readonly string[];
  pipelinePrincipalArns: readonly string[];
  pipelineAuditResourceArns: readonly string[];
  /** Names from ORGANIZATION_AUTOMATION_ROLES. */
  organizationAutomationRoles: readonly string[];
  controlTowerCompatible: boolean;
  allowCloudfrontDependencies: boolean;
  exemptAssumedRoot: boolean;
  protectedSecurityServices: readonly SecurityService[];
  organizationId: string;
  trustedAccountIds: readonly string[];
  /** toggle variable -> on/off; missing toggles take the control's default. */
  toggles: Readonly<Record<string, boolean>>;
}

const distinct = (xs: readonly string[]) => [...new Set(xs)];
const list = (xs: readonly string[]): OptionalList => ({ list: xs, present: xs.length > 0 });
const exemption = (xs: readonly string[]): Exemption => ({ arns: xs, present: xs.length > 0 });

/** The break-glass class: exempt_principal_arns, then the automation and Control Tower roles opted into. */
export function breakGlassArns(v: OrgPolicyValues): string[] {
  const role = (name: string) => `arn:${v.partition}:iam::*:role/${name}`;
  return distinct([
    ...v.exemptPrincipalArns,
    ...v.organizationAutomationRoles.map(role),
    ...(v.controlTowerCompatible ? CONTROL_TOWER_ROLES.map(role) : []),
  ]);
}

export function staticInputs(v: OrgPolicyValues): OrgPolicyInputs {
  const bg = breakGlassArns(v);
  const pipelinesAudit = v.pipelinePrincipalArns.length > 0 && v.pipelineAuditResourceArns.length > 0;
  const deps = v.allowCloudfrontDependencies && !v.allowedRegions.includes(GLOBAL_REGION);
  return {
    partition: v.partition,
    allowedRegions: v.allowedRegions,
    exemptions: {
      breakGlass: exemption(bg),
      securityServices: exemption(distinct([...bg, ...v.securityAdminPrincipalArns, ...(pipelinesAudit ? v.pipelinePrincipalArns : [])])),
      securityAdmins: exemption(distinct([...bg, ...v.securityAdminPrincipalArns])),
      pipelines: exemption(distinct([...bg, ...v.pipelinePrincipalArns])),
    },
    protectedArns: { breakGlass: list(bg), securityAdmins: list(v.securityAdminPrincipalArns), pipelines: list(v.pipelinePrincipalArns) },
    pipelineAuditResources: { list: v.pipelineAuditResourceArns, present: pipelinesAudit },
    exemptAssumedRoot: v.exemptAssumedRoot,
    securityServiceActions: securityServiceActions(v.protectedSecurityServices),
    cloudfrontDependencies: deps,
    cloudfrontDependencyRegions: [...v.allowedRegions, GLOBAL_REGION],
    regionDenyNotActions: deps ? [...globalServiceActions(), ...CLOUDFRONT_DEPENDENCY_ACTIONS] : globalServiceActions(),
    organizationId: v.organizationId,
    trustedAccounts: { ids: v.trustedAccountIds, present: v.trustedAccountIds.length > 0 },
  };
}

function enabled(control: OrgControl, v: OrgPolicyValues): boolean {
  const on = v.toggles[control.toggle] ?? control.defaultEnabled;
  if (control.toggle === "protect_security_services") return on && v.protectedSecurityServices.length > 0;
  return on;
}

/** The statements of the enabled controls whose flags hold (flags are concrete here). */
function present(controls: readonly OrgControl[], v: OrgPolicyValues): DynStatement[] {
  const p = staticInputs(v);
  return controls
    .filter((c) => enabled(c, v))
    .flatMap((c) => controlStatements(c, p))
    .filter((g) => g.when === true)
    .map((g) => g.statement);
}

/** The concrete SCP statements for the given values, in catalog order (before custom statements). */
export function scpStatements(v: OrgPolicyValues): DynStatement[] {
  return present(SCP_CONTROLS, v);
}

/** The concrete RCP statements for the given values, in catalog order. */
export function rcpStatements(v: OrgPolicyValues): DynStatement[] {
  return present(RCP_CONTROLS, v);
}

/**
 * Statement builders of the IAM baseline: persona policies, self-service with MFA enforcement,
 * environment access levels, lake access, the incident lockdown and trust policies.
 *
 * Every builder is a small pure function over `IamRefs`, whose values are either literals (unit
 * tests) or Terraform placeholders made with `tfExpr` (the module stack). IAM policy variables
 * are written literally (`${aws:username}`); rendering escapes them. No cdktf import.
 *
 * Region lock: every Allow on a regional service carries `aws:RequestedRegion` in the allowed
 * regions; global services are allowed only through the Regions that serve them (from the one
 * curated list in ../global-services.data.json, mostly us-east-1).
 */
import { CLOUDTRAIL_TAMPER_ACTIONS, GLUE_CATALOG_READ_ACTIONS } from "../shared-actions";
import { GLOBAL_REGION, GLOBAL_SERVICE_ENTRIES, compareActions } from "../global-services";
import { Condition, PolicyDocument, Statement } from "../types";
import { EnvironmentLevel, Persona } from "./personas";
import { optional, PolicyItem } from "./policy-items";

/** A list of regions: a literal list or a Terraform placeholder for one. */
export type Regions = string | readonly string[];

export interface IamRefs {
  /** `aws`, `aws-us-gov`, ... */
  readonly partition: string;
  /** The account this module instance manages. */
  readonly accountId: string;
  readonly namePrefix: string;
  /** The allowed regions for regional services. */
  readonly allowedRegions: Regions;
  /**
   * Regions where STS calls (AssumeRole) may be made: the global endpoint's Region plus the
   * allowed regions (SDKs use regional STS endpoints by default).
   */
  readonly stsRegions: Regions;
}

/** Something that may or may not be present at plan time: a value and the HCL test for it. */
export interface Dyn<T> {
  readonly value: T;
  /** HCL boolean expression (no `${}`); "true" or "false" in unit tests. */
  readonly when: string;
}

export function inRegions(regions: Regions): Condition {
  return { StringEquals: { "aws:RequestedRegion": regions as string | string[] } };
}

const allowIn = (Sid: string, Action: string | string[], regions: Regions, Resource: string | string[] = "*"): Statement => ({
  Sid,
  Effect: "Allow",
  Action,
  Resource,
  Condition: inRegions(regions),
});

/* ------------------------------------------------------------------------------------------ */
/* Global services                                                                            */
/* ------------------------------------------------------------------------------------------ */

function sidFragment(regions: readonly string[]): string {
  return regions
    .map((r) =>
      r
        .split("-")
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join(""),
    )
    .join("");
}

/**
 * Allow statements for the global-service entries selected by `select` (an entry's action
 * pattern), one statement per set of serving Regions, each conditioned on exactly those
 * Regions. Deterministic order: the GLOBAL_REGION group first, then by Sid.
 */
export function globalServiceStatements(sidPrefix: string, select: (action: string) => boolean): Statement[] {
  const groups = new Map<string, { regions: readonly string[]; actions: Set<string> }>();
  for (const e of GLOBAL_SERVICE_ENTRIES) {
    if (!select(e.action)) continue;
    const regions = [...e.regions].sort(compareActions);
    const key = regions.join(",");
    if (!groups.has(key)) groups.set(key, { regions, actions: new Set() });
    groups.get(key)!.actions.add(e.action);
  }
  const statements = [...groups.values()].map((g) => {
    const onlyGlobal = g.regions.length === 1 && g.regions[0] === GLOBAL_REGION;
    return allowIn(`${sidPrefix}${onlyGlobal ? "" : "Via" + sidFragment(g.regions)}`, [...g.actions].sort(compareActions), g.regions);
  });
  return statements.sort((a, b) => (a.Sid === sidPrefix ? -1 : b.Sid === sidPrefix ? 1 : compareActions(a.Sid!, b.Sid!)));
}

/** Global-service actions whose service prefix is one of `prefixes` (exact prefixes or `prefix-*`). */
export function byPrefix(...prefixes: string[]): (action: string) => boolean {
  return (action) => {
    const service = action.split(":")[0];
    return prefixes.some((p) => (p.endsWith("*") ? service.startsWith(p.slice(0, -1)) : service === p));
  };
}

/** Global actions every console user needs to browse S3 buckets (region-independent). */
const S3_BROWSE_GLOBAL = ["s3:GetBucketLocation", "s3:ListAllMyBuckets"];
const s3Browse = (): Statement => allowIn("BrowseS3Buckets", S3_BROWSE_GLOBAL, [GLOBAL_REGION]);

/* ------------------------------------------------------------------------------------------ */
/* Action sets                                                                                */
/* ------------------------------------------------------------------------------------------ */

export const LOGS_READ_ACTIONS = [
  "cloudwatch:Describe*",
  "cloudwatch:Get*",
  "cloudwatch:List*",
  "logs:DescribeLogGroups",
  "logs:DescribeLogStreams",
  "logs:DescribeQueries",
  "logs:FilterLogEvents",
  "logs:GetLogEvents",
  "logs:GetLogGroupFields",
  "logs:GetLogRecord",
  "logs:GetQueryResults",
  "logs:ListTagsForResource",
  "logs:StartLiveTail",
  "logs:StartQuery",
  "logs:StopQuery",
];

export const ATHENA_QUERY_ACTIONS = [
  "athena:BatchGetQueryExecution",
  "athena:GetDataCatalog",
  "athena:GetDatabase",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetQueryRuntimeStatistics",
  "athena:GetTableMetadata",
  "athena:GetWorkGroup",
  "athena:ListDataCatalogs",
  "athena:ListDatabases",
  "athena:ListQueryExecutions",
  "athena:ListTableMetadata",
  "athena:ListWorkGroups",
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  ...GLUE_CATALOG_READ_ACTIONS,
];

/** The deployment set of the automation persona (CI/CD): update what exists, push artifacts. */
export const DEPLOY_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:CreateStack",
  "cloudformation:DeleteChangeSet",
  "cloudformation:DescribeChangeSet",
  "cloudformation:DescribeStackEvents",
  "cloudformation:DescribeStackResources",
  "cloudformation:DescribeStacks",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:GetTemplate",
  "cloudformation:GetTemplateSummary",
  "cloudformation:ListChangeSets",
  "cloudformation:ListStackResources",
  "cloudformation:ListStacks",
  "cloudformation:UpdateStack",
  "cloudformation:ValidateTemplate",
  "codedeploy:CreateDeployment",
  "codedeploy:GetApplicationRevision",
  "codedeploy:GetDeployment",
  "codedeploy:GetDeploymentConfig",
  "codedeploy:RegisterApplicationRevision",
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:GetAuthorizationToken",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
  "ecs:DescribeClusters",
  "ecs:DescribeServices",
  "ecs:DescribeTaskDefinition",
  "ecs:DescribeTasks",
  "ecs:ListServices",
  "ecs:ListTasks",
  "ecs:RegisterTaskDefinition",
  "ecs:UpdateService",
  "lambda:GetAlias",
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:ListAliases",
  "lambda:ListVersionsByFunction",
  "lambda:PublishVersion",
  "lambda:UpdateAlias",
  "lambda:UpdateFunctionCode",
];

/** IAM changes an automation identity must never make, even if an extra policy grants them. */
export const AUTOMATION_DENIED_IAM_ACTIONS = [
  "iam:AddUserToGroup",
  "iam:Attach*",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreatePolicy",
  "iam:CreatePolicyVersion",
  "iam:CreateUser",
  "iam:Delete*Policy",
  "iam:Detach*",
  "iam:Put*Policy",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateLoginProfile",
];

/** Reading lake data: denied to automation on the lake buckets. */
export const LAKE_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions"];
export const LAKE_WRITE_ACTIONS = [
  "s3:AbortMultipartUpload",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:ListBucketMultipartUploads",
  "s3:ListMultipartUploadParts",
  "s3:PutObject",
  "s3:PutObjectTagging",
];

/** What "cannot disable CloudTrail" denies. */
export { CLOUDTRAIL_TAMPER_ACTIONS };

/** What "cannot delete production data" denies. */
export const DATA_DELETION_ACTIONS = [
  "backup:DeleteBackupPlan",
  "backup:DeleteBackupVault",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "dynamodb:DeleteBackup",
  "dynamodb:DeleteTable",
  "ec2:DeleteSnapshot",
  "ec2:DeleteVolume",
  "elasticfilesystem:DeleteFileSystem",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "rds:DeleteDBCluster",
  "rds:DeleteDBClusterSnapshot",
  "rds:DeleteDBInstance",
  "rds:DeleteDBSnapshot",
  "rds:DeleteGlobalCluster",
  "s3:DeleteBucket",
  "s3:DeleteObject*",
  "s3:PutLifecycleConfiguration",
];

/** Services a PowerUser-style role may not write: everything else in the allowed regions is allowed. */
const POWER_USER_EXCLUDED = ["account:*", "iam:*", "organizations:*"];
const IAM_READ = ["iam:CreateServiceLinkedRole", "iam:Get*", "iam:List*"];

/** Global services an operator (devops) needs: edge networking, DNS, support, health, cost views. */
const OPERATOR_GLOBAL = byPrefix(
  "budgets",
  "ce",
  "cloudfront",
  "cloudfront-keyvaluestore",
  "cost-optimization-hub",
  "ecr-public",
  "globalaccelerator",
  "health",
  "networkmanager",
  "route53",
  "route53-recovery-*",
  "route53domains",
  "shield",
  "support",
  "trustedadvisor",
  "waf",
);

/* ------------------------------------------------------------------------------------------ */
/* ARNs                                                                                       */
/* ------------------------------------------------------------------------------------------ */

export const iamArn = (r: IamRefs, resource: string, account = r.accountId) => `arn:${r.partition}:iam::${account}:${resource}`;
export const s3Arn = (r: IamRefs, bucket: string) => `arn:${r.partition}:s3:::${bucket}`;

/* ------------------------------------------------------------------------------------------ */
/* Personas                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/** Inputs of persona policies that only exist for some configurations. */
export interface PersonaDynamics {
  /** Environment role ARNs the persona may assume (`sts:AssumeRole`). */
  readonly assumableRoleArns?: Dyn<string | string[]>;
  /** Automation: S3 object ARNs (`arn:...:bucket/*`) of the deployment artifact buckets. */
  readonly artifactObjectArns?: Dyn<string | string[]>;
  /** Automation: role ARNs it may pass to ECS tasks and Lambda functions. */
  readonly passRoleArns?: Dyn<string | string[]>;
  /** Automation: lake bucket and object ARNs it must never read. */
  readonly lakeArns?: Dyn<string | string[]>;
}

export function assumeRolesStatement(r: IamRefs, arns: Dyn<string | string[]>): PolicyItem {
  return optional(arns.when, {
    Sid: "AssumeOwnPersonaEnvironmentRoles",
    Effect: "Allow",
    Action: "sts:AssumeRole",
    Resource: arns.value,
    Condition: inRegions(r.stsRegions),
  });
}

/** Statements of the automation persona and of the `deploy` environment level. */
export function deployStatements(r: IamRefs, d: PersonaDynamics = {}): PolicyItem[] {
  const items: PolicyItem[] = [
    allowIn("DeployInAllowedRegions", DEPLOY_ACTIONS, r.allowedRegions),
    allowIn("InvalidateCloudFrontCaches", ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], [GLOBAL_REGION]),
    s3Browse(),
    { Sid: "DenyIdentityChanges", Effect: "Deny", Action: AUTOMATION_DENIED_IAM_ACTIONS, Resource: "*" },
  ];
  if (d.artifactObjectArns)
    items.push(
      optional(d.artifactObjectArns.when, {
        Sid: "UploadDeploymentArtifacts",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: d.artifactObjectArns.value,
        Condition: inRegions(r.allowedRegions),
      }),
    );
  if (d.passRoleArns)
    items.push(
      optional(d.passRoleArns.when, {
        Sid: "PassWorkloadRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: d.passRoleArns.value,
        Condition: {
          StringEquals: {
            "aws:RequestedRegion": r.allowedRegions as string | string[],
            "iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"],
          },
        },
      }),
    );
  if (d.lakeArns)
    items.push(optional(d.lakeArns.when, { Sid: "DenyLakeData", Effect: "Deny", Action: LAKE_READ_ACTIONS, Resource: d.lakeArns.value }));
  return items;
}

export function adminStatements(r: IamRefs): Statement[] {
  return [
    { Sid: "AllowAllInAllowedRegions", Effect: "Allow", Action: "*", Resource: "*", Condition: inRegions(r.allowedRegions) },
    ...globalServiceStatements("GlobalServices", () => true),
  ];
}

/** The statements of a persona's group policy, in order (packed into managed policies later). */
export function personaStatements(persona: Persona, r: IamRefs, d: PersonaDynamics = {}): PolicyItem[] {
  const assume = d.assumableRoleArns ? [assumeRolesStatement(r, d.assumableRoleArns)] : [];
  switch (persona) {
    case "admin":
      return [...adminStatements(r), ...assume];
    case "engineer":
      return [
        allowIn("EngineerServices", ["cloudshell:*", "codecommit:*", "ec2:*", "glue:*"], r.allowedRegions),
        allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions),
        s3Browse(),
        ...assume,
      ];
    case "analyst":
      return [
        allowIn("AnalystServices", ["ec2:*", "ecs:*", "lambda:*", "sagemaker:*"], r.allowedRegions),
        allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions),
        s3Browse(),
        ...assume,
      ];
    case "developer":
    case "devops":
      return [allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions), ...assume];
    case "data_team":
      return [allowIn("RunAthenaQueries", ATHENA_QUERY_ACTIONS, r.allowedRegions), s3Browse(), ...assume];
    case "automation":
      return [...deployStatements(r, d), ...assume];
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Self-service and MFA enforcement (every human)                                             */
/* ------------------------------------------------------------------------------------------ */

/** Actions allowed before the caller signed in with MFA (the AWS "deny all except listed" pattern). */
export const NO_MFA_ALLOWED_ACTIONS = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetMFADevice",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "sts:GetSessionToken",
];
/** Added to the list above when changing the initial password before MFA is allowed. */
export const NO_MFA_PASSWORD_ACTIONS = ["iam:ChangePassword", "iam:GetAccountPasswordPolicy"];

/**
 * Self-service for every human: view the password policy; manage their own password, access keys,
 * SSH keys, service-specific (CodeCommit) credentials and MFA devices (`${aws:username}`-scoped;
 * MFA devices named `<user name>*`, so several devices per user work); and nothing else without
 * MFA. `passwordChangeWithoutMfa` is an HCL boolean: whether iam:ChangePassword is allowed before
 * MFA is set up (needed to sign in the first time when the password must be reset).
 */
export function selfServiceStatements(r: IamRefs, passwordChangeWithoutMfa: string): PolicyItem[] {
  const self = iamArn(r, "user/${aws:username}");
  const ownMfa = iamArn(r, "mfa/${aws:username}*");
  const denyUnlessMfa = (Sid: string, NotAction: string[]): Statement => ({
    Sid,
    Effect: "Deny",
    NotAction,
    Resource: "*",
    Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
  });
  return [
    allowIn("ViewAccountPasswordPolicyAndMfaDevices", ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], r.stsRegions),
    allowIn("ManageOwnPassword", ["iam:ChangePassword", "iam:GetLoginProfile", "iam:GetUser"], r.stsRegions, self),
    allowIn(
      "ManageOwnAccessKeys",
      ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
      r.stsRegions,
      self,
    ),
    allowIn(
      "ManageOwnGitCredentials",
      [
        "iam:CreateServiceSpecificCredential",
        "iam:DeleteServiceSpecificCredential",
        "iam:DeleteSSHPublicKey",
        "iam:GetSSHPublicKey",
        "iam:ListServiceSpecificCredentials",
        "iam:ListSSHPublicKeys",
        "iam:ResetServiceSpecificCredential",
        "iam:UpdateServiceSpecificCredential",
        "iam:UpdateSSHPublicKey",
        "iam:UploadSSHPublicKey",
      ],
      r.stsRegions,
      self,
    ),
    allowIn("ManageOwnVirtualMfaDevices", ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"], r.stsRegions, ownMfa),
    allowIn(
      "ManageOwnUserMfa",
      ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
      r.stsRegions,
      self,
    ),
    optional(`!(${passwordChangeWithoutMfa})`, denyUnlessMfa("DenyAllExceptListedIfNoMfa", NO_MFA_ALLOWED_ACTIONS)),
    optional(
      passwordChangeWithoutMfa,
      denyUnlessMfa("DenyAllExceptListedIfNoMfa", [...NO_MFA_PASSWORD_ACTIONS, ...NO_MFA_ALLOWED_ACTIONS].sort(compareActions)),
    ),
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Lake access (engineer / analyst / data_team), optional                                     */
/* ------------------------------------------------------------------------------------------ */

export interface LakeDynamics {
  /** Bucket ARNs the persona may read (never empty when the policy exists). */
  readonly readBucketArns: string | string[];
  /** Object ARNs (`bucket/*`) the persona may read. */
  readonly readObjectArns: string | string[];
  /** Object ARNs the persona may write and delete. */
  readonly writeObjectArns: Dyn<string | string[]>;
  /** HCL boolean: deny uploads without an `x-amz-server-side-encryption` header. */
  readonly requireEncryptionHeader: string;
}

export function lakeStatements(r: IamRefs, l: LakeDynamics): PolicyItem[] {
  return [
    allowIn("ListLakeBuckets", ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketVersions"], r.allowedRegions, l.readBucketArns),
    allowIn("ReadLakeObjects", ["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion"], r.allowedRegions, l.readObjectArns),
    optional(l.writeObjectArns.when, allowIn("WriteLakeObjects", LAKE_WRITE_ACTIONS, r.allowedRegions, l.writeObjectArns.value)),
    optional(`(${l.writeObjectArns.when}) && (${l.requireEncryptionHeader})`, {
      Sid: "DenyUnencryptedLakeUploads",
      Effect: "Deny",
      Action: "s3:PutObject",
      Resource: l.writeObjectArns.value,
      Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } },
    }),
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Environment access levels                                                                  */
/* ------------------------------------------------------------------------------------------ */

export interface EnvironmentDynamics {
  /** Values of the environment tag that mark production resources (for shared accounts). */
  readonly productionTagValues: Dyn<string | string[]>;
  /** The environment tag key (a Terraform placeholder or literal). */
  readonly tagKey: string;
}

function protectProductionTagged(d: EnvironmentDynamics): PolicyItem[] {
  return [
    optional(d.productionTagValues.when, {
      Sid: "DenyProductionTaggedResources",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/${d.tagKey}`]: d.productionTagValues.value } },
    }),
    optional(d.productionTagValues.when, {
      Sid: "DenyTaggingAsProduction",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { [`aws:RequestTag/${d.tagKey}`]: d.productionTagValues.value } },
    }),
  ];
}

const denyCloudTrailTamper = (): Statement => ({
  Sid: "DenyDisablingCloudTrail",
  Effect: "Deny",
  Action: CLOUDTRAIL_TAMPER_ACTIONS,
  Resource: "*",
});

function powerUser(r: IamRefs): Statement[] {
  return [
    {
      Sid: "AllowAllButIdentityInAllowedRegions",
      Effect: "Allow",
      NotAction: POWER_USER_EXCLUDED,
      Resource: "*",
      Condition: inRegions(r.allowedRegions),
    },
    allowIn("ReadIamAndCreateServiceLinkedRoles", IAM_READ, r.stsRegions),
  ];
}

export function environmentLevelStatements(
  level: EnvironmentLevel,
  r: IamRefs,
  d: EnvironmentDynamics,
  deploy: PersonaDynamics = {},
): PolicyItem[] {
  switch (level) {
    case "admin":
      return adminStatements(r);
    case "full":
      return [...powerUser(r), s3Browse(), denyCloudTrailTamper(), ...protectProductionTagged(d)];
    case "read_logs":
      return [allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions)];
    case "operate":
      return [
        ...powerUser(r),
        s3Browse(),
        ...globalServiceStatements("OperateGlobalServices", OPERATOR_GLOBAL),
        denyCloudTrailTamper(),
        ...protectProductionTagged(d),
      ];
    case "operate_prod":
      return [
        ...powerUser(r),
        s3Browse(),
        ...globalServiceStatements("OperateGlobalServices", OPERATOR_GLOBAL),
        denyCloudTrailTamper(),
        { Sid: "DenyProductionDataDeletion", Effect: "Deny", Action: DATA_DELETION_ACTIONS, Resource: "*" },
      ];
    case "analytics_read":
      return [allowIn("RunAthenaQueries", ATHENA_QUERY_ACTIONS, r.allowedRegions), s3Browse()];
    case "deploy":
      return deployStatements(r, deploy);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Incident lockdown                                                                          */
/* ------------------------------------------------------------------------------------------ */

export interface LockdownDynamics {
  /** HCL boolean: deny everything. */
  readonly denyAll: string;
  /** Break-glass principal ARN patterns exempt from the lockdown, and whether there are any. */
  readonly breakGlass: Dyn<string | string[]>;
  /** RFC 3339 time: sessions issued before it are denied; and whether it is set. */
  readonly revokeBefore: Dyn<string>;
}

/**
 * The lockdown policy: deny everything (and/or every session issued before a time) to every
 * principal it is attached to, except the break-glass principals (`aws:PrincipalArn`).
 */
export function lockdownStatements(l: LockdownDynamics): PolicyItem[] {
  const exempt: Condition = { ArnNotLike: { "aws:PrincipalArn": l.breakGlass.value } };
  const noBreakGlass = `!(${l.breakGlass.when})`;
  const revoke = { DateLessThan: { "aws:TokenIssueTime": l.revokeBefore.value } };
  return [
    optional(`(${l.denyAll}) && (${l.breakGlass.when})`, {
      Sid: "IncidentLockdownDenyAll",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: exempt,
    }),
    optional(`(${l.denyAll}) && ${noBreakGlass}`, { Sid: "IncidentLockdownDenyAll", Effect: "Deny", Action: "*", Resource: "*" }),
    optional(`(${l.revokeBefore.when}) && (${l.breakGlass.when})`, {
      Sid: "RevokeOlderSessions",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { ...revoke, ...exempt },
    }),
    optional(`(${l.revokeBefore.when}) && ${noBreakGlass}`, {
      Sid: "RevokeOlderSessions",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: revoke,
    }),
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Trust policies                                                                             */
/* ------------------------------------------------------------------------------------------ */

const trustDoc = (s: Statement): PolicyDocument => ({ Version: "2012-10-17", Statement: [s] });

/**
 * Trust of a human environment role: the trusted (identity) account delegates to its identity
 * policies (only the persona's group may call sts:AssumeRole on it), with MFA no older than
 * `maxMfaAgeSeconds`.
 */
export function humanRoleTrust(r: IamRefs, trustedAccountId: string, maxMfaAgeSeconds: string | number): PolicyDocument {
  return trustDoc({
    Sid: "AssumeWithRecentMfa",
    Effect: "Allow",
    Principal: { AWS: iamArn(r, "root", trustedAccountId) },
    Action: "sts:AssumeRole",
    Condition: {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
      NumericLessThan: { "aws:MultiFactorAuthAge": maxMfaAgeSeconds as string },
    },
  });
}

/**
 * Trust of an automation environment role: CI has no MFA, so instead only the trusted account's
 * GitHub OIDC deploy role and its IAM users (further restricted by their identity policies) may
 * assume it.
 */
export function automationRoleTrust(r: IamRefs, trustedAccountId: string, oidcRoleName: string): PolicyDocument {
  return trustDoc({
    Sid: "AssumeFromDeployIdentities",
    Effect: "Allow",
    Principal: { AWS: iamArn(r, "root", trustedAccountId) },
    Action: "sts:AssumeRole",
    Condition: {
      ArnLike: { "aws:PrincipalArn": [iamArn(r, `role/${oidcRoleName}`, trustedAccountId), iamArn(r, "user/*", trustedAccountId)] },
    },
  });
}

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Trust of the GitHub Actions deploy role: the OIDC provider, audience sts, exact subjects. */
export function githubOidcTrust(providerArn: string, subjects: string | string[]): PolicyDocument {
  return trustDoc({
    Sid: "GitHubActionsOidc",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC_HOST}:sub`]: subjects },
    },
  });
}

/** CIS 1.17 support role: people of this account, with MFA, may assume it. */
export function supportRoleTrust(r: IamRefs): PolicyDocument {
  return trustDoc({
    Sid: "AssumeWithMfa",
    Effect: "Allow",
    Principal: { AWS: iamArn(r, "root") },
    Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
  });
}

/* ------------------------------------------------------------------------------------------ */
/* CloudTrail bucket (optional hygiene)                                                       */
/* ------------------------------------------------------------------------------------------ */

/** Bucket policy of a module-created CloudTrail bucket: delivery by this trail only, TLS only. */
export function cloudTrailBucketPolicy(r: IamRefs, bucketName: string, trailName: string): PolicyDocument {
  const bucket = s3Arn(r, bucketName);
  const sourceArn = { ArnLike: { "aws:SourceArn": `arn:${r.partition}:cloudtrail:*:${r.accountId}:trail/${trailName}` } };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: bucket,
        Condition: sourceArn,
      },
      {
        Sid: "CloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${bucket}/AWSLogs/${r.accountId}/*`,
        Condition: { ...sourceArn, StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket, `${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

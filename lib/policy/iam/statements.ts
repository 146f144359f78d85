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
import { productionDataStatements } from "./production";
import { auditChangePatterns } from "./audit";
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
  /** Name prefix of the workload roles people and pipelines may pass to compute (`iam:PassRole`). */
  readonly workloadRolePrefix: string;
  /** Tag key naming the IAM user who owns an EC2 instance or ECS task (`owner` by default). */
  readonly ownerTagKey: string;
  /** Name prefix of what the automation persona deploys (stacks, functions, services, repositories). */
  readonly deployNamePrefix: string;
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

/**
 * Every IAM write an automation identity must never make, even if an extra policy grants
 * `iam:*`: one pattern per write verb of the IAM catalog (the tests check that every IAM
 * action of access level Write, Permissions management or Tagging but `iam:PassRole` matches
 * one). `iam:PassRole` is denied separately, except on the listed workload roles.
 */
export const AUTOMATION_DENIED_IAM_ACTIONS = [
  "iam:Accept*",
  "iam:Add*",
  "iam:Associate*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Disable*",
  "iam:Enable*",
  "iam:Put*",
  "iam:Reject*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Send*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
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

/** What "cannot delete production data" denies (catalog-derived, see ./production). */
export { PRODUCTION_DATA_DENY_ACTIONS as DATA_DELETION_ACTIONS } from "./production";

/**
 * Every S3 action but `s3:ListAllMyBuckets` (the tests check it against the IAM catalog): what a
 * non-production role of a shared account is denied outside its own environment's buckets.
 */
export const S3_ALL_BUT_LIST_ALL_MY_BUCKETS = [
  "s3:Abort*",
  "s3:Allow*",
  "s3:Associate*",
  "s3:Bypass*",
  "s3:Create*",
  "s3:Delete*",
  "s3:Describe*",
  "s3:Dissociate*",
  "s3:Get*",
  "s3:Initiate*",
  "s3:ListAccess*",
  "s3:ListBucket*",
  "s3:ListC*",
  "s3:ListJobs",
  "s3:ListM*",
  "s3:ListO*",
  "s3:ListS*",
  "s3:ListT*",
  "s3:ObjectOwnerOverrideToBucketOwner",
  "s3:Pause*",
  "s3:Put*",
  "s3:Replicate*",
  "s3:Restore*",
  "s3:Submit*",
  "s3:Tag*",
  "s3:Untag*",
  "s3:Update*",
];

/** Services a PowerUser-style role may not write: everything else in the allowed regions is allowed. */
const POWER_USER_EXCLUDED = ["account:*", "iam:*", "organizations:*", "sts:*"];
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
  /** Engineer and analyst: values of the environment tag that mark production resources of this account. */
  readonly productionTagValues?: Dyn<string | string[]>;
  /** The environment tag key (with productionTagValues). */
  readonly tagKey?: string;
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

/** Services a principal may pass workload roles to. */
export const PASS_ROLE_SERVICES = {
  engineer: ["ec2.amazonaws.com", "glue.amazonaws.com"],
  analyst: ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "sagemaker.amazonaws.com"],
  environment: [
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
    "lambda.amazonaws.com",
    "sagemaker.amazonaws.com",
    "states.amazonaws.com",
  ],
} as const;

/** `arn:<partition>:iam::<account>:role/<workload prefix>*`: the only roles non-admins may pass. */
export const workloadRoleArn = (r: IamRefs) => iamArn(r, `role/${r.workloadRolePrefix}*`);

/** `iam:PassRole` on the workload roles only, to the given services only. */
export function passWorkloadRoles(r: IamRefs, services: readonly string[]): Statement {
  return {
    Sid: "PassWorkloadRolesToCompute",
    Effect: "Allow",
    Action: "iam:PassRole",
    Resource: workloadRoleArn(r),
    Condition: { StringEquals: { "aws:RequestedRegion": r.allowedRegions as string | string[], "iam:PassedToService": [...services] } },
  };
}

/** Reading IAM policies and roles (the console's role pickers), through IAM's global endpoint. */
export const IAM_VIEW_ACTIONS = [
  "iam:GetInstanceProfile",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:GetRole",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfiles",
  "iam:ListPolicies",
  "iam:ListPolicyVersions",
  "iam:ListRoles",
];

/** The IAM user name a person's own compute is named after or tagged with. */
const OWN = "${aws:username}";

/** Changing, stopping or opening an EC2 instance (user data, instance profile, root volume). */
export const EC2_TAKEOVER_ACTIONS = [
  "ec2:AssociateIamInstanceProfile",
  "ec2:AttachVolume",
  "ec2:CreateImage",
  "ec2:DetachVolume",
  "ec2:GetPasswordData",
  "ec2:ModifyInstanceAttribute",
  "ec2:RebootInstances",
  "ec2:ReplaceIamInstanceProfileAssociation",
  "ec2:StartInstances",
  "ec2:StopInstances",
  "ec2:TerminateInstances",
];

/**
 * Compute a person owns: EC2 instances and ECS tasks tagged `<owner tag> = <user name>`
 * (set at launch, never added or removed afterwards); Lambda functions, ECS services and task
 * definitions, SageMaker notebooks and Glue jobs named `<user name>-*`. Everything else is
 * foreign: no code, user data or configuration change, no exec, no notebook URL.
 */
export function ownComputeStatements(r: IamRefs, services: readonly ("ec2" | "ecs" | "glue" | "lambda" | "sagemaker")[]): Statement[] {
  const arn = (service: string, resource: string) => `arn:${r.partition}:${service}:*:${r.accountId}:${resource}`;
  const out: Statement[] = [];
  if (services.includes("ec2"))
    out.push(
      {
        Sid: "DenyChangingOthersInstances",
        Effect: "Deny",
        Action: EC2_TAKEOVER_ACTIONS,
        Resource: arn("ec2", "instance/*"),
        Condition: { StringNotEquals: { [`aws:ResourceTag/${r.ownerTagKey}`]: OWN } },
      },
      {
        Sid: "DenyLaunchingInstancesNotOwned",
        Effect: "Deny",
        Action: "ec2:RunInstances",
        Resource: arn("ec2", "instance/*"),
        Condition: { StringNotEquals: { [`aws:RequestTag/${r.ownerTagKey}`]: OWN } },
      },
      {
        Sid: "DenyRetaggingOwners",
        Effect: "Deny",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [r.ownerTagKey] }, Null: { "ec2:CreateAction": "true" } },
      },
    );
  if (services.includes("ecs"))
    out.push(
      {
        Sid: "DenyChangingOthersEcsWorkloads",
        Effect: "Deny",
        Action: ["ecs:CreateService", "ecs:DeleteService", "ecs:RunTask", "ecs:StartTask", "ecs:UpdateService"],
        NotResource: [arn("ecs", `service/*/${OWN}-*`), arn("ecs", `task-definition/${OWN}-*`)],
      },
      {
        Sid: "DenyExecIntoOthersTasks",
        Effect: "Deny",
        Action: "ecs:ExecuteCommand",
        Resource: arn("ecs", "task/*"),
        Condition: { StringNotEquals: { [`aws:ResourceTag/${r.ownerTagKey}`]: OWN } },
      },
    );
  if (services.includes("lambda"))
    out.push({
      Sid: "DenyChangingOthersFunctions",
      Effect: "Deny",
      Action: [
        "lambda:AddPermission",
        "lambda:CreateFunction",
        "lambda:CreateFunctionUrlConfig",
        "lambda:DeleteFunction",
        "lambda:PublishVersion",
        "lambda:UpdateAlias",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:UpdateFunctionUrlConfig",
      ],
      NotResource: arn("lambda", `function:${OWN}-*`),
    });
  if (services.includes("sagemaker"))
    out.push({
      Sid: "DenyOpeningOthersNotebooks",
      Effect: "Deny",
      Action: [
        "sagemaker:CreateNotebookInstance",
        "sagemaker:CreateNotebookInstanceLifecycleConfig",
        "sagemaker:CreatePresignedDomainUrl",
        "sagemaker:CreatePresignedNotebookInstanceUrl",
        "sagemaker:DeleteNotebookInstance",
        "sagemaker:StartNotebookInstance",
        "sagemaker:StopNotebookInstance",
        "sagemaker:UpdateNotebookInstance",
        "sagemaker:UpdateNotebookInstanceLifecycleConfig",
      ],
      NotResource: [
        arn("sagemaker", `notebook-instance/${OWN}-*`),
        arn("sagemaker", `notebook-instance-lifecycle-config/${OWN}-*`),
        arn("sagemaker", `user-profile/*/${OWN}`),
      ],
    });
  if (services.includes("glue"))
    out.push({
      Sid: "DenyChangingOthersGlueJobs",
      Effect: "Deny",
      Action: [
        "glue:CreateDevEndpoint",
        "glue:CreateJob",
        "glue:DeleteDevEndpoint",
        "glue:DeleteJob",
        "glue:StartJobRun",
        "glue:UpdateDevEndpoint",
        "glue:UpdateJob",
      ],
      NotResource: [arn("glue", `job/${OWN}-*`), arn("glue", `devEndpoint/${OWN}-*`)],
    });
  return out;
}

/** Deployment actions that change something, by the resource name they must start with. */
export const DEPLOY_WRITE_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:CreateStack",
  "cloudformation:DeleteChangeSet",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:UpdateStack",
  "codedeploy:CreateDeployment",
  "codedeploy:RegisterApplicationRevision",
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
  "ecs:UpdateService",
  "lambda:PublishVersion",
  "lambda:UpdateAlias",
  "lambda:UpdateFunctionCode",
];

/** Statements of the automation persona and of the `deploy` environment level. */
export function deployStatements(r: IamRefs, d: PersonaDynamics = {}): PolicyItem[] {
  const arn = (service: string, resource: string) => `arn:${r.partition}:${service}:*:${r.accountId}:${resource}`;
  const prefix = r.deployNamePrefix;
  const items: PolicyItem[] = [
    allowIn("DeployInAllowedRegions", DEPLOY_ACTIONS, r.allowedRegions),
    allowIn("InvalidateCloudFrontCaches", ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], [GLOBAL_REGION]),
    s3Browse(),
    {
      Sid: "DenyDeployingOutsideOwnResources",
      Effect: "Deny",
      Action: DEPLOY_WRITE_ACTIONS,
      NotResource: [
        arn("cloudformation", `stack/${prefix}*/*`),
        arn("codedeploy", `application:${prefix}*`),
        arn("codedeploy", `deploymentgroup:${prefix}*/*`),
        arn("ecr", `repository/${prefix}*`),
        arn("ecs", `service/*/${prefix}*`),
        arn("lambda", `function:${prefix}*`),
      ],
    },
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
  if (d.passRoleArns) {
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
      optional(d.passRoleArns.when, {
        Sid: "DenyPassingOtherRoles",
        Effect: "Deny",
        Action: "iam:PassRole",
        NotResource: d.passRoleArns.value,
      }),
      optional(`!(${d.passRoleArns.when})`, { Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: "iam:PassRole", Resource: "*" }),
    );
  } else items.push({ Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: "iam:PassRole", Resource: "*" });
  if (d.lakeArns)
    items.push(optional(d.lakeArns.when, { Sid: "DenyLakeData", Effect: "Deny", Action: LAKE_READ_ACTIONS, Resource: d.lakeArns.value }));
  // Last and fixed: whatever chunk the packing ends with has a statement that is always present.
  items.push({ Sid: "DenyIdentityChanges", Effect: "Deny", Action: AUTOMATION_DENIED_IAM_ACTIONS, Resource: "*" });
  return items;
}

export function adminStatements(r: IamRefs): Statement[] {
  return [
    { Sid: "AllowAllInAllowedRegions", Effect: "Allow", Action: "*", Resource: "*", Condition: inRegions(r.allowedRegions) },
    ...globalServiceStatements("GlobalServices", () => true),
  ];
}

/** Browsing the Glue catalog and Athena's workgroups; queries run through the lake's workgroup policy. */
export const ANALYTICS_BROWSE_ACTIONS = ["athena:ListDataCatalogs", "athena:ListWorkGroups", ...GLUE_CATALOG_READ_ACTIONS];

/** The statements of a persona's group policy, in order (packed into managed policies later). */
export function personaStatements(persona: Persona, r: IamRefs, d: PersonaDynamics = {}): PolicyItem[] {
  const assume = d.assumableRoleArns ? [assumeRolesStatement(r, d.assumableRoleArns)] : [];
  const prodTagged =
    d.productionTagValues && d.tagKey ? protectProductionTagged({ productionTagValues: d.productionTagValues, tagKey: d.tagKey }) : [];
  switch (persona) {
    case "admin":
      return [...adminStatements(r), ...assume];
    case "engineer":
      return [
        allowIn("EngineerServices", ["cloudshell:*", "codecommit:*", "ec2:*", "glue:*"], r.allowedRegions),
        passWorkloadRoles(r, PASS_ROLE_SERVICES.engineer),
        allowIn("ViewIamPoliciesAndRoles", IAM_VIEW_ACTIONS, r.stsRegions),
        allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions),
        s3Browse(),
        ...ownComputeStatements(r, ["ec2", "glue"]),
        ...prodTagged,
        ...assume,
      ];
    case "analyst":
      return [
        allowIn("AnalystServices", ["ec2:*", "ecs:*", "lambda:*", "sagemaker:*"], r.allowedRegions),
        passWorkloadRoles(r, PASS_ROLE_SERVICES.analyst),
        allowIn("ViewIamPoliciesAndRoles", IAM_VIEW_ACTIONS, r.stsRegions),
        allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions),
        s3Browse(),
        ...ownComputeStatements(r, ["ec2", "ecs", "lambda", "sagemaker"]),
        ...prodTagged,
        ...assume,
      ];
    case "developer":
    case "devops":
      return [allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions), ...assume];
    case "data_team":
      return [allowIn("BrowseAnalyticsCatalog", ANALYTICS_BROWSE_ACTIONS, r.allowedRegions), s3Browse(), ...assume];
    case "automation":
      return [...assume, ...deployStatements(r, d)];
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

/** No non-admin level may change CloudTrail, Config, GuardDuty, Security Hub or Access Analyzer. */
const denyAuditChanges = (): Statement => ({
  Sid: "DenyChangingAuditServices",
  Effect: "Deny",
  Action: auditChangePatterns(),
  Resource: "*",
});

/** Role chaining: an environment role below admin assumes no other role (whatever extra policies say). */
export const ROLE_CHAINING_ACTIONS = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot"];
const denyRoleChaining = (): Statement => ({ Sid: "DenyAssumingOtherRoles", Effect: "Deny", Action: ROLE_CHAINING_ACTIONS, Resource: "*" });

/** `passRoles`: pass the workload roles to compute (non-production); production levels pass no role. */
function powerUser(r: IamRefs, passRoles = true): Statement[] {
  return [
    {
      Sid: "AllowAllButIdentityInAllowedRegions",
      Effect: "Allow",
      NotAction: POWER_USER_EXCLUDED,
      Resource: "*",
      Condition: inRegions(r.allowedRegions),
    },
    allowIn("ReadIamAndCreateServiceLinkedRoles", IAM_READ, r.stsRegions),
    passRoles
      ? passWorkloadRoles(r, PASS_ROLE_SERVICES.environment)
      : // Production changes go through the pipeline (the deploy level's listed roles): no role is passed by hand.
        { Sid: "DenyPassingRolesInProduction", Effect: "Deny", Action: "iam:PassRole", Resource: "*" },
  ];
}

/** What CloudFront needs in us-east-1 besides its own API: viewer certificates (ACM) and web ACLs (WAFv2). */
export const CLOUDFRONT_US_EAST_1_ACTIONS = ["acm:*", "wafv2:*"];

/** Operators' global services plus CloudFront's us-east-1 dependencies. */
function operatorGlobal(): Statement[] {
  return [
    ...globalServiceStatements("OperateGlobalServices", OPERATOR_GLOBAL),
    allowIn("CloudFrontDependenciesInUsEast1", CLOUDFRONT_US_EAST_1_ACTIONS, [GLOBAL_REGION]),
  ];
}

export { productionDataStatements };

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
      return [...powerUser(r), s3Browse(), denyCloudTrailTamper(), denyAuditChanges(), denyRoleChaining(), ...protectProductionTagged(d)];
    case "read_logs":
      return [allowIn("ReadLogsAndMetrics", LOGS_READ_ACTIONS, r.allowedRegions), denyRoleChaining()];
    case "operate":
      return [
        ...powerUser(r),
        s3Browse(),
        ...operatorGlobal(),
        denyCloudTrailTamper(),
        denyAuditChanges(),
        denyRoleChaining(),
        ...protectProductionTagged(d),
      ];
    case "operate_prod":
      return [
        ...powerUser(r, false),
        s3Browse(),
        ...operatorGlobal(),
        denyCloudTrailTamper(),
        denyAuditChanges(),
        denyRoleChaining(),
        ...productionDataStatements(),
      ];
    case "analytics_read":
      return [allowIn("BrowseAnalyticsCatalog", ANALYTICS_BROWSE_ACTIONS, r.allowedRegions), s3Browse(), denyRoleChaining()];
    case "deploy":
      return deployStatements(r, deploy);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Guardrails of every non-admin group and role (inline: no managed-policy quota)             */
/* ------------------------------------------------------------------------------------------ */

export interface GuardrailDynamics {
  /** Bucket and object ARNs no non-admin principal may touch (Terraform state, logs, the trail bucket). */
  readonly protectedArns: Dyn<string | string[]>;
  /** HCL boolean: the role is a non-production role of an account shared with production. */
  readonly sharedAccount?: string;
  /** The role's environment name (with sharedAccount). */
  readonly environment?: string;
  /** The environment tag key (with sharedAccount). */
  readonly tagKey?: string;
}

/**
 * Inline guardrails: deny the protected buckets; and, for a non-production role of a shared
 * account, allow-list its own environment: S3 only on buckets named `<env>-*`, `*-<env>` or
 * `*-<env>-*` (objects carry no tags), nothing on resources tagged with another environment, and
 * the environment tag key set to nothing but its own environment.
 */
export function guardrailStatements(r: IamRefs, g: GuardrailDynamics): PolicyItem[] {
  const items: PolicyItem[] = [
    optional(g.protectedArns.when, { Sid: "DenyProtectedBuckets", Effect: "Deny", Action: "s3:*", Resource: g.protectedArns.value }),
  ];
  if (g.sharedAccount && g.environment && g.tagKey) {
    const env = g.environment;
    const buckets = [`${env}-*`, `*-${env}`, `*-${env}-*`].flatMap((b) => [s3Arn(r, b), s3Arn(r, `${b}/*`)]);
    items.push(
      optional(g.sharedAccount, {
        Sid: "DenyOtherEnvironmentsBuckets",
        Effect: "Deny",
        Action: S3_ALL_BUT_LIST_ALL_MY_BUCKETS,
        NotResource: buckets,
      }),
      optional(g.sharedAccount, {
        Sid: "DenyOtherEnvironmentsResources",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        // Tagged (Null false) and with another value: untagged resources stay reachable.
        Condition: { Null: { [`aws:ResourceTag/${g.tagKey}`]: "false" }, StringNotEquals: { [`aws:ResourceTag/${g.tagKey}`]: env } },
      }),
      optional(g.sharedAccount, {
        Sid: "DenyChangingEnvironmentTag",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [g.tagKey] }, StringNotEquals: { [`aws:RequestTag/${g.tagKey}`]: env } },
      }),
    );
  }
  return items;
}

/* ------------------------------------------------------------------------------------------ */
/* Workload permissions boundary                                                              */
/* ------------------------------------------------------------------------------------------ */

/** Name suffix of the workload boundary policy (`<name_prefix>-workload-boundary`). */
export const WORKLOAD_BOUNDARY_SUFFIX = "-workload-boundary";

/** `arn:<partition>:iam::<account>:policy/<name_prefix>-workload-boundary`. */
export const workloadBoundaryArn = (r: IamRefs) => iamArn(r, `policy/${r.namePrefix}${WORKLOAD_BOUNDARY_SUFFIX}`);

/** What no workload role may do, whatever its own policies grant (besides audit and protected buckets). */
export const WORKLOAD_DENIED_ACTIONS = [
  ...AUTOMATION_DENIED_IAM_ACTIONS,
  "iam:PassRole",
  "sts:AssumeRole*",
  "sts:AssumeRoot",
  "organizations:*",
  "account:*",
];

/**
 * The permissions boundary of every workload role (`<workload prefix>*`): whatever a workload
 * role's policies allow, it makes no IAM write, passes no role, assumes no role, touches neither
 * Organizations nor the account settings, changes no audit service and touches no protected
 * bucket. The guardrails (workloadBoundaryGuardStatements) refuse workload roles without it.
 */
export function workloadBoundaryStatements(protectedArns: Dyn<string | string[]>): PolicyItem[] {
  return [
    { Sid: "AllowWithinBoundary", Effect: "Allow", Action: "*", Resource: "*" },
    { Sid: "DenyIdentityAndAccountChanges", Effect: "Deny", Action: [...new Set(WORKLOAD_DENIED_ACTIONS)], Resource: "*" },
    denyAuditChanges(),
    optional(protectedArns.when, { Sid: "DenyProtectedBuckets", Effect: "Deny", Action: "s3:*", Resource: protectedArns.value }),
  ];
}

/**
 * Inline guardrail of every module group and role, admins included: a workload role
 * (`<workload prefix>*`) is created only with the workload boundary, keeps it, and the boundary
 * policy itself is never edited or deleted (change it through the module).
 */
export function workloadBoundaryGuardStatements(r: IamRefs): Statement[] {
  const roles = workloadRoleArn(r);
  const boundary = workloadBoundaryArn(r);
  return [
    {
      Sid: "DenyWorkloadRoleWithoutBoundary",
      Effect: "Deny",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: roles,
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } },
    },
    { Sid: "DenyWorkloadBoundaryRemoval", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: roles },
    {
      Sid: "DenyWorkloadBoundaryEdit",
      Effect: "Deny",
      Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: boundary,
    },
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Incident lockdown                                                                          */
/* ------------------------------------------------------------------------------------------ */

/**
 * What an admin keeps during a lockdown (break-glass principals, outside the module, keep
 * everything): disable and delete other people's keys and console passwords, read IAM,
 * CloudTrail, costs and security findings.
 */
export const INCIDENT_RESPONSE_ACTIONS = [
  "access-analyzer:Get*",
  "access-analyzer:List*",
  "budgets:Describe*",
  "budgets:View*",
  "ce:Describe*",
  "ce:Get*",
  "ce:List*",
  "cloudtrail:Describe*",
  "cloudtrail:Get*",
  "cloudtrail:List*",
  "cloudtrail:LookupEvents",
  "guardduty:Get*",
  "guardduty:List*",
  "iam:DeleteAccessKey",
  "iam:DeleteLoginProfile",
  "iam:GenerateCredentialReport",
  "iam:Get*",
  "iam:List*",
  "iam:UpdateAccessKey",
  "logs:Describe*",
  "logs:FilterLogEvents",
  "logs:Get*",
  "logs:StartQuery",
  "securityhub:Get*",
  "securityhub:List*",
];

export interface LockdownDynamics {
  /** HCL boolean: deny everything (admins: everything but the incident-response actions). */
  readonly denyAll: string;
  /** RFC 3339 time: sessions issued before it are denied; and whether it is set. */
  readonly revokeBefore: Dyn<string>;
}

/**
 * The lockdown policy of a module principal. `admin`: the incident-response actions stay.
 * Break-glass principals are outside the module (the module refuses patterns that match its own
 * users or roles), so nothing here exempts them: they carry no lockdown policy.
 */
export function lockdownStatements(l: LockdownDynamics, admin = false): PolicyItem[] {
  return [
    optional(
      l.denyAll,
      admin
        ? { Sid: "IncidentLockdownAllButResponse", Effect: "Deny", NotAction: INCIDENT_RESPONSE_ACTIONS, Resource: "*" }
        : { Sid: "IncidentLockdownDenyAll", Effect: "Deny", Action: "*", Resource: "*" },
    ),
    optional(l.revokeBefore.when, {
      Sid: "RevokeOlderSessions",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { DateLessThan: { "aws:TokenIssueTime": l.revokeBefore.value } },
    }),
  ];
}

/* ------------------------------------------------------------------------------------------ */
/* Trust policies                                                                             */
/* ------------------------------------------------------------------------------------------ */

const trustDoc = (s: Statement): PolicyDocument => ({ Version: "2012-10-17", Statement: [s] });

/**
 * Trust of a human environment role: IAM users of the trusted (identity) account only (never a
 * role session: no chaining), whose identity policies allow it (only the persona's group may call
 * sts:AssumeRole on it), with MFA no older than `maxMfaAgeSeconds`.
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
      ArnLike: { "aws:PrincipalArn": iamArn(r, "user/*", trustedAccountId) },
    },
  });
}

/** The principal tag that marks the module's automation users (`<name_prefix>-automation` = "true"). */
export const automationTagKey = (r: IamRefs) => `${r.namePrefix}-automation`;

/**
 * Trust of an automation environment role: CI has no MFA, so instead only deploy identities of
 * the trusted account may assume it: its GitHub OIDC deploy role and any named users
 * (`principalArns`), and its IAM users tagged as automation (`<name_prefix>-automation` =
 * "true"; the module tags its automation users, and only admins can tag users). The tag keeps
 * the trust one size whatever the number of automation users (the trust quota is 2,048 chars).
 */
export function automationRoleTrust(r: IamRefs, trustedAccountId: string, principalArns: string | string[]): PolicyDocument {
  const root = { AWS: iamArn(r, "root", trustedAccountId) };
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AssumeFromDeployIdentities",
        Effect: "Allow",
        Principal: root,
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": principalArns } },
      },
      {
        Sid: "AssumeFromTaggedAutomationUsers",
        Effect: "Allow",
        Principal: root,
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalType": "User", [`aws:PrincipalTag/${automationTagKey(r)}`]: "true" } },
      },
    ],
  };
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

/** CIS 1.17 support role: IAM users of this account, with MFA, may assume it (no role chaining). */
export function supportRoleTrust(r: IamRefs): PolicyDocument {
  return trustDoc({
    Sid: "AssumeWithMfa",
    Effect: "Allow",
    Principal: { AWS: iamArn(r, "root") },
    Action: "sts:AssumeRole",
    Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, ArnLike: { "aws:PrincipalArn": iamArn(r, "user/*") } },
  });
}

/** Trust of the role CloudTrail uses to deliver to CloudWatch Logs: this account's trail only. */
export function cloudTrailLogsTrust(r: IamRefs, trailName: string): PolicyDocument {
  return trustDoc({
    Sid: "CloudTrailDelivery",
    Effect: "Allow",
    Principal: { Service: "cloudtrail.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceArn": `arn:${r.partition}:cloudtrail:${GLOBAL_REGION}:${r.accountId}:trail/${trailName}` } },
  });
}

/* ------------------------------------------------------------------------------------------ */
/* CloudTrail bucket (optional hygiene)                                                       */
/* ------------------------------------------------------------------------------------------ */

/** What nobody but CloudTrail's delivery and break-glass may do to the trail bucket and its logs. */
export const TRAIL_BUCKET_TAMPER_ACTIONS = [
  "s3:BypassGovernanceRetention",
  "s3:Delete*",
  "s3:ObjectOwnerOverrideToBucketOwner",
  "s3:Put*",
  "s3:Replicate*",
  "s3:Restore*",
];

/**
 * Bucket policy of a module-created CloudTrail bucket: delivery by this trail only, TLS only,
 * and no change or delete by anyone but CloudTrail's delivery and the break-glass principals
 * (admins included: the logs outlive a compromised admin).
 */
export function cloudTrailBucketPolicy(
  r: IamRefs,
  bucketName: string,
  trailName: string,
  breakGlass: Dyn<string | string[]>,
): PolicyItem[] {
  const bucket = s3Arn(r, bucketName);
  const sourceArn = { ArnLike: { "aws:SourceArn": `arn:${r.partition}:cloudtrail:*:${r.accountId}:trail/${trailName}` } };
  const notCloudTrail = { StringNotEqualsIfExists: { "aws:PrincipalServiceName": "cloudtrail.amazonaws.com" } };
  const tamper = {
    Sid: "DenyChangesButDeliveryAndBreakGlass",
    Effect: "Deny" as const,
    Principal: "*" as const,
    Action: TRAIL_BUCKET_TAMPER_ACTIONS,
    Resource: [bucket, `${bucket}/*`],
  };
  return [
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
    optional(breakGlass.when, { ...tamper, Condition: { ...notCloudTrail, ArnNotLike: { "aws:PrincipalArn": breakGlass.value } } }),
    optional(`!(${breakGlass.when})`, { ...tamper, Condition: notCloudTrail }),
  ];
}

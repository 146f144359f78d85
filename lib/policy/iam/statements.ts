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
import { CLOUDTRAIL_TAMPER_ACTIONS, GLUE_CATALOG_READ_ACTIONS } from "../common-actions";
import { productionDataStatements } from "./production";
import { dataDestroyingActions } from "../destructive";
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
  /** Tag key naming who owns an EC2 instance or ECS task (`owner` by default): a user name, or environment/<env>. */
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
 * Who owns a piece of compute. Compute runs with a role, so changing its code, user data,
 * commands or configuration acts as that role: non-admins change only compute they own.
 * Ownership is set when the compute is created and can never be changed afterwards:
 *  - by name, where the name is part of the ARN and immutable (Lambda functions, ECS services and
 *    task definitions, Glue jobs, dev endpoints and sessions, SageMaker notebooks, CloudFormation
 *    stacks, CodeBuild projects): `<prefix>*`. A tag cannot serve here: Lambda, Glue and SageMaker
 *    authorize tags given at creation through their TagResource/AddTags action with no condition
 *    key telling creation from retagging, so "tag only at creation" cannot be enforced;
 *  - by the owner tag, for EC2 instances and ECS tasks (no name in their ARN): set at launch
 *    (`ec2:CreateAction` / `ecs:CreateAction` tell the launch from a later retag), never added,
 *    changed or removed afterwards.
 */
export interface ComputeOwner {
  /** Value of the owner tag on EC2 instances and ECS tasks. */
  readonly tag: string;
  /** Name prefix of named compute (`alice-`, `dev-`). */
  readonly prefix: string;
  /** The owner's own name, for what is named exactly after it (a SageMaker Studio user profile). */
  readonly name: string;
}

/** A person: the owner tag is the IAM user name, named compute starts with `<user name>-`. */
export const PERSON_OWNER: ComputeOwner = { tag: OWN, prefix: `${OWN}-`, name: OWN };

/**
 * An environment: named compute starts with `<environment>-`, instances and tasks carry
 * `<owner tag> = environment/<environment>` (a `/` no IAM user name contains, so no person's
 * tag value equals it).
 */
export const environmentOwner = (environment: string): ComputeOwner => ({
  tag: `environment/${environment}`,
  prefix: `${environment}-`,
  name: environment,
});

/** Compute services an ownership rule covers. */
export type ComputeService = "cloudformation" | "codebuild" | "ec2" | "ecs" | "glue" | "lambda" | "sagemaker" | "ssm";
export const COMPUTE_SERVICES: readonly ComputeService[] = [
  "cloudformation",
  "codebuild",
  "ec2",
  "ecs",
  "glue",
  "lambda",
  "sagemaker",
  "ssm",
];

/** Actions that change, run or open named compute (with the name patterns they act on). */
export const NAMED_COMPUTE_ACTIONS: Record<Exclude<ComputeService, "ec2" | "ssm">, { actions: string[]; resources: string[] }> = {
  cloudformation: {
    actions: [
      "cloudformation:CreateChangeSet",
      "cloudformation:CreateStack",
      "cloudformation:DeleteStack",
      "cloudformation:ExecuteChangeSet",
      "cloudformation:UpdateStack",
    ],
    resources: ["stack/{p}*/*"],
  },
  codebuild: {
    actions: [
      "codebuild:CreateProject",
      "codebuild:DeleteProject",
      "codebuild:RetryBuild",
      "codebuild:RetryBuildBatch",
      "codebuild:StartBuild",
      "codebuild:StartBuildBatch",
      "codebuild:UpdateProject",
    ],
    resources: ["project/{p}*"],
  },
  ecs: {
    actions: ["ecs:CreateService", "ecs:DeleteService", "ecs:RegisterTaskDefinition", "ecs:RunTask", "ecs:StartTask", "ecs:UpdateService"],
    resources: ["service/*/{p}*", "task-definition/{p}*"],
  },
  glue: {
    actions: [
      "glue:CreateDevEndpoint",
      "glue:CreateJob",
      "glue:CreateSession",
      "glue:DeleteDevEndpoint",
      "glue:DeleteJob",
      "glue:RunStatement",
      "glue:StartJobRun",
      "glue:UpdateDevEndpoint",
      "glue:UpdateJob",
    ],
    resources: ["job/{p}*", "devEndpoint/{p}*", "session/{p}*"],
  },
  lambda: {
    actions: [
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
    resources: ["function:{p}*"],
  },
  sagemaker: {
    actions: [
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
    resources: ["notebook-instance/{p}*", "notebook-instance-lifecycle-config/{p}*", "user-profile/*/{n}", "user-profile/*/{p}*"],
  },
};

/** Commands and shells on instances (and ECS tasks) through Systems Manager. */
export const SSM_COMPUTE_ACTIONS = ["ssm:SendCommand", "ssm:StartSession"];

/** An ECS service created or updated on a task definition `owner` does not own is denied. */
function taskDefinitionsNotOwned(sid: string, r: IamRefs, owner: ComputeOwner): Statement {
  return {
    Sid: sid,
    Effect: "Deny",
    Action: ["ecs:CreateService", "ecs:UpdateService"],
    Resource: "*",
    Condition: {
      Null: { "ecs:task-definition": "false" },
      ArnNotLike: { "ecs:task-definition": `arn:${r.partition}:ecs:*:${r.accountId}:task-definition/${owner.prefix}*` },
    },
  };
}

/**
 * The ownership rule for `owner` over the given services (see {@link ComputeOwner}): no change,
 * run, exec, command, session or notebook URL on compute it does not own; instances launched and
 * tasks started only with its owner tag; the owner tag never added, changed or removed after
 * launch; an own ECS service never pointed at a task definition it does not own.
 */
export function ownComputeStatements(r: IamRefs, services: readonly ComputeService[], owner: ComputeOwner = PERSON_OWNER): Statement[] {
  const arn = (service: string, resource: string) => `arn:${r.partition}:${service}:*:${r.accountId}:${resource}`;
  const ownerTag = `aws:ResourceTag/${r.ownerTagKey}`;
  const notOwned = { StringNotEquals: { [ownerTag]: owner.tag } };
  const out: Statement[] = [];
  const named = services.filter((s): s is keyof typeof NAMED_COMPUTE_ACTIONS => s in NAMED_COMPUTE_ACTIONS);
  if (named.length)
    out.push({
      Sid: "DenyChangingComputeNotOwned",
      Effect: "Deny",
      Action: named.flatMap((s) => NAMED_COMPUTE_ACTIONS[s].actions),
      NotResource: named.flatMap((s) =>
        NAMED_COMPUTE_ACTIONS[s].resources.map((x) => arn(s, x.replace("{p}", owner.prefix).replace("{n}", owner.name))),
      ),
    });
  if (services.includes("ec2") || services.includes("ssm"))
    out.push({
      Sid: "DenyChangingInstancesNotOwned",
      Effect: "Deny",
      Action: [...(services.includes("ec2") ? EC2_TAKEOVER_ACTIONS : []), ...(services.includes("ssm") ? SSM_COMPUTE_ACTIONS : [])],
      Resource: [arn("ec2", "instance/*"), ...(services.includes("ssm") ? [arn("ecs", "task/*")] : [])],
      Condition: notOwned,
    });
  if (services.includes("ec2"))
    out.push(
      {
        Sid: "DenyLaunchingInstancesNotOwned",
        Effect: "Deny",
        Action: "ec2:RunInstances",
        Resource: arn("ec2", "instance/*"),
        Condition: { StringNotEquals: { [`aws:RequestTag/${r.ownerTagKey}`]: owner.tag } },
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
        Sid: "DenyExecIntoTasksNotOwned",
        Effect: "Deny",
        Action: "ecs:ExecuteCommand",
        Resource: arn("ecs", "task/*"),
        Condition: notOwned,
      },
      taskDefinitionsNotOwned("DenyServicesOnTaskDefinitionsNotOwned", r, owner),
      {
        Sid: "DenyRetaggingEcsOwners",
        Effect: "Deny",
        Action: "ecs:TagResource",
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [r.ownerTagKey] }, Null: { "ecs:CreateAction": "true" } },
      },
      {
        Sid: "DenyUntaggingEcsOwners",
        Effect: "Deny",
        Action: "ecs:UntagResource",
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": [r.ownerTagKey] } },
      },
    );
  if (services.includes("ec2") || services.includes("ecs"))
    out.push({
      Sid: "DenyTaggingOthersAsOwner",
      Effect: "Deny",
      Action: ["ec2:CreateTags", "ec2:RunInstances", "ecs:RunTask", "ecs:StartTask", "ecs:TagResource"],
      Resource: "*",
      Condition: {
        "ForAnyValue:StringEquals": { "aws:TagKeys": [r.ownerTagKey] },
        StringNotEquals: { [`aws:RequestTag/${r.ownerTagKey}`]: owner.tag },
      },
    });
  return out;
}

/**
 * The escalation primitives on compute, compactly (for the workload boundary's size): code,
 * configuration, runs with overrides, builds, statements, presigned notebook URLs.
 */
export const COMPUTE_TAKEOVER_ACTIONS = [
  "cloudformation:CreateChangeSet",
  "cloudformation:ExecuteChangeSet",
  "cloudformation:UpdateStack",
  "codebuild:RetryBuild*",
  "codebuild:StartBuild*",
  "codebuild:UpdateProject",
  "ecs:RunTask",
  "ecs:StartTask",
  "ecs:UpdateService",
  "glue:RunStatement",
  "glue:StartJobRun",
  "glue:UpdateDevEndpoint",
  "glue:UpdateJob",
  "lambda:UpdateFunction*",
  "sagemaker:CreatePresigned*",
  "sagemaker:UpdateNotebookInstance*",
];

/** Taking over an instance or a task: its instance profile, user data, commands, sessions, exec. */
export const INSTANCE_TAKEOVER_ACTIONS = [
  "ec2:AssociateIamInstanceProfile",
  "ec2:ModifyInstanceAttribute",
  "ec2:ReplaceIamInstanceProfileAssociation",
  "ecs:ExecuteCommand",
  ...SSM_COMPUTE_ACTIONS,
];

/**
 * The compact ownership rule of the workload boundary: no takeover of compute `owner` does not
 * own (named compute by prefix, instances and tasks by owner tag), no ECS service pointed at a
 * foreign task definition, and the owner tag never added or removed after launch. (Workload roles
 * pass no role, so what they create runs with no role.)
 */
export function takeoverStatements(r: IamRefs, owner: ComputeOwner): Statement[] {
  const arn = (service: string, resource: string) => `arn:${r.partition}:${service}:*:${r.accountId}:${resource}`;
  const named = (Object.keys(NAMED_COMPUTE_ACTIONS) as (keyof typeof NAMED_COMPUTE_ACTIONS)[]).flatMap((s) =>
    NAMED_COMPUTE_ACTIONS[s].resources.filter((x) => !/lifecycle|user-profile/.test(x)).map((x) => arn(s, x.replace("{p}", owner.prefix))),
  );
  const ownerKey = { "ForAnyValue:StringEquals": { "aws:TagKeys": [r.ownerTagKey] } };
  // Short Sids: this rule lives in the workload boundary, close to the managed-policy quota.
  return [
    { Sid: "DenyForeignCompute", Effect: "Deny", Action: COMPUTE_TAKEOVER_ACTIONS, NotResource: named },
    {
      Sid: "DenyForeignInstances",
      Effect: "Deny",
      Action: INSTANCE_TAKEOVER_ACTIONS,
      Resource: [arn("ec2", "instance/*"), arn("ecs", "task/*")],
      Condition: { StringNotEquals: { [`aws:ResourceTag/${r.ownerTagKey}`]: owner.tag } },
    },
    taskDefinitionsNotOwned("DenyForeignTaskDefs", r, owner),
    // Both create markers absent: a retag or untag of an instance or a task, not a launch.
    {
      Sid: "DenyOwnerRetag",
      Effect: "Deny",
      Action: ["ec2:CreateTags", "ec2:DeleteTags", "ecs:TagResource", "ecs:UntagResource"],
      Resource: "*",
      Condition: { ...ownerKey, Null: { "ec2:CreateAction": "true", "ecs:CreateAction": "true" } },
    },
  ];
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
  "ecs:RegisterTaskDefinition",
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
        arn("ecs", `task-definition/${prefix}*`),
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
  /**
   * HCL boolean: the role is an environment role that may change compute (levels full, operate,
   * operate_prod): it changes only compute its environment owns (with `environment`).
   */
  readonly ownedCompute?: string;
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
  if (g.ownedCompute && g.environment) {
    items.push(...ownComputeStatements(r, COMPUTE_SERVICES, environmentOwner(g.environment)).map((st) => optional(g.ownedCompute!, st)));
  }
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

/**
 * What no workload role may do, whatever its own policies grant (besides audit and protected
 * buckets). All of IAM, reads included: a workload has no business in IAM, and one entry keeps
 * the boundary (a single managed policy, with the owned-compute and environment rules) within
 * the 6,144-character quota at the module's worst-case inputs.
 */
export const WORKLOAD_DENIED_ACTIONS = ["iam:*", "sts:AssumeRole*", "sts:AssumeRoot", "organizations:*", "account:*"];

export interface WorkloadBoundaryDynamics {
  /** The environment tag key: a workload role carries `<key> = <environment>` (set by admins, who alone create roles). */
  readonly tagKey: string;
  /** HCL boolean: production and non-production environments share this account. */
  readonly sharedAccount: string;
  /** Names of the production environments in this account (with sharedAccount). */
  readonly productionNames: string | string[];
}

/** `${aws:PrincipalTag/<key>}`: the environment of the calling workload role. */
const principalEnvironment = (tagKey: string) => `\${aws:PrincipalTag/${tagKey}, '${NO_ENVIRONMENT}'}`;

/**
 * The environment of a workload role without the environment tag (the policy variable's
 * default): `!` is in no Lambda, ECS, SageMaker, CodeBuild or CloudFormation name nor in any S3
 * bucket name, so such a role owns no compute and no bucket.
 */
export const NO_ENVIRONMENT = "!";

/** The data-destroying S3 actions (direct and indirect) of the catalog class. */
export function s3DataDestroyingActions(): string[] {
  return dataDestroyingActions().actions.filter((a) => a.startsWith("s3:"));
}

/**
 * The permissions boundary of every workload role (`<workload prefix>*`): whatever a workload
 * role's policies allow, it makes no IAM write, passes no role, assumes no role, touches neither
 * Organizations nor the account settings, changes no audit service and touches no protected
 * bucket. The guardrails (workloadBoundaryGuardStatements) refuse workload roles without it.
 *
 * With `w`: a workload role changes only compute of its own environment (the environment tag on
 * the role, see {@link environmentOwner}); a role without that tag changes no compute. In an
 * account shared by production and non-production environments, a workload role not tagged
 * with a production environment touches nothing tagged production and destroys S3 data only in
 * its own environment's buckets (`<env>-*`, `*-<env>`, `*-<env>-*`), as the non-production
 * environment roles that pass it.
 */
export function workloadBoundaryStatements(protectedArns: Dyn<string | string[]>, r?: IamRefs, w?: WorkloadBoundaryDynamics): PolicyItem[] {
  const items: PolicyItem[] = [
    { Sid: "AllowWithinBoundary", Effect: "Allow", Action: "*", Resource: "*" },
    { Sid: "DenyIdentityAndAccountChanges", Effect: "Deny", Action: [...new Set(WORKLOAD_DENIED_ACTIONS)], Resource: "*" },
    denyAuditChanges(),
    optional(protectedArns.when, { Sid: "DenyProtectedBuckets", Effect: "Deny", Action: "s3:*", Resource: protectedArns.value }),
  ];
  if (!r || !w) return items;
  const env = principalEnvironment(w.tagKey);
  items.push(...takeoverStatements(r, environmentOwner(env)));
  const notProduction = { StringNotEquals: { [`aws:PrincipalTag/${w.tagKey}`]: w.productionNames } };
  // Buckets and their objects: `<env>-*` and `*-<env>-*` cover both, `*-<env>` needs its objects.
  const ownBuckets = [`${env}-*`, `*-${env}`, `*-${env}/*`, `*-${env}-*`].map((b) => s3Arn(r, b));
  items.push(
    optional(w.sharedAccount, {
      Sid: "DenyProductionTagged",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/${w.tagKey}`]: w.productionNames }, ...notProduction },
    }),
    optional(w.sharedAccount, {
      Sid: "DenyOtherEnvBucketData",
      Effect: "Deny",
      Action: s3DataDestroyingActions(),
      NotResource: ownBuckets,
      Condition: notProduction,
    }),
  );
  return items;
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

/**
 * The built-in personas of the IAM baseline and the access level each one gets in an
 * environment role. Pure data: no cdktf import.
 */

export const PERSONAS = ["admin", "engineer", "analyst", "developer", "devops", "data_team", "automation"] as const;
export type Persona = (typeof PERSONAS)[number];

/** Personas whose members are people: they get self-service and MFA enforcement. */
export const HUMAN_PERSONAS: readonly Persona[] = PERSONAS.filter((p) => p !== "automation");

/** Personas that can have an environment role (`environments[*].personas`). */
export const ENVIRONMENT_PERSONAS = ["admin", "developer", "devops", "data_team", "automation"] as const;
export type EnvironmentPersona = (typeof ENVIRONMENT_PERSONAS)[number];

/** Environment personas given a role in every environment unless the environment says otherwise. */
export const DEFAULT_ENVIRONMENT_PERSONAS: readonly EnvironmentPersona[] = ["developer", "devops", "data_team", "automation"];

/** Personas whose access to data-lake buckets can be granted through the `lake_access` input. */
export const LAKE_PERSONAS = ["engineer", "analyst", "data_team"] as const;
export type LakePersona = (typeof LAKE_PERSONAS)[number];
export const LAKE_DEFAULT_ACCESS: Record<LakePersona, LakeAccess> = { engineer: "write", analyst: "read", data_team: "read" };
export type LakeAccess = "none" | "read" | "write";

/** Access levels of environment roles; one set of managed policies per level. */
export const ENVIRONMENT_LEVELS = ["admin", "full", "read_logs", "operate", "operate_prod", "analytics_read", "deploy"] as const;
export type EnvironmentLevel = (typeof ENVIRONMENT_LEVELS)[number];

/** Access level of a persona's role in a non-production and in a production environment. */
export const ENVIRONMENT_ACCESS: Record<EnvironmentPersona, { nonprod: EnvironmentLevel; prod: EnvironmentLevel }> = {
  admin: { nonprod: "admin", prod: "admin" },
  developer: { nonprod: "full", prod: "read_logs" },
  devops: { nonprod: "operate", prod: "operate_prod" },
  data_team: { nonprod: "analytics_read", prod: "analytics_read" },
  automation: { nonprod: "deploy", prod: "deploy" },
};

export const LEVEL_DESCRIPTIONS: Record<EnvironmentLevel, string> = {
  admin: "Everything in the allowed regions plus global services.",
  full: "Full use of a non-production environment: every service except IAM, Organizations, Account and STS writes (workload roles passed to compute); cannot touch production-tagged resources, assume other roles or stop CloudTrail.",
  read_logs: "Read CloudWatch Logs and metrics only.",
  operate:
    "Near-admin operation: every service except IAM, Organizations, Account and STS writes, plus global networking and support services and CloudFront's ACM and WAFv2 in us-east-1; cannot assume other roles or stop CloudTrail.",
  operate_prod:
    "Near-admin operation of production without destroying data (the catalog's data-destroying class and its indirect ways), assuming other roles or stopping CloudTrail.",
  analytics_read: "Browse the Glue catalog and Athena workgroups; queries run through the lake's workgroup policy.",
  deploy:
    "Deployment actions only, on resources named with the deploy prefix (CloudFormation, ECS, Lambda, ECR, CodeDeploy, artifact uploads); no IAM writes.",
};

export const PERSONA_DESCRIPTIONS: Record<Persona, string> = {
  admin: "Everything in the allowed regions; IAM, billing, support and other global services through their global endpoints.",
  engineer:
    "EC2, Glue, CloudShell and CodeCommit in the allowed regions on compute they own, workload roles passed by prefix; lake read and write through the lake policies.",
  analyst:
    "EC2, ECS, Lambda and SageMaker in the allowed regions on compute they own, workload roles passed by prefix; lake read (write where granted) through the lake policies.",
  developer: "Read logs and metrics; works through the environment roles (full in non-production, logs in production).",
  devops: "Read logs and metrics; operates environments through the environment roles (near-admin, no data deletion in production).",
  data_team: "Glue catalog reads; Athena queries and read-only lake access through the lake policies.",
  automation: "Deployment actions only (CloudFormation, ECS, Lambda, ECR, CodeDeploy, artifact uploads); no IAM, no lake data.",
};

/** `data_team` -> `data-team`: the IAM name fragment of a persona or group key. */
export function nameFragment(key: string): string {
  return key.replace(/_/g, "-");
}

/**
 * Reads what grants access out of a `terraform show -json` plan: the IAM policies
 * attached to groups, users and roles, trust policies, bucket and access point
 * policies, and SCPs. Only planned values are used, so the
 * access matrix reflects what Terraform would apply, not the TypeScript objects.
 */
import { planResources } from "../offline-terraform";
import type { PolicyDocument } from "../../lib/policy/types";

export interface PlannedResource {
  address: string;
  type: string;
  values: any;
}

export interface AccessModel {
  /** policy ARN -> document */
  policies: Map<string, PolicyDocument>;
  /** group name -> attached policy ARNs */
  groups: Map<string, string[]>;
  /** user name -> group names */
  users: Map<string, string[]>;
  /** role name -> { trust, attached policy ARNs } */
  roles: Map<string, { trust: PolicyDocument; policyArns: string[] }>;
  /** bucket name -> bucket policy */
  bucketPolicies: Map<string, PolicyDocument>;
  /** bucket name (and tags) of every planned bucket */
  buckets: Map<string, Record<string, string>>;
  /** access point name -> { bucket, policy } */
  accessPoints: Map<string, { bucket: string; policy?: PolicyDocument }>;
  /** SCP name -> document */
  scps: Map<string, { document: PolicyDocument }>;
  /** Athena workgroups */
  workgroups: string[];
}

export function plannedResources(plan: any): PlannedResource[] {
  return planResources(plan)
    .filter((r) => r.mode === "managed")
    .map((r) => ({ address: r.address, type: r.type, values: r.values }));
}

function parse(json: unknown, where: string): PolicyDocument {
  if (typeof json !== "string") throw new Error(`${where}: policy is not known at plan time`);
  return JSON.parse(json);
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => m.set(k, [...(m.get(k) ?? []), v]);

export function extractAccessModel(plan: any, accountId: string, partition = "aws"): AccessModel {
  const model: AccessModel = {
    policies: new Map(),
    groups: new Map(),
    users: new Map(),
    roles: new Map(),
    bucketPolicies: new Map(),
    buckets: new Map(),
    accessPoints: new Map(),
    scps: new Map(),
    workgroups: [],
  };
  const resources = plannedResources(plan);
  const rolePolicyArns = new Map<string, string[]>();
  for (const { address, type, values: v } of resources) {
    switch (type) {
      case "aws_iam_policy":
        model.policies.set(`arn:${partition}:iam::${accountId}:policy${v.path ?? "/"}${v.name}`, parse(v.policy, address));
        break;
      case "aws_iam_group":
        if (!model.groups.has(v.name)) model.groups.set(v.name, []);
        break;
      case "aws_iam_group_policy_attachment":
        push(model.groups, v.group, v.policy_arn ?? `<unknown at plan time: ${address}>`);
        break;
      case "aws_iam_user_group_membership":
        model.users.set(v.user, [...(model.users.get(v.user) ?? []), ...v.groups]);
        break;
      case "aws_iam_role":
        model.roles.set(v.name, { trust: parse(v.assume_role_policy, address), policyArns: [] });
        break;
      case "aws_iam_role_policy_attachment":
        push(rolePolicyArns, v.role, v.policy_arn ?? `<unknown at plan time: ${address}>`);
        break;
      // Inline policies (iam-baseline's lockdown and guardrails): keyed by a pseudo-ARN.
      case "aws_iam_group_policy":
        model.policies.set(`inline:group/${v.group}/${v.name}`, parse(v.policy, address));
        push(model.groups, v.group, `inline:group/${v.group}/${v.name}`);
        break;
      case "aws_iam_role_policy":
        model.policies.set(`inline:role/${v.role}/${v.name}`, parse(v.policy, address));
        push(rolePolicyArns, v.role, `inline:role/${v.role}/${v.name}`);
        break;
      case "aws_s3_bucket":
        model.buckets.set(v.bucket, v.tags ?? {});
        break;
      case "aws_s3_bucket_policy":
        model.bucketPolicies.set(v.bucket, parse(v.policy, address));
        break;
      case "aws_s3_access_point":
        model.accessPoints.set(v.name, { bucket: v.bucket, policy: v.policy ? parse(v.policy, address) : undefined });
        break;
      case "aws_organizations_policy":
        if (v.type === "SERVICE_CONTROL_POLICY" || v.type === undefined) {
          model.scps.set(v.name, { document: parse(v.content, address) });
        }
        break;
      case "aws_athena_workgroup":
        model.workgroups.push(v.name);
        break;
    }
  }
  for (const [role, arns] of rolePolicyArns) {
    const r = model.roles.get(role);
    if (r) r.policyArns.push(...arns);
  }
  return model;
}

/** The identity policies of a principal, resolved to documents (ARNs not planned here are reported). */
export function documentsFor(model: AccessModel, policyArns: string[]): { docs: PolicyDocument[]; missing: string[] } {
  const docs: PolicyDocument[] = [];
  const missing: string[] = [];
  for (const arn of policyArns) {
    const d = model.policies.get(arn);
    if (d) docs.push(d);
    else missing.push(arn);
  }
  return { docs, missing };
}

export function userPolicyArns(model: AccessModel, user: string): string[] {
  return (model.users.get(user) ?? []).flatMap((g) => model.groups.get(g) ?? []);
}

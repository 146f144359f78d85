/**
 * The access matrix: for each principal of an example and a fixed list of
 * capabilities, the decision of @cloud-copilot/iam-simulate over the policies read
 * from the example's offline plan - identity, bucket, access point and trust
 * policies, and SCPs. Each cell: "Allowed", or "Denied (<layer>)".
 */
import type { PolicyDocument } from "../../lib/policy/types";
import { decide, defaultContext, FULL_AWS_ACCESS, SimLayers, SimRequest } from "../simulate";
import { AccessModel, documentsFor, userPolicyArns } from "./extract";

export type Cell = "Allowed" | `Denied (${Layer})`;
export type Layer = "identity" | "MFA" | "bucket" | "access point" | "trust" | "SCP" | "no allow";

export interface Principal {
  /** Row label, e.g. "engineer (user engineer-sam)". */
  label: string;
  /** ARN the request is made as (user or assumed-role session). */
  arn: string;
  /** User name (for ${aws:username}) when the principal is a user. */
  user?: string;
  identity: PolicyDocument[];
  /** Persona the principal stands for (used to pick its own environment role). */
  persona?: string;
  /** Value of the owner tag on compute it launches (default: its user or session name). */
  owner?: string;
}

export interface ExampleEnv {
  accountId: string;
  region: string;
  otherRegion: string;
  model: AccessModel;
  /** SCP levels the account sits under (root, OU); empty when not in an organization. */
  scps: PolicyDocument[][];
  /** Lake bucket names by zone (landing-zone, analysis). */
  lake: { landing?: string; analysis?: string };
  /** Environment role name for (environment, persona), when the example has environments. */
  roleName?: (env: string, persona: string) => string;
}

export interface Capability {
  id: string;
  label: string;
  /** A request for the principal, or undefined when the capability does not apply to the example. */
  request(
    env: ExampleEnv,
    p: Principal,
  ): { req: SimRequest; resource?: PolicyDocument; accessPoint?: PolicyDocument; layer?: "bucket" | "trust" } | undefined;
}

const s3obj = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const SSE = { "s3:x-amz-server-side-encryption": "AES256" };

function ctx(env: ExampleEnv, p: Principal, extra: Record<string, string | undefined> = {}) {
  return defaultContext({ "aws:RequestedRegion": env.region, ...(p.user ? { "aws:username": p.user } : {}), ...extra });
}

function s3(
  env: ExampleEnv,
  p: Principal,
  zone: "landing" | "analysis",
  action: string,
  key: string | undefined,
  extra: Record<string, string | undefined> = {},
) {
  const bucket = env.lake[zone];
  if (!bucket) return undefined;
  return {
    req: {
      principal: p.arn,
      action,
      resource: key ? s3obj(bucket, key) : `arn:aws:s3:::${bucket}`,
      resourceAccount: env.accountId,
      context: ctx(env, p, extra),
    },
    resource: env.model.bucketPolicies.get(bucket),
    layer: "bucket" as const,
  };
}

const iamReq = (env: ExampleEnv, p: Principal, action: string, resource: string, extra: Record<string, string | undefined> = {}) => ({
  req: { principal: p.arn, action, resource, context: ctx(env, p, { "aws:RequestedRegion": "us-east-1", ...extra }) },
});

export const CAPABILITIES: Capability[] = [
  { id: "read_landing", label: "Read landing-zone", request: (e, p) => s3(e, p, "landing", "s3:GetObject", "test/hw.txt") },
  { id: "list_landing", label: "List landing-zone", request: (e, p) => s3(e, p, "landing", "s3:ListBucket", undefined) },
  { id: "write_landing", label: "Write landing-zone (SSE)", request: (e, p) => s3(e, p, "landing", "s3:PutObject", "test/hw.txt", SSE) },
  { id: "delete_landing", label: "Delete in landing-zone", request: (e, p) => s3(e, p, "landing", "s3:DeleteObject", "test/hw_copy.txt") },
  { id: "read_analysis", label: "Read analysis", request: (e, p) => s3(e, p, "analysis", "s3:GetObject", "test/hw.txt") },
  { id: "write_analysis", label: "Write analysis (SSE)", request: (e, p) => s3(e, p, "analysis", "s3:PutObject", "test/hw.txt", SSE) },
  { id: "delete_analysis", label: "Delete in analysis", request: (e, p) => s3(e, p, "analysis", "s3:DeleteObject", "test/hw_copy.txt") },
  { id: "upload_unencrypted", label: "Upload unencrypted", request: (e, p) => s3(e, p, "analysis", "s3:PutObject", "test/plain.txt") },
  {
    id: "read_without_tls",
    label: "Read without TLS",
    request: (e, p) => s3(e, p, "analysis", "s3:GetObject", "test/hw.txt", { "aws:SecureTransport": "false" }),
  },
  {
    id: "athena_query",
    label: "Run Athena query",
    request: (e, p) =>
      e.model.workgroups.length
        ? {
            req: {
              principal: p.arn,
              action: "athena:StartQueryExecution",
              resource: `arn:aws:athena:${e.region}:${e.accountId}:workgroup/${e.model.workgroups[0]}`,
              context: ctx(e, p),
            },
          }
        : undefined,
  },
  {
    id: "ec2_allowed_region",
    label: "Launch EC2 (allowed region)",
    request: (e, p) => ({
      req: {
        principal: p.arn,
        action: "ec2:RunInstances",
        resource: `arn:aws:ec2:${e.region}:${e.accountId}:instance/i-0abc`,
        // Launched tagged with its owner, as iam-baseline requires (a person's name, environment/<env> for an environment role).
        context: ctx(e, p, { "aws:RequestTag/owner": p.owner ?? p.arn.split("/").pop() }),
      },
    }),
  },
  {
    id: "ec2_other_region",
    label: "Launch EC2 (other region)",
    request: (e, p) => ({
      req: {
        principal: p.arn,
        action: "ec2:RunInstances",
        resource: `arn:aws:ec2:${e.otherRegion}:${e.accountId}:instance/i-0abc`,
        context: ctx(e, p, {
          "aws:RequestedRegion": e.otherRegion,
          "aws:RequestTag/owner": p.owner ?? p.arn.split("/").pop(),
        }),
      },
    }),
  },
  {
    id: "create_iam_policy",
    label: "Create an IAM policy",
    request: (e, p) => iamReq(e, p, "iam:CreatePolicy", `arn:aws:iam::${e.accountId}:policy/new-policy`),
  },
  {
    id: "own_mfa_without_mfa",
    label: "Set up own MFA without MFA",
    request: (e, p) =>
      p.user
        ? iamReq(e, p, "iam:CreateVirtualMFADevice", `arn:aws:iam::${e.accountId}:mfa/${p.user}`, {
            "aws:MultiFactorAuthPresent": "false",
            "aws:MultiFactorAuthAge": undefined,
          })
        : undefined,
  },
  {
    id: "list_users_without_mfa",
    label: "List users without MFA",
    request: (e, p) =>
      p.user
        ? iamReq(e, p, "iam:ListUsers", "*", { "aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": undefined })
        : undefined,
  },
  {
    id: "own_access_keys",
    label: "Create own access key",
    request: (e, p) => (p.user ? iamReq(e, p, "iam:CreateAccessKey", `arn:aws:iam::${e.accountId}:user/${p.user}`) : undefined),
  },
  {
    id: "other_user_keys",
    label: "Create another user's access key",
    request: (e, p) => iamReq(e, p, "iam:CreateAccessKey", `arn:aws:iam::${e.accountId}:user/someone-else`),
  },
  {
    id: "assume_prod_role",
    label: "Assume own prod role (MFA)",
    request: (e, p) => {
      if (!e.roleName || !p.user || !p.persona) return undefined;
      const name = e.roleName("prod", p.persona);
      const role = e.model.roles.get(name);
      if (!role) return undefined;
      return {
        req: { principal: p.arn, action: "sts:AssumeRole", resource: `arn:aws:iam::${e.accountId}:role/${name}`, context: ctx(e, p) },
        resource: role.trust,
        layer: "trust" as const,
      };
    },
  },
  {
    id: "delete_prod_database",
    label: "Delete prod database (tagged environment=prod)",
    request: (e, p) =>
      e.roleName
        ? {
            req: {
              principal: p.arn,
              action: "rds:DeleteDBInstance",
              resource: `arn:aws:rds:${e.region}:${e.accountId}:db:orders-prod`,
              context: ctx(e, p, { "aws:ResourceTag/environment": "prod" }),
            },
          }
        : undefined,
  },
  {
    id: "stop_cloudtrail",
    label: "Stop CloudTrail",
    request: (e, p) => ({
      req: {
        principal: p.arn,
        action: "cloudtrail:StopLogging",
        resource: `arn:aws:cloudtrail:${e.region}:${e.accountId}:trail/org-trail`,
        context: ctx(e, p),
      },
    }),
  },
  { id: "leave_organization", label: "Leave the organization", request: (e, p) => iamReq(e, p, "organizations:LeaveOrganization", "*") },
];

function layerOf(d: Awaited<ReturnType<typeof decide>>, resourceLayer: "bucket" | "trust"): Layer {
  if (d.allowed) throw new Error("not denied");
  switch (d.deniedBy) {
    case "identity":
      return /Mfa|MFA/.test(d.detail ?? "") ? "MFA" : "identity";
    case "resource":
      return resourceLayer;
    case "access-point":
      return "access point";
    case "scp":
      return "SCP";
    default:
      return "no allow";
  }
}

export interface Matrix {
  example: string;
  capabilities: { id: string; label: string }[];
  rows: { principal: string; cells: Record<string, Cell | "n/a"> }[];
}

export async function computeMatrix(example: string, env: ExampleEnv, principals: Principal[]): Promise<Matrix> {
  const caps = CAPABILITIES.filter((c) => principals.some((p) => c.request(env, p) !== undefined));
  const rows: Matrix["rows"] = [];
  for (const p of principals) {
    const cells: Record<string, Cell | "n/a"> = {};
    for (const c of caps) {
      const r = c.request(env, p);
      if (!r) {
        cells[c.id] = "n/a";
        continue;
      }
      const layers: SimLayers = {
        identity: p.identity,
        resource: r.resource,
        accessPoint: r.accessPoint,
        scps: env.scps.length ? env.scps : undefined,
      };
      const d = await decide(layers, r.req);
      cells[c.id] = d.allowed ? "Allowed" : `Denied (${layerOf(d, r.layer ?? "bucket")})`;
    }
    rows.push({ principal: p.label, cells });
  }
  return { example, capabilities: caps.map(({ id, label }) => ({ id, label })), rows };
}

/** Principals for the users of a plan: one row per user, with the union of its groups' policies. */
export function userPrincipals(env: ExampleEnv, personaOf: (user: string) => string | undefined): Principal[] {
  return [...env.model.users.keys()].sort().map((user) => {
    const { docs, missing } = documentsFor(env.model, userPolicyArns(env.model, user));
    const unresolved = missing.filter((a) => !a.startsWith("arn:aws:iam::aws:policy/"));
    if (unresolved.length) throw new Error(`user ${user}: attached policies not in the plan: ${unresolved.join(", ")}`);
    const persona = personaOf(user);
    return { label: `${persona ?? "?"} (user ${user})`, arn: `arn:aws:iam::${env.accountId}:user/${user}`, user, identity: docs, persona };
  });
}

/** Principals for environment roles: sessions of each planned role, with MFA. */
export function rolePrincipals(
  env: ExampleEnv,
  roles: string[],
  ownerOf: (role: string) => string | undefined = () => undefined,
): Principal[] {
  return roles.map((name) => {
    const role = env.model.roles.get(name);
    if (!role) throw new Error(`role ${name} is not in the plan`);
    const { docs, missing } = documentsFor(env.model, role.policyArns);
    if (missing.filter((a) => !a.startsWith("arn:aws:iam::aws:policy/")).length)
      throw new Error(`role ${name}: attached policies not in the plan: ${missing.join(", ")}`);
    const owner = ownerOf(name);
    return {
      label: `role ${name}`,
      arn: `arn:aws:sts::${env.accountId}:assumed-role/${name}/session`,
      identity: docs,
      ...(owner ? { owner } : {}),
    };
  });
}

export const ADMINISTRATOR_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
export { FULL_AWS_ACCESS };

/** Cells that differ between an expected and a computed matrix, as readable lines. */
export function diffMatrices(expected: Matrix, actual: Matrix): string[] {
  const out: string[] = [];
  const ids = new Set([...expected.capabilities.map((c) => c.id), ...actual.capabilities.map((c) => c.id)]);
  const principals = new Set([...expected.rows.map((r) => r.principal), ...actual.rows.map((r) => r.principal)]);
  for (const p of principals) {
    const e = expected.rows.find((r) => r.principal === p);
    const a = actual.rows.find((r) => r.principal === p);
    if (!e || !a) {
      out.push(`${p}: row ${e ? "removed" : "added"}`);
      continue;
    }
    for (const id of ids)
      if (e.cells[id] !== a.cells[id]) out.push(`${p} / ${id}: expected ${e.cells[id] ?? "(none)"}, got ${a.cells[id] ?? "(none)"}`);
  }
  return out;
}

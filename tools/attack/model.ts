/**
 * The attack model of one Terraform root, read from its plan JSON (`terraform show -json`):
 * every principal the modules create or admit, and the conservative stand-ins for what the
 * modules do not create but an attacker would use.
 *
 * Principals from the plan:
 *  - each IAM user, with the policies of its groups and its own (two nodes: signed in with MFA,
 *    and with access keys / a password only, no MFA);
 *  - each IAM role (environment roles, the OIDC deploy role, the support role, automation roles),
 *    as a session of that role.
 * Stand-ins (never in the plan):
 *  - "a workload role with admin rights": what runs behind every compute resource an attacker can
 *    pass a role to or change the code of;
 *  - "a workload role bounded by <boundary>": behind iam:PassRole on the workload role prefix, when
 *    the plan holds a `*-workload-boundary` policy and every module principal carries the
 *    statements that enforce it (WORKLOAD_BOUNDARY_GUARD_SIDS): AdministratorAccess within that
 *    boundary;
 *  - "a role that trusts the account root without MFA" (CDK bootstrap roles and the like), admin;
 *  - "the Terraform state": an object in a bucket the modules do not protect, holding the initial
 *    console password of every user whose `aws_iam_user_login_profile` is planned without a
 *    `pgp_key` (a user without a login profile has no password in the state);
 *  - "an IAM role the attacker creates with any name", where iam:CreateRole is reachable;
 *  - under SCPs: "a member-account admin (non-exempt) with AdministratorAccess".
 */
import { planResources } from "../offline-terraform";
import { extractAccessModel, type AccessModel } from "../access/extract";
import type { PolicyDocument, Statement } from "../../lib/policy/types";
import { asArray } from "../../lib/policy/types";

export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
export const FULL_AWS_ACCESS = ADMINISTRATOR_ACCESS;

/** AWS-managed policies the modules attach, by name (others are treated as AdministratorAccess, with a warning). */
const AWS_MANAGED: Record<string, PolicyDocument> = {
  AdministratorAccess: ADMINISTRATOR_ACCESS,
  AWSSupportAccess: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "support:*", Resource: "*" }] },
};

export type NodeKind = "user" | "role" | "stand-in" | "terminal";

/** A principal (or stand-in, or goal) of the escalation graph. */
export interface Node {
  id: string;
  label: string;
  kind: NodeKind;
  /** The ARN requests are made as (a user ARN or an assumed-role session ARN). */
  arn: string;
  /** aws:PrincipalArn (the role ARN for a role session). */
  principalArn: string;
  username?: string;
  identity: PolicyDocument[];
  boundary?: PolicyDocument;
  /** Whether requests carry MFA. */
  mfa: boolean;
  /** Admin by design (admin persona, admin role, break-glass, admin stand-ins): the goal, not an attacker. */
  admin: boolean;
  /** Exempt from the SCPs (break-glass and listed automation). */
  exempt: boolean;
  account: string;
  /** SCP levels above the account (root first). */
  scps: PolicyDocument[][];
  rcps: PolicyDocument[][];
  /** An administrator of its own account (the org stand-in): escalation inside it is not a finding. */
  accountAdmin?: boolean;
  /** Module principals (users, roles) are subject to the invariants; stand-ins only where stated. */
  modulePrincipal: boolean;
  /** Role trust (for sts:AssumeRole edges). */
  trust?: PolicyDocument;
  /** Tags of the principal (aws:PrincipalTag/<key> in its requests). */
  principalTags?: Record<string, string>;
}

export interface AttackModelOptions {
  /** The account of the plan's principals (default: the most frequent account in the plan's ARNs). */
  accountId?: string;
  /** SCP levels the account sits under, root first (default: none, or the plan's own SCPs for an org-only plan). */
  scps?: PolicyDocument[][];
  rcps?: PolicyDocument[][];
  /** A Region the policies allow (default ap-southeast-2) and one no policy should (default sa-east-1). */
  region?: string;
  otherRegion?: string;
  /** Buckets holding Terraform state (default: a bucket the modules do not protect). */
  stateBuckets?: string[];
  /** Admin by design: group or role names matching this (default: names ending in "-admin", break-glass). */
  adminPattern?: RegExp;
  /** Whether the account runs production (default: a role of an environment named prod/production exists). */
  production?: boolean;
  /** The member account of the org stand-in admin (default 444455556666). */
  memberAccountId?: string;
}

export interface AttackModel {
  accountId: string;
  region: string;
  otherRegion: string;
  production: boolean;
  access: AccessModel;
  nodes: Node[];
  /** Roles of the plan plus role stand-ins, by role ARN (assume-role targets). */
  roles: Node[];
  /** Users of the plan (MFA node and no-MFA node). */
  users: Array<{ name: string; mfa: Node; noMfa: Node; initialPasswordInState: string | undefined }>;
  /** SCP exemption patterns (aws:PrincipalArn ArnNotLike values). */
  exemptions: string[];
  stateObjects: Array<{ bucket: string; arn: string; policy?: PolicyDocument }>;
  /** Buckets of the plan with their policies (lake, logs, trail). */
  buckets: Array<{ name: string; policy?: PolicyDocument; kmsKeyArn?: string }>;
  trailBuckets: string[];
  /** Lockdown policy documents found in the plan (by name), if the root switches it on. */
  lockdown: PolicyDocument[];
  /** Whether the lockdown is delivered only as inline policies of the module's own groups and roles. */
  lockdownInline: boolean;
  warnings: string[];
  scpDocs: PolicyDocument[];
  /**
   * The workload permissions boundary, when the plan holds it and every module principal carries
   * the statements that enforce it: roles on `rolePrefix` are then bounded by it.
   */
  workloadBoundary?: { name: string; arn: string; rolePrefix: string; document: PolicyDocument };
}

/** The tag that marks production resources (and production workload roles) in the model. */
export const PRODUCTION_TAG = { key: "environment", value: "prod" } as const;
export const WORKLOAD_BOUNDED_PRODUCTION = "stand-in:workload-bounded-production";

/** The Sids of the statements that enforce the workload boundary on every module principal. */
export const WORKLOAD_BOUNDARY_GUARD_SIDS = [
  "DenyWorkloadRoleWithoutBoundary",
  "DenyWorkloadBoundaryRemoval",
  "DenyWorkloadBoundaryEdit",
] as const;

/**
 * The workload role prefix a principal's identity enforces the given boundary on, or undefined:
 * it must deny iam:CreateRole and iam:PutRolePermissionsBoundary on `role/<prefix>*` unless
 * iam:PermissionsBoundary is the boundary's ARN, deny iam:DeleteRolePermissionsBoundary on the
 * same roles, and deny edits of the boundary policy (Sids of {@link WORKLOAD_BOUNDARY_GUARD_SIDS}).
 */
export function enforcedWorkloadPrefix(identity: PolicyDocument[], boundaryArn: string): string | undefined {
  const statements = identity.flatMap((d) => d.Statement ?? []).filter((st) => st.Effect === "Deny");
  const bySid = (sid: string) => statements.filter((st) => st.Sid === sid);
  const actions = (st: Statement) => asArray(st.Action ?? []).map((a) => String(a).toLowerCase());
  const resources = (st: Statement) => asArray(st.Resource ?? []).map(String);
  const prefixes = new Set<string>();
  for (const st of bySid("DenyWorkloadRoleWithoutBoundary")) {
    const a = actions(st);
    if (!a.includes("iam:createrole") || !a.includes("iam:putrolepermissionsboundary")) continue;
    const cond = st.Condition?.StringNotEquals?.["iam:PermissionsBoundary"] ?? st.Condition?.ArnNotEquals?.["iam:PermissionsBoundary"];
    if (!asArray((cond ?? []) as string | string[]).includes(boundaryArn)) continue;
    for (const r of resources(st)) {
      const m = /^arn:aws[a-z-]*:iam::[^:]*:role\/(.*)\*$/.exec(r);
      if (m) prefixes.add(m[1]);
    }
  }
  for (const prefix of prefixes) {
    const removal = bySid("DenyWorkloadBoundaryRemoval").some(
      (st) => actions(st).includes("iam:deleterolepermissionsboundary") && resources(st).some((r) => r.endsWith(`:role/${prefix}*`)),
    );
    const edit = bySid("DenyWorkloadBoundaryEdit").some(
      (st) =>
        ["iam:createpolicyversion", "iam:setdefaultpolicyversion", "iam:deletepolicy"].every((a) => actions(st).includes(a)) &&
        resources(st).includes(boundaryArn),
    );
    if (removal && edit) return prefix;
  }
  return undefined;
}

const ACCOUNT_RE = /arn:aws:(?:iam|sts)::(\d{12}):/g;

function inferAccount(plan: any): string | undefined {
  const counts = new Map<string, number>();
  const text = JSON.stringify(plan?.planned_values ?? {});
  for (const m of text.matchAll(ACCOUNT_RE)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function parsePolicy(json: unknown, where: string): PolicyDocument {
  if (typeof json !== "string") throw new Error(`attack model: ${where}: policy is not known at plan time`);
  return JSON.parse(json);
}

/** aws:PrincipalArn exemption patterns of SCP deny statements. */
export function exemptionPatterns(scps: PolicyDocument[]): string[] {
  const out = new Set<string>();
  for (const d of scps) {
    for (const st of d.Statement ?? []) {
      if (st.Effect !== "Deny" || !st.Condition) continue;
      for (const [op, block] of Object.entries(st.Condition)) {
        if (!/^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals)(IfExists)?$/.test(op)) continue;
        for (const [key, v] of Object.entries(block)) {
          if (key.toLowerCase() !== "aws:principalarn") continue;
          for (const p of asArray(v as string | string[])) out.add(String(p));
        }
      }
    }
  }
  return [...out].sort();
}

/** Terraform-state buckets named in the root configuration (inputs whose name mentions state, or protected buckets). */
function configuredStateBuckets(plan: any): string[] {
  const out = new Set<string>();
  const visit = (name: string, value: unknown) => {
    if (!/state|protected.*bucket/i.test(name)) return;
    for (const v of asArray(value as string | string[])) {
      if (typeof v !== "string") continue;
      const m = /^(?:arn:aws:s3:::)?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/.*)?$/.exec(v);
      if (m) out.add(m[1]);
    }
  };
  for (const [name, v] of Object.entries(plan?.variables ?? {})) visit(name, (v as any)?.value);
  const calls = plan?.configuration?.root_module?.module_calls ?? {};
  for (const call of Object.values(calls) as any[]) {
    for (const [name, e] of Object.entries(call?.expressions ?? {})) visit(name, (e as any)?.constant_value);
  }
  return [...out].sort();
}

export function buildModel(plan: any, opts: AttackModelOptions = {}): AttackModel {
  const accountId = opts.accountId ?? inferAccount(plan) ?? opts.memberAccountId ?? "444455556666";
  const region = opts.region ?? "ap-southeast-2";
  const otherRegion = opts.otherRegion ?? "sa-east-1";
  const adminRe = opts.adminPattern ?? /(^|[-_])admin$|break-?glass/i;
  const access = extractAccessModel(plan, accountId);
  const warnings: string[] = [];

  // What extractAccessModel does not read: inline and user policies, boundaries, login profiles, trails, RCPs.
  const userPolicies = new Map<string, PolicyDocument[]>();
  const userPolicyArns = new Map<string, string[]>();
  const groupInline = new Map<string, PolicyDocument[]>();
  const roleInline = new Map<string, PolicyDocument[]>();
  const boundaries = new Map<string, string>();
  const loginProfiles = new Map<string, { pgp: boolean }>();
  const trailBuckets: string[] = [];
  const rcpDocs: PolicyDocument[] = [];
  const lockdown: PolicyDocument[] = [];
  let lockdownManaged = false;
  const bucketKms = new Map<string, string>();
  const boundaryPolicies: Array<{ name: string; arn: string }> = [];
  const push = <V>(m: Map<string, V[]>, k: string, v: V) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const r of planResources(plan)) {
    if (r.mode !== "managed") continue;
    const v = r.values ?? {};
    switch (r.type) {
      case "aws_iam_user_policy":
        push(userPolicies, v.user, parsePolicy(v.policy, r.address));
        break;
      case "aws_iam_user_policy_attachment":
        push(userPolicyArns, v.user, v.policy_arn);
        break;
      case "aws_iam_group_policy":
        push(groupInline, v.group, parsePolicy(v.policy, r.address));
        // The module's lockdown is an inline policy of every group and role.
        if (/lockdown/i.test(v.name ?? "")) lockdown.push(parsePolicy(v.policy, r.address));
        break;
      case "aws_iam_role_policy":
        push(roleInline, v.role, parsePolicy(v.policy, r.address));
        if (/lockdown/i.test(v.name ?? "")) lockdown.push(parsePolicy(v.policy, r.address));
        break;
      case "aws_iam_role":
        if (v.permissions_boundary) boundaries.set(`role/${v.name}`, v.permissions_boundary);
        if (Array.isArray(v.inline_policy))
          for (const p of v.inline_policy) if (p?.policy) push(roleInline, v.name, parsePolicy(p.policy, r.address));
        break;
      case "aws_iam_user":
        if (v.permissions_boundary) boundaries.set(`user/${v.name}`, v.permissions_boundary);
        break;
      case "aws_iam_user_login_profile":
        loginProfiles.set(v.user, { pgp: typeof v.pgp_key === "string" && v.pgp_key.length > 0 });
        break;
      case "aws_cloudtrail":
        if (typeof v.s3_bucket_name === "string") trailBuckets.push(v.s3_bucket_name);
        break;
      case "aws_organizations_policy":
        if (v.type === "RESOURCE_CONTROL_POLICY") rcpDocs.push(parsePolicy(v.content, r.address));
        break;
      case "aws_iam_policy":
        if (/lockdown/i.test(v.name ?? "")) {
          lockdown.push(parsePolicy(v.policy, r.address));
          lockdownManaged = true;
        }
        if (/-workload-boundary$/.test(v.name ?? ""))
          boundaryPolicies.push({ name: v.name, arn: `arn:aws:iam::${accountId}:policy${v.path ?? "/"}${v.name}` });
        break;
      case "aws_s3_bucket_server_side_encryption_configuration": {
        const key = v.rule?.[0]?.apply_server_side_encryption_by_default?.[0]?.kms_master_key_id;
        if (typeof key === "string") bucketKms.set(v.bucket, key);
        break;
      }
    }
  }

  const resolve = (arns: string[], who: string): PolicyDocument[] => {
    const docs: PolicyDocument[] = [];
    for (const arn of arns) {
      const d = access.policies.get(arn);
      if (d) {
        docs.push(d);
        continue;
      }
      const m = /^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn ?? "");
      if (m && AWS_MANAGED[m[1]]) {
        docs.push(AWS_MANAGED[m[1]]);
        continue;
      }
      warnings.push(`${who}: policy ${arn} is not in the plan; treated as AdministratorAccess (conservative)`);
      docs.push(ADMINISTRATOR_ACCESS);
    }
    return docs;
  };
  const boundaryDoc = (key: string): PolicyDocument | undefined => {
    const arn = boundaries.get(key);
    return arn ? resolve([arn], `${key} boundary`)[0] : undefined;
  };

  const planScps = [...access.scps.values()].map((s) => s.document);
  const principalsInPlan = access.users.size + access.roles.size > 0;
  const scps = opts.scps ?? (planScps.length && !principalsInPlan ? [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, ...planScps]] : []);
  const rcps = opts.rcps ?? (rcpDocs.length && !principalsInPlan ? [[], rcpDocs] : []);
  const exemptions = exemptionPatterns([...planScps, ...scps.flat()]);
  const isExempt = (principalArn: string) =>
    exemptions.some((p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ).test(principalArn),
    );

  const production =
    opts.production ?? [...access.roles.keys()].some((r) => /(^|-)(prod|production)(-|$)/i.test(r) && !/github|deploy/i.test(r));

  const nodes: Node[] = [];
  const roles: Node[] = [];
  const base = { account: accountId, scps, rcps };

  // Users: through their groups, plus their own policies.
  const users: AttackModel["users"] = [];
  const allUsers = new Set<string>([...access.users.keys(), ...loginProfiles.keys()]);
  for (const r of planResources(plan)) if (r.mode === "managed" && r.type === "aws_iam_user") allUsers.add(r.values?.name);
  for (const name of [...allUsers].filter(Boolean).sort()) {
    const groups = access.users.get(name) ?? [];
    const groupDocs = groups.flatMap((g) => [...resolve(access.groups.get(g) ?? [], `group ${g}`), ...(groupInline.get(g) ?? [])]);
    const identity = [...groupDocs, ...resolve(userPolicyArns.get(name) ?? [], `user ${name}`), ...(userPolicies.get(name) ?? [])];
    const arn = `arn:aws:iam::${accountId}:user/${name}`;
    const admin = groups.some((g) => adminRe.test(g)) || adminRe.test(name);
    const common = {
      kind: "user" as const,
      arn,
      principalArn: arn,
      username: name,
      identity,
      boundary: boundaryDoc(`user/${name}`),
      admin,
      exempt: isExempt(arn),
      modulePrincipal: true,
      ...base,
    };
    const mfa: Node = {
      ...common,
      id: `user:${name}`,
      label: `user ${name} (${groups.join(", ") || "no group"}), signed in with MFA`,
      mfa: true,
    };
    const noMfa: Node = {
      ...common,
      // Without MFA an admin user is not (yet) admin: the closure must show how it gets MFA.
      admin: false,
      id: `user:${name}:no-mfa`,
      label: `user ${name} with a password or access keys, no MFA`,
      mfa: false,
    };
    // A console password is in the state only where this plan creates a login profile without a
    // pgp_key; a user without a login profile has no password at all (the module refuses a
    // console user without pgp_key at plan time).
    const lp = loginProfiles.get(name);
    const initialPasswordInState = lp && !lp.pgp ? "its login profile has no pgp_key: the initial password is in the state" : undefined;
    users.push({ name, mfa, noMfa, initialPasswordInState });
    nodes.push(mfa, noMfa);
  }

  // Roles: a session of each.
  for (const [name, r] of [...access.roles.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const roleArn = `arn:aws:iam::${accountId}:role/${name}`;
    const trustText = JSON.stringify(r.trust);
    const node: Node = {
      id: `role:${name}`,
      label: `role ${name}`,
      kind: "role",
      arn: `arn:aws:sts::${accountId}:assumed-role/${name}/attacker`,
      principalArn: roleArn,
      identity: [...resolve(r.policyArns, `role ${name}`), ...(roleInline.get(name) ?? [])],
      boundary: boundaryDoc(`role/${name}`),
      mfa: /MultiFactorAuth/i.test(trustText),
      admin: adminRe.test(name),
      exempt: isExempt(roleArn),
      modulePrincipal: true,
      trust: r.trust,
      ...base,
    };
    nodes.push(node);
    roles.push(node);
  }

  // Stand-ins.
  const standIn = (id: string, label: string, roleName: string, extra: Partial<Node> = {}): Node => ({
    id,
    label,
    kind: "stand-in",
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/attacker`,
    principalArn: `arn:aws:iam::${accountId}:role/${roleName}`,
    identity: [ADMINISTRATOR_ACCESS],
    mfa: false,
    admin: true,
    exempt: false,
    modulePrincipal: false,
    ...base,
    ...extra,
  });
  const workload = standIn(
    "stand-in:workload-admin",
    "a workload role with admin rights (behind compute it can pass a role to or change)",
    "workload-admin",
  );
  // A bounded workload role: the plan holds the workload boundary and every module principal
  // (user, through its groups, and role) carries the statements that enforce it on one prefix.
  const modulePrincipals = nodes.filter((n) => n.kind === "user" || n.kind === "role");
  let workloadBoundary: AttackModel["workloadBoundary"];
  for (const b of boundaryPolicies) {
    const prefixes = new Set(modulePrincipals.map((n) => enforcedWorkloadPrefix(n.identity, b.arn)));
    const [prefix] = [...prefixes];
    if (modulePrincipals.length === 0 || prefixes.size !== 1 || prefix === undefined) continue;
    const document = access.policies.get(b.arn);
    if (!document) continue;
    workloadBoundary = { name: b.name, arn: b.arn, rolePrefix: prefix, document };
    break;
  }
  if (workloadBoundary) {
    nodes.push(
      standIn(
        "stand-in:workload-bounded",
        `a workload role bounded by ${workloadBoundary.name} (behind compute it can pass a role on ${workloadBoundary.rolePrefix}* to)`,
        `${workloadBoundary.rolePrefix}attacker`,
        { boundary: workloadBoundary.document, admin: false },
      ),
    );
    // In a production account, a workload role may carry the production environment tag: the
    // closure follows it only where a principal may pass a role tagged so.
    if (production)
      nodes.push(
        standIn(
          WORKLOAD_BOUNDED_PRODUCTION,
          `a workload role tagged ${PRODUCTION_TAG.key}=${PRODUCTION_TAG.value} bounded by ${workloadBoundary.name} (behind compute it can pass such a role on ${workloadBoundary.rolePrefix}* to)`,
          `${workloadBoundary.rolePrefix}prod-attacker`,
          { boundary: workloadBoundary.document, admin: false, principalTags: { [PRODUCTION_TAG.key]: PRODUCTION_TAG.value } },
        ),
      );
  }
  const rootTrust = standIn(
    "stand-in:root-trust-role",
    "a role that trusts the account root without MFA (CDK bootstrap and the like)",
    "cdk-exec-role",
    {
      trust: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "sts:AssumeRole" }],
      },
    },
  );
  nodes.push(workload, rootTrust);
  roles.push(rootTrust);

  if (scps.length > 0 && !principalsInPlan) {
    const member = opts.memberAccountId ?? "444455556666";
    nodes.push({
      id: "stand-in:member-admin",
      label: "a member-account admin (non-exempt) with AdministratorAccess under the SCPs",
      kind: "stand-in",
      arn: `arn:aws:sts::${member}:assumed-role/WorkloadAdmin/attacker`,
      principalArn: `arn:aws:iam::${member}:role/WorkloadAdmin`,
      identity: [ADMINISTRATOR_ACCESS],
      mfa: true,
      admin: false,
      accountAdmin: true,
      exempt: false,
      modulePrincipal: true,
      account: member,
      scps,
      rcps,
    });
  }

  // The Terraform state: in the configured state buckets, else in a bucket the modules do not protect.
  const stateBucketNames = opts.stateBuckets ?? configuredStateBuckets(plan);
  const stateObjects = (stateBucketNames.length ? stateBucketNames : [`terraform-state-${accountId}`]).map((bucket) => ({
    bucket,
    arn: `arn:aws:s3:::${bucket}/terraform.tfstate`,
    policy: access.bucketPolicies.get(bucket),
  }));

  const buckets = [...access.buckets.keys()]
    .sort()
    .map((name) => ({ name, policy: access.bucketPolicies.get(name), kmsKeyArn: bucketKms.get(name) }));

  return {
    accountId,
    region,
    otherRegion,
    production,
    access,
    nodes,
    roles,
    users,
    exemptions,
    stateObjects,
    buckets,
    trailBuckets,
    lockdown,
    lockdownInline: lockdown.length > 0 && !lockdownManaged,
    warnings,
    scpDocs: planScps,
    ...(workloadBoundary ? { workloadBoundary } : {}),
  };
}

/** Every statement of a node's policy layers (identity, boundary, SCPs, RCPs), for the sweep's signatures. */
export function layerStatements(n: Node): Statement[] {
  return [
    ...n.identity.flatMap((d) => d.Statement ?? []),
    ...(n.boundary?.Statement ?? []),
    ...n.scps.flat().flatMap((d) => d.Statement ?? []),
    ...n.rcps.flat().flatMap((d) => d.Statement ?? []),
  ];
}

/**
 * The account of each root module call, for a root that puts module instances in several
 * accounts: the call's `account_id` input, a constant or a root variable (`var.x`, its planned
 * value). Calls without an `account_id` are left out. Accounts in first-call order.
 */
export function moduleAccounts(plan: any): Array<{ accountId: string; modules: string[] }> {
  const out: Array<{ accountId: string; modules: string[] }> = [];
  const calls = plan?.configuration?.root_module?.module_calls ?? {};
  for (const [call, c] of Object.entries(calls) as Array<[string, any]>) {
    const e = c?.expressions?.account_id;
    if (!e) continue;
    const ref = (e.references ?? []).find((r: string) => /^var\.[A-Za-z0-9_-]+$/.test(r));
    const value = e.constant_value ?? (ref ? plan?.variables?.[ref.slice(4)]?.value : undefined);
    if (typeof value !== "string" || !/^\d{12}$/.test(value))
      throw new Error(
        `attack model: module.${call}: account_id is not a 12-digit account known at plan time (got ${JSON.stringify(value ?? e)})`,
      );
    const a = out.find((x) => x.accountId === value);
    if (a) a.modules.push(call);
    else out.push({ accountId: value, modules: [call] });
  }
  return out;
}

/** The plan with only the resources of the given root module calls (planned values; the configuration is kept). */
export function planOfModules(plan: any, modules: string[]): any {
  const root = plan?.planned_values?.root_module ?? {};
  const children = (root.child_modules ?? []).filter((c: any) =>
    modules.some((m) => c.address === `module.${m}` || c.address?.startsWith(`module.${m}[`)),
  );
  return { ...plan, planned_values: { ...plan.planned_values, root_module: { ...root, resources: [], child_modules: children } } };
}

/**
 * The escalation closure: edges from principal to principal for the known escalation primitives,
 * each decided by the IAM simulator on the plan's policies, then a breadth-first walk from every
 * attacker's starting point until nothing new is reachable.
 *
 * Edges (A -> B, "A can become or act as B"):
 *  - assume role: sts:AssumeRole allowed by A's identity layers and by B's trust policy (designed
 *    when B's trust names A's ARN explicitly: followed, not reported as role chaining);
 *  - pass a role to compute: iam:PassRole on an arbitrary role name plus a compute create or
 *    update (Lambda, EC2 run / instance profile, ECS task, Glue job / dev endpoint, SageMaker
 *    notebook, CloudFormation stack, CodeBuild project) -> "a workload role with admin rights";
 *    where the plan enforces a workload boundary on the workload prefix, a role on that prefix
 *    -> "a workload role bounded by <boundary>" (its reach is then swept and followed);
 *  - change what runs with a role, without passing one: Lambda code or configuration, ECS exec or
 *    a task with overrides, EC2 user data, SSM commands and sessions, a SageMaker presigned
 *    notebook URL, Glue dev endpoint or job updates, CloudFormation stack updates (the stack's
 *    service role), CodeBuild builds with overrides -> "a workload role with admin rights";
 *  - act as another user: iam:CreateAccessKey / CreateLoginProfile / UpdateLoginProfile on it
 *    (and EnableMFADevice for its MFA), or enrol an MFA device for oneself without MFA;
 *  - edit a policy: attach / put on a user, group or role, a new or default policy version,
 *    a trust policy, group membership -> "IAM permissions management" (admin rights);
 *  - create a role with any name (iam:CreateRole) -> "an IAM role the attacker creates"; with a
 *    name an SCP exempts (or editing an exempt role) -> "an SCP exemption";
 *  - read a Terraform state object (s3:GetObject) -> "the Terraform state" -> each user whose
 *    initial password it holds, when that user may change its password without MFA.
 */
import { catalogAction, rawCatalogAction, representativeArn, resourceTypeArn } from "./catalog";
import { PRODUCTION_TAG, WORKLOAD_BOUNDED_PRODUCTION, type AttackModel, type Node } from "./model";
import { actionBit, allows, contextOf } from "./sweep";

export interface Edge {
  from: string;
  to: string;
  /** What the attacker does, e.g. "sts:AssumeRole on arn:aws:iam::1:role/x". */
  how: string;
  /**
   * A designed edge: an sts:AssumeRole into a role whose trust policy names the source
   * principal's ARN explicitly (not the account root, not a wildcard). It is followed (what the
   * target reaches still counts) but is not itself reported as role chaining.
   */
  designed?: boolean;
}

/**
 * Whether a trust policy names exactly this principal ARN for sts:AssumeRole: in Principal.AWS,
 * or (with the account root as Principal) in an ArnEquals / StringEquals condition on
 * aws:PrincipalArn. No wildcard counts, and the root alone (any principal its policies allow)
 * does not.
 */
export function trustNamesPrincipal(trust: any, principalArn: string): boolean {
  return (trust?.Statement ?? []).some((st: any) => {
    if (st.Effect !== "Allow" || st.NotPrincipal !== undefined) return false;
    const actions = [st.Action ?? []].flat().map((a: string) => String(a).toLowerCase());
    if (!actions.includes("sts:assumerole")) return false;
    const aws: string[] = st.Principal && typeof st.Principal === "object" ? [st.Principal.AWS ?? []].flat().map(String) : [];
    if (aws.includes(principalArn)) return true;
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      if (!/^(ArnEquals|StringEquals)$/.test(op)) continue;
      for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
        if (key.toLowerCase() !== "aws:principalarn") continue;
        const values = [v].flat().map(String);
        if (values.includes(principalArn) && values.every((x) => !/[*?]/.test(x))) return true;
      }
    }
    return false;
  });
}

export const TERMINALS = {
  admin: "goal:iam-permissions-management",
  state: "stand-in:terraform-state",
  attackerRole: "stand-in:attacker-role",
  exemption: "goal:scp-exemption",
} as const;

/** Compute creates that run with a passed role, and the service the role is passed to. */
const PASS_ROLE_COMPUTE: Array<[string, string]> = [
  ["lambda:CreateFunction", "lambda.amazonaws.com"],
  ["lambda:UpdateFunctionConfiguration", "lambda.amazonaws.com"],
  ["ec2:RunInstances", "ec2.amazonaws.com"],
  ["ec2:AssociateIamInstanceProfile", "ec2.amazonaws.com"],
  ["ec2:ReplaceIamInstanceProfileAssociation", "ec2.amazonaws.com"],
  ["ecs:RunTask", "ecs-tasks.amazonaws.com"],
  ["ecs:RegisterTaskDefinition", "ecs-tasks.amazonaws.com"],
  ["glue:CreateJob", "glue.amazonaws.com"],
  ["glue:CreateDevEndpoint", "glue.amazonaws.com"],
  ["glue:CreateSession", "glue.amazonaws.com"],
  ["sagemaker:CreateNotebookInstance", "sagemaker.amazonaws.com"],
  ["sagemaker:CreateTrainingJob", "sagemaker.amazonaws.com"],
  ["cloudformation:CreateStack", "cloudformation.amazonaws.com"],
  ["codebuild:CreateProject", "codebuild.amazonaws.com"],
];

/** Changes to what already runs with a role: no iam:PassRole needed. */
const CODE_UPDATES: string[] = [
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "ecs:ExecuteCommand",
  "ecs:RunTask",
  "ecs:StartTask",
  "ec2:ModifyInstanceAttribute",
  "ssm:SendCommand",
  "ssm:StartSession",
  "sagemaker:CreatePresignedNotebookInstanceUrl",
  "glue:UpdateDevEndpoint",
  "glue:UpdateJob",
  "cloudformation:UpdateStack",
  "cloudformation:CreateChangeSet",
  "codebuild:StartBuild",
];

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/** A concrete ARN an exemption pattern matches, in the given account (`arn:aws:iam::*:role/BreakGlass*`). */
export function exemptArnFor(pattern: string, account: string): string | undefined {
  const parts = pattern.split(":");
  if (parts.length < 6 || parts[2] !== "iam") return undefined;
  if (parts[4] !== "*" && parts[4] !== account && !/[*?]/.test(parts[4])) return undefined;
  parts[4] = account;
  return parts.join(":").replace(/\*/g, "x").replace(/\?/g, "x");
}

export function matchesExemption(arn: string, patterns: string[]): boolean {
  return patterns.some((p) => new RegExp(`^${escapeRe(p).replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(arn));
}

/** Whether a node can do an action on a resource, in the allowed Region or (IAM, STS) us-east-1. */
async function can(
  m: AttackModel,
  n: Node,
  action: string,
  resource: string,
  opts: { policy?: any; extra?: Record<string, string | undefined>; resourceAccount?: string } = {},
) {
  const regions = /^(iam|sts|organizations):/i.test(action) ? ["us-east-1", m.region] : [m.region];
  for (const region of regions) {
    if (await allows(n, action, resource, contextOf(n, region, opts.extra ?? {}), opts.policy, opts.resourceAccount ?? n.account))
      return true;
  }
  return false;
}

function rep(action: string, m: AttackModel, n: Node, name = "workload"): string {
  const a = catalogAction(action);
  if (!a) throw new Error(`attack closure: ${action} is not in the IAM catalog`);
  return representativeArn(a, m.region, n.account, name);
}

/**
 * The compute a code update acts on, where the catalog's required resource types do not name it:
 * ssm:SendCommand requires only the document but runs on the instance it targets, and
 * ssm:StartSession (no required type) opens a shell on an instance.
 */
const COMPUTE_TARGET_TYPES: Record<string, string[]> = {
  "ssm:SendCommand": ["instance"],
  "ssm:StartSession": ["instance"],
};

/**
 * Foreign representatives of every resource a code update is authorized against: each resource
 * type the catalog marks required (AWS authorizes the request against all of them, e.g.
 * ecs:ExecuteCommand against the cluster and the task), plus the compute it runs on where that
 * type is optional. Names are "workload", no tags: compute the principal does not own.
 */
export function computeTargets(action: string, m: AttackModel, n: Node, name = "workload"): string[] {
  const raw = rawCatalogAction(action);
  const types = [...new Set([...raw.resourceTypes.filter((r) => r.required).map((r) => r.name), ...(COMPUTE_TARGET_TYPES[action] ?? [])])];
  if (!types.length) return [rep(action, m, n, name)];
  return types.map((t) => resourceTypeArn(action.split(":")[0], t, m.region, n.account, name));
}

/** Every edge out of a node (none out of admin nodes: they are goals). */
export async function edgesFrom(m: AttackModel, n: Node): Promise<Edge[]> {
  if (n.admin) return [];
  const out: Edge[] = [];
  const acct = n.account;
  const iamArn = (kind: string, name: string) => `arn:aws:iam::${acct}:${kind}/${name}`;

  // Assume a role.
  for (const r of m.roles) {
    if (r.id === n.id || !r.trust || r.account !== acct) continue;
    if (await can(m, n, "sts:AssumeRole", r.principalArn, { policy: r.trust })) {
      const designed = trustNamesPrincipal(r.trust, n.principalArn);
      out.push({
        from: n.id,
        to: r.id,
        how: `sts:AssumeRole on ${r.principalArn}${designed ? " (its trust names this principal's ARN: a designed edge)" : ""}`,
        ...(designed ? { designed } : {}),
      });
    }
  }

  // Pass a role to compute: the roles probed are an arbitrary name and one concrete role for each
  // role pattern the node's identity allows iam:PassRole on. Without an enforced workload
  // boundary any passable role counts as an admin workload role; with one, a role on the
  // workload prefix is bounded by it, and only a role outside the prefix still counts as admin.
  const bounded = m.workloadBoundary;
  const names = new Set<string>(["workload-admin"]);
  for (const st of n.identity.flatMap((d) => d.Statement ?? [])) {
    if (st.Effect !== "Allow" || !actionBit(st, "iam:PassRole")) continue;
    for (const r of st.Resource === undefined ? [] : [st.Resource].flat()) {
      const mm = /^arn:aws[a-z-]*:iam::[^:]*:role\/(.+)$/.exec(String(r));
      if (mm) names.add(mm[1].replace(/\*/g, "attacker").replace(/\?/g, "x"));
    }
  }
  if (bounded) names.add(`${bounded.rolePrefix}attacker`);
  const targetOf = (name: string) =>
    bounded && name.startsWith(bounded.rolePrefix) ? "stand-in:workload-bounded" : "stand-in:workload-admin";
  const candidates = [...names].sort(
    (a, b) => Number(targetOf(a) !== "stand-in:workload-admin") - Number(targetOf(b) !== "stand-in:workload-admin"),
  );
  for (const name of candidates) {
    const workloadRole = iamArn("role", name);
    let found = false;
    for (const [action, service] of PASS_ROLE_COMPUTE) {
      if (!(await can(m, n, action, rep(action, m, n)))) continue;
      if (await can(m, n, "iam:PassRole", workloadRole, { extra: { "iam:PassedToService": service } })) {
        out.push({ from: n.id, to: targetOf(name), how: `iam:PassRole on ${workloadRole} to ${service} + ${action}` });
        found = true;
        break;
      }
    }
    if (found) break;
  }
  // A bounded workload role tagged as production, where the account runs production.
  if (bounded && m.production) {
    const workloadRole = iamArn("role", `${bounded.rolePrefix}prod-attacker`);
    const tagged = { [`aws:ResourceTag/${PRODUCTION_TAG.key}`]: PRODUCTION_TAG.value };
    for (const [action, service] of PASS_ROLE_COMPUTE) {
      if (!(await can(m, n, action, rep(action, m, n)))) continue;
      if (await can(m, n, "iam:PassRole", workloadRole, { extra: { "iam:PassedToService": service, ...tagged } })) {
        out.push({
          from: n.id,
          to: WORKLOAD_BOUNDED_PRODUCTION,
          how: `iam:PassRole on ${workloadRole} (tagged ${PRODUCTION_TAG.key}=${PRODUCTION_TAG.value}) to ${service} + ${action}`,
        });
        break;
      }
    }
  }

  // Change what runs with a role: every resource the request is authorized against must allow it.
  for (const action of CODE_UPDATES) {
    const arns = computeTargets(action, m, n);
    let all = true;
    for (const arn of arns) if (!(await can(m, n, action, arn))) all = false;
    if (all) {
      out.push({
        from: n.id,
        to: "stand-in:workload-admin",
        how: `${action} on ${arns.join(" and ")} (a foreign workload that runs with a role)`,
      });
      break;
    }
  }

  // Act as another user; enrol MFA.
  for (const u of m.users) {
    const arn = iamArn("user", u.name);
    if (u.name === n.username) {
      if (!n.mfa) {
        const enrol =
          (await can(m, n, "iam:CreateVirtualMFADevice", iamArn("mfa", u.name))) && (await can(m, n, "iam:EnableMFADevice", arn));
        if (enrol) out.push({ from: n.id, to: u.mfa.id, how: `iam:CreateVirtualMFADevice + iam:EnableMFADevice on itself without MFA` });
      }
      continue;
    }
    for (const action of ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"]) {
      if (await can(m, n, action, arn)) {
        out.push({ from: n.id, to: u.noMfa.id, how: `${action} on ${arn}` });
        if (await can(m, n, "iam:EnableMFADevice", arn))
          out.push({ from: n.id, to: u.mfa.id, how: `${action} + iam:EnableMFADevice on ${arn}` });
        break;
      }
    }
  }

  // Edit a policy -> IAM permissions management.
  const groups = n.username ? (m.access.users.get(n.username) ?? []) : [];
  const roleName = n.kind === "role" ? n.principalArn.split("/").pop()! : undefined;
  const ownPolicies = [
    ...groups.flatMap((g) => m.access.groups.get(g) ?? []),
    ...(roleName ? (m.access.roles.get(roleName)?.policyArns ?? []) : []),
  ].filter((a) => a.startsWith(`arn:aws:iam::${acct}:`));
  const adminGroups = [...m.access.groups.keys()].filter((g) => /(^|[-_])admin$/i.test(g));
  const probes: Array<[string, string]> = [
    ...(n.username
      ? (["iam:AttachUserPolicy", "iam:PutUserPolicy"].map((a) => [a, iamArn("user", n.username!)]) as Array<[string, string]>)
      : []),
    ["iam:AttachUserPolicy", iamArn("user", "victim")],
    ["iam:PutUserPolicy", iamArn("user", "victim")],
    ...groups.flatMap((g) => ["iam:AttachGroupPolicy", "iam:PutGroupPolicy"].map((a) => [a, iamArn("group", g)] as [string, string])),
    ["iam:AttachGroupPolicy", iamArn("group", "victim")],
    ...(roleName
      ? (["iam:AttachRolePolicy", "iam:PutRolePolicy"].map((a) => [a, iamArn("role", roleName)]) as Array<[string, string]>)
      : []),
    ["iam:AttachRolePolicy", iamArn("role", "victim")],
    ["iam:PutRolePolicy", iamArn("role", "victim")],
    ["iam:UpdateAssumeRolePolicy", iamArn("role", "victim")],
    ...ownPolicies.flatMap((p) => ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"].map((a) => [a, p] as [string, string])),
    ["iam:CreatePolicyVersion", iamArn("policy", "victim")],
    ...(n.username ? adminGroups.map((g) => ["iam:AddUserToGroup", iamArn("group", g)] as [string, string]) : []),
    ["iam:AddUserToGroup", iamArn("group", "victim")],
    ...(n.boundary && roleName ? ([["iam:DeleteRolePermissionsBoundary", iamArn("role", roleName)]] as Array<[string, string]>) : []),
    ...(n.boundary && n.username ? ([["iam:DeleteUserPermissionsBoundary", iamArn("user", n.username)]] as Array<[string, string]>) : []),
  ];
  for (const [action, arn] of probes) {
    if (await can(m, n, action, arn)) {
      out.push({ from: n.id, to: TERMINALS.admin, how: `${action} on ${arn}` });
      break;
    }
  }

  // Create a role with any name; exemptions.
  if (await can(m, n, "iam:CreateRole", iamArn("role", "attacker-any-name"))) {
    out.push({ from: n.id, to: TERMINALS.attackerRole, how: `iam:CreateRole on ${iamArn("role", "attacker-any-name")}` });
  }
  if (!n.exempt) {
    for (const p of m.exemptions) {
      const arn = exemptArnFor(p, acct);
      if (!arn) continue;
      const kind = arn.split(":")[5].split("/")[0];
      const actions =
        kind === "role"
          ? ["iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy"]
          : kind === "user"
            ? ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy"]
            : [];
      for (const action of actions) {
        if (await can(m, n, action, arn)) {
          out.push({ from: n.id, to: `${TERMINALS.exemption}:${p}`, how: `${action} on ${arn} (matches the SCP exemption ${p})` });
          break;
        }
      }
    }
  }

  // Read the Terraform state.
  for (const s of m.stateObjects) {
    if (await can(m, n, "s3:GetObject", s.arn, { policy: s.policy, resourceAccount: m.accountId })) {
      out.push({ from: n.id, to: TERMINALS.state, how: `s3:GetObject on ${s.arn}` });
      break;
    }
  }
  return out;
}

/** Edges out of the Terraform state: sign in as each user whose initial password it holds. */
export async function stateEdges(m: AttackModel): Promise<Edge[]> {
  const out: Edge[] = [];
  for (const u of m.users) {
    if (!u.initialPasswordInState) continue;
    const arn = `arn:aws:iam::${u.noMfa.account}:user/${u.name}`;
    if (await can(m, u.noMfa, "iam:ChangePassword", arn)) {
      out.push({
        from: TERMINALS.state,
        to: u.noMfa.id,
        how: `initial console password of ${u.name} (${u.initialPasswordInState}); iam:ChangePassword without MFA`,
      });
    }
  }
  return out;
}

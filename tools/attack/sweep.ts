/**
 * The catalog sweep: for one principal, every action of the IAM catalog evaluated by the IAM
 * simulator (through `tools/simulate.ts`) against a representative resource of the
 * action, in an allowed Region, in a Region no policy should allow, with and without MFA, and in
 * a production account against resources tagged `environment=prod`, through every layer the plan
 * defines for it (identity, permissions boundary, SCPs, RCPs).
 *
 * Speed: ~17,000 actions times four contexts is too many simulations (~6 ms each). Actions are
 * first expanded statically: an action no Allow statement of the identity layer can match is
 * denied without simulation. The others are grouped into classes that every statement of every
 * layer treats alike (same Action/NotAction match, same Resource/NotResource match of the
 * representative ARN, same condition keys carried, same global-service Regions); the simulator
 * decides one member of each class and the decision holds for the class. The signature covers
 * everything the evaluation reads, so the grouping is exact, not a sample.
 */
import type { PolicyDocument, Statement } from "../../lib/policy/types";
import { asArray } from "../../lib/policy/types";
import { GLOBAL_SERVICE_ENTRIES } from "../../lib/policy/global-services";
import { decide, defaultContext, SimulationInputError, type Context, type SimLayers } from "../simulate";
import { expandActionPattern, fullCatalog, globRe, representativeArn, supportsKey, type CatalogAction } from "./catalog";
import { layerStatements, type Node } from "./model";

export interface SweepResult {
  node: string;
  /** Allowed in an allowed Region (or the Region a global service is served from), with the node's MFA state. */
  allowed: string[];
  /** Allowed without MFA (access keys, or a password before MFA is enrolled). */
  allowedWithoutMfa: string[];
  /** Regional actions allowed in the Region no policy should allow. */
  allowedOtherRegion: string[];
  /** Data-destroying actions allowed on a resource tagged environment=prod (production accounts only). */
  allowedOnProduction: string[];
  /** Simulations run (classes x contexts) and actions left undecided because the simulator rejected every member. */
  simulations: number;
  undecided: string[];
}

const SPECIAL = new Set(["sts:getcalleridentity"]);

interface GlobalEntry {
  re: RegExp;
  service: string;
  regions: string[];
}
let globalEntries: GlobalEntry[] | undefined;
function globalRegions(a: CatalogAction): string[] | undefined {
  globalEntries ??= GLOBAL_SERVICE_ENTRIES.map((e) => ({
    service: e.action.slice(0, e.action.indexOf(":")).toLowerCase(),
    re: globRe(e.action.slice(e.action.indexOf(":") + 1)),
    regions: [...e.regions],
  }));
  const hit = globalEntries.find((e) => e.service === a.service && e.re.test(a.name));
  return hit?.regions;
}

/** Whether an action is served from fixed global Regions (exempt from the region lock). */
export function isGlobalAction(action: string): boolean {
  const a = fullCatalog().byAction.get(action.toLowerCase());
  return !!a && !!globalRegions(a);
}

function substitute(pattern: string, vars: Record<string, string>): string {
  return pattern.replace(/\$\{([^}]+)\}/g, (m, k: string) => vars[k.toLowerCase()] ?? m);
}

/** The concrete catalog actions a list of action patterns matches (lower case), cached by list. */
const matchSets = new Map<string, Set<string>>();
function matchSet(patterns: string[]): Set<string> {
  const key = JSON.stringify(patterns);
  let set = matchSets.get(key);
  if (!set) {
    set = new Set<string>();
    for (const p of patterns) for (const a of expandActionPattern(String(p))) set.add(a.action.toLowerCase());
    matchSets.set(key, set);
  }
  return set;
}

const statementSets = new WeakMap<Statement, { set: Set<string>; not: boolean } | null>();

/** Whether a statement's Action / NotAction matches a concrete catalog action. */
export function actionBit(st: Statement, action: string): boolean {
  let c = statementSets.get(st);
  if (c === undefined) {
    c =
      st.Action !== undefined
        ? { set: matchSet(asArray(st.Action) as string[]), not: false }
        : st.NotAction !== undefined
          ? { set: matchSet(asArray(st.NotAction) as string[]), not: true }
          : null;
    statementSets.set(st, c);
  }
  if (!c) return false;
  return c.set.has(action.toLowerCase()) !== c.not;
}

/** Whether some identity Allow of the node can match the action (no simulation needed otherwise). */
export function staticallyPossible(n: Node, action: string): boolean {
  return n.identity.some((d) => (d.Statement ?? []).some((st) => st.Effect === "Allow" && actionBit(st, action)));
}

function resourceBit(st: Statement, arn: string, vars: Record<string, string>): boolean {
  if (st.Resource !== undefined) return asArray(st.Resource).some((p) => globRe(substitute(String(p), vars), false).test(arn));
  if (st.NotResource !== undefined) return !asArray(st.NotResource).some((p) => globRe(substitute(String(p), vars), false).test(arn));
  return true;
}

/** The simulator's layers for a node (resource policy added per request). */
export function layersOf(n: Node, resource?: PolicyDocument): SimLayers {
  return {
    identity: n.identity,
    ...(resource ? { resource } : {}),
    ...(n.scps.length ? { scps: n.scps } : {}),
    ...(n.rcps.length ? { rcps: n.rcps } : {}),
    ...(n.boundary ? { permissionBoundary: n.boundary } : {}),
  };
}

/** Request context of a node: MFA as the node has it, the given Region, its user name. */
export function contextOf(n: Node, region: string, extra: Record<string, string | undefined> = {}): Context {
  return defaultContext({
    "aws:RequestedRegion": region,
    ...(n.username ? { "aws:username": n.username } : {}),
    ...(n.principalArn !== n.arn ? { "aws:PrincipalArn": n.principalArn } : {}),
    ...Object.fromEntries(Object.entries(n.principalTags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
    ...(n.mfa ? {} : { "aws:MultiFactorAuthPresent": undefined, "aws:MultiFactorAuthAge": undefined }),
    ...extra,
  });
}

const memo = new Map<string, boolean | undefined>();

/**
 * One decision for a node (memoized: nodes often share their layers); SimulationInputError
 * becomes `undefined` (caller decides). `resourceAccount` defaults to the node's account.
 */
export async function allows(
  n: Node,
  action: string,
  resource: string,
  ctx: Context,
  resourcePolicy?: PolicyDocument,
  resourceAccount = n.account,
): Promise<boolean | undefined> {
  if (!staticallyPossible(n, action)) return false;
  const key = JSON.stringify([n.identity, n.boundary, n.scps, n.rcps, n.arn, action, resource, ctx, resourcePolicy, resourceAccount]);
  // (ctx carries the node's principal tags.)
  if (memo.has(key)) return memo.get(key);
  let result: boolean | undefined;
  try {
    const d = await decide(layersOf(n, resourcePolicy), { principal: n.arn, action, resource, resourceAccount, context: ctx });
    result = d.allowed;
  } catch (e) {
    if (!(e instanceof SimulationInputError)) throw e;
    result = undefined;
  }
  memo.set(key, result);
  return result;
}

const NO_MFA = { "aws:MultiFactorAuthPresent": undefined, "aws:MultiFactorAuthAge": undefined };
const SSE = { "s3:x-amz-server-side-encryption": "AES256" };

/**
 * Sweep the catalog for a node. `destructive` decides which actions get the production
 * context; `production` whether the node's account runs production.
 */
export async function sweep(
  n: Node,
  env: {
    region: string;
    otherRegion: string;
    production: boolean;
    destructive: (action: string) => boolean;
    /**
     * The request context under which an action destroys (the condition values of a conditional
     * destroyer, e.g. elasticache:SnapshotRetentionLimit=0): a deny conditioned on them is honoured.
     */
    destroyingContext?: (action: string) => Record<string, string>;
  },
): Promise<SweepResult> {
  const statements = layerStatements(n);
  const identityAllows = n.identity.flatMap((d) => d.Statement ?? []).filter((s) => s.Effect === "Allow");
  const vars: Record<string, string> = {
    "aws:username": n.username ?? "",
    "aws:principalaccount": n.account,
  };
  // Static expansion: only actions some identity Allow matches can be allowed.
  const candidates = fullCatalog().actions.filter((a) => identityAllows.some((st) => actionBit(st, a.action)));

  interface Class {
    members: CatalogAction[];
    global?: string[];
  }
  const classes = new Map<string, Class>();
  for (const a of candidates) {
    const global = globalRegions(a);
    const arnMain = representativeArn(a, env.region, n.account);
    const arnOther = representativeArn(a, env.otherRegion, n.account);
    const bits: string[] = [];
    for (const st of statements) {
      bits.push(actionBit(st, a.action) ? "1" : "0");
      bits.push(resourceBit(st, arnMain, vars) ? "1" : "0");
      bits.push(resourceBit(st, arnOther, vars) ? "1" : "0");
    }
    const s3Data = /^arn:aws:s3:::[^/]+(\/.*)?$/.test(arnMain);
    const sig = [
      bits.join(""),
      s3Data ? "s3" : "",
      supportsKey(a, "s3:x-amz-server-side-encryption") ? "sse" : "",
      arnMain === "*" ? "wild" : "res",
      global ? global.join(",") : "regional",
      env.production && env.destructive(a.action) ? `destroy${JSON.stringify(env.destroyingContext?.(a.action) ?? {})}` : "",
      SPECIAL.has(a.action.toLowerCase()) ? a.action : "",
    ].join("|");
    let c = classes.get(sig);
    if (!c) classes.set(sig, (c = { members: [], global }));
    c.members.push(a);
  }

  const allowed: string[] = [];
  const withoutMfa: string[] = [];
  const otherRegion: string[] = [];
  const onProd: string[] = [];
  const undecided: string[] = [];
  let simulations = 0;

  // Decide a class in one context: the first member the simulator accepts decides.
  const decideClass = async (c: Class, region: string, extra: Record<string, string | undefined>, arnRegion: string) => {
    for (const a of c.members.slice(0, 12)) {
      simulations++;
      const r = await allows(n, a.action, representativeArn(a, arnRegion, n.account), contextOf(n, region, { ...SSE, ...extra }));
      if (r !== undefined) return r;
    }
    return undefined;
  };

  for (const c of classes.values()) {
    const regions = c.global ? [...new Set([...c.global, env.region])] : [env.region];
    let main: boolean | undefined = false;
    let usedRegion = env.region;
    for (const region of regions) {
      main = await decideClass(c, region, {}, env.region);
      usedRegion = region;
      if (main !== false) break;
    }
    const names = c.members.map((a) => a.action);
    if (main === undefined) {
      undecided.push(...names);
      continue;
    }
    if (main) allowed.push(...names);
    if (main && n.mfa) {
      if (await decideClass(c, usedRegion, NO_MFA, env.region)) withoutMfa.push(...names);
    } else if (main) withoutMfa.push(...names);
    if (!c.global && (await decideClass(c, env.otherRegion, {}, env.otherRegion))) otherRegion.push(...names);
    if (main && env.production && env.destructive(c.members[0].action)) {
      const destroying = env.destroyingContext?.(c.members[0].action) ?? {};
      if (await decideClass(c, env.region, { "aws:ResourceTag/environment": "prod", ...destroying }, env.region)) onProd.push(...names);
    }
  }
  const sort = (xs: string[]) => [...new Set(xs)].sort();
  return {
    node: n.id,
    allowed: sort(allowed),
    allowedWithoutMfa: sort(withoutMfa),
    allowedOtherRegion: sort(otherRegion),
    allowedOnProduction: sort(onProd),
    simulations,
    undecided: sort(undecided),
  };
}

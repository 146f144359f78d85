/**
 * The one curated, versioned list of AWS global services / actions that a region lock
 * must exempt (see global-services.data.json for the data, its sources and the candidates that
 * were deliberately left out).
 *
 * Two consumers:
 *  - the org-level region-deny SCP uses {@link globalServiceActions} as its `NotAction`;
 *  - IAM identity policies that allow global services use
 *    {@link globalServiceActionsForRegion}(GLOBAL_REGION) (and the other endpoint Regions
 *    from {@link globalServiceRegions}) in an `aws:RequestedRegion` condition.
 *
 * Pure data: no cdktf import.
 */
import raw from "./global-services.data.json";
import { GLOBAL_REGION } from "./limits";

export { GLOBAL_REGION };

export interface GlobalServiceEntry {
  /** `service:*`, `service:Action` or `service:Prefix*`. */
  readonly action: string;
  /** Why the action must be exempt from a region lock. */
  readonly reason: string;
  /**
   * Regions the API is served from, i.e. the values `aws:RequestedRegion` takes for it.
   * Omitted in the JSON when it is only {@link GLOBAL_REGION}; always filled in here.
   */
  readonly regions: readonly string[];
}

/** A candidate that was considered and deliberately NOT exempted (regional or retired). */
export interface ExcludedGlobalCandidate {
  readonly action: string;
  readonly reason: string;
}

interface RawFile {
  version: string;
  description: string;
  sources: string[];
  entries: Array<{ action: string; reason: string; regions?: string[] }>;
  excluded: Array<{ action: string; reason: string }>;
}

const ACTION_SHAPE = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d$/;

function load(file: RawFile): {
  entries: readonly GlobalServiceEntry[];
  excluded: readonly ExcludedGlobalCandidate[];
} {
  if (typeof file.version !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(file.version)) {
    throw new Error(`global-services.data.json: bad version ${JSON.stringify(file.version)}`);
  }
  const entries = file.entries.map((e, i): GlobalServiceEntry => {
    if (typeof e.action !== "string" || !ACTION_SHAPE.test(e.action)) {
      throw new Error(`global-services.data.json: entries[${i}] has a malformed action ${JSON.stringify(e.action)}`);
    }
    if (typeof e.reason !== "string" || e.reason.trim() === "") {
      throw new Error(`global-services.data.json: entries[${i}] (${e.action}) has no reason`);
    }
    const regions = e.regions ?? [GLOBAL_REGION];
    if (regions.length === 0 || regions.some((r) => !REGION_SHAPE.test(r))) {
      throw new Error(`global-services.data.json: entries[${i}] (${e.action}) has bad regions ${JSON.stringify(regions)}`);
    }
    return Object.freeze({ action: e.action, reason: e.reason, regions: Object.freeze([...regions]) });
  });
  const excluded = file.excluded.map((e) => Object.freeze({ action: e.action, reason: e.reason }));
  return { entries: Object.freeze(entries), excluded: Object.freeze(excluded) };
}

const loaded = load(raw as RawFile);

/** Version of the curated list (a date, bumped on every change). */
export const GLOBAL_SERVICES_VERSION: string = raw.version;
/** Short description of what the list is and where it comes from. */
export const GLOBAL_SERVICES_DESCRIPTION: string = raw.description;
/** The documents the list was derived from. */
export const GLOBAL_SERVICES_SOURCES: readonly string[] = Object.freeze([...raw.sources]);

/** Every exempt action, in file order (the file is kept sorted by action). */
export const GLOBAL_SERVICE_ENTRIES: readonly GlobalServiceEntry[] = loaded.entries;

/** Candidates considered and deliberately left out, with the reason. */
export const EXCLUDED_GLOBAL_CANDIDATES: readonly ExcludedGlobalCandidate[] = loaded.excluded;

function sortedUnique(values: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const v of values) {
    const key = v.toLowerCase();
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()].sort(compareActions);
}

/** Byte-order comparison: stable across locales and Node versions. */
export function compareActions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * All exempt action patterns, sorted and de-duplicated (case-insensitively, as IAM
 * compares actions). A fresh array each call. This is the region-deny SCP's NotAction.
 */
export function globalServiceActions(): string[] {
  return sortedUnique(GLOBAL_SERVICE_ENTRIES.map((e) => e.action));
}

/**
 * The exempt actions whose API is served from `region` (sorted, de-duplicated), for an
 * identity-policy statement conditioned on `aws:RequestedRegion = region`.
 * `globalServiceActionsForRegion(GLOBAL_REGION)` covers IAM, STS, Organizations, billing, ...;
 * a few global services live elsewhere (Global Accelerator, Network Manager, Route 53 ARC
 * control plane, S3 Multi-Region Access Points: us-west-2; chatbot: us-east-2, ...).
 */
export function globalServiceActionsForRegion(region: string): string[] {
  return sortedUnique(GLOBAL_SERVICE_ENTRIES.filter((e) => e.regions.includes(region)).map((e) => e.action));
}

/** Every Region some global service is served from; GLOBAL_REGION first, then sorted. */
export function globalServiceRegions(): string[] {
  const all = new Set<string>();
  for (const e of GLOBAL_SERVICE_ENTRIES) for (const r of e.regions) all.add(r);
  all.delete(GLOBAL_REGION);
  return [GLOBAL_REGION, ...[...all].sort(compareActions)];
}

/** Service prefixes that appear in the list (lower case, sorted, de-duplicated). */
export function globalServicePrefixes(): string[] {
  return sortedUnique(GLOBAL_SERVICE_ENTRIES.map((e) => e.action.split(":")[0].toLowerCase()));
}

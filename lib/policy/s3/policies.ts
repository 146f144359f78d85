/**
 * Policy builders of the data lake: bucket policies (zone, log and Athena results buckets),
 * access point policies, the customer-managed identity policies of the lake's access levels,
 * and the key policy of the module-managed KMS key.
 *
 * Values may be literals (unit tests) or Terraform expressions made with `tfExpr` (the module
 * stack): a `Strs` is a list of strings or one placeholder for a whole HCL list expression;
 * a `Cond` is a boolean or a plan-time HCL condition (see conditional.ts). ARNs are always
 * built from names, partition, region and account id, never from computed attributes, so
 * every document is known at plan time. Pure: no cdktf import.
 */
import { tfExpr, toHclExpression } from "../render";
import { Condition, Statement } from "../types";
import {
  ATHENA_LIST_ACTIONS,
  ATHENA_OTHER_WORKGROUP_DENY_ACTIONS,
  LAKE_WORKGROUP_QUERY_ACTIONS,
  ATHENA_RESULTS_BUCKET_ACTIONS,
  ATHENA_RESULTS_OBJECT_ACTIONS,
  DISCOVER_ACTIONS,
  GLUE_CATALOG_READ_ACTIONS,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  LIST_ACTIONS,
  LOG_DELIVERY_SERVICE,
  LOG_OBJECT_DESTROY_ACTIONS,
  READ_OBJECT_ACTIONS,
  WRITE_OBJECT_ACTIONS,
} from "./actions";
import { and, Cond, equals, LakePolicyDocument, not, or, Part, policy, repeated, when } from "./conditional";
import { composite, forList, listOf } from "./expressions";

/** A list of strings, or a `tfExpr` placeholder standing for a whole HCL list expression. */
export type Strs = readonly string[] | string;

/** Concatenates lists, as data when all are literal, else as one HCL concat(). */
export function concatLists(...lists: Strs[]): string[] | string {
  if (lists.every((l) => typeof l !== "string")) return lists.flatMap((l) => [...(l as readonly string[])]);
  const values = lists.map((l) => (typeof l === "string" ? l : [...l]));
  return composite(`concat(${values.map(toHclExpression).join(", ")})`, (s) => values.flatMap((v) => listOf(v, s)));
}

function list(v: Strs): string[] | string {
  return typeof v === "string" ? v : [...v];
}

const SSE_HEADER = "s3:x-amz-server-side-encryption";
const SSE_KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C_HEADER = "s3:x-amz-server-side-encryption-customer-algorithm";

function regionCondition(regions: Strs): Condition {
  return { StringEquals: { "aws:RequestedRegion": list(regions) } };
}

function denyInsecureTransport(resources: Strs): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: list(resources),
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Deny uploads that ask for another encryption than `sseAlgorithm`. Uploads without the
 * header pass this statement (the `Null = false` part): the bucket's default encryption
 * applies to them. A plain `StringNotEqualsIfExists` would NOT let them pass: IfExists
 * operators evaluate to true when the key is absent, so a Deny would match.
 */
function denyOtherEncryption(objectArn: string, sseAlgorithm: string): Statement {
  return {
    Sid: "DenyUploadsWithOtherEncryption",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: objectArn,
    Condition: { StringNotEquals: { [SSE_HEADER]: sseAlgorithm }, Null: { [SSE_HEADER]: "false" } },
  };
}

/** The strict deny: an upload without the encryption header is refused. */
function denyMissingEncryptionHeader(objectArn: string): Statement {
  return {
    Sid: "DenyUploadsWithoutEncryptionHeader",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: objectArn,
    Condition: { Null: { [SSE_HEADER]: "true" } },
  };
}

/** No customer-provided keys (SSE-C): the lake's data is encrypted only with the configured algorithm and key. */
function denyCustomerProvidedKeys(objectArn: string): Statement {
  return {
    Sid: "DenyCustomerProvidedKeys",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:PutObject",
    Resource: objectArn,
    Condition: { Null: { [SSE_C_HEADER]: "false" } },
  };
}

/**
 * KMS mode, the configured key only. S3 stores an upload that says `aws:kms` without a key id
 * under the AWS managed key aws/s3 (usable by anyone in the account through S3), so such an
 * upload is refused; so is an upload naming any other key. Uploads without any encryption
 * header (if_present mode) get the bucket's default encryption: the lake key.
 */
function denyOtherKmsKeys(objectArn: string, keyArn: string): Statement[] {
  return [
    {
      Sid: "DenyKmsUploadsWithoutTheLakeKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objectArn,
      Condition: { Null: { [SSE_HEADER]: "false", [SSE_KMS_KEY_HEADER]: "true" } },
    },
    {
      Sid: "DenyUploadsUnderAnotherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objectArn,
      Condition: { StringNotEquals: { [SSE_KMS_KEY_HEADER]: keyArn }, Null: { [SSE_KMS_KEY_HEADER]: "false" } },
    },
  ];
}

export interface BucketPolicyInput {
  /** `arn:<partition>:s3:::<bucket>` */
  readonly bucketArn: string;
  readonly accountId: string;
  /** "AES256" or "aws:kms": the value the encryption header must have. */
  readonly sseAlgorithm: string;
  /** Deny uploads without the encryption header (strict, the default) or let default encryption through. */
  readonly requireEncryptionHeader: Cond;
  /** Delegate access control to access points of the bucket's own account. */
  readonly delegateToAccessPoints: Cond;
  /** KMS mode: only `kmsKeyArn` may encrypt uploads. */
  readonly kmsEnabled: Cond;
  /** The lake key's ARN (ignored unless kmsEnabled). */
  readonly kmsKeyArn: string;
}

/** Bucket policy of a lake zone (and, without delegation, of the Athena results bucket). */
export function lakeBucketPolicy(p: BucketPolicyInput): LakePolicyDocument {
  const objects = `${p.bucketArn}/*`;
  return policy([
    denyInsecureTransport([p.bucketArn, objects]),
    when(p.requireEncryptionHeader, denyMissingEncryptionHeader(objects)),
    denyOtherEncryption(objects, p.sseAlgorithm),
    denyCustomerProvidedKeys(objects),
    when(p.kmsEnabled, ...denyOtherKmsKeys(objects, p.kmsKeyArn)),
    // AWS's documented delegation pattern: any principal, but only through an access point
    // owned by this account; the access point policy (and identity policy) then decide.
    when(p.delegateToAccessPoints, {
      Sid: "DelegateAccessControlToOwnAccountAccessPoints",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: [p.bucketArn, objects],
      Condition: { StringEquals: { "s3:DataAccessPointAccount": p.accountId } },
    }),
  ]);
}

export interface LogBucketPolicyInput {
  readonly logBucketArn: string;
  readonly accountId: string;
  /** Buckets whose server access logs are delivered here. */
  readonly sourceBucketArns: Strs;
  /** IAM principal ARN patterns that may still delete log objects (incident response); may be empty. */
  readonly breakGlassPrincipalArns: Strs;
  readonly hasBreakGlass: Cond;
}

/**
 * Bucket policy of the access log bucket: delivery by the S3 logging service principal,
 * limited to this account's source buckets (no ACL grants), TLS only, SSE-S3 only, and
 * append-only: no principal but log delivery writes (so nobody overwrites a log object), and
 * nobody but the break-glass principals deletes a log object or one of its versions
 * (whatever their identity policies grant, s3:* included).
 */
export function logBucketPolicy(p: LogBucketPolicyInput): LakePolicyDocument {
  const objects = `${p.logBucketArn}/*`;
  const denyDestroy: Statement = {
    Sid: "DenyLogDeletionExceptBreakGlass",
    Effect: "Deny",
    Principal: "*",
    Action: [...LOG_OBJECT_DESTROY_ACTIONS],
    Resource: objects,
  };
  return policy([
    {
      Sid: "DenyLogWritesExceptLogDelivery",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      // Absent for IAM principals: the negated operator then matches, so the Deny applies.
      Condition: { StringNotEquals: { "aws:PrincipalServiceName": LOG_DELIVERY_SERVICE } },
    },
    when(p.hasBreakGlass, { ...denyDestroy, Condition: { ArnNotLike: { "aws:PrincipalArn": list(p.breakGlassPrincipalArns) } } }),
    when(not(p.hasBreakGlass), denyDestroy),
    denyInsecureTransport([p.logBucketArn, objects]),
    {
      Sid: "AllowS3ServerAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: LOG_DELIVERY_SERVICE },
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        StringEquals: { "aws:SourceAccount": p.accountId },
        ArnLike: { "aws:SourceArn": list(p.sourceBucketArns) },
      },
    },
    denyOtherEncryption(objects, "AES256"),
  ]);
}

export interface AccessPointPolicyInput {
  /** `arn:<partition>:s3:<region>:<account>:accesspoint/<name>` */
  readonly accessPointArn: string;
  readonly readPrincipalArns: Strs;
  readonly readWritePrincipalArns: Strs;
  readonly hasReaders: Cond;
  readonly hasWriters: Cond;
  /** `<ap>/object/<prefix>*` per configured prefix, or `<ap>/object/*`. */
  readonly objectResources: Strs;
  /** `<prefix>*` per configured prefix (for s3:prefix on listing); ignored when `hasPrefixes` is false. */
  readonly listPrefixPatterns: Strs;
  readonly hasPrefixes: Cond;
  readonly regions: Strs;
}

/** Policy of a zone's access point: the configured principals get read or read/write, by prefix. */
export function accessPointPolicy(p: AccessPointPolicyInput): LakePolicyDocument {
  const anyone = concatLists(p.readPrincipalArns, p.readWritePrincipalArns);
  const hasAny = or(p.hasReaders, p.hasWriters);
  const listing: Statement = {
    Sid: "ListThroughAccessPoint",
    Effect: "Allow",
    Principal: { AWS: anyone },
    Action: [...LIST_ACTIONS],
    Resource: p.accessPointArn,
    Condition: regionCondition(p.regions),
  };
  return policy([
    denyInsecureTransport([p.accessPointArn, `${p.accessPointArn}/object/*`]),
    when(and(hasAny, not(p.hasPrefixes)), listing),
    when(and(hasAny, p.hasPrefixes), {
      ...listing,
      Sid: "ListPrefixesThroughAccessPoint",
      Condition: { ...regionCondition(p.regions), StringLike: { "s3:prefix": list(p.listPrefixPatterns) } },
    }),
    when(hasAny, {
      Sid: "ReadThroughAccessPoint",
      Effect: "Allow",
      Principal: { AWS: anyone },
      Action: [...READ_OBJECT_ACTIONS],
      Resource: list(p.objectResources),
      Condition: regionCondition(p.regions),
    }),
    when(p.hasWriters, {
      Sid: "WriteThroughAccessPoint",
      Effect: "Allow",
      Principal: { AWS: list(p.readWritePrincipalArns) },
      Action: [...WRITE_OBJECT_ACTIONS],
      Resource: list(p.objectResources),
      Condition: regionCondition(p.regions),
    }),
  ]);
}

/** The ARNs of a set of zones, for identity policies. */
export interface ZoneArns {
  readonly bucketArns: Strs;
  /** `<bucket arn>/*` */
  readonly objectArns: Strs;
  readonly accessPointArns: Strs;
  /** `<access point arn>/object/*` */
  readonly accessPointObjectArns: Strs;
}

export interface KmsUse {
  readonly enabled: Cond;
  /** The lake key's ARN (given, or the module-managed key's): no other key. */
  readonly keyArn: string;
  /** `s3.<region>.amazonaws.com` */
  readonly viaService: string;
}

export interface LakeAccessCommon {
  readonly regions: Strs;
  readonly kms: KmsUse;
}

function discover(regions: Strs): Statement {
  return { Sid: "DiscoverBuckets", Effect: "Allow", Action: [...DISCOVER_ACTIONS], Resource: "*", Condition: regionCondition(regions) };
}

function listZones(sid: string, z: ZoneArns, regions: Strs): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: [...LIST_ACTIONS],
    Resource: concatLists(z.bucketArns, z.accessPointArns),
    Condition: regionCondition(regions),
  };
}

function objectStatement(sid: string, actions: readonly string[], resources: Strs, regions: Strs): Statement {
  return { Sid: sid, Effect: "Allow", Action: [...actions], Resource: list(resources), Condition: regionCondition(regions) };
}

/** KMS through S3 only, and only for objects of the given buckets (encryption context). */
function kmsStatement(sid: string, actions: readonly string[], kms: KmsUse, regions: Strs, bucketArns: Strs, objectArns: Strs): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: [...actions],
    Resource: kms.keyArn,
    Condition: {
      StringEquals: { "kms:ViaService": kms.viaService, "aws:RequestedRegion": list(regions) },
      ArnLike: { "kms:EncryptionContext:aws:s3:arn": concatLists(bucketArns, objectArns) },
    },
  };
}

/** read_write (engineer): list, read, write and delete (never permanently) in every zone. */
export function readWritePolicy(zones: ZoneArns, c: LakeAccessCommon): LakePolicyDocument {
  return policy([
    discover(c.regions),
    listZones("ListLakeZones", zones, c.regions),
    objectStatement(
      "ReadWriteLakeObjects",
      [...READ_OBJECT_ACTIONS, ...WRITE_OBJECT_ACTIONS],
      concatLists(zones.objectArns, zones.accessPointObjectArns),
      c.regions,
    ),
    when(c.kms.enabled, kmsStatement("UseLakeKeyThroughS3", KMS_WRITE_ACTIONS, c.kms, c.regions, zones.bucketArns, zones.objectArns)),
  ]);
}

/**
 * How analysts write into their write zone:
 * - `direct`: puts, copies and deletes through the bucket and through its access point;
 * - `access_point`: everything only through the zone's access point;
 * - `access_point_puts`: the engineer/analyst CLI test table, row by row: puts and copies only
 *   through the access point; folder markers (keys ending in /) and deletes also directly.
 */
export const ANALYST_WRITE_MODES = ["direct", "access_point", "access_point_puts"] as const;
export type AnalystWriteMode = (typeof ANALYST_WRITE_MODES)[number];

export interface AnalystInput {
  /** Zones the analyst reads (the write zone included). */
  readonly readZones: ZoneArns;
  /** The analyst's write zone. */
  readonly writeZone: ZoneArns;
  /** A mode, or a Terraform expression (`{ hcl }`) giving one at plan time. */
  readonly writeMode: AnalystWriteMode | { readonly hcl: string };
}

/** analyst: read the readable zones, write and delete only in the write zone. */
export function analystPolicy(a: AnalystInput, c: LakeAccessCommon): LakePolicyDocument {
  const write = [...WRITE_OBJECT_ACTIONS];
  const is = (m: AnalystWriteMode): Cond => (typeof a.writeMode === "string" ? a.writeMode === m : equals(a.writeMode.hcl, m));
  // `<bucket>/*/`: keys ending in / (the console's and the CLI's folder markers).
  const folderMarkers =
    typeof a.writeZone.objectArns === "string"
      ? forList({ each: "o", over: a.writeZone.objectArns, item: `${tfExpr("o")}/` })
      : a.writeZone.objectArns.map((o) => `${o}/`);
  return policy([
    discover(c.regions),
    listZones("ListReadableZones", a.readZones, c.regions),
    objectStatement(
      "ReadReadableZones",
      READ_OBJECT_ACTIONS,
      concatLists(a.readZones.objectArns, a.readZones.accessPointObjectArns),
      c.regions,
    ),
    when(
      is("direct"),
      objectStatement("WriteAnalystZone", write, concatLists(a.writeZone.objectArns, a.writeZone.accessPointObjectArns), c.regions),
    ),
    when(not(is("direct")), objectStatement("WriteAnalystZoneThroughAccessPoint", write, a.writeZone.accessPointObjectArns, c.regions)),
    when(
      is("access_point_puts"),
      objectStatement("CreateFoldersInAnalystZone", ["s3:PutObject"], folderMarkers, c.regions),
      objectStatement("DeleteInAnalystZone", ["s3:DeleteObject"], a.writeZone.objectArns, c.regions),
    ),
    when(
      c.kms.enabled,
      kmsStatement("DecryptReadableZones", KMS_READ_ACTIONS, c.kms, c.regions, a.readZones.bucketArns, a.readZones.objectArns),
      kmsStatement("EncryptAnalystZone", KMS_WRITE_ACTIONS, c.kms, c.regions, a.writeZone.bucketArns, a.writeZone.objectArns),
    ),
  ]);
}

export interface AthenaAccess {
  /** The lake's workgroup and its results bucket exist. */
  readonly enabled: Cond;
  /** `arn:<partition>:athena:<region>:<account>:workgroup/<name>` of every workgroup the level may query in (the lake's first). */
  readonly workgroupArns: Strs;
  /** True when workgroupArns is not empty. */
  readonly hasWorkgroups: Cond;
  /** `arn:<partition>:athena:*:*:workgroup/*`: every workgroup, for the Deny when none is allowed. */
  readonly anyWorkgroupArn: string;
  /** Glue catalog, database and table ARNs the queries may read. */
  readonly glueResources: Strs;
  readonly resultsBucketArn: string;
  /** `<results bucket arn>/<workgroup>/*` */
  readonly resultsObjectArn: string;
}

/**
 * read_only (data_team): list and read every zone; run Athena queries in the lake's workgroup
 * (and the given ones) only. The Deny holds whatever else the principal is granted (e.g. a
 * persona policy with athena:StartQueryExecution on *), so queries cannot escape the enforced
 * result location and encryption of the lake's workgroup through `primary` or another one.
 */
export function readOnlyPolicy(zones: ZoneArns, athena: AthenaAccess, c: LakeAccessCommon): LakePolicyDocument {
  const parts: Part[] = [
    discover(c.regions),
    listZones("ListLakeZones", zones, c.regions),
    objectStatement("ReadLakeObjects", READ_OBJECT_ACTIONS, concatLists(zones.objectArns, zones.accessPointObjectArns), c.regions),
    when(c.kms.enabled, kmsStatement("DecryptLakeObjects", KMS_READ_ACTIONS, c.kms, c.regions, zones.bucketArns, zones.objectArns)),
    when(
      athena.hasWorkgroups,
      objectStatement("RunQueriesInLakeWorkgroups", LAKE_WORKGROUP_QUERY_ACTIONS, athena.workgroupArns, c.regions),
      {
        Sid: "DenyQueriesInOtherWorkgroups",
        Effect: "Deny",
        Action: [...ATHENA_OTHER_WORKGROUP_DENY_ACTIONS],
        NotResource: list(athena.workgroupArns),
      },
    ),
    when(not(athena.hasWorkgroups), {
      Sid: "DenyQueriesInOtherWorkgroups",
      Effect: "Deny",
      Action: [...ATHENA_OTHER_WORKGROUP_DENY_ACTIONS],
      Resource: athena.anyWorkgroupArn,
    }),
    when(
      athena.enabled,
      objectStatement("ListWorkgroups", ATHENA_LIST_ACTIONS, ["*"], c.regions),
      objectStatement("ReadGlueCatalog", GLUE_CATALOG_READ_ACTIONS, athena.glueResources, c.regions),
      objectStatement("LocateQueryResults", ATHENA_RESULTS_BUCKET_ACTIONS, [athena.resultsBucketArn], c.regions),
      objectStatement("WriteAndReadQueryResults", ATHENA_RESULTS_OBJECT_ACTIONS, [athena.resultsObjectArn], c.regions),
    ),
    when(
      and(athena.enabled, c.kms.enabled),
      kmsStatement("EncryptQueryResults", KMS_WRITE_ACTIONS, c.kms, c.regions, [athena.resultsBucketArn], [`${athena.resultsBucketArn}/*`]),
    ),
  ];
  return policy(parts);
}

/**
 * What a principal declared on a zone (zones[*].read_principal_arns / read_write_principal_arns)
 * needs from the lake key: decrypt (and, for writers, generate data keys) only through S3 in
 * the lake's region and only for that zone's bucket (with S3 Bucket Keys the encryption
 * context is the bucket ARN; without them the object ARN). Nothing else.
 */
export interface ZoneKeyGrant {
  /** The zone variable of the for-expression (`z`) and its index (`i`). */
  readonly each: string;
  readonly index?: string;
  /** The zone keys, an HCL list expression (`sort(keys(var.zones))`). */
  readonly over: string;
  /** Only zones with such principals: a condition over the loop variables. */
  readonly when: Cond;
  readonly principalArns: Strs;
  readonly actions: readonly string[];
  /** `arn:<partition>:s3:::<bucket>` of the zone, from the loop variables. */
  readonly bucketArn: string;
  /** A Sid built from the loop variables (e.g. the index), unique per statement. */
  readonly sid: string;
}

export interface KeyPolicyInput {
  readonly partition: string;
  readonly accountId: string;
  /** `s3.<region>.amazonaws.com` */
  readonly viaService: string;
  /** Per-zone grants: a for-expression over the zones (the module), or literal statements (unit tests). */
  readonly zoneGrants: readonly ZoneKeyGrant[] | readonly Statement[];
}

/** The key-policy statement of one zone grant (loop variables as tfExpr placeholders, or literals). */
export function zoneKeyStatement(
  g: { principalArns: Strs; actions: readonly string[]; bucketArn: string; viaService: string },
  sid?: string,
): Statement {
  return {
    ...(sid ? { Sid: sid } : {}),
    Effect: "Allow",
    Principal: { AWS: list(g.principalArns) },
    Action: [...g.actions],
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": g.viaService },
      ArnLike: { "kms:EncryptionContext:aws:s3:arn": [g.bucketArn, `${g.bucketArn}/*`] },
    },
  };
}

/**
 * Key policy of the module-managed key: the account (its IAM policies) administers and uses
 * it, and the principals declared on a zone may use it through S3 for that zone's bucket only
 * (cross-account readers need the key policy to name them).
 */
export function lakeKeyPolicy(p: KeyPolicyInput): LakePolicyDocument {
  const grants: Part[] = p.zoneGrants.map((g) =>
    "over" in g
      ? repeated({
          each: g.each,
          index: g.index,
          over: g.over,
          when: g.when,
          statement: zoneKeyStatement({ ...g, viaService: p.viaService }, g.sid),
        })
      : g,
  );
  return policy([
    {
      Sid: "EnableIamPoliciesOfTheAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    ...grants,
  ]);
}

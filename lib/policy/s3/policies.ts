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
  ATHENA_QUERY_ACTIONS,
  ATHENA_RESULTS_BUCKET_ACTIONS,
  ATHENA_RESULTS_OBJECT_ACTIONS,
  DISCOVER_ACTIONS,
  GLUE_CATALOG_READ_ACTIONS,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  LIST_ACTIONS,
  LOG_DELIVERY_SERVICE,
  READ_OBJECT_ACTIONS,
  WRITE_OBJECT_ACTIONS,
} from "./actions";
import { Cond, LakePolicyDocument, not, Part, policy, when } from "./conditional";

/** A list of strings, or a `tfExpr` placeholder standing for a whole HCL list expression. */
export type Strs = readonly string[] | string;

/** Concatenates lists, as data when all are literal, else as one HCL concat(). */
export function concatLists(...lists: Strs[]): string[] | string {
  if (lists.every((l) => typeof l !== "string")) return lists.flatMap((l) => [...(l as readonly string[])]);
  return tfExpr(`concat(${lists.map((l) => toHclExpression(typeof l === "string" ? l : [...l])).join(", ")})`);
}

function list(v: Strs): string[] | string {
  return typeof v === "string" ? v : [...v];
}

export function and(a: Cond, b: Cond): Cond {
  if (typeof a === "boolean") return a ? b : false;
  if (typeof b === "boolean") return b ? a : false;
  return { hcl: `(${a.hcl}) && (${b.hcl})` };
}

const SSE_HEADER = "s3:x-amz-server-side-encryption";

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

/** The seed's strict deny: an upload without the encryption header is refused. */
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
}

/** Bucket policy of a lake zone (and, without delegation, of the Athena results bucket). */
export function lakeBucketPolicy(p: BucketPolicyInput): LakePolicyDocument {
  const objects = `${p.bucketArn}/*`;
  return policy([
    denyInsecureTransport([p.bucketArn, objects]),
    when(p.requireEncryptionHeader, denyMissingEncryptionHeader(objects)),
    denyOtherEncryption(objects, p.sseAlgorithm),
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
}

/**
 * Bucket policy of the access log bucket: delivery by the S3 logging service principal,
 * limited to this account's source buckets (no ACL grants), TLS only, SSE-S3 only.
 */
export function logBucketPolicy(p: LogBucketPolicyInput): LakePolicyDocument {
  const objects = `${p.logBucketArn}/*`;
  return policy([
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
  const hasAny: Cond =
    typeof p.hasReaders === "boolean" && typeof p.hasWriters === "boolean"
      ? p.hasReaders || p.hasWriters
      : { hcl: `(${condHcl(p.hasReaders)}) || (${condHcl(p.hasWriters)})` };
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

function condHcl(c: Cond): string {
  return typeof c === "boolean" ? String(c) : c.hcl;
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
  /** The given key ARN, or `arn:<partition>:kms:<region>:<account>:key/*` for the module's key (its ARN is unknown at plan time). */
  readonly keyResource: string;
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
    Resource: kms.keyResource,
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

export interface AnalystInput {
  /** Zones the analyst reads (the write zone included). */
  readonly readZones: ZoneArns;
  /** The analyst's write zone. */
  readonly writeZone: ZoneArns;
  /** Writes only through the write zone's access point (s3:DataAccessPointArn), not to the bucket directly. */
  readonly writeViaAccessPointOnly: Cond;
}

/** analyst: read the readable zones, write and delete only in the write zone. */
export function analystPolicy(a: AnalystInput, c: LakeAccessCommon): LakePolicyDocument {
  const write = [...WRITE_OBJECT_ACTIONS];
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
      not(a.writeViaAccessPointOnly),
      objectStatement("WriteAnalystZone", write, concatLists(a.writeZone.objectArns, a.writeZone.accessPointObjectArns), c.regions),
    ),
    when(
      a.writeViaAccessPointOnly,
      objectStatement("WriteAnalystZoneThroughAccessPoint", write, a.writeZone.accessPointObjectArns, c.regions),
    ),
    when(
      c.kms.enabled,
      kmsStatement("DecryptReadableZones", KMS_READ_ACTIONS, c.kms, c.regions, a.readZones.bucketArns, a.readZones.objectArns),
      kmsStatement("EncryptAnalystZone", KMS_WRITE_ACTIONS, c.kms, c.regions, a.writeZone.bucketArns, a.writeZone.objectArns),
    ),
  ]);
}

export interface AthenaAccess {
  readonly enabled: Cond;
  /** `arn:<partition>:athena:<region>:<account>:workgroup/<name>` */
  readonly workgroupArn: string;
  /** Glue catalog, database and table ARNs the queries may read. */
  readonly glueResources: Strs;
  readonly resultsBucketArn: string;
  /** `<results bucket arn>/<workgroup>/*` */
  readonly resultsObjectArn: string;
}

/** read_only (data_team): list and read every zone; run Athena queries in the lake's workgroup. */
export function readOnlyPolicy(zones: ZoneArns, athena: AthenaAccess, c: LakeAccessCommon): LakePolicyDocument {
  const parts: Part[] = [
    discover(c.regions),
    listZones("ListLakeZones", zones, c.regions),
    objectStatement("ReadLakeObjects", READ_OBJECT_ACTIONS, concatLists(zones.objectArns, zones.accessPointObjectArns), c.regions),
    when(c.kms.enabled, kmsStatement("DecryptLakeObjects", KMS_READ_ACTIONS, c.kms, c.regions, zones.bucketArns, zones.objectArns)),
    when(
      athena.enabled,
      objectStatement("RunQueriesInLakeWorkgroup", ATHENA_QUERY_ACTIONS, [athena.workgroupArn], c.regions),
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

/** Key policy of the module-managed key: the account (its IAM policies) administers and uses it. */
export function lakeKeyPolicy(p: { partition: string; accountId: string }): LakePolicyDocument {
  return policy([
    {
      Sid: "EnableIamPoliciesOfTheAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ]);
}

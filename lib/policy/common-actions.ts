/**
 * Action lists more than one module uses, kept once so the modules cannot disagree
 * (e.g. what "cannot disable CloudTrail" means in an identity policy and in an SCP).
 */

/** Stopping, deleting or reconfiguring CloudTrail trails and event data stores. */
export const CLOUDTRAIL_TAMPER_ACTIONS = [
  "cloudtrail:DeleteEventDataStore",
  "cloudtrail:DeleteTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:StopEventDataStoreIngestion",
  "cloudtrail:StopLogging",
  "cloudtrail:UpdateTrail",
];

/** Reading the Glue Data Catalog that Athena queries. */
export const GLUE_CATALOG_READ_ACTIONS = [
  "glue:BatchGetPartition",
  "glue:GetDatabase",
  "glue:GetDatabases",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:GetTable",
  "glue:GetTables",
];

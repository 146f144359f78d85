/**
 * What a production environment's non-admin roles may never do to data: delete it, or destroy it
 * indirectly (backup retention, point-in-time recovery, versioning, expiring lifecycle, key
 * deletion and key-policy replacement). Pure data: no cdktf import.
 */

/** Deleting or irreversibly overwriting data of data-bearing services. */
export const PRODUCTION_DATA_DENY_ACTIONS: readonly string[] = [
  "backup:DeleteBackupPlan",
  "backup:DeleteBackupVault",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "dynamodb:DeleteBackup",
  "dynamodb:DeleteTable",
  "ec2:DeleteSnapshot",
  "ec2:DeleteVolume",
  "elasticfilesystem:DeleteFileSystem",
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "rds:DeleteDBCluster",
  "rds:DeleteDBClusterSnapshot",
  "rds:DeleteDBInstance",
  "rds:DeleteDBSnapshot",
  "rds:DeleteGlobalCluster",
  "s3:DeleteBucket",
  "s3:DeleteObject*",
];

/**
 * The indirect ways. IAM has no condition key for a backup retention period, a point-in-time
 * recovery switch, a versioning status or a lifecycle rule's expiration, so the changes that can
 * set them are denied whole in production (an admin or break-glass principal makes them).
 */
export const PRODUCTION_INDIRECT_DENY_ACTIONS: readonly string[] = [
  "backup:UpdateBackupPlan",
  "dynamodb:UpdateContinuousBackups",
  "dynamodb:UpdateTimeToLive",
  "ecr:PutLifecyclePolicy",
  "kms:DeleteImportedKeyMaterial",
  "kms:ImportKeyMaterial",
  "kms:PutKeyPolicy",
  "logs:PutRetentionPolicy",
  "rds:ModifyDBCluster",
  "rds:ModifyDBInstance",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketPolicy",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
];

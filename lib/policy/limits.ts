/**
 * The AWS quotas and naming rules the modules are built against, in one place. Everything that
 * sizes, packs or validates a policy or a name imports its number from here, so a quota AWS
 * changes (or an account raises) is one edit. Figures are AWS defaults from the IAM, Organizations
 * and S3 quota pages; where a quota can be raised, the modules expose it as an input instead.
 */

/** Characters of a customer-managed IAM policy, whitespace not counted. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** Managed policies attached to one IAM group, role or user (default quota; raisable to 20). */
export const MAX_MANAGED_POLICIES_PER_PRINCIPAL = 10;
/** Characters of a role trust policy, whitespace not counted (default quota; raisable to 8,192). */
export const TRUST_POLICY_MAX_CHARS = 2048;
/** Characters of all inline policies of one group, whitespace not counted. */
export const GROUP_INLINE_POLICY_MAX_CHARS = 5120;
/** Characters of all inline policies of one role, whitespace not counted. */
export const ROLE_INLINE_POLICY_MAX_CHARS = 10240;
/** Bytes of an S3 bucket policy, and of an access point policy. */
export const BUCKET_POLICY_MAX_BYTES = 20480;
export const ACCESS_POINT_POLICY_MAX_BYTES = 20480;

/** Characters of a service or resource control policy, minified (default; `scpMaxChars` changes it). */
export const SCP_MAX_CHARS = 5120;
/** SCPs attached to one organization target, FullAWSAccess included (default; `scpMaxPerTarget`). */
export const SCP_MAX_PER_TARGET = 5;

/** Name lengths (characters). */
export const NAME_LENGTHS = {
  iamUser: 64,
  iamRole: 64,
  iamGroup: 128,
  iamPolicy: 128,
  tagKey: 128,
  tagValue: 256,
  s3BucketMin: 3,
  s3BucketMax: 63,
} as const;

/** An AWS region code, e.g. ap-southeast-2, us-gov-west-1, eu-central-2. */
export const REGION_REGEX =
  "^(us|eu|ap|sa|ca|me|af|il|mx)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$";
/** The region the modules' allowed_regions default to (an example a consumer overrides). */
export const DEFAULT_REGION = "ap-southeast-2";
/** Where most global services (IAM, Organizations, billing, Route 53, ...) are served from. */
export const GLOBAL_REGION = "us-east-1";

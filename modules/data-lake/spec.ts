import { ModuleSpec, VariableSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";
import {
  ACCESS_POINT_NAME_MAX_LENGTH,
  BUCKET_NAME_RULES,
  describeRules,
  DOTLESS_NAME_PATTERN,
  nameRulesHcl,
  noReservedPrefixHcl,
  RESERVED_BUCKET_PREFIXES,
} from "../../lib/policy/s3/names";

const PRINCIPAL_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/.+|role/.+)$";
const KMS_KEY_ARN = "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$";
/** Break-glass principals: IAM users or roles; a * only at the end (no broad wildcards). */
const BREAK_GLASS_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:(user|role)/[A-Za-z0-9+=,.@_/-]+[*]?$";
/** A zone key: part of bucket and access point names, so lowercase letters, digits and inner hyphens (one character allowed). */
const ZONE_KEY = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
/** Longest name: a one-character zone key still fits its access point `<name>-<zone>-access`. */
export const NAME_MAX_LENGTH = ACCESS_POINT_NAME_MAX_LENGTH - "-x-access".length;
/** The entries of list variable `v` that do not match `re`, joined: for messages naming the offending values. */
const offending = (v: string, re: string) => `\${join(", ", [for a in var.${v} : jsonencode(a) if !can(regex("${re}", a))])}`;

/*
 * Worst-case inputs of the synth-time policy checks (VariableSpec.worstCase): the longest name,
 * zone keys that then fill the 50-character access point name, and zones that each declare
 * readers, writers and prefixes, so every statement those inputs switch on is emitted and the
 * ARNs are as long as the inputs allow.
 */
const WORST_NAME = "x".repeat(NAME_MAX_LENGTH);
const WORST_ACCOUNT = "111122223333";
const WORST_ZONE = {
  description: "",
  read_principal_arns: [`arn:aws:iam::${WORST_ACCOUNT}:role/lake-reader`, "arn:aws:iam::444455556666:role/partner-reader"],
  read_write_principal_arns: [`arn:aws:iam::${WORST_ACCOUNT}:role/lake-writer`, `arn:aws:iam::${WORST_ACCOUNT}:role/etl`],
  prefixes: ["raw/", "curated/"],
};
const WORST_ZONES = { a: WORST_ZONE, b: WORST_ZONE, c: WORST_ZONE };

const integerRange = (name: string, min: number, max: number, what: string): VariableSpec["validations"] => [
  {
    condition: `var.${name} == floor(var.${name}) && var.${name} >= ${min} && var.${name} <= ${max}`,
    message: `The ${name} input must be a whole number of ${what} from ${min} to ${max}.`,
  },
];

export const DATA_LAKE_SPEC: ModuleSpec = {
  id: "data-lake",
  title: "Data lake",
  purpose:
    "Region-locked S3 buckets for a data lake (by default `<name>-landing-zone` and `<name>-analysis`): versioned, encrypted, never public, ACLs disabled, TLS only, with access points `<name>-<zone>-access` and their policies, lifecycle rules, server access logs in a separate hardened bucket, an Athena workgroup for the data team, and customer-managed IAM policies (read/write, analyst, read-only) for iam-baseline's groups to attach.",
  variables: [
    {
      name: "name",
      type: "string",
      description:
        "Name of the lake; each zone's bucket is <name>-<zone>, its access point <name>-<zone>-access, the log bucket <name>-access-logs and the Athena results bucket <name>-athena-results. Access point names have at most 50 characters, so name plus the longest zone key may have at most 42 (30 with the default zones, whose longest key is landing-zone); the plan refuses a longer combination, naming both.",
      example: `"acme-lake"`,
      worstCase: WORST_NAME,
      validations: [
        {
          condition: `length(var.name) >= 3 && length(var.name) <= ${NAME_MAX_LENGTH} && can(regex(${JSON.stringify(DOTLESS_NAME_PATTERN)}, var.name))`,
          message: `The name input ("\${var.name}") must be 3-${NAME_MAX_LENGTH} characters of lowercase letters, digits and hyphens that begins and ends with a letter or digit (no dots or capitals: it is part of S3 bucket and access point names).`,
        },
        {
          condition: noReservedPrefixHcl("var.name"),
          message: `The name input must not start with ${RESERVED_BUCKET_PREFIXES.slice(0, -1).join(", ")} or ${RESERVED_BUCKET_PREFIXES[RESERVED_BUCKET_PREFIXES.length - 1]} (prefixes S3 reserves).`,
        },
      ],
    },
    {
      name: "account_id",
      type: "string",
      description:
        "ID of the AWS account the lake lives in (12 digits). Policies, ARNs and conditions are built from it, so every document is known at plan time.",
      example: `"123456789012"`,
      worstCase: WORST_ACCOUNT,
      validations: [{ condition: `can(regex("^[0-9]{12}$", var.account_id))`, message: "The account_id input must be exactly 12 digits." }],
    },
    {
      name: "zones",
      type: `map(object({
    description               = optional(string, "")
    read_principal_arns       = optional(list(string), [])
    read_write_principal_arns = optional(list(string), [])
    prefixes                  = optional(list(string), [])
  }))`,
      description:
        "Lake zones keyed by zone name, one bucket and one access point each. read_principal_arns / read_write_principal_arns are IAM principals granted read or read/write through the zone's access point policy, limited to prefixes (each ending in /) when given. People in the account get lake access through the policies in policy_arns instead.",
      default: { "landing-zone": {}, analysis: {} },
      worstCase: WORST_ZONES,
      validations: [
        {
          condition: "length(var.zones) >= 1 && length(var.zones) <= 50",
          message: "The zones map must have from 1 to 50 zones.",
        },
        {
          condition: `alltrue([for z in keys(var.zones) : length(z) <= 30 && can(regex("${ZONE_KEY}", z))])`,
          message:
            "Every key of zones must be at most 30 characters of lowercase letters, digits and hyphens that begins and ends with a letter or digit.",
        },
        {
          condition: `alltrue(flatten([for z in values(var.zones) : [for a in concat(z.read_principal_arns, z.read_write_principal_arns) : can(regex("${PRINCIPAL_ARN}", a))]]))`,
          message:
            "Every entry of zones[*].read_principal_arns and zones[*].read_write_principal_arns must be an IAM account root, user or role ARN such as arn:aws:iam::123456789012:role/etl.",
        },
        {
          condition: `alltrue(flatten([for z in values(var.zones) : [for p in z.prefixes : can(regex("^[^/*?][^*?]*/$", p))]]))`,
          message:
            "Every entry of zones[*].prefixes must be a key prefix ending in / that does not start with / and has no * or ? (for example raw/).",
        },
      ],
    },
    {
      name: "zones_per_policy",
      type: "number",
      description:
        "Zones covered by one managed policy of an access level: a lake with more zones gets several policies per level (policy_arns lists them), so no policy exceeds the 6,144-character quota. null (default) computes it at plan time from the real policy sizes (the longest zone key's share of each level's policy), which always fits; a number overrides it (a plan-time check still refuses a part over the quota).",
      default: null,
      nullable: true,
      validations: [
        {
          condition:
            "var.zones_per_policy == null ? true : (var.zones_per_policy >= 1 && var.zones_per_policy <= 50 && floor(var.zones_per_policy) == var.zones_per_policy)",
          message:
            'The zones_per_policy input (${var.zones_per_policy == null ? "null" : var.zones_per_policy}) must be null or a whole number from 1 to 50.',
        },
      ],
    },
    allowedRegionsVariable(
      "AWS regions where the lake may be deployed (a plan-time precondition checks the provider's region) and where its access policies allow S3 and Athena requests (aws:RequestedRegion).",
    ),
    {
      name: "sse_algorithm",
      type: "string",
      description:
        "Default encryption of the zone and Athena results buckets: AES256 (S3-managed keys) or aws:kms (a module-managed key, or kms_key_arn). The log bucket always uses AES256, which server access log delivery requires.",
      default: "AES256",
      worstCase: "aws:kms",
      validations: [
        { condition: `contains(["AES256", "aws:kms"], var.sse_algorithm)`, message: "The sse_algorithm input must be AES256 or aws:kms." },
      ],
    },
    {
      name: "kms_key_arn",
      type: "string",
      description:
        "ARN of an existing KMS key for sse_algorithm = aws:kms, in the lake's region and partition (checked at plan time); null creates a module-managed key (rotation on, key policy for this account and the principals declared on zones). Either way, only this key may encrypt the lake's objects.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.kms_key_arn == null ? true : can(regex("${KMS_KEY_ARN}", var.kms_key_arn))`,
          message:
            'The kms_key_arn input (${var.kms_key_arn == null ? "null" : var.kms_key_arn}) must be null or a KMS key ARN such as arn:aws:kms:ap-southeast-2:123456789012:key/<key id> (not an alias).',
        },
      ],
    },
    {
      name: "kms_key_deletion_window_in_days",
      type: "number",
      description: "Waiting period before the module-managed KMS key is deleted after destroy.",
      default: 30,
      validations: integerRange("kms_key_deletion_window_in_days", 7, 30, "days"),
    },
    {
      name: "encryption_header_mode",
      type: "string",
      description:
        "How the zone bucket policies treat the s3:x-amz-server-side-encryption header on uploads: strict (an upload without the header, or with another algorithm than sse_algorithm, is denied) or if_present (only another algorithm is denied; uploads without the header get the bucket's default encryption).",
      default: "strict",
      validations: [
        {
          condition: `contains(["strict", "if_present"], var.encryption_header_mode)`,
          message: "The encryption_header_mode input must be strict or if_present.",
        },
      ],
    },
    {
      name: "force_destroy",
      type: "bool",
      description:
        "Let terraform destroy delete non-empty zone and Athena results buckets (and the workgroup's queries). Keep false outside throwaway environments: with false, destroy stops at the first non-empty bucket and the KMS key (which every bucket depends on) is not scheduled for deletion. Log objects can be deleted only by break_glass_principal_arns, so emptying the log bucket needs break-glass even with true.",
      default: false,
    },
    {
      name: "noncurrent_version_expiration_days",
      type: "number",
      description: "Days after which a noncurrent (overwritten or deleted) object version is permanently removed, in every bucket.",
      default: 90,
      validations: integerRange("noncurrent_version_expiration_days", 1, 36500, "days"),
    },
    {
      name: "abort_incomplete_multipart_upload_days",
      type: "number",
      description: "Days after which incomplete multipart uploads are aborted, in every bucket.",
      default: 7,
      validations: integerRange("abort_incomplete_multipart_upload_days", 1, 365, "days"),
    },
    {
      name: "log_bucket_name",
      type: "string",
      description: "Name of the server access log bucket; null means <name>-access-logs.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.log_bucket_name == null ? true : (${nameRulesHcl("var.log_bucket_name", BUCKET_NAME_RULES)})`,
          message: `The log_bucket_name input must be null or a valid S3 bucket name: ${describeRules(BUCKET_NAME_RULES)}.`,
        },
      ],
    },
    {
      name: "log_retention_days",
      type: "number",
      description: "Days server access logs are kept before they expire.",
      default: 365,
      validations: integerRange("log_retention_days", 1, 36500, "days"),
    },
    {
      name: "analyst_read_zones",
      type: "list(string)",
      description: "Zones the analyst policy may read; null means every zone. The analyst write zone is always readable.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.analyst_read_zones == null ? true : length(var.analyst_read_zones) > 0`,
          message:
            "The analyst_read_zones input must be null (every zone) or name at least one zone; each must be a key of zones (checked at plan time).",
        },
      ],
    },
    {
      name: "analyst_write_zone",
      type: "string",
      description:
        "The one zone where the analyst policy may write and delete objects (default analysis); every other zone is read-only for analysts.",
      default: "analysis",
      worstCase: Object.keys(WORST_ZONES)[0],
      validations: [
        {
          condition: `can(regex("${ZONE_KEY}", var.analyst_write_zone))`,
          message:
            "The analyst_write_zone input must be a zone key (lowercase letters, digits and hyphens); it must also be a key of zones (checked at plan time).",
        },
      ],
    },
    {
      name: "analyst_write_mode",
      type: "string",
      description:
        "How analysts write into analyst_write_zone: direct (default: puts, copies and deletes through the bucket and its access point), access_point (everything only through the zone's access point <name>-<zone>-access) or access_point_puts (the engineer/analyst CLI test table row by row: puts and copies only through the access point, folder markers (keys ending in /) and deletes also directly).",
      default: "direct",
      // Puts through the access point plus folder markers and deletes directly: the most statements.
      worstCase: "access_point_puts",
      nullable: false,
      validations: [
        {
          condition: `contains(["direct", "access_point", "access_point_puts"], var.analyst_write_mode)`,
          message: 'The analyst_write_mode input ("${var.analyst_write_mode}") must be direct, access_point or access_point_puts.',
        },
      ],
    },
    {
      name: "break_glass_principal_arns",
      type: "list(string)",
      description:
        "IAM principal ARN patterns (users or roles; a trailing * allowed) that may delete access-log objects and their versions, for incident response. Nobody else can, whatever their policies grant; empty (default) means nobody (log objects then leave only through the log retention lifecycle rule). Same shape as iam-baseline's lockdown.break_glass_principal_arns: pass the same list.",
      default: [],
      worstCase: [`arn:aws:iam::${WORST_ACCOUNT}:role/BreakGlass*`, `arn:aws:iam::${WORST_ACCOUNT}:user/incident-responder`],
      nullable: false,
      validations: [
        {
          condition: `alltrue([for a in var.break_glass_principal_arns : can(regex("${BREAK_GLASS_ARN}", a))])`,
          message: `Every break_glass_principal_arns entry must be an IAM user or role ARN such as arn:aws:iam::123456789012:role/BreakGlass (a * only at the end); got ${offending("break_glass_principal_arns", BREAK_GLASS_ARN)}.`,
        },
        {
          condition: "length(distinct(var.break_glass_principal_arns)) == length(var.break_glass_principal_arns)",
          message: "The break_glass_principal_arns input lists an entry twice: ${jsonencode(var.break_glass_principal_arns)}.",
        },
      ],
    },
    {
      name: "create_athena_workgroup",
      type: "bool",
      description:
        "Create the data team's Athena workgroup (configuration enforced, results encrypted in the <name>-athena-results bucket) and grant it in the read-only policy.",
      default: true,
    },
    {
      name: "athena_workgroup_name",
      type: "string",
      description: "Name of the Athena workgroup; null means <name>-data-team.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: `var.athena_workgroup_name == null ? true : can(regex("^[A-Za-z0-9._-]{1,128}$", var.athena_workgroup_name))`,
          message: "The athena_workgroup_name input must be null or 1-128 letters, digits, periods, underscores and hyphens.",
        },
      ],
    },
    {
      name: "athena_additional_workgroup_names",
      type: "list(string)",
      description:
        "Other Athena workgroups (of this account and region) where the read_only level may run queries besides the lake's; every other workgroup (primary included) is denied to it, whatever else its holder is granted.",
      default: [],
      worstCase: ["adhoc"],
      nullable: false,
      validations: [
        {
          condition: `alltrue([for w in var.athena_additional_workgroup_names : can(regex("^[A-Za-z0-9._-]{1,128}$", w))])`,
          message: `Every athena_additional_workgroup_names entry must be 1-128 letters, digits, periods, underscores and hyphens; got ${offending("athena_additional_workgroup_names", "^[A-Za-z0-9._-]{1,128}$")}.`,
        },
        {
          condition: "length(distinct(var.athena_additional_workgroup_names)) == length(var.athena_additional_workgroup_names)",
          message:
            "The athena_additional_workgroup_names input lists a workgroup twice: ${jsonencode(var.athena_additional_workgroup_names)}.",
        },
      ],
    },
    {
      name: "athena_results_expiration_days",
      type: "number",
      description: "Days Athena query results are kept in the results bucket.",
      default: 30,
      validations: integerRange("athena_results_expiration_days", 1, 36500, "days"),
    },
    {
      name: "athena_bytes_scanned_cutoff_per_query",
      type: "number",
      description: "Upper limit of bytes one query in the workgroup may scan (a cost guard); null means no limit.",
      default: null,
      nullable: true,
      validations: [
        {
          condition: "var.athena_bytes_scanned_cutoff_per_query == null ? true : var.athena_bytes_scanned_cutoff_per_query >= 10485760",
          message: "The athena_bytes_scanned_cutoff_per_query input must be null or at least 10485760 (10 MB), the Athena minimum.",
        },
      ],
    },
    TAGS_VARIABLE,
  ],
  outputs: [
    { name: "bucket_names", description: "Map of zone to bucket name." },
    { name: "bucket_arns", description: "Map of zone to bucket ARN." },
    { name: "access_point_arns", description: "Map of zone to access point ARN." },
    { name: "access_point_aliases", description: "Map of zone to access point alias (usable wherever a bucket name is)." },
    {
      name: "policy_arns",
      description:
        "ARNs of the lake's customer-managed IAM policies by access level: read_write (engineer), analyst, read_only (data_team, with Athena), each a list (one policy per zones_per_policy zones), for iam-baseline groups to attach.",
    },
    { name: "policy_names", description: "Names of the lake's IAM policies by access level (same keys and order as policy_arns)." },
    { name: "log_bucket_name", description: "Name of the server access log bucket." },
    { name: "log_bucket_arn", description: "ARN of the server access log bucket." },
    {
      name: "kms_key_arn",
      description: "ARN of the KMS key encrypting the lake when sse_algorithm is aws:kms (module-managed or given), else null.",
    },
    { name: "athena_workgroup_name", description: "Name of the data team's Athena workgroup, or null when it is not created." },
    {
      name: "athena_results_bucket_name",
      description: "Name of the Athena query results bucket, or null when the workgroup is not created.",
    },
  ],
  inputChecks: [
    {
      // S3 access point names are 3-50 characters; the bucket <name>-<zone> is then within 63.
      condition: `alltrue([for z in keys(var.zones) : length("\${var.name}-\${z}-access") <= ${ACCESS_POINT_NAME_MAX_LENGTH}])`,
      message:
        "Every access point name <name>-<zone>-access must be at most 50 characters (the S3 limit): shorten the name input or the keys of zones.",
      got: `[for z in keys(var.zones) : "\${var.name}-\${z}-access" if length("\${var.name}-\${z}-access") > ${ACCESS_POINT_NAME_MAX_LENGTH}]`,
    },
  ],
  securityNotes: [
    "Every bucket (zones, Athena results, logs) is versioned, encrypted by default, blocks all four kinds of public access, has ACLs disabled (BucketOwnerEnforced), denies requests without TLS (aws:SecureTransport), expires noncurrent versions and aborts incomplete multipart uploads. force_destroy is false unless asked.",
    "The provider's region must be in allowed_regions: a plan-time postcondition on data.aws_region refuses any other region, and every Allow of the lake's access and access point policies carries an aws:RequestedRegion condition.",
    "Upload encryption (encryption_header_mode): strict (default) denies s3:PutObject when s3:x-amz-server-side-encryption is absent (Null) or differs from sse_algorithm, so every client must send the header (aws s3 cp --sse AES256, or --sse aws:kms). if_present only denies a header that names another algorithm and lets header-less uploads through to the bucket's default encryption: friendlier to SDKs, tools and AWS services that do not send the header, and since 2023 S3 encrypts every new object anyway, but a client can no longer be forced to state the encryption it expects. if_present is written as StringNotEquals plus Null = false: a plain StringNotEqualsIfExists Deny would still match header-less uploads, because IfExists operators are true when the key is absent.",
    "The Athena results bucket always uses the if_present rule (Athena writes results itself under the workgroup's enforced encryption); the log bucket uses it with AES256 (log delivery sends no header and requires SSE-S3).",
    "Zone bucket policies delegate access control to access points of the same account with AWS's documented pattern: Allow Principal AWS * only with the condition s3:DataAccessPointAccount = account_id. No policy allows * without a narrowing condition; the access point policies grant only the principals listed in zones, by prefix when prefixes are given, and public access is blocked on every access point.",
    "Server access logs are delivered by bucket policy to logging.s3.amazonaws.com, limited by aws:SourceAccount and aws:SourceArn to this lake's buckets (no ACL grants).",
    "Access levels (policy_arns): read_write (engineer) lists, reads, writes and deletes in every zone; analyst reads analyst_read_zones (default all) and writes and deletes only in analyst_write_zone (default analysis) as analyst_write_mode says (direct, access_point, or access_point_puts: puts and copies through the access point, folder markers and deletes also directly, as the engineer/analyst CLI test table expects); read_only (data_team) lists and reads every zone and runs Athena queries in the lake's workgroup, with Glue catalog reads and write access only to its own results prefix in the results bucket. No level has s3:DeleteObjectVersion: deletes leave a delete marker and old versions are removed only by the lifecycle rule.",
    "KMS mode accepts the configured key only: the zone and Athena results bucket policies deny an upload that asks for aws:kms without a key id (S3 would store it under the AWS managed key aws/s3, which anyone in the account can use through S3) or names any other key (send the key ARN: aws s3 cp --sse aws:kms --sse-kms-key-id <kms_key_arn output>; uploads without any header get the lake key by default encryption in if_present mode). Every bucket also denies SSE-C (customer-provided keys). The access policies allow kms:Decrypt / kms:GenerateDataKey on the lake key only (its ARN), only through S3 (kms:ViaService) and only for the lake's buckets (kms:EncryptionContext:aws:s3:arn). The module-managed key has rotation on and S3 Bucket Keys; its key policy delegates to the account's IAM policies and grants each zone's read_principal_arns kms:Decrypt and read_write_principal_arns kms:Decrypt and kms:GenerateDataKey, through S3 and for that zone's bucket only (so a declared reader in another account can read through the access point). Because AWS assigns the module-managed key's ARN at creation, the first plan shows the zone and results bucket policies and the access policies as known after apply; later plans show them in full. With kms_key_arn every document is known at plan time; the key must be in the lake's region and partition (checked at plan time) and its key policy is its owner's: grant the zones' declared principals there.",
    "Destroy: every bucket the lake key encrypts depends on the key explicitly, so terraform destroy deletes the key (after kms_key_deletion_window_in_days) only once every bucket is gone. With force_destroy = false (default) a non-empty bucket stops the destroy with an error and the key, alias and data stay; with true, the zone and results buckets are emptied (every object version: the data is gone) and the key is then scheduled for deletion. The log bucket cannot be emptied except by break_glass_principal_arns.",
    "Append-only access logs: the log bucket policy denies s3:PutObject to every principal but the S3 log delivery service (aws:PrincipalServiceName), so nobody overwrites a log object, and denies s3:DeleteObject and s3:DeleteObjectVersion to every principal but break_glass_principal_arns (aws:PrincipalArn), whatever their identity policies grant (an administrator's s3:* included). Logs leave only through the log_retention_days lifecycle rule. Whoever deploys the module can still change the bucket policy and lifecycle rule (that is how Terraform manages them); S3 Object Lock is the stronger control where that matters. Athena results are not made append-only: Athena writes them with the querying principal's own credentials (so only-the-service cannot be expressed), they are derived data that expires after athena_results_expiration_days, and the read_only level writes only under its workgroup's prefix.",
    "Athena: the read_only level runs queries in the lake's workgroup and athena_additional_workgroup_names only, and denies query actions on every other workgroup (primary included) whatever else its holder is granted, so results cannot leave the enforced, encrypted result location. It holds everything a query needs (workgroup actions, Glue catalog reads, zone reads, results bucket writes in the workgroup's prefix, the lake key through S3 in KMS mode): attach policy_arns.read_only to any role that queries the lake (for example a production environment role).",

    "Every policy document is built from name, account_id, partition and region (and the lake key's ARN in KMS mode), never from other computed attributes, so plans show them in full. Identity policies are checked at plan time against the 6,144-character managed policy quota (each access level is split into parts of zones_per_policy zones, by default computed at plan time from the policy sizes with the longest zone key) and access point policies against 20 KB; the bucket policy is bounded and checked at synth time. The name input is checked against the longest zone key at plan time: <name>-<zone>-access must fit S3's 50-character access point limit.",
  ],
  // 0.1.0 development: the access policies became one resource per zones_per_policy zones.
  moved: ["read_write", "analyst", "read_only"].map((l) => ({ from: `aws_iam_policy.${l}`, to: `aws_iam_policy.${l}["1"]` })),
};

import { Construct } from "constructs";
import { AthenaWorkgroup } from "@cdktf/provider-aws/lib/athena-workgroup";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { S3AccessPoint } from "@cdktf/provider-aws/lib/s3-access-point";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { PolicyKind } from "../../lib/policy/types";
import { ITerraformDependable, TerraformIterator, TerraformLocal } from "../../lib/cdktf";
import { jsonencodePolicy, tfExpr, toHclExpression } from "../../lib/policy/render";
import {
  ACCESS_POINT_NAME_RULES,
  accessPointPolicy,
  analystPolicy,
  BUCKET_NAME_RULES,
  describeRules,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  hcl,
  AnalystInput,
  Cond,
  LakeAccessCommon,
  lakeBucketPolicy,
  lakeKeyPolicy,
  LakePolicyDocument,
  logBucketPolicy,
  nameRulesHcl,
  readOnlyPolicy,
  readWritePolicy,
  staticPolicy,
  Strs,
  ZoneArns,
  ZoneKeyGrant,
  zoneKeyStatement,
} from "../../lib/policy/s3";
import { DATA_LAKE_SPEC, NAME_MAX_LENGTH } from "./spec";

/** AWS quotas checked by the module. */
import { ACCESS_POINT_POLICY_MAX_BYTES, BUCKET_POLICY_MAX_BYTES, MANAGED_POLICY_MAX_CHARS } from "../../lib/policy/limits";
export { ACCESS_POINT_POLICY_MAX_BYTES, BUCKET_POLICY_MAX_BYTES, MANAGED_POLICY_MAX_CHARS };

/** A `${...}` Terraform template of an HCL expression (for resource arguments). */
const t = (expression: string) => `\${${expression}}`;
/** Resource arguments typed as number/boolean by the bindings but set from an expression. */
const expr = (expression: string) => t(expression) as any;

// ARNs from names, partition, region and account id: known at plan time (never computed attributes).
const P = tfExpr("local.partition");
const R = tfExpr("local.region");
const ACCOUNT = tfExpr("var.account_id");
const bucketArnHcl = (zone: string) => `"arn:\${local.partition}:s3:::\${var.name}-\${${zone}}"`;
const accessPointArnHcl = (zone: string) =>
  `"arn:\${local.partition}:s3:\${local.region}:\${var.account_id}:accesspoint/\${var.name}-\${${zone}}-access"`;

/** The ARNs of the zones named by an HCL list expression of zone keys. */
function zoneArns(zonesList: string): ZoneArns {
  return {
    bucketArns: tfExpr(`[for z in ${zonesList} : ${bucketArnHcl("z")}]`),
    objectArns: tfExpr(`[for z in ${zonesList} : "${bucketArnHcl("z").slice(1, -1)}/*"]`),
    accessPointArns: tfExpr(`[for z in ${zonesList} : ${accessPointArnHcl("z")}]`),
    accessPointObjectArns: tfExpr(`[for z in ${zonesList} : "${accessPointArnHcl("z").slice(1, -1)}/object/*"]`),
  };
}

/**
 * The data-lake module: zone buckets with access points, a log bucket, an Athena results
 * bucket and workgroup, an optional KMS key, and the lake's access policies. Policies come
 * from lib/policy/s3 (pure); this class only wires them into resources.
 */
export class DataLakeStack extends ModuleStack {
  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, DATA_LAKE_SPEC);
    this.registerRepresentativePolicies();

    // --- where we are: partition and region, read locally by the provider (no AWS call) ---
    new DataAwsPartition(this, "current");
    const region = new DataAwsRegion(this, "region_current", {
      lifecycle: {
        postcondition: [
          {
            // aws_region has `name` in 5.x; 6.x adds `region` (and deprecates `name`). `id` is the region in both.
            condition: t(`contains(var.allowed_regions, lookup(self, "region", self.id))`),
            errorMessage: `The data-lake module may only be deployed in allowed_regions (\${join(", ", var.allowed_regions)}), but the provider's region is \${lookup(self, "region", self.id)}. Configure the provider for an allowed region or add the region to allowed_regions.`,
          },
        ],
      },
    });
    region.overrideLogicalId("current");

    const local = (name: string, value: string) => new TerraformLocal(this, name, value);
    local("partition", t("data.aws_partition.current.partition"));
    local("dns_suffix", t("data.aws_partition.current.dns_suffix"));
    local("region", t(`lookup(data.aws_region.current, "region", data.aws_region.current.id)`));
    local("bucket_names", t(`{ for z, _ in var.zones : z => "\${var.name}-\${z}" }`));
    local("bucket_arns", t(`{ for z, _ in var.zones : z => ${bucketArnHcl("z")} }`));
    local("access_point_names", t(`{ for z, _ in var.zones : z => "\${var.name}-\${z}-access" }`));
    local("access_point_arns", t(`{ for z, _ in var.zones : z => ${accessPointArnHcl("z")} }`));
    local("log_bucket_name", t(`var.log_bucket_name == null ? "\${var.name}-access-logs" : var.log_bucket_name`));
    local("athena_results_bucket_name", `\${var.name}-athena-results`);
    local("athena_workgroup_name", t(`var.athena_workgroup_name == null ? "\${var.name}-data-team" : var.athena_workgroup_name`));
    local(
      "analyst_read_zones",
      t(`distinct(concat(var.analyst_read_zones == null ? keys(var.zones) : var.analyst_read_zones, [var.analyst_write_zone]))`),
    );
    local("kms_enabled", t(`var.sse_algorithm == "aws:kms"`));
    local("create_kms_key", t(`var.sse_algorithm == "aws:kms" && var.kms_key_arn == null`));
    local(
      "kms_key_arn",
      t(`var.sse_algorithm != "aws:kms" ? null : (var.kms_key_arn == null ? one(aws_kms_key.lake[*].arn) : var.kms_key_arn)`),
    );
    // Longest zone key: the access point name <name>-<zone>-access of this zone is the longest.
    local("longest_zone_key", t(`[for z in sort(keys(var.zones)) : z if length(z) == max([for y in keys(var.zones) : length(y)]...)][0]`));
    local(
      "log_source_bucket_arns",
      t(
        `concat(values(local.bucket_arns), var.create_athena_workgroup ? ["arn:\${local.partition}:s3:::\${local.athena_results_bucket_name}"] : [])`,
      ),
    );
    const tags = (extra: Record<string, string>) =>
      expr(
        `merge(var.tags, { ${Object.entries(extra)
          .map(([k, v]) => `"${k}" = ${v}`)
          .join(", ")} })`,
      );

    // --- KMS key (aws:kms without a given key) ---
    const lakeKey = new KmsKey(this, "lake", {
      count: expr("local.create_kms_key ? 1 : 0"),
      description: `Encrypts the objects of the \${var.name} data lake.`,
      enableKeyRotation: true,
      deletionWindowInDays: expr("var.kms_key_deletion_window_in_days"),
      policy: jsonencodePolicy(
        lakeKeyPolicy({
          partition: P,
          accountId: ACCOUNT,
          viaService: `s3.${R}.${tfExpr("local.dns_suffix")}`,
          zoneGrants: [
            zoneGrant("read_principal_arns", "ZoneReaders", KMS_READ_ACTIONS),
            zoneGrant("read_write_principal_arns", "ZoneWriters", KMS_WRITE_ACTIONS),
          ],
        }),
      ),
      tags: tags({ "guardrail:module": `"data-lake"` }),
    });
    new KmsAlias(this, "lake_alias", {
      count: expr("local.create_kms_key ? 1 : 0"),
      name: `alias/\${var.name}-lake`,
      targetKeyId: t("aws_kms_key.lake[0].key_id"),
    }).overrideLogicalId("lake");

    // --- log bucket: SSE-S3 (log delivery requires it), policy-based delivery ---
    const logs = new S3Bucket(this, "logs", {
      bucket: t("local.log_bucket_name"),
      forceDestroy: expr("var.force_destroy"),
      tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:role": `"access-logs"` }),
      lifecycle: {
        precondition: [
          nameRule("local.log_bucket_name", "log bucket name"),
          {
            condition: t(`length(var.name) + length(local.longest_zone_key) + ${"--access".length} <= 50`),
            errorMessage: `The name input ("\${var.name}", \${length(var.name)} characters) is too long for the zone "\${local.longest_zone_key}": its access point name \${var.name}-\${local.longest_zone_key}-access would have \${length(var.name) + length(local.longest_zone_key) + 8} characters, over the 50 S3 allows. With this zone, name may have at most \${${NAME_MAX_LENGTH + 1} - length(local.longest_zone_key)} characters (shorten name or the zone key).`,
          },
          {
            condition: t(
              `var.kms_key_arn == null ? true : (split(":", var.kms_key_arn)[1] == local.partition && split(":", var.kms_key_arn)[3] == local.region)`,
            ),
            errorMessage: `The kms_key_arn input (\${coalesce(var.kms_key_arn, "null")}) must be a key of the lake's partition and region (arn:\${local.partition}:kms:\${local.region}:...): S3 encrypts only with a KMS key of the bucket's own region.`,
          },
          {
            condition: t(
              `!contains(values(local.bucket_names), local.log_bucket_name) && local.log_bucket_name != local.athena_results_bucket_name`,
            ),
            errorMessage: `The log bucket name \${local.log_bucket_name} must differ from every zone bucket name and from the Athena results bucket name.`,
          },
        ],
      },
    });
    const logsHardening = this.harden("logs", { bucket: t("aws_s3_bucket.logs.bucket"), sse: "AES256", bucketKey: "false" }, [logs]);
    new S3BucketLifecycleConfiguration(this, "logs_lifecycle", {
      bucket: t("aws_s3_bucket.logs.bucket"),
      rule: [
        ...baseLifecycleRules(),
        { id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: expr("var.log_retention_days") }] },
      ],
      dependsOn: [logsHardening.versioning],
    }).overrideLogicalId("logs");
    const logsPolicy = new S3BucketPolicy(this, "logs_policy", {
      bucket: t("aws_s3_bucket.logs.bucket"),
      policy: jsonencodePolicy(
        logBucketPolicy({
          logBucketArn: `arn:${P}:s3:::${tfExpr("local.log_bucket_name")}`,
          accountId: ACCOUNT,
          sourceBucketArns: tfExpr("local.log_source_bucket_arns"),
          breakGlassPrincipalArns: tfExpr("var.break_glass_principal_arns"),
          hasBreakGlass: hcl("length(var.break_glass_principal_arns) > 0"),
        }),
      ),
      dependsOn: [logsHardening.publicAccessBlock],
    });
    logsPolicy.overrideLogicalId("logs");

    // --- zone buckets ---
    const zones = TerraformIterator.fromMap(this.variable("zones").value);
    const zoneBucket = new S3Bucket(this, "zone", {
      forEach: zones,
      bucket: t("local.bucket_names[each.key]"),
      forceDestroy: expr("var.force_destroy"),
      tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:zone": "each.key" }),
      // Destroy safety: the key outlives every bucket it encrypts. Terraform destroys a bucket
      // before the key; when a bucket refuses (not empty, force_destroy false) the key is never
      // scheduled for deletion.
      dependsOn: [lakeKey],
      lifecycle: {
        precondition: [
          nameRule("local.bucket_names[each.key]", "bucket name (<name>-<zone>)"),
          {
            condition: t(nameRulesHcl("local.access_point_names[each.key]", ACCESS_POINT_NAME_RULES)),
            errorMessage: `The access point name \${local.access_point_names[each.key]} (<name>-<zone>-access) must ${describeRules(ACCESS_POINT_NAME_RULES)}: shorten name or the zone key.`,
          },
          {
            condition: t(`var.kms_key_arn == null || var.sse_algorithm == "aws:kms"`),
            errorMessage:
              "The kms_key_arn input is only used with sse_algorithm = aws:kms: set sse_algorithm to aws:kms or leave kms_key_arn null.",
          },
        ],
      },
    });
    const zoneEach = () => TerraformIterator.fromMap(this.variable("zones").value);
    const sse = t("var.sse_algorithm");
    const zoneHardening = this.harden(
      "zone",
      { forEach: zoneEach(), bucket: t("aws_s3_bucket.zone[each.key].bucket"), sse, bucketKey: "local.kms_enabled" },
      [zoneBucket],
    );
    new S3BucketLifecycleConfiguration(this, "zone_lifecycle", {
      forEach: zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      rule: baseLifecycleRules(),
      dependsOn: [zoneHardening.versioning],
    }).overrideLogicalId("zone");
    new S3BucketLoggingA(this, "zone_logging", {
      forEach: zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      targetBucket: t("aws_s3_bucket.logs.bucket"),
      targetPrefix: `\${local.bucket_names[each.key]}/`,
      dependsOn: [logsPolicy],
    }).overrideLogicalId("zone");
    const zoneBucketArn = `arn:${P}:s3:::${tfExpr("local.bucket_names[each.key]")}`;
    new S3BucketPolicy(this, "zone_policy", {
      forEach: zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      policy: jsonencodePolicy(
        lakeBucketPolicy({
          bucketArn: zoneBucketArn,
          accountId: ACCOUNT,
          sseAlgorithm: tfExpr("var.sse_algorithm"),
          requireEncryptionHeader: hcl(`var.encryption_header_mode == "strict"`),
          delegateToAccessPoints: true,
          kmsEnabled: hcl("local.kms_enabled"),
          kmsKeyArn: tfExpr("local.kms_key_arn"),
        }),
      ),
      dependsOn: [zoneHardening.publicAccessBlock],
    }).overrideLogicalId("zone");

    // --- access points <name>-<zone>-access ---
    local("access_point_policies", t(`{ for z, cfg in var.zones : z => ${accessPointPolicyHcl()} }`));
    new S3AccessPoint(this, "zone_access_point", {
      forEach: zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      name: t("local.access_point_names[each.key]"),
      accountId: t("var.account_id"),
      policy: t("local.access_point_policies[each.key]"),
      publicAccessBlockConfiguration: {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      lifecycle: {
        precondition: [
          {
            condition: t(`length(local.access_point_policies[each.key]) <= ${ACCESS_POINT_POLICY_MAX_BYTES}`),
            errorMessage: `The access point policy of zone \${each.key} is \${length(local.access_point_policies[each.key])} characters, over the ${ACCESS_POINT_POLICY_MAX_BYTES}-byte limit: list fewer principals or prefixes in zones.`,
          },
        ],
      },
    }).overrideLogicalId("zone");

    // --- Athena results bucket and workgroup ---
    const resultsBucket = new S3Bucket(this, "athena_results", {
      count: expr("var.create_athena_workgroup ? 1 : 0"),
      bucket: t("local.athena_results_bucket_name"),
      forceDestroy: expr("var.force_destroy"),
      tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:role": `"athena-results"` }),
      dependsOn: [lakeKey],
      lifecycle: {
        precondition: [
          nameRule("local.athena_results_bucket_name", "Athena results bucket name (<name>-athena-results)"),
          {
            condition: t(`!contains(values(local.bucket_names), local.athena_results_bucket_name)`),
            errorMessage: `The Athena results bucket name \${local.athena_results_bucket_name} collides with a zone bucket: rename the zone athena-results.`,
          },
        ],
      },
    });
    const resultsEach = expr("var.create_athena_workgroup ? 1 : 0");
    const resultsHardening = this.harden(
      "athena_results",
      { count: resultsEach, bucket: t("aws_s3_bucket.athena_results[0].bucket"), sse, bucketKey: "local.kms_enabled" },
      [resultsBucket],
    );
    new S3BucketLifecycleConfiguration(this, "athena_results_lifecycle", {
      count: resultsEach,
      bucket: t("aws_s3_bucket.athena_results[0].bucket"),
      rule: [
        ...baseLifecycleRules(),
        {
          id: "expire-query-results",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: expr("var.athena_results_expiration_days") }],
        },
      ],
      dependsOn: [resultsHardening.versioning],
    }).overrideLogicalId("athena_results");
    new S3BucketLoggingA(this, "athena_results_logging", {
      count: resultsEach,
      bucket: t("aws_s3_bucket.athena_results[0].bucket"),
      targetBucket: t("aws_s3_bucket.logs.bucket"),
      targetPrefix: `\${local.athena_results_bucket_name}/`,
      dependsOn: [logsPolicy],
    }).overrideLogicalId("athena_results");
    const resultsBucketArn = `arn:${P}:s3:::${tfExpr("local.athena_results_bucket_name")}`;
    new S3BucketPolicy(this, "athena_results_policy", {
      count: resultsEach,
      bucket: t("aws_s3_bucket.athena_results[0].bucket"),
      policy: jsonencodePolicy(
        lakeBucketPolicy({
          bucketArn: resultsBucketArn,
          accountId: ACCOUNT,
          sseAlgorithm: tfExpr("var.sse_algorithm"),
          // Athena writes the results itself, under the workgroup's enforced encryption.
          requireEncryptionHeader: false,
          delegateToAccessPoints: false,
          kmsEnabled: hcl("local.kms_enabled"),
          kmsKeyArn: tfExpr("local.kms_key_arn"),
        }),
      ),
      dependsOn: [resultsHardening.publicAccessBlock],
    }).overrideLogicalId("athena_results");
    new AthenaWorkgroup(this, "data_team", {
      count: resultsEach,
      name: t("local.athena_workgroup_name"),
      description: `Queries of the \${var.name} data lake's data team; results encrypted in \${local.athena_results_bucket_name}.`,
      forceDestroy: expr("var.force_destroy"),
      state: "ENABLED",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: expr("var.athena_bytes_scanned_cutoff_per_query"),
        resultConfiguration: {
          outputLocation: `s3://\${aws_s3_bucket.athena_results[0].bucket}/\${local.athena_workgroup_name}/`,
          expectedBucketOwner: t("var.account_id"),
          encryptionConfiguration: {
            encryptionOption: t(`local.kms_enabled ? "SSE_KMS" : "SSE_S3"`),
            kmsKeyArn: t("local.kms_key_arn"),
          },
        },
      },
      tags: tags({ "guardrail:module": `"data-lake"` }),
      dependsOn: [resultsBucket],
    });

    // --- the lake's access policies (customer-managed, for iam-baseline's groups) ---
    const common = (keyArn: string): LakeAccessCommon => ({
      regions: tfExpr("var.allowed_regions"),
      kms: { enabled: hcl("local.kms_enabled"), keyArn: tfExpr(keyArn), viaService: `s3.${R}.${tfExpr("local.dns_suffix")}` },
    });
    // The module-managed key's ARN is known only after it is created; policy sizes (and so the
    // number of policy parts, which must be known at plan time) use a stand-in of the same length.
    local(
      "kms_key_arn_for_sizing",
      t(
        `var.kms_key_arn != null ? var.kms_key_arn : "arn:\${local.partition}:kms:\${local.region}:\${var.account_id}:key/00000000-0000-0000-0000-000000000000"`,
      ),
    );
    const workgroupArn = (w: string) => `"arn:\${local.partition}:athena:\${local.region}:\${var.account_id}:workgroup/\${${w}}"`;
    local(
      "athena_workgroup_arns",
      t(
        `concat(var.create_athena_workgroup ? [${workgroupArn("local.athena_workgroup_name")}] : [], [for w in var.athena_additional_workgroup_names : ${workgroupArn("w")}])`,
      ),
    );

    // Each access level is split into as many managed policies as its zones need, so a large
    // lake never exceeds the 6,144-character quota.
    const docs = (keyArn: string) =>
      accessDocs(
        {
          partition: P,
          region: R,
          account: ACCOUNT,
          common: common(keyArn),
          analystWriteMode: { hcl: "var.analyst_write_mode" },
          athenaEnabled: hcl("var.create_athena_workgroup"),
          workgroupName: tfExpr("local.athena_workgroup_name"),
          workgroupArns: tfExpr("local.athena_workgroup_arns"),
          hasWorkgroups: hcl("length(local.athena_workgroup_arns) > 0"),
          resultsBucketArn,
        },
        zoneArns("zs"),
        zoneArns("[var.analyst_write_zone]"),
      );
    const policies: Record<Level, { zones: string; title: string; extra?: Precondition[] }> = {
      read_write: { zones: "keys(var.zones)", title: "read/write access to every zone of the lake (engineer)" },
      analyst: {
        zones: "local.analyst_read_zones",
        title: "read access to the analyst's readable zones and write access to the analyst zone (analyst)",
        extra: [
          {
            condition: t("contains(keys(var.zones), var.analyst_write_zone)"),
            errorMessage: `The analyst_write_zone input (\${var.analyst_write_zone}) must be one of the zones: \${join(", ", keys(var.zones))}.`,
          },
          {
            condition: t(
              "var.analyst_read_zones == null ? true : alltrue([for z in var.analyst_read_zones : contains(keys(var.zones), z)])",
            ),
            errorMessage: `Every entry of analyst_read_zones must be one of the zones: \${join(", ", keys(var.zones))}.`,
          },
        ],
      },
      read_only: {
        zones: "keys(var.zones)",
        title: "read-only access to every zone and Athena queries in the lake's workgroup (data_team)",
      },
    };
    for (const level of Object.keys(policies) as Level[]) {
      const p = policies[level];
      // Zones per part, from the real sizes: the policy with the longest zone once and twice gives
      // its fixed part and the (largest) share of one zone; every other zone costs at most that.
      const longest = `[for z in sort(${p.zones}) : z if length(z) == max([for y in ${p.zones} : length(y)]...)][0]`;
      const sizing = toHclExpression(docs("local.kms_key_arn_for_sizing")[level]);
      local(`${level}_policy_sizes`, t(`[for zs in [[${longest}], [${longest}, ${longest}]] : length(jsonencode(${sizing}))]`));
      local(
        `${level}_zones_per_policy`,
        t(
          `var.zones_per_policy != null ? var.zones_per_policy : max(1, min(50, 1 + floor((${MANAGED_POLICY_MAX_CHARS} - local.${level}_policy_sizes[0]) / max(1, local.${level}_policy_sizes[1] - local.${level}_policy_sizes[0]))))`,
        ),
      );
      // { "1" = jsonencode(<policy for zones 1..n>), "2" = ... }
      local(
        `${level}_policies`,
        t(
          `{ for i, zs in chunklist(sort(${p.zones}), local.${level}_zones_per_policy) : tostring(i + 1) => jsonencode(${toHclExpression(docs("local.kms_key_arn")[level])}) }`,
        ),
      );
      const base = `\${var.name}-lake-${level.replace(/_/g, "-")}`;
      const pol = new IamPolicy(this, level, {
        name: t(`each.key == "1" ? "${base}" : "${base}-\${each.key}"`),
        path: "/",
        description: `Data lake \${var.name}: ${p.title} (part \${each.key}).`,
        policy: t("each.value"),
        tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:access-level": `"${level}"` }),
        lifecycle: {
          precondition: [
            ...(p.extra ?? []),
            {
              condition: t(`length(each.value) <= ${MANAGED_POLICY_MAX_CHARS}`),
              errorMessage: `The ${level} lake policy part \${each.key} is \${length(each.value)} characters, over the ${MANAGED_POLICY_MAX_CHARS}-character managed policy quota: lower zones_per_policy (\${local.${level}_zones_per_policy}) or leave it null.`,
            },
          ],
        },
      });
      pol.addOverride("for_each", t(`local.${level}_policies`));
    }

    // --- outputs ---
    this.output("bucket_names", t("{ for k, b in aws_s3_bucket.zone : k => b.bucket }"));
    this.output("bucket_arns", t("{ for k, b in aws_s3_bucket.zone : k => b.arn }"));
    this.output("access_point_arns", t("{ for k, a in aws_s3_access_point.zone : k => a.arn }"));
    this.output("access_point_aliases", t("{ for k, a in aws_s3_access_point.zone : k => a.alias }"));
    this.output(
      "policy_arns",
      // Built from the policies' names (known at plan time, so consumers' attachments are
      // reviewable in the plan); referencing the resources keeps the dependency.
      t(
        `{ ${["read_write", "analyst", "read_only"].map((k) => `${k} = [for k, p in aws_iam_policy.${k} : "arn:\${local.partition}:iam::\${var.account_id}:policy\${p.path}\${p.name}"]`).join(", ")} }`,
      ),
    );
    this.output(
      "policy_names",
      t(
        "{ read_write = [for k, p in aws_iam_policy.read_write : p.name], analyst = [for k, p in aws_iam_policy.analyst : p.name], read_only = [for k, p in aws_iam_policy.read_only : p.name] }",
      ),
    );
    this.output("log_bucket_name", t("aws_s3_bucket.logs.bucket"));
    this.output("log_bucket_arn", t("aws_s3_bucket.logs.arn"));
    this.output("kms_key_arn", t("local.kms_key_arn"));
    this.output("athena_workgroup_name", t("one(aws_athena_workgroup.data_team[*].name)"));
    this.output("athena_results_bucket_name", t("one(aws_s3_bucket.athena_results[*].bucket)"));
    this.checkOutputsDeclared();
  }

  /**
   * The policy engine (lib/policy/engine.ts) checks plain documents at synth time. The module
   * renders its policies with plan-time conditions and for-expressions, so the engine gets each
   * document built with literal values instead: the default zones, the longest allowed name
   * (worst case for the quotas) and every optional statement switched on (KMS, Athena, access
   * point grants with prefixes), so that every statement the module can emit is checked.
   */
  private registerRepresentativePolicies(): void {
    const name = "a".repeat(40);
    const account = "111122223333";
    const region = "ap-southeast-2";
    const zoneKeys = Object.keys(DATA_LAKE_SPEC.variables.find((v) => v.name === "zones")!.default as object);
    const bucket = (z: string) => `arn:aws:s3:::${name}-${z}`;
    const ap = (z: string) => `arn:aws:s3:${region}:${account}:accesspoint/${name}-${z}-access`;
    const arns = (zs: string[]): ZoneArns => ({
      bucketArns: zs.map(bucket),
      objectArns: zs.map((z) => `${bucket(z)}/*`),
      accessPointArns: zs.map(ap),
      accessPointObjectArns: zs.map((z) => `${ap(z)}/object/*`),
    });
    const keyArn = `arn:aws:kms:${region}:${account}:key/00000000-0000-0000-0000-000000000000`;
    const common: LakeAccessCommon = {
      regions: ["ap-southeast-2"],
      kms: { enabled: true, keyArn, viaService: `s3.${region}.amazonaws.com` },
    };
    const results = `arn:aws:s3:::${name}-athena-results`;
    const wg = `${name}-data-team`;
    const docs: Array<[string, PolicyKind, LakePolicyDocument]> = [
      [
        "aws_s3_bucket_policy.zone",
        "bucket",
        lakeBucketPolicy({
          bucketArn: bucket("landing-zone"),
          accountId: account,
          sseAlgorithm: "aws:kms",
          requireEncryptionHeader: true,
          delegateToAccessPoints: true,
          kmsEnabled: true,
          kmsKeyArn: keyArn,
        }),
      ],
      [
        "aws_s3_bucket_policy.athena_results",
        "bucket",
        lakeBucketPolicy({
          bucketArn: results,
          accountId: account,
          sseAlgorithm: "aws:kms",
          requireEncryptionHeader: false,
          delegateToAccessPoints: false,
          kmsEnabled: true,
          kmsKeyArn: keyArn,
        }),
      ],
      [
        "aws_s3_bucket_policy.logs",
        "bucket",
        logBucketPolicy({
          logBucketArn: `arn:aws:s3:::${name}-access-logs`,
          accountId: account,
          sourceBucketArns: [...zoneKeys.map(bucket), results],
          breakGlassPrincipalArns: [`arn:aws:iam::${account}:role/BreakGlass*`],
          hasBreakGlass: true,
        }),
      ],
      [
        "aws_s3_access_point.zone",
        "access-point",
        accessPointPolicy({
          accessPointArn: ap("analysis"),
          readPrincipalArns: [`arn:aws:iam::${account}:role/reader`],
          readWritePrincipalArns: [`arn:aws:iam::${account}:role/writer`],
          hasReaders: true,
          hasWriters: true,
          objectResources: [`${ap("analysis")}/object/raw/*`],
          listPrefixPatterns: ["raw/*"],
          hasPrefixes: true,
          regions: common.regions,
        }),
      ],
      // A key policy (32 KB quota) has no kind of its own: the stricter 20 KB resource-policy rule applies.
      [
        "aws_kms_key.lake",
        "bucket",
        lakeKeyPolicy({
          partition: "aws",
          accountId: account,
          viaService: common.kms.viaService,
          zoneGrants: [
            zoneKeyStatement(
              {
                principalArns: [`arn:aws:iam::${account}:role/reader`],
                actions: KMS_READ_ACTIONS,
                bucketArn: bucket("analysis"),
                viaService: common.kms.viaService,
              },
              "ZoneReaders0",
            ),
            zoneKeyStatement(
              {
                principalArns: [`arn:aws:iam::${account}:role/writer`],
                actions: KMS_WRITE_ACTIONS,
                bucketArn: bucket("analysis"),
                viaService: common.kms.viaService,
              },
              "ZoneWriters0",
            ),
          ],
        }),
      ],
      ...Object.entries(
        accessDocs(
          {
            partition: "aws",
            region,
            account,
            common,
            analystWriteMode: "access_point_puts",
            athenaEnabled: true,
            workgroupName: wg,
            workgroupArns: [`arn:aws:athena:${region}:${account}:workgroup/${wg}`, `arn:aws:athena:${region}:${account}:workgroup/adhoc`],
            hasWorkgroups: true,
            resultsBucketArn: results,
          },
          arns(zoneKeys),
          arns(["analysis"]),
        ),
      ).map(([level, doc]): [string, PolicyKind, LakePolicyDocument] => [`aws_iam_policy.${level}`, "managed", doc]),
    ];
    for (const [policyName, kind, doc] of docs) this.policyJson({ name: policyName, kind, document: staticPolicy(doc) });
  }

  /**
   * Versioning, default encryption, the public access block and BucketOwnerEnforced for one
   * bucket (or one per for_each/count instance). Resource names: aws_s3_bucket_versioning.<id>, ...
   */
  private harden(
    id: string,
    o: { bucket: string; sse: string; bucketKey: string; forEach?: TerraformIterator; count?: any },
    dependsOn: ITerraformDependable[],
  ) {
    const meta = { forEach: o.forEach, count: o.count, dependsOn };
    const versioning = new S3BucketVersioningA(this, `${id}_versioning`, {
      ...meta,
      bucket: o.bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    versioning.overrideLogicalId(id);
    new S3BucketServerSideEncryptionConfigurationA(this, `${id}_sse`, {
      ...meta,
      bucket: o.bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: o.sse,
            kmsMasterKeyId: o.sse === "AES256" ? undefined : t("local.kms_key_arn"),
          },
          bucketKeyEnabled: expr(o.bucketKey),
        },
      ],
    }).overrideLogicalId(id);
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, `${id}_public_access_block`, {
      ...meta,
      bucket: o.bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    publicAccessBlock.overrideLogicalId(id);
    new S3BucketOwnershipControls(this, `${id}_ownership`, {
      ...meta,
      bucket: o.bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }).overrideLogicalId(id);
    return { versioning, publicAccessBlock };
  }
}

type Precondition = { condition: string; errorMessage: string };

type Level = "read_write" | "analyst" | "read_only";

/** What the access policies are built from: Terraform expressions (rendered) or literals (checked by the policy engine). */
interface AccessValues {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly common: LakeAccessCommon;
  readonly analystWriteMode: AnalystInput["writeMode"];
  readonly athenaEnabled: Cond;
  readonly workgroupName: string;
  readonly workgroupArns: Strs;
  readonly hasWorkgroups: Cond;
  readonly resultsBucketArn: string;
}

/**
 * The three access levels' documents, defined once: the module renders them with Terraform
 * expressions and the policy engine checks them with literal worst-case values.
 */
function accessDocs(v: AccessValues, zones: ZoneArns, writeZone: ZoneArns): Record<Level, LakePolicyDocument> {
  const { partition: P, region: R, account: A } = v;
  return {
    read_write: readWritePolicy(zones, v.common),
    analyst: analystPolicy({ readZones: zones, writeZone, writeMode: v.analystWriteMode }, v.common),
    read_only: readOnlyPolicy(
      zones,
      {
        enabled: v.athenaEnabled,
        workgroupArns: v.workgroupArns,
        hasWorkgroups: v.hasWorkgroups,
        anyWorkgroupArn: `arn:${P}:athena:*:*:workgroup/*`,
        glueResources: [`arn:${P}:glue:${R}:${A}:catalog`, `arn:${P}:glue:${R}:${A}:database/*`, `arn:${P}:glue:${R}:${A}:table/*/*`],
        resultsBucketArn: v.resultsBucketArn,
        resultsObjectArn: `${v.resultsBucketArn}/${v.workgroupName}/*`,
      },
      v.common,
    ),
  };
}

/** A precondition that a computed bucket name follows the S3 naming rules. */
function nameRule(nameExpr: string, what: string): Precondition {
  return {
    condition: t(nameRulesHcl(nameExpr, BUCKET_NAME_RULES)),
    errorMessage: `The ${what} "\${${nameExpr}}" is not a valid S3 bucket name: it must ${describeRules(BUCKET_NAME_RULES)}.`,
  };
}

/** Noncurrent version expiration and aborting incomplete multipart uploads: every bucket. */
function baseLifecycleRules(): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: [{ prefix: "" }],
      noncurrentVersionExpiration: [{ noncurrentDays: expr("var.noncurrent_version_expiration_days") }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: expr("var.abort_incomplete_multipart_upload_days") }],
    },
  ];
}

/** The key-policy grant of the principals in zones[*].<field> (one statement per zone that has some). */
function zoneGrant(field: "read_principal_arns" | "read_write_principal_arns", sid: string, actions: readonly string[]): ZoneKeyGrant {
  return {
    forClause: "i, z in sort(keys(var.zones))",
    when: `length(var.zones[z].${field}) > 0`,
    principalArns: tfExpr(`var.zones[z].${field}`),
    actions,
    bucketArn: `arn:${P}:s3:::${tfExpr("var.name")}-${tfExpr("z")}`,
    sid: `${sid}${tfExpr("i")}`,
  };
}

/** The access point policy of zone `z` (config `cfg`) as an HCL expression, for a for-expression local. */
function accessPointPolicyHcl(): string {
  const ap = `arn:${P}:s3:${R}:${ACCOUNT}:accesspoint/${tfExpr("var.name")}-${tfExpr("z")}-access`;
  const apHcl = `"arn:\${local.partition}:s3:\${local.region}:\${var.account_id}:accesspoint/\${var.name}-\${z}-access"`;
  const doc = accessPointPolicy({
    accessPointArn: ap,
    readPrincipalArns: tfExpr("cfg.read_principal_arns"),
    readWritePrincipalArns: tfExpr("cfg.read_write_principal_arns"),
    hasReaders: hcl("length(cfg.read_principal_arns) > 0"),
    hasWriters: hcl("length(cfg.read_write_principal_arns) > 0"),
    objectResources: tfExpr(
      `length(cfg.prefixes) > 0 ? [for p in cfg.prefixes : "${apHcl.slice(1, -1)}/object/\${p}*"] : ["${apHcl.slice(1, -1)}/object/*"]`,
    ),
    listPrefixPatterns: tfExpr(`[for p in cfg.prefixes : "\${p}*"]`),
    hasPrefixes: hcl("length(cfg.prefixes) > 0"),
    regions: tfExpr("var.allowed_regions"),
  });
  // jsonencodePolicy gives "${jsonencode(...)}"; the local's for-expression needs the inner call.
  return jsonencodePolicy(doc).slice(2, -1);
}

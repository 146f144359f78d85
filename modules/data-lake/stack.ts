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
import { tfExpr, toHclExpression } from "../../lib/policy/render";
import {
  ACCESS_POINT_NAME_MAX_LENGTH,
  ACCESS_POINT_NAME_RULES,
  accessPointPolicy,
  analystPolicy,
  BUCKET_NAME_RULES,
  choose,
  describeRules,
  engineDocument,
  equals,
  forList,
  hcl,
  KMS_READ_ACTIONS,
  KMS_WRITE_ACTIONS,
  LakeAccessCommon,
  lakeBucketPolicy,
  lakeKeyPolicy,
  LakePolicyDocument,
  logBucketPolicy,
  member,
  nameRulesHcl,
  nonEmpty,
  readOnlyPolicy,
  readWritePolicy,
  Strs,
  withComposites,
  ZoneArns,
  ZoneKeyGrant,
} from "../../lib/policy/s3";
import { DATA_LAKE_SPEC, NAME_MAX_LENGTH } from "./spec";

/** AWS quotas checked by the module. */
import { ACCESS_POINT_POLICY_MAX_BYTES, BUCKET_POLICY_MAX_BYTES, MANAGED_POLICY_MAX_CHARS } from "../../lib/policy/limits";
export { ACCESS_POINT_POLICY_MAX_BYTES, BUCKET_POLICY_MAX_BYTES, MANAGED_POLICY_MAX_CHARS };

/** A `${...}` Terraform template of an HCL expression (for resource arguments). */
const t = (expression: string) => `\${${expression}}`;
/** Arguments the bindings type as number or boolean, set from an expression (Terraform converts the string). */
const num = (expression: string) => t(expression) as unknown as number;
const bool = (expression: string) => t(expression) as unknown as boolean;

// References the policies and ARNs are built from: names, partition, region and account id, all
// known at plan time (never computed attributes).
const P = tfExpr("local.partition");
const R = tfExpr("local.region");
const ACCOUNT = tfExpr("var.account_id");
const NAME = tfExpr("var.name");
/** The zone variable of the for-expressions over the zones. */
const Z = tfExpr("z");
const bucketArn = (zone: string) => `arn:${P}:s3:::${NAME}-${zone}`;
const accessPointArn = (zone: string) => `arn:${P}:s3:${R}:${ACCOUNT}:accesspoint/${NAME}-${zone}-access`;
const workgroupArn = (workgroup: string) => `arn:${P}:athena:${R}:${ACCOUNT}:workgroup/${workgroup}`;
/** Key id of the stand-in for the module-managed key's ARN, which AWS assigns at creation (same length). */
const KEY_ID_STAND_IN = "00000000-0000-0000-0000-000000000000";
/** The lake key's `kms:ViaService`: S3 in the lake's region. */
const VIA_S3 = `s3.${R}.${tfExpr("local.dns_suffix")}`;

/** The ARNs of the zones in a list of zone keys (a list, or an HCL list expression). */
function zoneArns(zones: Strs): ZoneArns {
  const each = (item: string) => forList({ each: "z", over: typeof zones === "string" ? zones : [...zones], item });
  return {
    bucketArns: each(bucketArn(Z)),
    objectArns: each(`${bucketArn(Z)}/*`),
    accessPointArns: each(accessPointArn(Z)),
    accessPointObjectArns: each(`${accessPointArn(Z)}/object/*`),
  };
}

/** `merge(var.tags, {...})`: the module's tags plus the given ones (values are HCL expressions). */
function tags(extra: Record<string, string>): Record<string, string> {
  const pairs = Object.entries(extra).map(([k, v]) => `"${k}" = ${v}`);
  return t(`merge(var.tags, { ${pairs.join(", ")} })`) as unknown as Record<string, string>;
}

/** The rendered policy attributes of the buckets and the key (`${jsonencode(...)}` each). */
interface ResourcePolicies {
  readonly key: string;
  readonly logs: string;
  readonly zone: string;
  readonly athenaResults: string;
}

/**
 * The data-lake module: zone buckets with access points, a log bucket, an Athena results
 * bucket and workgroup, an optional KMS key, and the lake's access policies. Policies come
 * from lib/policy/s3 (pure); this class wires them into resources and registers each document
 * it renders with the policy engine, which checks it with the worst-case inputs of spec.ts.
 *
 * The constructor reads like the module's README: inputs (the spec, and where the provider
 * is), locals, policies, resources, outputs.
 */
export class DataLakeStack extends ModuleStack {
  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, DATA_LAKE_SPEC);
    this.providerPlace();
    this.nameLocals();
    this.kmsAndAthenaLocals();
    const policies = this.resourcePolicies();
    this.accessPointPolicies();
    this.accessLevelPolicies();
    const lakeKey = this.kmsKey(policies.key);
    const logsPolicy = this.logBucket(policies.logs);
    this.zoneBuckets(lakeKey, logsPolicy, policies.zone);
    this.accessPoints();
    this.athena(lakeKey, logsPolicy, policies.athenaResults);
    this.accessLevelResources();
    this.outputs();
  }

  // ------------------------------------------------------------------ policy engine inputs

  /**
   * Worst-case values of the expressions in the lake's policies that are not inputs (inputs take
   * their `worstCase` from spec.ts through defaultSubstitute): the locals the policies read and
   * the variables of the for-expressions that render them (`z` and `cfg` of the access point
   * policy per zone, `zs` of an access level's part). Composite expressions (statement lists with
   * optional statements, for-expressions over lists, concat) are resolved from these.
   */
  private worstCaseTable(): ReadonlyMap<string, unknown> {
    const input = (name: string) => this.defaultSubstitute(`var.${name}`);
    const name = input("name") as string;
    const account = input("account_id") as string;
    const region = (input("allowed_regions") as string[])[0];
    const zones = input("zones") as Record<string, Record<string, unknown>>;
    const keys = Object.keys(zones).sort();
    // The zone whose names are longest: its access point policy is the largest.
    const zone = keys.reduce((a, b) => (b.length > a.length ? b : a));
    const athena = input("create_athena_workgroup") === true;
    const workgroup = `${name}-data-team`;
    const wgArn = (w: string) => `arn:aws:athena:${region}:${account}:workgroup/${w}`;
    const keyArn = `arn:aws:kms:${region}:${account}:key/${KEY_ID_STAND_IN}`;
    return new Map<string, unknown>([
      ["local.partition", "aws"],
      ["local.region", region],
      ["local.dns_suffix", "amazonaws.com"],
      ["local.kms_enabled", input("sse_algorithm") === "aws:kms"],
      ["local.kms_key_arn", keyArn],
      ["local.kms_key_arn_for_sizing", keyArn],
      ["local.bucket_names[each.key]", `${name}-${zone}`],
      ["local.log_bucket_name", `${name}-access-logs`],
      ["local.athena_results_bucket_name", `${name}-athena-results`],
      ["local.athena_workgroup_name", workgroup],
      [
        "local.athena_workgroup_arns",
        [...(athena ? [wgArn(workgroup)] : []), ...(input("athena_additional_workgroup_names") as string[]).map(wgArn)],
      ],
      [
        "local.log_source_bucket_arns",
        [...keys.map((k) => `arn:aws:s3:::${name}-${k}`), ...(athena ? [`arn:aws:s3:::${name}-athena-results`] : [])],
      ],
      // One part of an access level holds every worst-case zone; the key grants cover every zone.
      ["zs", keys],
      ["sort(keys(var.zones))", keys],
      // The access point policy of the zone with the longest key.
      ["z", zone],
      ...Object.entries(zones[zone]).map(([field, value]): [string, unknown] => [`cfg.${field}`, value]),
    ]);
  }

  private table?: ReadonlyMap<string, unknown>;

  /** Inputs by their worst case (spec.ts), everything else from the table; an unknown expression is a synth error. */
  substitute = withComposites((expression: string): unknown => {
    const table = (this.table ??= this.worstCaseTable());
    if (table.has(expression)) return table.get(expression);
    if (/^var\.[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(expression)) return this.defaultSubstitute(expression);
    throw new Error(
      `module data-lake: a policy uses the expression ${expression}, which has no worst-case value: add it to worstCaseTable() in modules/data-lake/stack.ts`,
    );
  });

  /** Registers a policy with the policy engine; returns its `jsonencode(...)` call for a local's for-expression. */
  private lakePolicyExpr(name: string, kind: PolicyKind, doc: LakePolicyDocument): string {
    return this.policyExpr({ name, kind, document: engineDocument(doc) });
  }

  /** Registers a policy with the policy engine; returns the `${jsonencode(...)}` value of a policy argument. */
  private policyAttribute(name: string, kind: PolicyKind, doc: LakePolicyDocument): string {
    return this.policyJson({ name, kind, document: engineDocument(doc) });
  }

  private local(name: string, value: string): TerraformLocal {
    return new TerraformLocal(this, name, value);
  }

  /** A fresh for_each iterator over the zones (each resource needs its own). */
  private zoneEach(): TerraformIterator {
    return TerraformIterator.fromMap(this.variable("zones").value);
  }

  // ------------------------------------------------------------------ inputs: where we are

  /** Partition and region, read locally by the provider (no AWS call); the region must be allowed. */
  private providerPlace(): void {
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
  }

  // ------------------------------------------------------------------ locals

  /** Names and ARNs, computed once from the inputs so every resource and policy agrees on them. */
  private nameLocals(): void {
    const local = (name: string, value: string) => this.local(name, value);
    // The partition, DNS suffix and region the ARNs and kms:ViaService are built from.
    local("partition", t("data.aws_partition.current.partition"));
    local("dns_suffix", t("data.aws_partition.current.dns_suffix"));
    local("region", t(`lookup(data.aws_region.current, "region", data.aws_region.current.id)`));
    // Zone bucket and access point names and ARNs by zone key: <name>-<zone>, <name>-<zone>-access.
    local("bucket_names", t(`{ for z, _ in var.zones : z => "\${var.name}-\${z}" }`));
    local("bucket_arns", t(`{ for z, _ in var.zones : z => ${toHclExpression(bucketArn(Z))} }`));
    local("access_point_names", t(`{ for z, _ in var.zones : z => "\${var.name}-\${z}-access" }`));
    local("access_point_arns", t(`{ for z, _ in var.zones : z => ${toHclExpression(accessPointArn(Z))} }`));
    // The log bucket, Athena results bucket and workgroup names, with their defaults.
    local("log_bucket_name", t(`var.log_bucket_name == null ? "\${var.name}-access-logs" : var.log_bucket_name`));
    local("athena_results_bucket_name", `\${var.name}-athena-results`);
    local("athena_workgroup_name", t(`var.athena_workgroup_name == null ? "\${var.name}-data-team" : var.athena_workgroup_name`));
    // The analyst's readable zones: the chosen ones (default every zone) and always the write zone.
    local(
      "analyst_read_zones",
      t(`distinct(concat(var.analyst_read_zones == null ? keys(var.zones) : var.analyst_read_zones, [var.analyst_write_zone]))`),
    );
    // Longest zone key: the access point name <name>-<zone>-access of this zone is the longest.
    local("longest_zone_key", t(`[for z in sort(keys(var.zones)) : z if length(z) == max([for y in keys(var.zones) : length(y)]...)][0]`));
    // The buckets whose server access logs the log bucket accepts (its policy's aws:SourceArn).
    local(
      "log_source_bucket_arns",
      t(
        `concat(values(local.bucket_arns), var.create_athena_workgroup ? ["arn:\${local.partition}:s3:::\${local.athena_results_bucket_name}"] : [])`,
      ),
    );
  }

  /** The KMS switches and key ARN, and the Athena workgroups the read_only level may use. */
  private kmsAndAthenaLocals(): void {
    const local = (name: string, value: string) => this.local(name, value);
    // KMS mode, and whether the module creates the key (no kms_key_arn given).
    local("kms_enabled", t(`var.sse_algorithm == "aws:kms"`));
    local("create_kms_key", t(`var.sse_algorithm == "aws:kms" && var.kms_key_arn == null`));
    // The lake key: given, module-managed, or null without KMS.
    local(
      "kms_key_arn",
      t(`var.sse_algorithm != "aws:kms" ? null : (var.kms_key_arn == null ? one(aws_kms_key.lake[*].arn) : var.kms_key_arn)`),
    );
    // The module-managed key's ARN is known only after it is created; policy sizes (and so the
    // number of policy parts, which must be known at plan time) use a stand-in of the same length.
    local(
      "kms_key_arn_for_sizing",
      t(
        `var.kms_key_arn != null ? var.kms_key_arn : "arn:\${local.partition}:kms:\${local.region}:\${var.account_id}:key/${KEY_ID_STAND_IN}"`,
      ),
    );
    // The lake's workgroup (when created) and the additional ones: where read_only may run queries.
    const workgroup = (w: string) => toHclExpression(workgroupArn(tfExpr(w)));
    local(
      "athena_workgroup_arns",
      t(
        `concat(var.create_athena_workgroup ? [${workgroup("local.athena_workgroup_name")}] : [], [for w in var.athena_additional_workgroup_names : ${workgroup("w")}])`,
      ),
    );
  }

  // ------------------------------------------------------------------ policies

  /** The key policy and the bucket policies, each registered with the policy engine. */
  private resourcePolicies(): ResourcePolicies {
    const kmsEnabled = hcl("local.kms_enabled");
    const kmsKeyArn = tfExpr("local.kms_key_arn");
    // A key policy (32 KB quota) has no kind of its own: the stricter 20 KB resource-policy rule applies.
    const key = this.policyAttribute(
      "aws_kms_key.lake",
      "bucket",
      lakeKeyPolicy({
        partition: P,
        accountId: ACCOUNT,
        viaService: VIA_S3,
        zoneGrants: [
          zoneGrant("read_principal_arns", "ZoneReaders", KMS_READ_ACTIONS),
          zoneGrant("read_write_principal_arns", "ZoneWriters", KMS_WRITE_ACTIONS),
        ],
      }),
    );
    const logs = this.policyAttribute(
      "aws_s3_bucket_policy.logs",
      "bucket",
      logBucketPolicy({
        logBucketArn: `arn:${P}:s3:::${tfExpr("local.log_bucket_name")}`,
        accountId: ACCOUNT,
        sourceBucketArns: tfExpr("local.log_source_bucket_arns"),
        breakGlassPrincipalArns: tfExpr("var.break_glass_principal_arns"),
        hasBreakGlass: nonEmpty("var.break_glass_principal_arns"),
      }),
    );
    const zone = this.policyAttribute(
      "aws_s3_bucket_policy.zone",
      "bucket",
      lakeBucketPolicy({
        bucketArn: `arn:${P}:s3:::${tfExpr("local.bucket_names[each.key]")}`,
        accountId: ACCOUNT,
        sseAlgorithm: tfExpr("var.sse_algorithm"),
        requireEncryptionHeader: equals("var.encryption_header_mode", "strict"),
        delegateToAccessPoints: true,
        kmsEnabled,
        kmsKeyArn,
      }),
    );
    const athenaResults = this.policyAttribute(
      "aws_s3_bucket_policy.athena_results",
      "bucket",
      lakeBucketPolicy({
        bucketArn: RESULTS_BUCKET_ARN,
        accountId: ACCOUNT,
        sseAlgorithm: tfExpr("var.sse_algorithm"),
        // Athena writes the results itself, under the workgroup's enforced encryption.
        requireEncryptionHeader: false,
        delegateToAccessPoints: false,
        kmsEnabled,
        kmsKeyArn,
      }),
    );
    return { key, logs, zone, athenaResults };
  }

  /** The access point policy of every zone, in one local (a for-expression over the zones). */
  private accessPointPolicies(): void {
    const ap = accessPointArn(Z);
    const prefixes = tfExpr("cfg.prefixes");
    const hasPrefixes = nonEmpty("cfg.prefixes");
    const doc = accessPointPolicy({
      accessPointArn: ap,
      readPrincipalArns: tfExpr("cfg.read_principal_arns"),
      readWritePrincipalArns: tfExpr("cfg.read_write_principal_arns"),
      hasReaders: nonEmpty("cfg.read_principal_arns"),
      hasWriters: nonEmpty("cfg.read_write_principal_arns"),
      // <ap>/object/<prefix>* per configured prefix, else every object.
      objectResources: choose(hasPrefixes, forList({ each: "p", over: prefixes, item: `${ap}/object/${tfExpr("p")}*` }), [
        `${ap}/object/*`,
      ]),
      listPrefixPatterns: forList({ each: "p", over: prefixes, item: `${tfExpr("p")}*` }),
      hasPrefixes,
      regions: tfExpr("var.allowed_regions"),
    });
    // Per zone, so the access point's size precondition can name the zone over the quota.
    this.local(
      "access_point_policies",
      t(`{ for z, cfg in var.zones : z => ${this.lakePolicyExpr("aws_s3_access_point.zone", "access-point", doc)} }`),
    );
  }

  /**
   * The access policies of the three levels, each split into parts of zones_per_policy zones so
   * no part exceeds the managed policy quota: per level, the sizes that decide the number of
   * zones per part, that number, and the parts (locals the aws_iam_policy resources iterate).
   */
  private accessLevelPolicies(): void {
    for (const level of LEVELS) {
      const zones = LEVEL_ZONES[level];
      const longest = `[for z in sort(${zones}) : z if length(z) == max([for y in ${zones} : length(y)]...)][0]`;
      const part = this.lakePolicyExpr(`aws_iam_policy.${level}`, "managed", accessDocs("local.kms_key_arn")[level]);
      const sizing = this.lakePolicyExpr(`local.${level}_policy_sizes`, "managed", accessDocs("local.kms_key_arn_for_sizing")[level]);
      // The policy (key ARN stand-in) with the longest zone once and twice: its fixed part and the
      // (largest) share of one zone; every other zone costs at most that.
      this.local(`${level}_policy_sizes`, t(`[for zs in [[${longest}], [${longest}, ${longest}]] : length(${sizing})]`));
      // Zones per part: zones_per_policy, or as many as those sizes fit into the quota.
      this.local(
        `${level}_zones_per_policy`,
        t(
          `var.zones_per_policy != null ? var.zones_per_policy : max(1, min(50, 1 + floor((${MANAGED_POLICY_MAX_CHARS} - local.${level}_policy_sizes[0]) / max(1, local.${level}_policy_sizes[1] - local.${level}_policy_sizes[0]))))`,
        ),
      );
      // { "1" = jsonencode(<policy for zones 1..n>), "2" = ... }
      this.local(
        `${level}_policies`,
        t(`{ for i, zs in chunklist(sort(${zones}), local.${level}_zones_per_policy) : tostring(i + 1) => ${part} }`),
      );
    }
  }

  // ------------------------------------------------------------------ resources

  /** The module-managed KMS key (aws:kms without a given key) and its alias. */
  private kmsKey(policy: string): KmsKey {
    const lakeKey = new KmsKey(this, "lake", {
      count: num("local.create_kms_key ? 1 : 0"),
      description: `Encrypts the objects of the \${var.name} data lake.`,
      enableKeyRotation: true,
      deletionWindowInDays: num("var.kms_key_deletion_window_in_days"),
      policy,
      tags: tags({ "guardrail:module": `"data-lake"` }),
    });
    new KmsAlias(this, "lake_alias", {
      count: num("local.create_kms_key ? 1 : 0"),
      name: `alias/\${var.name}-lake`,
      targetKeyId: t("aws_kms_key.lake[0].key_id"),
    }).overrideLogicalId("lake");
    return lakeKey;
  }

  /** The log bucket: SSE-S3 (log delivery requires it), policy-based delivery; returns its bucket policy. */
  private logBucket(policy: string): S3BucketPolicy {
    const logs = new S3Bucket(this, "logs", {
      bucket: t("local.log_bucket_name"),
      forceDestroy: bool("var.force_destroy"),
      tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:role": `"access-logs"` }),
      lifecycle: {
        precondition: [
          nameRule("local.log_bucket_name", "log bucket name"),
          {
            condition: t(`length(var.name) + length(local.longest_zone_key) + ${"--access".length} <= ${ACCESS_POINT_NAME_MAX_LENGTH}`),
            errorMessage: `The name input ("\${var.name}", \${length(var.name)} characters) is too long for the zone "\${local.longest_zone_key}": its access point name \${var.name}-\${local.longest_zone_key}-access would have \${length(var.name) + length(local.longest_zone_key) + 8} characters, over the ${ACCESS_POINT_NAME_MAX_LENGTH} S3 allows. With this zone, name may have at most \${${NAME_MAX_LENGTH + 1} - length(local.longest_zone_key)} characters (shorten name or the zone key).`,
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
        { id: "expire-access-logs", status: "Enabled", filter: [{ prefix: "" }], expiration: [{ days: num("var.log_retention_days") }] },
      ],
      dependsOn: [logsHardening.versioning],
    }).overrideLogicalId("logs");
    const logsPolicy = new S3BucketPolicy(this, "logs_policy", {
      bucket: t("aws_s3_bucket.logs.bucket"),
      policy,
      dependsOn: [logsHardening.publicAccessBlock],
    });
    logsPolicy.overrideLogicalId("logs");
    return logsPolicy;
  }

  /** One hardened bucket per zone, logging to the log bucket, with its bucket policy. */
  private zoneBuckets(lakeKey: KmsKey, logsPolicy: S3BucketPolicy, policy: string): void {
    const zoneBucket = new S3Bucket(this, "zone", {
      forEach: this.zoneEach(),
      bucket: t("local.bucket_names[each.key]"),
      forceDestroy: bool("var.force_destroy"),
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
    const zoneHardening = this.harden(
      "zone",
      {
        forEach: this.zoneEach(),
        bucket: t("aws_s3_bucket.zone[each.key].bucket"),
        sse: t("var.sse_algorithm"),
        bucketKey: "local.kms_enabled",
      },
      [zoneBucket],
    );
    new S3BucketLifecycleConfiguration(this, "zone_lifecycle", {
      forEach: this.zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      rule: baseLifecycleRules(),
      dependsOn: [zoneHardening.versioning],
    }).overrideLogicalId("zone");
    new S3BucketLoggingA(this, "zone_logging", {
      forEach: this.zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      targetBucket: t("aws_s3_bucket.logs.bucket"),
      targetPrefix: `\${local.bucket_names[each.key]}/`,
      dependsOn: [logsPolicy],
    }).overrideLogicalId("zone");
    new S3BucketPolicy(this, "zone_policy", {
      forEach: this.zoneEach(),
      bucket: t("aws_s3_bucket.zone[each.key].bucket"),
      policy,
      dependsOn: [zoneHardening.publicAccessBlock],
    }).overrideLogicalId("zone");
  }

  /** Access points <name>-<zone>-access, never public, with their zone's policy. */
  private accessPoints(): void {
    new S3AccessPoint(this, "zone_access_point", {
      forEach: this.zoneEach(),
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
  }

  /** The Athena results bucket (hardened, logged, expiring) and the data team's workgroup. */
  private athena(lakeKey: KmsKey, logsPolicy: S3BucketPolicy, policy: string): void {
    const resultsEach = num("var.create_athena_workgroup ? 1 : 0");
    const resultsBucket = new S3Bucket(this, "athena_results", {
      count: resultsEach,
      bucket: t("local.athena_results_bucket_name"),
      forceDestroy: bool("var.force_destroy"),
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
    const bucket = t("aws_s3_bucket.athena_results[0].bucket");
    const hardening = this.harden(
      "athena_results",
      { count: resultsEach, bucket, sse: t("var.sse_algorithm"), bucketKey: "local.kms_enabled" },
      [resultsBucket],
    );
    const expireResults = {
      id: "expire-query-results",
      status: "Enabled",
      filter: [{ prefix: "" }],
      expiration: [{ days: num("var.athena_results_expiration_days") }],
    };
    new S3BucketLifecycleConfiguration(this, "athena_results_lifecycle", {
      count: resultsEach,
      bucket,
      rule: [...baseLifecycleRules(), expireResults],
      dependsOn: [hardening.versioning],
    }).overrideLogicalId("athena_results");
    new S3BucketLoggingA(this, "athena_results_logging", {
      count: resultsEach,
      bucket,
      targetBucket: t("aws_s3_bucket.logs.bucket"),
      targetPrefix: `\${local.athena_results_bucket_name}/`,
      dependsOn: [logsPolicy],
    }).overrideLogicalId("athena_results");
    new S3BucketPolicy(this, "athena_results_policy", {
      count: resultsEach,
      bucket,
      policy,
      dependsOn: [hardening.publicAccessBlock],
    }).overrideLogicalId("athena_results");
    new AthenaWorkgroup(this, "data_team", {
      count: resultsEach,
      name: t("local.athena_workgroup_name"),
      description: `Queries of the \${var.name} data lake's data team; results encrypted in \${local.athena_results_bucket_name}.`,
      forceDestroy: bool("var.force_destroy"),
      state: "ENABLED",
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: num("var.athena_bytes_scanned_cutoff_per_query"),
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
  }

  /** The customer-managed policies of the access levels, one per part, for iam-baseline's groups. */
  private accessLevelResources(): void {
    for (const level of LEVELS) {
      const base = `\${var.name}-lake-${level.replace(/_/g, "-")}`;
      const pol = new IamPolicy(this, level, {
        name: t(`each.key == "1" ? "${base}" : "${base}-\${each.key}"`),
        path: "/",
        description: `Data lake \${var.name}: ${LEVEL_TITLES[level]} (part \${each.key}).`,
        policy: t("each.value"),
        tags: tags({ "guardrail:module": `"data-lake"`, "guardrail:access-level": `"${level}"` }),
        lifecycle: {
          precondition: [
            ...(level === "analyst" ? ANALYST_ZONE_CHECKS : []),
            {
              condition: t(`length(each.value) <= ${MANAGED_POLICY_MAX_CHARS}`),
              errorMessage: `The ${level} lake policy part \${each.key} is \${length(each.value)} characters, over the ${MANAGED_POLICY_MAX_CHARS}-character managed policy quota: lower zones_per_policy (\${local.${level}_zones_per_policy}) or leave it null.`,
            },
          ],
        },
      });
      pol.addOverride("for_each", t(`local.${level}_policies`));
    }
  }

  // ------------------------------------------------------------------ outputs

  private outputs(): void {
    this.output("bucket_names", t("{ for k, b in aws_s3_bucket.zone : k => b.bucket }"));
    this.output("bucket_arns", t("{ for k, b in aws_s3_bucket.zone : k => b.arn }"));
    this.output("access_point_arns", t("{ for k, a in aws_s3_access_point.zone : k => a.arn }"));
    this.output("access_point_aliases", t("{ for k, a in aws_s3_access_point.zone : k => a.alias }"));
    this.output(
      "policy_arns",
      // Built from the policies' names (known at plan time, so consumers' attachments are
      // reviewable in the plan); referencing the resources keeps the dependency.
      t(
        `{ ${LEVELS.map((k) => `${k} = [for k, p in aws_iam_policy.${k} : "arn:\${local.partition}:iam::\${var.account_id}:policy\${p.path}\${p.name}"]`).join(", ")} }`,
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
   * Versioning, default encryption, the public access block and BucketOwnerEnforced for one
   * bucket (or one per for_each/count instance). Resource names: aws_s3_bucket_versioning.<id>, ...
   */
  private harden(
    id: string,
    o: { bucket: string; sse: string; bucketKey: string; forEach?: TerraformIterator; count?: number },
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
          bucketKeyEnabled: bool(o.bucketKey),
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

const LEVELS = ["read_write", "analyst", "read_only"] as const;
type Level = (typeof LEVELS)[number];

/** The zones each access level covers (an HCL list of zone keys), split into parts. */
const LEVEL_ZONES: Record<Level, string> = {
  read_write: "keys(var.zones)",
  analyst: "local.analyst_read_zones",
  read_only: "keys(var.zones)",
};

const LEVEL_TITLES: Record<Level, string> = {
  read_write: "read/write access to every zone of the lake (engineer)",
  analyst: "read access to the analyst's readable zones and write access to the analyst zone (analyst)",
  read_only: "read-only access to every zone and Athena queries in the lake's workgroup (data_team)",
};

/** The analyst zones must be zones of the lake (checked on the analyst policy). */
const ANALYST_ZONE_CHECKS: Precondition[] = [
  {
    condition: t("contains(keys(var.zones), var.analyst_write_zone)"),
    errorMessage: `The analyst_write_zone input (\${var.analyst_write_zone}) must be one of the zones: \${join(", ", keys(var.zones))}.`,
  },
  {
    condition: t("var.analyst_read_zones == null ? true : alltrue([for z in var.analyst_read_zones : contains(keys(var.zones), z)])"),
    errorMessage: `Every entry of analyst_read_zones must be one of the zones: \${join(", ", keys(var.zones))}.`,
  },
];

const RESULTS_BUCKET_ARN = `arn:${P}:s3:::${tfExpr("local.athena_results_bucket_name")}`;

/**
 * The three access levels' documents, defined once, over the zones `zs` of one part (the
 * for-expression of the level's local binds it) and the analyst's write zone.
 * `keyArn`: the local holding the lake key's ARN (the real one, or its stand-in for sizing).
 */
function accessDocs(keyArn: string): Record<Level, LakePolicyDocument> {
  const zones = zoneArns(tfExpr("zs"));
  const common: LakeAccessCommon = {
    regions: tfExpr("var.allowed_regions"),
    kms: { enabled: hcl("local.kms_enabled"), keyArn: tfExpr(keyArn), viaService: VIA_S3 },
  };
  return {
    read_write: readWritePolicy(zones, common),
    analyst: analystPolicy(
      { readZones: zones, writeZone: zoneArns([tfExpr("var.analyst_write_zone")]), writeMode: { hcl: "var.analyst_write_mode" } },
      common,
    ),
    read_only: readOnlyPolicy(
      zones,
      {
        enabled: hcl("var.create_athena_workgroup"),
        workgroupArns: tfExpr("local.athena_workgroup_arns"),
        hasWorkgroups: nonEmpty("local.athena_workgroup_arns"),
        anyWorkgroupArn: `arn:${P}:athena:*:*:workgroup/*`,
        glueResources: [
          `arn:${P}:glue:${R}:${ACCOUNT}:catalog`,
          `arn:${P}:glue:${R}:${ACCOUNT}:database/*`,
          `arn:${P}:glue:${R}:${ACCOUNT}:table/*/*`,
        ],
        resultsBucketArn: RESULTS_BUCKET_ARN,
        resultsObjectArn: `${RESULTS_BUCKET_ARN}/${tfExpr("local.athena_workgroup_name")}/*`,
      },
      common,
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
      noncurrentVersionExpiration: [{ noncurrentDays: num("var.noncurrent_version_expiration_days") }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: [{ prefix: "" }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: num("var.abort_incomplete_multipart_upload_days") }],
    },
  ];
}

/** The key-policy grant of the principals in zones[*].<field> (one statement per zone that has some). */
function zoneGrant(field: "read_principal_arns" | "read_write_principal_arns", sid: string, actions: readonly string[]): ZoneKeyGrant {
  const principals = member("var.zones", "z", field);
  return {
    each: "z",
    index: "i",
    over: "sort(keys(var.zones))",
    when: nonEmpty(toHclExpression(principals)),
    principalArns: principals,
    actions,
    bucketArn: bucketArn(Z),
    sid: `${sid}${tfExpr("i")}`,
  };
}

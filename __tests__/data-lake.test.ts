/**
 * Layers 2 and 3 for the data lake: properties of the synthesized Terraform JSON, every
 * string parsed as an HCL template, and the generated README.
 */
import * as fs from "fs";
import * as path from "path";
import { checkModuleTemplates } from "./helpers/hcl";
import { moduleDir, moduleJson, resource, resources } from "./helpers/synth";

const tf = moduleJson("data-lake");
const ZONE_HARDENING = [
  "aws_s3_bucket_versioning",
  "aws_s3_bucket_server_side_encryption_configuration",
  "aws_s3_bucket_public_access_block",
  "aws_s3_bucket_ownership_controls",
  "aws_s3_bucket_lifecycle_configuration",
  "aws_s3_bucket_policy",
];

describe("data-lake: synthesized Terraform JSON", () => {
  it("declares the lake's inputs (name, zones, regions, tags, account) and outputs", () => {
    expect(Object.keys(tf.variable)).toEqual(expect.arrayContaining(["name", "zones", "allowed_regions", "tags", "account_id"]));
    expect(tf.variable.name.default).toBeUndefined();
    expect(tf.variable.account_id.default).toBeUndefined();
    expect(tf.variable.zones.default).toEqual({ "landing-zone": {}, analysis: {} });
    expect(Object.keys(tf.output)).toEqual(
      expect.arrayContaining([
        "bucket_names",
        "bucket_arns",
        "access_point_arns",
        "policy_arns",
        "log_bucket_name",
        "kms_key_arn",
        "athena_workgroup_name",
      ]),
    );
    expect(tf.output.policy_arns.value).toBe(
      // built from names (known at plan time), referencing the resources for ordering; one ARN per part
      "${{ " +
        ["read_write", "analyst", "read_only"]
          .map(
            (k) =>
              `${k} = [for k, p in aws_iam_policy.${k} : "arn:\${local.partition}:iam::\${var.account_id}:policy\${p.path}\${p.name}"]`,
          )
          .join(", ") +
        " }}",
    );
  });

  it("secure defaults: AES256, strict header mode, no force_destroy, analyst writes in analysis", () => {
    expect(tf.variable.sse_algorithm.default).toBe("AES256");
    expect(tf.variable.encryption_header_mode.default).toBe("strict");
    expect(tf.variable.force_destroy.default).toBe(false);
    expect(tf.variable.analyst_write_zone.default).toBe("analysis");
    expect(tf.variable.analyst_write_mode.default).toBe("direct");
    expect(tf.variable.kms_key_arn.default).toBeNull();
    expect(tf.variable.break_glass_principal_arns).toMatchObject({ default: [], nullable: false });
    expect(tf.variable.zones_per_policy.default).toBeNull();
  });

  it("destroy safety: every bucket the lake key encrypts depends on the key explicitly", () => {
    for (const name of ["zone", "athena_results"]) expect(resource(tf, "aws_s3_bucket", name).depends_on).toEqual(["aws_kms_key.lake"]);
  });

  it("one bucket, access point and hardening set per zone (for_each over var.zones)", () => {
    const bucket = resource(tf, "aws_s3_bucket", "zone");
    expect(bucket.for_each).toBe("${module.inputs.zones}");
    expect(bucket.bucket).toBe("${local.bucket_names[each.key]}");
    expect(bucket.force_destroy).toBe("${var.force_destroy}");
    expect(tf.locals.bucket_names).toBe('${{ for z, _ in module.inputs.zones : z => "${var.name}-${z}" }}');
    expect(tf.locals.access_point_names).toBe('${{ for z, _ in module.inputs.zones : z => "${var.name}-${z}-access" }}');
    for (const type of ZONE_HARDENING)
      expect({ type, fe: resource(tf, type, "zone").for_each }).toEqual({ type, fe: "${module.inputs.zones}" });
    const ap = resource(tf, "aws_s3_access_point", "zone");
    expect(ap.for_each).toBe("${module.inputs.zones}");
    expect(ap.name).toBe("${local.access_point_names[each.key]}");
    expect(ap.account_id).toBe("${var.account_id}");
    expect(ap.public_access_block_configuration).toEqual({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it.each(["zone", "logs", "athena_results"])(
    "%s bucket: versioned, encrypted, public access blocked, BucketOwnerEnforced, lifecycle",
    (name) => {
      expect(resource(tf, "aws_s3_bucket_versioning", name).versioning_configuration).toEqual({ status: "Enabled" });
      const pab = resource(tf, "aws_s3_bucket_public_access_block", name);
      for (const flag of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"])
        expect(pab[flag]).toBe(true);
      expect(resource(tf, "aws_s3_bucket_ownership_controls", name).rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
      const lifecycle = resource(tf, "aws_s3_bucket_lifecycle_configuration", name);
      const rules = lifecycle.rule as any[];
      expect(rules.find((r) => r.noncurrent_version_expiration)?.noncurrent_version_expiration).toEqual([
        { noncurrent_days: "${var.noncurrent_version_expiration_days}" },
      ]);
      expect(rules.find((r) => r.abort_incomplete_multipart_upload)?.abort_incomplete_multipart_upload).toEqual([
        { days_after_initiation: "${var.abort_incomplete_multipart_upload_days}" },
      ]);
      expect(lifecycle.depends_on).toEqual([`aws_s3_bucket_versioning.${name}`]);
      expect(resource(tf, "aws_s3_bucket_policy", name).depends_on).toEqual([`aws_s3_bucket_public_access_block.${name}`]);
      expect(resource(tf, "aws_s3_bucket", name).force_destroy).toBe("${var.force_destroy}");
    },
  );

  it("default encryption: zones and results follow sse_algorithm (bucket key with KMS); logs are always SSE-S3", () => {
    const zone = resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "zone").rule[0];
    expect(zone.apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "${var.sse_algorithm}",
      kms_master_key_id: "${local.kms_key_arn}",
    });
    expect(zone.bucket_key_enabled).toBe("${local.kms_enabled}");
    const logs = resource(tf, "aws_s3_bucket_server_side_encryption_configuration", "logs").rule[0];
    expect(logs.apply_server_side_encryption_by_default).toEqual({ sse_algorithm: "AES256" });
    const key = resource(tf, "aws_kms_key", "lake");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.count).toBe("${local.create_kms_key ? 1 : 0}");
    expect(key.policy).toMatch(/^\$\{jsonencode\(/);
  });

  it("server access logs go to the log bucket, which is not logged into itself and has no ACL grants", () => {
    const logging = resource(tf, "aws_s3_bucket_logging", "zone");
    expect(logging.target_bucket).toBe("${aws_s3_bucket.logs.bucket}");
    expect(logging.target_prefix).toBe("${local.bucket_names[each.key]}/");
    expect(logging.target_grant).toBeUndefined();
    expect(resources(tf, "aws_s3_bucket_logging").logs).toBeUndefined();
    expect(resources(tf, "aws_s3_bucket_acl")).toEqual({});
  });

  it("plan-time guards: region postcondition, bucket and access point name preconditions, policy size preconditions", () => {
    const region = tf.data.aws_region.current.lifecycle.postcondition[0];
    expect(region.condition).toBe('${contains(var.allowed_regions, lookup(self, "region", self.id))}');
    expect(region.error_message).toContain("may only be deployed in allowed_regions");
    const zonePre = resource(tf, "aws_s3_bucket", "zone").lifecycle.precondition;
    expect(zonePre[0].condition).toContain('!endswith(local.bucket_names[each.key], "-s3alias")');
    expect(zonePre[0].error_message).toContain("is not a valid S3 bucket name");
    expect(zonePre[1].condition).toContain("length(local.access_point_names[each.key]) <= 50");
    const apPre = resource(tf, "aws_s3_access_point", "zone").lifecycle.precondition;
    expect(apPre[0].condition).toBe("${length(local.access_point_policies[each.key]) <= 20480}");
    for (const level of ["read_write", "analyst", "read_only"]) {
      const pre = resource(tf, "aws_iam_policy", level).lifecycle.precondition;
      expect(pre.map((p: any) => p.condition)).toContain("${length(each.value) <= 6144}");
      // one policy per zones_per_policy zones
      expect(resource(tf, "aws_iam_policy", level).for_each).toBe(`\${local.${level}_policies}`);
      expect(tf.locals[`${level}_policies`]).toMatch(new RegExp(`chunklist\\(sort\\(.*\\), local\\.${level}_zones_per_policy\\)`));
      expect(tf.locals[`${level}_zones_per_policy`]).toMatch(/^\$\{var\.zones_per_policy != null \? var\.zones_per_policy : /);
    }
  });

  // The one exception: in KMS mode the lake key's ARN (local.kms_key_arn), which a module-managed
  // key gets from AWS when it is created (the first plan shows those policies as known after apply).
  it("policies are built from names and inputs only: no computed attribute in any policy or policy local", () => {
    const policyStrings = [
      ...Object.values<any>(resources(tf, "aws_s3_bucket_policy")).map((r) => r.policy),
      ...Object.values<any>(resources(tf, "aws_kms_key")).map((r) => r.policy),
      tf.locals.read_write_policies,
      tf.locals.analyst_policies,
      tf.locals.read_only_policies,
      tf.locals.access_point_policies,
    ];
    expect(policyStrings.length).toBe(8);
    for (const s of policyStrings) {
      expect(s).toMatch(/jsonencode\(/);
      // resource attributes (aws_*.x.arn / .id) never appear; only var., local., each. and for-expression names
      expect(s).not.toMatch(/\baws_[a-z0-9_]+\.[a-z0-9_]+(\[[^\]]*\])?\.(arn|id|bucket|name)\b/);
    }
  });

  it("IAM policies, Athena workgroup: names from var.name, enforced and encrypted workgroup", () => {
    expect(resource(tf, "aws_iam_policy", "read_write").name).toBe(
      '${each.key == "1" ? "${var.name}-lake-read-write" : "${var.name}-lake-read-write-${each.key}"}',
    );
    expect(resource(tf, "aws_iam_policy", "read_only").policy).toBe("${each.value}");
    const wg = resource(tf, "aws_athena_workgroup", "data_team");
    expect(wg.count).toBe("${var.create_athena_workgroup ? 1 : 0}");
    expect(wg.configuration.enforce_workgroup_configuration).toBe(true);
    expect(wg.configuration.result_configuration.encryption_configuration.encryption_option).toBe(
      '${local.kms_enabled ? "SSE_KMS" : "SSE_S3"}',
    );
    expect(wg.configuration.result_configuration.output_location).toBe(
      "s3://${aws_s3_bucket.athena_results[0].bucket}/${local.athena_workgroup_name}/",
    );
  });

  it("no provider-6.x-only arguments (region) on any resource", () => {
    for (const byName of Object.values<Record<string, any>>(tf.resource))
      for (const body of Object.values(byName)) expect(body.region).toBeUndefined();
  });

  it("every string is a valid Terraform template whose references resolve", async () => {
    expect(await checkModuleTemplates(tf)).toEqual([]);
  });
});

describe("data-lake: README", () => {
  const readme = fs.readFileSync(path.join(moduleDir("data-lake"), "README.md"), "utf8");

  it("documents every input and output, and the security trade-offs", () => {
    for (const v of Object.keys(tf.variable)) expect(readme).toContain(`| \`${v}\` |`);
    for (const o of Object.keys(tf.output)) expect(readme).toContain(`| \`${o}\` |`);
    expect(readme).toContain("if_present");
    expect(readme).toContain("StringNotEqualsIfExists");
    expect(readme).toContain("s3:DataAccessPointAccount");
    expect(readme).toContain("analyst_write_zone");
  });
});

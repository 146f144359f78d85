/**
 * Layers 4-6 for the data lake: terraform validate and plan of real roots calling the
 * synthesized module (offline), plan-time refusals with their messages, every policy of the
 * plan JSON checked against the IAM catalog and quotas, and the access of the engineer and
 * analyst command-line scenario (aws s3 cp / ls / rm; plus data_team, Athena, TLS, encryption and region cases) decided by an independent
 * IAM simulator on the policies taken from the plan.
 */
import * as path from "path";
import { validatePolicyActions } from "../lib/policy/catalog";
import { PolicyDocument } from "../lib/policy/types";
import { moduleDir } from "./helpers/synth";
import { decide, defaultContext, SimLayers } from "../tools/simulate";
import {
  copyModule,
  describeTerraform,
  initAndValidate,
  offlineProvider,
  plan,
  PlanResult,
  plannedResources,
  writeRoot,
} from "../tools/terraform";

const ACCT = "123456789012";
const REGION = "ap-southeast-2";

const PROVIDER = (regionExpression: string) => offlineProvider(REGION, undefined, regionExpression);

/** The lake with its defaults, and one with the options. */
const LAKES = `${PROVIDER(`"${REGION}"`)}
# Defaults: S3-managed encryption, strict header mode, analyst writes in analysis (directly).
module "lake" {
  source     = "./modules/data-lake"
  name       = "acme-lake"
  account_id = "${ACCT}"
}

# Options: KMS (module-managed key), if_present header mode, analyst writes only through the
# curated access point, access point principals with prefixes.
module "kms_lake" {
  source                         = "./modules/data-lake"
  name                           = "acme-kms"
  account_id                     = "${ACCT}"
  sse_algorithm                  = "aws:kms"
  encryption_header_mode         = "if_present"
  analyst_write_via_access_point = true
  analyst_write_zone             = "curated"
  zones = {
    raw     = { read_write_principal_arns = ["arn:aws:iam::${ACCT}:role/ingest"] }
    curated = { read_principal_arns = ["arn:aws:iam::${ACCT}:role/bi"], prefixes = ["reports/"] }
  }
}
`;

/** A root whose provider region and module inputs come from variables, for the refusal cases. */
const PROBE = `
variable "region" {
  type = string
}
variable "name" {
  type = string
}
variable "zones" {
  type = map(any)
}
variable "analyst_write_zone" {
  type = string
}
${PROVIDER("var.region")}
module "probe" {
  source                  = "./modules/data-lake"
  name                    = var.name
  account_id              = "${ACCT}"
  zones                   = var.zones
  analyst_write_zone      = var.analyst_write_zone
  create_athena_workgroup = false
}
`;

const GOOD = { region: REGION, name: "probe-lake", zones: { "landing-zone": {}, analysis: {} }, analyst_write_zone: "analysis" };

function root(main: string, prefix: string): string {
  const dir = writeRoot({ "main.tf": main }, prefix);
  copyModule(moduleDir("data-lake"), path.join(dir, "modules", "data-lake"));
  return dir;
}

describeTerraform("data-lake: terraform validate, plan and plan-time refusals", () => {
  let probe: string;
  let ok: PlanResult;
  let planned: Record<string, any>;

  beforeAll(() => {
    ok = plan(root(LAKES, "data-lake"));
    planned = ok.json ? plannedResources(ok.json) : {};
    probe = root(PROBE, "data-lake-probe");
  });

  it("the module alone is valid", () => {
    const d = writeRoot({}, "data-lake-validate");
    copyModule(moduleDir("data-lake"), d);
    const r = initAndValidate(d);
    expect(r.diagnostics).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it("plans without error or warning", () => {
    expect(ok.stderr).toBe("");
    expect(ok.ok).toBe(true);
    expect(ok.stdout).not.toMatch(/Warning/);
  });

  it("plans the default zones' buckets, access points, log bucket, results bucket, workgroup and policies", () => {
    const addresses = Object.keys(planned);
    for (const z of ["landing-zone", "analysis"]) {
      expect(planned[`module.lake.aws_s3_bucket.zone["${z}"]`]).toMatchObject({ bucket: `acme-lake-${z}`, force_destroy: false });
      expect(planned[`module.lake.aws_s3_access_point.zone["${z}"]`]).toMatchObject({ name: `acme-lake-${z}-access`, account_id: ACCT });
    }
    expect(planned["module.lake.aws_s3_bucket.logs"].bucket).toBe("acme-lake-access-logs");
    expect(planned["module.lake.aws_s3_bucket.athena_results[0]"].bucket).toBe("acme-lake-athena-results");
    expect(planned["module.lake.aws_athena_workgroup.data_team[0]"]).toMatchObject({ name: "acme-lake-data-team" });
    const wg = planned["module.lake.aws_athena_workgroup.data_team[0]"].configuration[0];
    expect(wg.enforce_workgroup_configuration).toBe(true);
    expect(wg.result_configuration[0].encryption_configuration[0].encryption_option).toBe("SSE_S3");
    expect(planned['module.lake.aws_s3_bucket_server_side_encryption_configuration.zone["analysis"]'].rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }],
    });
    expect(planned["module.lake.aws_s3_bucket_server_side_encryption_configuration.logs"].rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: [{ sse_algorithm: "AES256" }],
    });
    expect(addresses.filter((a) => a.startsWith("module.lake.aws_kms_key"))).toEqual([]);
    expect(addresses.filter((a) => a.startsWith("module.kms_lake.aws_kms_key"))).toEqual(["module.kms_lake.aws_kms_key.lake[0]"]);
    expect(planned["module.kms_lake.aws_kms_key.lake[0]"]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(planned['module.kms_lake.aws_s3_bucket_server_side_encryption_configuration.zone["raw"]'].rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }],
      bucket_key_enabled: true,
    });
    expect(
      planned["module.kms_lake.aws_athena_workgroup.data_team[0]"].configuration[0].result_configuration[0].encryption_configuration[0],
    ).toMatchObject({
      encryption_option: "SSE_KMS",
    });
  });

  it("the module declares the outputs callers wire (bucket names and ARNs, access points, policy ARNs)", () => {
    const outputs = Object.keys(ok.json.configuration.root_module.module_calls.lake.module.outputs);
    expect(outputs).toEqual(
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
  });

  it("every policy in the plan is known, valid JSON, uses only catalogued actions and fits its quota", () => {
    const docs = Object.entries(planned).filter(([, v]) => typeof v.policy === "string");
    expect(docs.length).toBe(19); // 2 x (4 bucket, 2 access point, 3 IAM policies) + the KMS key policy
    for (const [address, v] of docs) {
      const doc = JSON.parse(v.policy) as PolicyDocument;
      expect({ address, problems: validatePolicyActions(doc) }).toEqual({ address, problems: [] });
      const limit = address.includes("aws_iam_policy") ? 6144 : 20480;
      expect({ address, fits: v.policy.replace(/\s/g, "").length <= limit }).toEqual({ address, fits: true });
      for (const s of doc.Statement) {
        const p = s.Principal;
        const anyone = p === "*" || (typeof p === "object" && ([p.AWS].flat().includes("*") as boolean));
        if (s.Effect === "Allow" && anyone)
          expect({ address, sid: s.Sid, cond: Object.keys(s.Condition ?? {}) }).not.toEqual({ address, sid: s.Sid, cond: [] });
      }
    }
  });

  it("refuses a provider region outside allowed_regions, saying so", () => {
    const r = plan(probe, { ...GOOD, region: "us-west-2" });
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/Resource postcondition failed/);
    expect(r.stderr.replace(/\s+/g, " ")).toContain(
      "The data-lake module may only be deployed in allowed_regions (ap-southeast-2), but the provider's region is us-west-2.",
    );
  });

  it("refuses computed names that break S3 rules and an analyst zone that is not a zone (preconditions), naming them", () => {
    const long = "z".repeat(30);
    const r = plan(probe, {
      ...GOOD,
      name: "p".repeat(20),
      zones: { "data-s3alias": {}, [long]: {}, analysis: {} },
      analyst_write_zone: "sandbox",
    });
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/Resource precondition failed/);
    const msg = r.stderr.replace(/\s+/g, " ");
    expect(msg).toContain(`The bucket name (<name>-<zone>) "${"p".repeat(20)}-data-s3alias" is not a valid S3 bucket name`);
    expect(msg).toContain("not end with -s3alias");
    expect(msg).toContain(`The access point name ${"p".repeat(20)}-${long}-access (<name>-<zone>-access) must be 3-50 characters long`);
    expect(msg).toContain(`The analyst_write_zone input (sandbox) must be one of the zones: analysis, data-s3alias, ${long}.`);
  });

  it("refuses a bad name input (variable validation)", () => {
    const r = plan(probe, { ...GOOD, name: "Acme_Lake" });
    expect(r.ok).toBe(false);
    expect(r.stderr.replace(/\s+/g, " ")).toContain("The name input must be 3-40 characters of lowercase letters, digits and hyphens");
  });

  describe("access decided by the IAM simulator on the planned policies", () => {
    const pol = (address: string): PolicyDocument => {
      const v = planned[address];
      if (!v) throw new Error(`no planned resource ${address}`);
      return JSON.parse(v.policy);
    };
    const user = (n: string) => `arn:aws:iam::${ACCT}:user/${n}`;
    const ENGINEER = user("engineer-alice");
    const ANALYST = user("analyst-bob");
    const DATA = user("data-carol");
    const obj = (lake: string, zone: string, key: string) => `arn:aws:s3:::${lake}-${zone}/${key}`;
    const apArn = (lake: string, zone: string) => `arn:aws:s3:${REGION}:${ACCT}:accesspoint/${lake}-${zone}-access`;
    const SSE = { "s3:x-amz-server-side-encryption": "AES256" };

    /** One request against a zone of a lake, with that zone's bucket policy (and access point policy when routed through it). */
    async function ask(
      lake: "lake" | "kms_lake",
      level: "read_write" | "analyst" | "read_only" | null,
      principal: string,
      action: string,
      zone: string,
      key: string | null,
      ctx: Record<string, string | undefined> = {},
      viaAccessPoint = false,
    ) {
      const name = lake === "lake" ? "acme-lake" : "acme-kms";
      const layers: SimLayers = {
        identity: level ? [pol(`module.${lake}.aws_iam_policy.${level}["1"]`)] : [],
        resource: pol(`module.${lake}.aws_s3_bucket_policy.zone["${zone}"]`),
      };
      const context = defaultContext(ctx);
      if (viaAccessPoint) {
        layers.accessPoint = pol(`module.${lake}.aws_s3_access_point.zone["${zone}"]`);
        context["s3:DataAccessPointArn"] = apArn(name, zone);
      }
      const resource = key === null ? `arn:aws:s3:::${name}-${zone}` : obj(name, zone, key);
      return decide(layers, { principal, action, resource, context });
    }
    const allowed = { allowed: true };
    const denied = expect.objectContaining({ allowed: false });

    // The engineer and analyst command-line scenario (aws s3 cp / ls / rm): engineers write and delete in every
    // zone; the analyst writes and deletes in analysis, nowhere else.
    it("engineer: put (--sse) to landing-zone and analysis, list both, copy between, delete in both", async () => {
      for (const zone of ["landing-zone", "analysis"]) {
        await expect(ask("lake", "read_write", ENGINEER, "s3:PutObject", zone, "test/hw.txt", SSE)).resolves.toEqual(allowed);
        await expect(ask("lake", "read_write", ENGINEER, "s3:ListBucket", zone, null, { "s3:prefix": "test/" })).resolves.toEqual(allowed);
        await expect(ask("lake", "read_write", ENGINEER, "s3:GetObject", zone, "test/hw.txt")).resolves.toEqual(allowed);
        await expect(ask("lake", "read_write", ENGINEER, "s3:DeleteObject", zone, "test/hw_copy.txt")).resolves.toEqual(allowed);
      }
      // aws s3 cp s3://<name>-analysis/test/hw.txt s3://<name>-landing-zone/test/hw_copy.txt --sse AES256
      await expect(ask("lake", "read_write", ENGINEER, "s3:GetObject", "analysis", "test/hw.txt")).resolves.toEqual(allowed);
      await expect(ask("lake", "read_write", ENGINEER, "s3:PutObject", "landing-zone", "test/hw_copy.txt", SSE)).resolves.toEqual(allowed);
    });

    it("engineer: never a permanent version delete", async () => {
      await expect(ask("lake", "read_write", ENGINEER, "s3:DeleteObjectVersion", "analysis", "test/hw.txt")).resolves.toEqual(denied);
    });

    it("analyst: cannot put or delete in landing-zone (so no copy into it), can list both", async () => {
      await expect(ask("lake", "analyst", ANALYST, "s3:PutObject", "landing-zone", "test/hw.txt", SSE)).resolves.toMatchObject({
        allowed: false,
        deniedBy: "implicit",
      });
      await expect(ask("lake", "analyst", ANALYST, "s3:PutObject", "landing-zone", "test/hw_copy.txt", SSE)).resolves.toEqual(denied);
      await expect(ask("lake", "analyst", ANALYST, "s3:DeleteObject", "landing-zone", "test/hw_copy.txt")).resolves.toEqual(denied);
      for (const zone of ["landing-zone", "analysis"]) {
        await expect(ask("lake", "analyst", ANALYST, "s3:ListBucket", zone, null, { "s3:prefix": "test/" })).resolves.toEqual(allowed);
        await expect(ask("lake", "analyst", ANALYST, "s3:GetObject", zone, "test/hw.txt")).resolves.toEqual(allowed);
      }
    });

    it("analyst: can put (--sse) and delete in analysis, directly and through its access point (default)", async () => {
      await expect(ask("lake", "analyst", ANALYST, "s3:PutObject", "analysis", "test/hw.txt", SSE)).resolves.toEqual(allowed);
      await expect(ask("lake", "analyst", ANALYST, "s3:DeleteObject", "analysis", "test/hw_copy.txt")).resolves.toEqual(allowed);
      await expect(ask("lake", "analyst", ANALYST, "s3:PutObject", "analysis", "test/hw.txt", SSE, true)).resolves.toEqual(allowed);
      // ... but not into landing-zone through that zone's access point either.
      await expect(ask("lake", "analyst", ANALYST, "s3:PutObject", "landing-zone", "test/hw.txt", SSE, true)).resolves.toEqual(denied);
    });

    it("strict header mode: a copy or upload without --sse is denied for both, by the bucket policy", async () => {
      for (const [level, who] of [
        ["read_write", ENGINEER],
        ["analyst", ANALYST],
      ] as const) {
        await expect(ask("lake", level, who, "s3:PutObject", "analysis", "test/hw.txt")).resolves.toMatchObject({
          allowed: false,
          deniedBy: "resource",
          explicit: true,
        });
      }
      await expect(
        ask("lake", "read_write", ENGINEER, "s3:PutObject", "analysis", "x", { "s3:x-amz-server-side-encryption": "aws:kms" }),
      ).resolves.toMatchObject({
        deniedBy: "resource",
      });
    });

    it("requests without TLS are denied by the bucket policy and by the access point policy", async () => {
      const noTls = { "aws:SecureTransport": "false" };
      await expect(ask("lake", "read_write", ENGINEER, "s3:GetObject", "analysis", "x", noTls)).resolves.toMatchObject({
        deniedBy: "resource",
        explicit: true,
      });
      await expect(ask("lake", "read_write", ENGINEER, "s3:GetObject", "analysis", "x", noTls, true)).resolves.toMatchObject({
        allowed: false,
        explicit: true,
      });
    });

    it("a request in another region is denied", async () => {
      const west = { "aws:RequestedRegion": "us-west-2" };
      await expect(ask("lake", "read_write", ENGINEER, "s3:GetObject", "analysis", "x", west)).resolves.toMatchObject({
        allowed: false,
        deniedBy: "implicit",
      });
      await expect(ask("lake", "read_only", DATA, "s3:ListBucket", "analysis", null, west)).resolves.toEqual(denied);
    });

    it("data_team: read-only (get and list allowed; put and delete denied)", async () => {
      await expect(ask("lake", "read_only", DATA, "s3:GetObject", "landing-zone", "test/hw.txt")).resolves.toEqual(allowed);
      await expect(ask("lake", "read_only", DATA, "s3:ListBucket", "analysis", null)).resolves.toEqual(allowed);
      await expect(ask("lake", "read_only", DATA, "s3:PutObject", "analysis", "test/hw.txt", SSE)).resolves.toEqual(denied);
      await expect(ask("lake", "read_only", DATA, "s3:DeleteObject", "analysis", "test/hw.txt")).resolves.toEqual(denied);
    });

    it("data_team: Athena queries in the lake's workgroup only, Glue catalog reads, results in its results prefix", async () => {
      const identity = [pol('module.lake.aws_iam_policy.read_only["1"]')];
      const athena = (action: string, wg: string) =>
        decide(
          { identity },
          { principal: DATA, action, resource: `arn:aws:athena:${REGION}:${ACCT}:workgroup/${wg}`, context: defaultContext() },
        );
      for (const action of ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"])
        await expect(athena(action, "acme-lake-data-team")).resolves.toEqual(allowed);
      await expect(athena("athena:StartQueryExecution", "primary")).resolves.toEqual(denied);
      await expect(
        decide(
          { identity },
          {
            principal: DATA,
            action: "glue:GetTable",
            resource: `arn:aws:glue:${REGION}:${ACCT}:table/sales/orders`,
            context: defaultContext(),
          },
        ),
      ).resolves.toEqual(allowed);
      await expect(
        decide(
          { identity },
          {
            principal: DATA,
            action: "glue:DeleteTable",
            resource: `arn:aws:glue:${REGION}:${ACCT}:table/sales/orders`,
            context: defaultContext(),
          },
        ),
      ).resolves.toEqual(denied);
      const results = pol("module.lake.aws_s3_bucket_policy.athena_results[0]");
      const put = (key: string) =>
        decide(
          { identity, resource: results },
          { principal: DATA, action: "s3:PutObject", resource: `arn:aws:s3:::acme-lake-athena-results/${key}`, context: defaultContext() },
        );
      // Athena writes results with the caller's credentials; the results bucket lets default encryption apply.
      await expect(put("acme-lake-data-team/q-1.csv")).resolves.toEqual(allowed);
      await expect(put("elsewhere/q-1.csv")).resolves.toEqual(denied);
      await expect(
        decide(
          { identity: [pol('module.lake.aws_iam_policy.read_write["1"]')], resource: results },
          {
            principal: ENGINEER,
            action: "athena:StartQueryExecution",
            resource: `arn:aws:athena:${REGION}:${ACCT}:workgroup/acme-lake-data-team`,
            context: defaultContext(),
          },
        ),
      ).resolves.toEqual(denied);
    });

    it("option analyst_write_via_access_point: direct writes refused, writes through the zone's access point allowed", async () => {
      const SSE_KMS = { "s3:x-amz-server-side-encryption": "aws:kms" };
      await expect(ask("kms_lake", "analyst", ANALYST, "s3:PutObject", "curated", "reports/a.csv", SSE_KMS)).resolves.toMatchObject({
        allowed: false,
        deniedBy: "implicit",
      });
      await expect(ask("kms_lake", "analyst", ANALYST, "s3:PutObject", "curated", "reports/a.csv", SSE_KMS, true)).resolves.toEqual(
        allowed,
      );
      await expect(ask("kms_lake", "analyst", ANALYST, "s3:DeleteObject", "curated", "reports/a.csv", {}, true)).resolves.toEqual(allowed);
      await expect(ask("kms_lake", "analyst", ANALYST, "s3:PutObject", "raw", "a.csv", SSE_KMS, true)).resolves.toEqual(denied);
      await expect(ask("kms_lake", "analyst", ANALYST, "s3:GetObject", "raw", "a.csv")).resolves.toEqual(allowed);
    });

    it("option if_present with KMS: header-less uploads get default encryption, another algorithm is denied", async () => {
      await expect(ask("kms_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv")).resolves.toEqual(allowed);
      await expect(
        ask("kms_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv", { "s3:x-amz-server-side-encryption": "aws:kms" }),
      ).resolves.toEqual(allowed);
      await expect(ask("kms_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv", SSE)).resolves.toMatchObject({
        deniedBy: "resource",
        explicit: true,
      });
    });

    it("KMS: the lake key is usable only through S3, for the lake's buckets, and only with a lake policy", async () => {
      const identity = [pol('module.kms_lake.aws_iam_policy.read_write["1"]')];
      // The planned statement: kms:ViaService S3 of the region and the lake's buckets as encryption context.
      const kms = identity[0].Statement.find((s) => s.Sid === "UseLakeKeyThroughS3")!;
      expect(kms).toMatchObject({
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: `arn:aws:kms:${REGION}:${ACCT}:key/*`,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "aws:RequestedRegion": [REGION] },
          ArnLike: {
            "kms:EncryptionContext:aws:s3:arn": [
              "arn:aws:s3:::acme-kms-curated",
              "arn:aws:s3:::acme-kms-raw",
              "arn:aws:s3:::acme-kms-curated/*",
              "arn:aws:s3:::acme-kms-raw/*",
            ],
          },
        },
      });
      // KMS needs the key policy to let the account's IAM policies work: the planned key policy is the resource layer.
      // (iam-simulate 0.1.x rewrites a concrete kms:EncryptionContext:<key> to the catalog's variable name, so a
      // request carrying the encryption context cannot be simulated as matching; only the refusals are decided here.)
      const keyPolicy = pol("module.kms_lake.aws_kms_key.lake[0]");
      const key = `arn:aws:kms:${REGION}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
      const use = (principal: string, policies: PolicyDocument[], ctx: Record<string, string | undefined>) =>
        decide(
          { identity: policies, resource: keyPolicy },
          { principal, action: "kms:GenerateDataKey", resource: key, context: defaultContext(ctx) },
        );
      // Not through S3 (e.g. a direct kms generate-data-key call): refused.
      await expect(use(ENGINEER, identity, {})).resolves.toMatchObject({ allowed: false, deniedBy: "implicit" });
      // Through S3 but for another bucket: refused.
      await expect(use(ENGINEER, identity, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).resolves.toEqual(denied);
      // The key policy alone grants nobody: it only delegates to the account's IAM policies.
      await expect(use(DATA, [], { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).resolves.toMatchObject({
        allowed: false,
        deniedBy: "implicit",
      });
    });

    it("access point principals: read/write and prefix-limited read, granted by the access point policy alone", async () => {
      const ingest = `arn:aws:iam::${ACCT}:role/ingest`;
      const bi = `arn:aws:iam::${ACCT}:role/bi`;
      await expect(ask("kms_lake", null, ingest, "s3:PutObject", "raw", "2024/a.csv", {}, true)).resolves.toEqual(allowed);
      await expect(ask("kms_lake", null, ingest, "s3:PutObject", "raw", "2024/a.csv", {}, false)).resolves.toEqual(denied);
      await expect(ask("kms_lake", null, bi, "s3:GetObject", "curated", "reports/q1.csv", {}, true)).resolves.toEqual(allowed);
      await expect(ask("kms_lake", null, bi, "s3:GetObject", "curated", "private/q1.csv", {}, true)).resolves.toEqual(denied);
      await expect(ask("kms_lake", null, bi, "s3:PutObject", "curated", "reports/q1.csv", {}, true)).resolves.toEqual(denied);
      await expect(ask("kms_lake", null, bi, "s3:ListBucket", "curated", null, { "s3:prefix": "reports/" }, true)).resolves.toEqual(
        allowed,
      );
      await expect(ask("kms_lake", null, bi, "s3:ListBucket", "curated", null, { "s3:prefix": "private/" }, true)).resolves.toEqual(denied);
    });
  });
});

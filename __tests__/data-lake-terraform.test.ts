/**
 * Layers 4-6 for the data lake: terraform validate and plan of real roots calling the
 * synthesized module (offline), plan-time refusals with their messages, every policy of the
 * plan JSON checked against the IAM catalog and quotas, and the access of the engineer/analyst
 * CLI test table (plus data_team, Athena, TLS, encryption, KMS key, access log and region cases)
 * decided by an independent IAM simulator on the policies taken from the plan. Each security
 * case also runs on a widened copy of the planned policy (the statement that holds it removed),
 * which must flip the decision: the check can fail.
 */
import * as fs from "fs";
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

/** A key of the lake's account and region, given to the lake (kms_key_arn). */
const GIVEN_KEY = `arn:aws:kms:${REGION}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** Another account's role declared as a reader of the curated zone. */
const PARTNER = "arn:aws:iam::999988887777:role/partner-reader";
const BREAK_GLASS = `arn:aws:iam::${ACCT}:role/BreakGlass`;
const OPTION_ZONES = `{
    raw     = { read_write_principal_arns = ["arn:aws:iam::${ACCT}:role/ingest"] }
    curated = { read_principal_arns = ["arn:aws:iam::${ACCT}:role/bi", "${PARTNER}"], prefixes = ["reports/"] }
  }`;

/** The lake with its defaults, and two with the options. */
const LAKES = `${PROVIDER(`"${REGION}"`)}
# Defaults: S3-managed encryption, strict header mode, analyst writes in analysis (directly).
module "lake" {
  source     = "./modules/data-lake"
  name       = "acme-lake"
  account_id = "${ACCT}"
}

# Options: KMS with a given key, if_present header mode, analyst writes only through the
# curated access point, access point principals with prefixes (one in another account),
# break-glass principals for the logs, one more Athena workgroup for the data team.
module "given_lake" {
  source                            = "./modules/data-lake"
  name                              = "acme-given"
  account_id                        = "${ACCT}"
  sse_algorithm                     = "aws:kms"
  kms_key_arn                       = "${GIVEN_KEY}"
  encryption_header_mode            = "if_present"
  analyst_write_mode                = "access_point"
  analyst_write_zone                = "curated"
  break_glass_principal_arns        = ["${BREAK_GLASS}"]
  athena_additional_workgroup_names = ["adhoc"]
  zones                             = ${OPTION_ZONES}
}

# KMS with the module-managed key: its key policy grants the zones' declared principals.
module "kms_lake" {
  source             = "./modules/data-lake"
  name               = "acme-kms"
  account_id         = "${ACCT}"
  sse_algorithm      = "aws:kms"
  analyst_write_zone = "curated"
  zones              = ${OPTION_ZONES}
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
variable "kms_key_arn" {
  type    = string
  default = null
}
${PROVIDER("var.region")}
module "probe" {
  source                  = "./modules/data-lake"
  name                    = var.name
  account_id              = "${ACCT}"
  zones                   = var.zones
  analyst_write_zone      = var.analyst_write_zone
  create_athena_workgroup = false
  sse_algorithm           = var.kms_key_arn == null ? "AES256" : "aws:kms"
  kms_key_arn             = var.kms_key_arn
}
`;

/**
 * iam-simulate 0.1.x maps request context keys with a variable part to the catalog only when the
 * variable follows a "/" (aws:RequestTag/<key>); kms:EncryptionContext:<key> is dropped from the
 * request, so a statement conditioned on it could never match. This wraps the two internal
 * functions involved (looked up by property at call time) so such keys reach the evaluation
 * under their own name. Fails loudly if a library upgrade moves them.
 */
let kmsContextPatched = false;
function acceptKmsEncryptionContextKeys(): void {
  if (kmsContextPatched) return;
  const dir = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
  const keys = require(path.join(dir, "context_keys", "contextKeys.js"));
  const allowed = require(path.join(dir, "simulation_engine", "contextKeys.js"));
  if (typeof keys.normalizeContextKeyCase !== "function" || typeof allowed.allowedContextKeysForRequest !== "function")
    throw new Error("iam-simulate internals changed: cannot accept kms:EncryptionContext:<key> context keys");
  const PREFIX = "kms:EncryptionContext:";
  const normalize = keys.normalizeContextKeyCase;
  keys.normalizeContextKeyCase = async (k: string) =>
    k.toLowerCase().startsWith(PREFIX.toLowerCase()) ? PREFIX + k.slice(PREFIX.length) : normalize(k);
  const allowedKeys = allowed.allowedContextKeysForRequest;
  allowed.allowedContextKeysForRequest = async (...args: unknown[]) => {
    const list: string[] = await allowedKeys(...args);
    return args[0] === "kms" ? [...list, "kms:encryptioncontext:aws:s3:arn"] : list;
  };
  kmsContextPatched = true;
}

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

  it("the module declares the outputs consumers wire (buckets, access points, policies, logs, key, workgroup)", () => {
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

  it("every policy in the plan is known (but those naming a module-managed key), valid JSON, uses only catalogued actions and fits its quota", () => {
    const docs = Object.entries(planned).filter(([, v]) => typeof v.policy === "string");
    // lake and given_lake: 4 bucket, 2 access point, 3 IAM policies each; kms_lake: the log bucket's,
    // 2 access point policies and the key policy (its zone bucket, results bucket and IAM policies name the
    // key, whose ARN AWS assigns at creation: known after apply).
    expect(docs.length).toBe(22);
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

  it("refuses a bad name input (variable validation), quoting it", () => {
    const r = plan(probe, { ...GOOD, name: "Acme_Lake" });
    expect(r.ok).toBe(false);
    expect(r.stderr.replace(/\s+/g, " ")).toContain(
      'The name input ("Acme_Lake") must be 3-41 characters of lowercase letters, digits and hyphens',
    );
  });

  describe("plan-time refusals naming the input and the value (each with a widened module that lets it through)", () => {
    const TOO_LONG = "n".repeat(31); // 31 + "-landing-zone-access" = 51 characters
    const OTHER_REGION_KEY = `arn:aws:kms:us-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const OTHER_PARTITION_KEY = `arn:aws-cn:kms:${REGION}:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const msg = (r: PlanResult) => r.stderr.replace(/\s+/g, " ");
    /** The probe root with the module's name and key preconditions removed from the log bucket. */
    let widened: string;
    beforeAll(() => {
      widened = root(PROBE, "data-lake-probe-widened");
      const file = path.join(widened, "modules", "data-lake", "cdk.tf.json");
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      const pre = json.resource.aws_s3_bucket.logs.lifecycle.precondition as { error_message: string }[];
      json.resource.aws_s3_bucket.logs.lifecycle.precondition = pre.filter((p) => !/^The (name|kms_key_arn) input/.test(p.error_message));
      expect(json.resource.aws_s3_bucket.logs.lifecycle.precondition.length).toBe(pre.length - 2);
      fs.writeFileSync(file, JSON.stringify(json, null, 2));
    });

    it("a name too long for the longest zone key: refused with name, value, zone and the longest allowed name", () => {
      const r = plan(probe, { ...GOOD, name: TOO_LONG });
      expect(r.ok).toBe(false);
      expect(msg(r)).toContain(
        `The name input ("${TOO_LONG}", 31 characters) is too long for the zone "landing-zone": its access point name ${TOO_LONG}-landing-zone-access would have 51 characters, over the 50 S3 allows. With this zone, name may have at most 30 characters`,
      );
      expect(msg(plan(widened, { ...GOOD, name: TOO_LONG }))).not.toContain("The name input");
    });

    it.each([
      ["another region", OTHER_REGION_KEY],
      ["another partition", OTHER_PARTITION_KEY],
    ])("a KMS key ARN in %s: refused naming kms_key_arn and its value; widened: planned", (_what, key) => {
      const r = plan(probe, { ...GOOD, kms_key_arn: key });
      expect(r.ok).toBe(false);
      expect(msg(r)).toContain(
        `The kms_key_arn input (${key}) must be a key of the lake's partition and region (arn:aws:kms:${REGION}:...)`,
      );
      const w = plan(widened, { ...GOOD, kms_key_arn: key });
      expect(w.stderr).toBe("");
      expect(w.ok).toBe(true);
    });
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
      lake: "lake" | "given_lake",
      level: "read_write" | "analyst" | "read_only" | null,
      principal: string,
      action: string,
      zone: string,
      key: string | null,
      ctx: Record<string, string | undefined> = {},
      viaAccessPoint = false,
    ) {
      const name = lake === "lake" ? "acme-lake" : "acme-given";
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

    it("option analyst_write_mode = access_point: direct writes refused, writes through the zone's access point allowed", async () => {
      const SSE_KMS = { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": GIVEN_KEY };
      await expect(ask("given_lake", "analyst", ANALYST, "s3:PutObject", "curated", "reports/a.csv", SSE_KMS)).resolves.toMatchObject({
        allowed: false,
        deniedBy: "implicit",
      });
      await expect(ask("given_lake", "analyst", ANALYST, "s3:PutObject", "curated", "reports/a.csv", SSE_KMS, true)).resolves.toEqual(
        allowed,
      );
      await expect(ask("given_lake", "analyst", ANALYST, "s3:DeleteObject", "curated", "reports/a.csv", {}, true)).resolves.toEqual(
        allowed,
      );
      await expect(ask("given_lake", "analyst", ANALYST, "s3:PutObject", "raw", "a.csv", SSE_KMS, true)).resolves.toEqual(denied);
      await expect(ask("given_lake", "analyst", ANALYST, "s3:GetObject", "raw", "a.csv")).resolves.toEqual(allowed);
    });

    it("option if_present with KMS: header-less uploads get default encryption (the lake key), another algorithm is denied", async () => {
      await expect(ask("given_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv")).resolves.toEqual(allowed);
      await expect(
        ask("given_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv", {
          "s3:x-amz-server-side-encryption": "aws:kms",
          "s3:x-amz-server-side-encryption-aws-kms-key-id": GIVEN_KEY,
        }),
      ).resolves.toEqual(allowed);
      await expect(ask("given_lake", "read_write", ENGINEER, "s3:PutObject", "raw", "a.csv", SSE)).resolves.toMatchObject({
        deniedBy: "resource",
        explicit: true,
      });
    });

    /** The document without the statement `sid`: the widened fixture of a check. */
    const without = (doc: PolicyDocument, sid: string): PolicyDocument => {
      if (!doc.Statement.some((s) => s.Sid === sid)) throw new Error(`no statement ${sid} to remove`);
      return { ...doc, Statement: doc.Statement.filter((s) => s.Sid !== sid) };
    };
    const ADMIN: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    /** A key policy that only delegates to the account's IAM policies (what a given key commonly has). */
    const DELEGATING_KEY_POLICY: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: "kms:*", Resource: "*" }],
    };
    const VIA_S3 = `s3.${REGION}.amazonaws.com`;

    describe("KMS mode: the configured key only", () => {
      const rw = () => [pol('module.given_lake.aws_iam_policy.read_write["1"]')];
      const bucketPolicy = () => pol('module.given_lake.aws_s3_bucket_policy.zone["raw"]');
      const put = (resource: PolicyDocument, ctx: Record<string, string>) =>
        decide(
          { identity: rw(), resource },
          { principal: ENGINEER, action: "s3:PutObject", resource: "arn:aws:s3:::acme-given-raw/a.csv", context: defaultContext(ctx) },
        );
      const KMS = { "s3:x-amz-server-side-encryption": "aws:kms" };
      const withKey = (key: string) => ({ ...KMS, "s3:x-amz-server-side-encryption-aws-kms-key-id": key });
      const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCT}:key/99999999-9999-9999-9999-999999999999`;

      it("allowed: an upload under the lake key", async () => {
        await expect(put(bucketPolicy(), withKey(GIVEN_KEY))).resolves.toEqual(allowed);
      });

      it("denied: an upload saying aws:kms without a key id (S3 would use aws/s3); widened: allowed", async () => {
        await expect(put(bucketPolicy(), KMS)).resolves.toMatchObject({ allowed: false, deniedBy: "resource", explicit: true });
        await expect(put(without(bucketPolicy(), "DenyKmsUploadsWithoutTheLakeKey"), KMS)).resolves.toEqual(allowed);
      });

      it("denied: an upload under another key of the account; widened: allowed", async () => {
        await expect(put(bucketPolicy(), withKey(OTHER_KEY))).resolves.toMatchObject({
          allowed: false,
          deniedBy: "resource",
          explicit: true,
        });
        await expect(put(without(bucketPolicy(), "DenyUploadsUnderAnotherKmsKey"), withKey(OTHER_KEY))).resolves.toEqual(allowed);
      });

      it("denied: SSE-C (a customer-provided key) in every mode; widened: allowed", async () => {
        const sseC = { "s3:x-amz-server-side-encryption-customer-algorithm": "AES256" };
        await expect(put(bucketPolicy(), sseC)).resolves.toMatchObject({ allowed: false, deniedBy: "resource", explicit: true });
        await expect(put(without(bucketPolicy(), "DenyCustomerProvidedKeys"), sseC)).resolves.toEqual(allowed);
        await expect(ask("lake", "read_write", ENGINEER, "s3:PutObject", "analysis", "x", { ...SSE, ...sseC })).resolves.toMatchObject({
          deniedBy: "resource",
        });
      });

      it("the Athena results bucket refuses other keys too", async () => {
        const results = pol("module.given_lake.aws_s3_bucket_policy.athena_results[0]");
        const sids = results.Statement.map((s) => s.Sid);
        expect(sids).toEqual(
          expect.arrayContaining(["DenyKmsUploadsWithoutTheLakeKey", "DenyUploadsUnderAnotherKmsKey", "DenyCustomerProvidedKeys"]),
        );
      });

      it("every KMS statement of the access policies names the lake key and nothing else", () => {
        for (const level of ["read_write", "analyst", "read_only"]) {
          const kms = pol(`module.given_lake.aws_iam_policy.${level}["1"]`).Statement.filter((s) =>
            [s.Action].flat().some((a) => String(a).startsWith("kms:")),
          );
          expect(kms.length).toBeGreaterThan(0);
          for (const s of kms) expect({ level, sid: s.Sid, resource: s.Resource }).toEqual({ level, sid: s.Sid, resource: GIVEN_KEY });
        }
      });

      it("the lake key through S3 for the lake's buckets: allowed; another key, or not through S3: denied", async () => {
        acceptKmsEncryptionContextKeys();
        const use = (key: string, ctx: Record<string, string>) =>
          decide(
            { identity: rw(), resource: DELEGATING_KEY_POLICY },
            { principal: ENGINEER, action: "kms:GenerateDataKey", resource: key, context: defaultContext(ctx) },
          );
        const viaLake = { "kms:ViaService": VIA_S3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-given-raw" };
        await expect(use(GIVEN_KEY, viaLake)).resolves.toEqual(allowed);
        await expect(use(OTHER_KEY, viaLake)).resolves.toMatchObject({ allowed: false, deniedBy: "implicit" });
        await expect(
          use(GIVEN_KEY, { "kms:ViaService": VIA_S3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::elsewhere" }),
        ).resolves.toEqual(denied);
        await expect(use(GIVEN_KEY, { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-given-raw" })).resolves.toEqual(denied);
      });

      it("with the module-managed key, the policies that name it are known after apply (the key's ARN comes from AWS)", () => {
        for (const a of [
          'module.kms_lake.aws_s3_bucket_policy.zone["raw"]',
          "module.kms_lake.aws_s3_bucket_policy.athena_results[0]",
          'module.kms_lake.aws_iam_policy.read_write["1"]',
        ])
          expect({ a, policy: planned[a].policy }).toEqual({ a, policy: undefined });
        for (const a of [
          "module.kms_lake.aws_kms_key.lake[0]",
          "module.kms_lake.aws_s3_bucket_policy.logs",
          'module.kms_lake.aws_s3_access_point.zone["curated"]',
        ])
          expect(typeof planned[a].policy).toBe("string");
      });
    });

    describe("KMS mode: the declared cross-account reader, through the access point", () => {
      const PARTNER_OWN: PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket", "kms:Decrypt"], Resource: "*" }],
      };
      const decrypt = (keyPolicy: PolicyDocument, ctx: Record<string, string>) =>
        decide(
          { identity: [PARTNER_OWN], resource: keyPolicy },
          {
            principal: PARTNER,
            action: "kms:Decrypt",
            resource: `arn:aws:kms:${REGION}:${ACCT}:key/1234abcd-12ab-34cd-56ef-000000000000`,
            context: defaultContext(ctx),
          },
        );

      it("S3: reads its prefix through the curated access point, not directly and not elsewhere", async () => {
        const layers = (viaAp: boolean): SimLayers => ({
          identity: [PARTNER_OWN],
          resource: pol('module.given_lake.aws_s3_bucket_policy.zone["curated"]'),
          ...(viaAp ? { accessPoint: pol('module.given_lake.aws_s3_access_point.zone["curated"]') } : {}),
        });
        const get = (key: string, viaAp: boolean) =>
          decide(layers(viaAp), {
            principal: PARTNER,
            action: "s3:GetObject",
            resource: `arn:aws:s3:::acme-given-curated/${key}`,
            resourceAccount: ACCT,
            context: defaultContext(viaAp ? { "s3:DataAccessPointArn": apArn("acme-given", "curated") } : {}),
          });
        await expect(get("reports/q1.csv", true)).resolves.toEqual(allowed);
        await expect(get("private/q1.csv", true)).resolves.toEqual(denied);
        await expect(get("reports/q1.csv", false)).resolves.toEqual(denied);
      });

      it("KMS: the module-managed key lets it decrypt through S3 for its zone's bucket only; widened: without the grant, denied", async () => {
        acceptKmsEncryptionContextKeys();
        const keyPolicy = pol("module.kms_lake.aws_kms_key.lake[0]");
        const curated = { "kms:ViaService": VIA_S3, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-kms-curated" };
        await expect(decrypt(keyPolicy, curated)).resolves.toEqual(allowed);
        await expect(decrypt(keyPolicy, { ...curated, "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-kms-raw" })).resolves.toEqual(
          denied,
        );
        await expect(decrypt(keyPolicy, { "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-kms-curated" })).resolves.toEqual(denied);
        const grant = keyPolicy.Statement.find((s) => JSON.stringify(s.Principal).includes(PARTNER))!;
        expect(grant).toMatchObject({ Action: ["kms:Decrypt"], Resource: "*" });
        await expect(decrypt(without(keyPolicy, grant.Sid!), curated)).resolves.toEqual(denied);
      });
    });

    describe("append-only access logs", () => {
      const logObject = (lake: string) => `arn:aws:s3:::${lake}-access-logs/${lake}-analysis/2026-11-29-00-00-00-ABCDEF`;
      const asAdmin = (
        policy: PolicyDocument,
        lake: string,
        action: string,
        principal = user("admin-jo"),
        ctx: Record<string, string> = {},
      ) => decide({ identity: [ADMIN], resource: policy }, { principal, action, resource: logObject(lake), context: defaultContext(ctx) });

      it("denied: an administrator (s3:*) deleting or overwriting a log object; widened: allowed", async () => {
        const logs = pol("module.lake.aws_s3_bucket_policy.logs");
        for (const action of ["s3:DeleteObject", "s3:DeleteObjectVersion"])
          await expect(asAdmin(logs, "acme-lake", action)).resolves.toMatchObject({ allowed: false, deniedBy: "resource", explicit: true });
        await expect(asAdmin(logs, "acme-lake", "s3:PutObject", undefined, SSE)).resolves.toMatchObject({
          allowed: false,
          deniedBy: "resource",
        });
        await expect(asAdmin(without(logs, "DenyLogDeletionExceptBreakGlass"), "acme-lake", "s3:DeleteObject")).resolves.toEqual(allowed);
        await expect(
          asAdmin(without(logs, "DenyLogWritesExceptLogDelivery"), "acme-lake", "s3:PutObject", undefined, SSE),
        ).resolves.toEqual(allowed);
      });

      it("allowed: a break-glass principal deleting a log object (and nobody else)", async () => {
        const logs = pol("module.given_lake.aws_s3_bucket_policy.logs");
        await expect(asAdmin(logs, "acme-given", "s3:DeleteObject", BREAK_GLASS)).resolves.toEqual(allowed);
        await expect(asAdmin(logs, "acme-given", "s3:DeleteObject")).resolves.toMatchObject({ allowed: false, deniedBy: "resource" });
      });

      it("allowed: S3 log delivery for the lake's buckets; refused for another bucket's logs", async () => {
        const logs = pol("module.lake.aws_s3_bucket_policy.logs");
        const deliver = (sourceBucket: string) =>
          decide(
            { identity: [], resource: logs },
            {
              principal: "logging.s3.amazonaws.com",
              action: "s3:PutObject",
              resource: logObject("acme-lake"),
              resourceAccount: ACCT,
              context: defaultContext({
                "aws:PrincipalServiceName": "logging.s3.amazonaws.com",
                "aws:SourceAccount": ACCT,
                "aws:SourceArn": `arn:aws:s3:::${sourceBucket}`,
                "aws:MultiFactorAuthPresent": undefined,
                "aws:MultiFactorAuthAge": undefined,
              }),
            },
          );
        await expect(deliver("acme-lake-analysis")).resolves.toEqual(allowed);
        await expect(deliver("someone-elses-bucket")).resolves.toEqual(denied);
      });
    });

    describe("Athena: the data team in the lake's workgroups only", () => {
      /** What a persona policy elsewhere may grant the data team (e.g. Athena on every workgroup). */
      const BROAD_ATHENA: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "athena:*", Resource: "*" }] };
      const start = (identity: PolicyDocument[], wg: string) =>
        decide(
          { identity },
          {
            principal: DATA,
            action: "athena:StartQueryExecution",
            resource: `arn:aws:athena:${REGION}:${ACCT}:workgroup/${wg}`,
            context: defaultContext(),
          },
        );

      it("denied: another workgroup (primary), whatever else grants it; allowed: the lake's and the given one; widened: primary allowed", async () => {
        const readOnly = pol('module.given_lake.aws_iam_policy.read_only["1"]');
        await expect(start([readOnly, BROAD_ATHENA], "primary")).resolves.toMatchObject({
          allowed: false,
          deniedBy: "identity",
          explicit: true,
        });
        await expect(start([readOnly, BROAD_ATHENA], "acme-given-data-team")).resolves.toEqual(allowed);
        await expect(start([readOnly], "adhoc")).resolves.toEqual(allowed);
        await expect(start([without(readOnly, "DenyQueriesInOtherWorkgroups"), BROAD_ATHENA], "primary")).resolves.toEqual(allowed);
        // The default lake: its own workgroup only.
        await expect(start([pol('module.lake.aws_iam_policy.read_only["1"]'), BROAD_ATHENA], "adhoc")).resolves.toMatchObject({
          deniedBy: "identity",
        });
      });
    });

    it("access point principals: read/write and prefix-limited read, granted by the access point policy alone", async () => {
      const ingest = `arn:aws:iam::${ACCT}:role/ingest`;
      const bi = `arn:aws:iam::${ACCT}:role/bi`;
      await expect(ask("given_lake", null, ingest, "s3:PutObject", "raw", "2024/a.csv", {}, true)).resolves.toEqual(allowed);
      await expect(ask("given_lake", null, ingest, "s3:PutObject", "raw", "2024/a.csv", {}, false)).resolves.toEqual(denied);
      await expect(ask("given_lake", null, bi, "s3:GetObject", "curated", "reports/q1.csv", {}, true)).resolves.toEqual(allowed);
      await expect(ask("given_lake", null, bi, "s3:GetObject", "curated", "private/q1.csv", {}, true)).resolves.toEqual(denied);
      await expect(ask("given_lake", null, bi, "s3:PutObject", "curated", "reports/q1.csv", {}, true)).resolves.toEqual(denied);
      await expect(ask("given_lake", null, bi, "s3:ListBucket", "curated", null, { "s3:prefix": "reports/" }, true)).resolves.toEqual(
        allowed,
      );
      await expect(ask("given_lake", null, bi, "s3:ListBucket", "curated", null, { "s3:prefix": "private/" }, true)).resolves.toEqual(
        denied,
      );
    });
  });
});

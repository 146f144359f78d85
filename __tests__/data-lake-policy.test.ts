/**
 * Layer 1 for the data lake: the pure policy code in lib/policy/s3 (names, conditional
 * statements, bucket / access point / identity / key policies), built with literal inputs.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "@cdktf/hcl2json";
import { getCatalog, validatePolicyActions } from "../lib/policy/catalog";
import { jsonencodePolicy, resolveStatic, tfExpr, toHclExpression } from "../lib/policy/render";
import {
  ACCESS_POINT_NAME_RULES,
  accessPointPolicy,
  analystPolicy,
  BUCKET_NAME_RULES,
  choose,
  concatLists,
  equals,
  forList,
  hcl,
  LakeAccessCommon,
  lakeBucketPolicy,
  lakeKeyPolicy,
  logBucketPolicy,
  member,
  nameProblems,
  nonEmpty,
  not,
  policy,
  readOnlyPolicy,
  readWritePolicy,
  repeated,
  staticPolicy,
  statementList,
  when,
  withComposites,
  ZoneArns,
} from "../lib/policy/s3";
import * as actions from "../lib/policy/s3/actions";
import { PolicyDocument, Statement } from "../lib/policy/types";
import { decide, defaultContext } from "../tools/simulate";
import { ROOT, tsFiles } from "../tools/architecture";

const ACCT = "123456789012";
const KEY = `arn:aws:kms:ap-southeast-2:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const bucket = (z: string) => `arn:aws:s3:::acme-${z}`;
const ap = (z: string) => `arn:aws:s3:ap-southeast-2:${ACCT}:accesspoint/acme-${z}-access`;
const zones = (...zs: string[]): ZoneArns => ({
  bucketArns: zs.map(bucket),
  objectArns: zs.map((z) => `${bucket(z)}/*`),
  accessPointArns: zs.map(ap),
  accessPointObjectArns: zs.map((z) => `${ap(z)}/object/*`),
});
const common = (kms = false): LakeAccessCommon => ({
  regions: ["ap-southeast-2"],
  kms: { enabled: kms, keyArn: KEY, viaService: "s3.ap-southeast-2.amazonaws.com" },
});
const athena = {
  enabled: true,
  workgroupArns: [`arn:aws:athena:ap-southeast-2:${ACCT}:workgroup/acme-data-team`],
  hasWorkgroups: true,
  anyWorkgroupArn: "arn:aws:athena:*:*:workgroup/*",
  glueResources: [`arn:aws:glue:ap-southeast-2:${ACCT}:catalog`, `arn:aws:glue:ap-southeast-2:${ACCT}:database/*`],
  resultsBucketArn: "arn:aws:s3:::acme-athena-results",
  resultsObjectArn: "arn:aws:s3:::acme-athena-results/acme-data-team/*",
};

function allPolicies(kms: boolean): Record<string, PolicyDocument> {
  const bp = (strict: boolean) =>
    staticPolicy(
      lakeBucketPolicy({
        bucketArn: bucket("analysis"),
        accountId: ACCT,
        sseAlgorithm: "AES256",
        requireEncryptionHeader: strict,
        delegateToAccessPoints: true,
        kmsEnabled: kms,
        kmsKeyArn: KEY,
      }),
    );
  return {
    bucketStrict: bp(true),
    bucketIfPresent: bp(false),
    logs: staticPolicy(
      logBucketPolicy({
        logBucketArn: bucket("logs"),
        accountId: ACCT,
        sourceBucketArns: [bucket("analysis")],
        breakGlassPrincipalArns: [`arn:aws:iam::${ACCT}:role/BreakGlass*`],
        hasBreakGlass: true,
      }),
    ),
    accessPoint: staticPolicy(
      accessPointPolicy({
        accessPointArn: ap("analysis"),
        readPrincipalArns: [`arn:aws:iam::${ACCT}:role/bi`],
        readWritePrincipalArns: [`arn:aws:iam::${ACCT}:role/etl`],
        hasReaders: true,
        hasWriters: true,
        objectResources: [`${ap("analysis")}/object/raw/*`],
        listPrefixPatterns: ["raw/*"],
        hasPrefixes: true,
        regions: ["ap-southeast-2"],
      }),
    ),
    readWrite: staticPolicy(readWritePolicy(zones("landing-zone", "analysis"), common(kms))),
    analyst: staticPolicy(
      analystPolicy({ readZones: zones("landing-zone", "analysis"), writeZone: zones("analysis"), writeMode: "direct" }, common(kms)),
    ),
    readOnly: staticPolicy(readOnlyPolicy(zones("landing-zone", "analysis"), athena, common(kms))),
    key: staticPolicy(lakeKeyPolicy({ partition: "aws", accountId: ACCT, viaService: "s3.ap-southeast-2.amazonaws.com", zoneGrants: [] })),
  };
}

describe("S3 naming rules", () => {
  it.each(["acme-lake-landing-zone", "abc", "a.b-c", "x".repeat(63)])("accepts %s as a bucket name", (n) => {
    expect(nameProblems(n, BUCKET_NAME_RULES)).toEqual([]);
  });

  it.each([
    ["ab", "3-63"],
    ["x".repeat(64), "3-63"],
    ["Acme-lake", "lowercase"],
    ["acme_lake", "lowercase"],
    ["-acme", "begin and end"],
    ["acme..lake", "adjacent dots"],
    ["192.168.1.10", "IP address"],
    ["xn--acme", "xn--"],
    ["sthree-acme", "sthree-"],
    ["acme-s3alias", "-s3alias"],
    ["acme--ol-s3", "--ol-s3"],
    ["acme.mrap", ".mrap"],
    ["acme--x-s3", "--x-s3"],
  ])("rejects %s (%s)", (n, rule) => {
    const problems = nameProblems(n, BUCKET_NAME_RULES);
    expect(problems.join("; ")).toContain(rule);
  });

  it("access point names: 3-50 characters, no dots", () => {
    expect(nameProblems("acme-lake-landing-zone-access", ACCESS_POINT_NAME_RULES)).toEqual([]);
    expect(nameProblems("a".repeat(51), ACCESS_POINT_NAME_RULES).join()).toContain("3-50");
    expect(nameProblems("acme.lake-access", ACCESS_POINT_NAME_RULES).join()).toContain("hyphens");
  });

  it("the HCL form of every rule parses as a Terraform expression", async () => {
    for (const r of [...BUCKET_NAME_RULES, ...ACCESS_POINT_NAME_RULES]) {
      await expect(parse("rule.tf", `v = ${r.hcl("var.n")}\n`)).resolves.toBeDefined();
    }
  });
});

describe("S3 naming rules have one home (lib/policy/s3/names.ts)", () => {
  // Signatures of a hand-written S3 bucket name rule: the bucket name character class, a
  // reserved prefix or suffix.
  const SIGNATURES = [/\[a-z0-9\]\[a-z0-9\.-\]/, /"xn--"/, /"sthree-"/, /"amzn-s3-demo-"/, /-s3alias"/];
  const offenders = (files: string[]) =>
    files
      .map((f) => path.relative(ROOT, f))
      .filter((f) => f !== "lib/policy/s3/names.ts")
      .filter((f) => SIGNATURES.some((re) => re.test(fs.readFileSync(path.join(ROOT, f), "utf8"))));

  it("no file in app/, lib/ or modules/ writes a bucket name rule of its own", () => {
    expect(offenders(tsFiles("app", "lib", "modules"))).toEqual([]);
  });

  it("the check finds a rule where one is written (names.ts itself)", () => {
    expect(SIGNATURES.some((re) => re.test(fs.readFileSync(path.join(ROOT, "lib/policy/s3/names.ts"), "utf8")))).toBe(true);
  });
});

describe("conditional statements", () => {
  const a: Statement = { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" };
  const b: Statement = { Sid: "B", Effect: "Deny", Action: "s3:PutObject", Resource: "*" };

  it("known conditions give plain data", () => {
    expect(statementList([a, when(false, b)])).toEqual([a]);
    expect(statementList([a, when(true, b)])).toEqual([a, b]);
  });

  it("a plan-time condition gives one concat() with a filtering for-expression (no type unification)", () => {
    const v = statementList([a, when(hcl("var.x"), b)]);
    expect(typeof v).toBe("string");
    const rendered = jsonencodePolicy(policy([a, when(hcl("var.x"), b)]));
    expect(rendered).toContain(`concat([{"Sid" = "A"`);
    expect(rendered).toContain(`: s if var.x]`);
    expect(() => staticPolicy(policy([when(hcl("var.x"), b)]))).toThrow(/plan-time/);
  });

  it("concatLists keeps literals as data and expressions as concat()", () => {
    expect(concatLists(["a"], ["b"])).toEqual(["a", "b"]);
    const e = concatLists(["a"], tfExpr("var.l"));
    expect(jsonencodePolicy({ R: e })).toBe('${jsonencode({"R" = concat(["a"], var.l)})}');
  });
});

describe("plan-time expressions resolve from their parts for the policy checks", () => {
  const a: Statement = { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: tfExpr("var.arns") };
  const b: Statement = { Sid: "B", Effect: "Deny", Action: "s3:PutObject", Resource: "*" };
  /** A module's lookup: references only, anything else refused (as the data-lake stack does). */
  const lookupOf = (values: Record<string, unknown>) =>
    withComposites((e) => {
      if (e in values) return values[e];
      throw new Error(`no value for ${e}`);
    });

  it("optional statements are kept exactly when their condition holds with the given values", () => {
    const doc = policy([a, when(equals("var.mode", "strict"), b), when(not(nonEmpty("var.arns")), { ...b, Sid: "C" })]);
    const resolve = (values: Record<string, unknown>) =>
      (resolveStatic(doc, lookupOf(values)) as PolicyDocument).Statement.map((s) => s.Sid);
    expect(resolve({ "var.mode": "strict", "var.arns": ["x"] })).toEqual(["A", "B"]);
    expect(resolve({ "var.mode": "if_present", "var.arns": [] })).toEqual(["A", "C"]);
  });

  it("repeated statements expand over the collection with the loop variables bound", () => {
    const grants = policy([
      repeated({
        each: "z",
        index: "i",
        over: "sort(keys(var.zones))",
        when: nonEmpty(toHclExpression(member("var.zones", "z", "readers"))),
        statement: { Sid: `Read${tfExpr("i")}`, Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${tfExpr("z")}/*` },
      }),
    ]);
    const zones = { a: { readers: ["r"] }, b: { readers: [] }, c: { readers: ["r"] } };
    const doc = resolveStatic(grants, lookupOf({ "sort(keys(var.zones))": ["a", "b", "c"], "var.zones": zones })) as PolicyDocument;
    expect(doc.Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ["Read0", "arn:aws:s3:::a/*"],
      ["Read2", "arn:aws:s3:::c/*"],
    ]);
  });

  it("concat, for-expressions and choices resolve; the HCL is unchanged", () => {
    const arns = forList({ each: "p", over: tfExpr("cfg.prefixes"), item: `ap/object/${tfExpr("p")}*` });
    const objects = choose(nonEmpty("cfg.prefixes"), arns, ["ap/object/*"]);
    const both = concatLists(objects, ["x"]);
    expect(toHclExpression(both)).toBe(
      'concat(length(cfg.prefixes) > 0 ? [for p in cfg.prefixes : "ap/object/${p}*"] : ["ap/object/*"], ["x"])',
    );
    expect(resolveStatic(both, lookupOf({ "cfg.prefixes": ["raw/", "curated/"] }))).toEqual([
      "ap/object/raw/*",
      "ap/object/curated/*",
      "x",
    ]);
    expect(resolveStatic(both, lookupOf({ "cfg.prefixes": [] }))).toEqual(["ap/object/*", "x"]);
  });

  it("a condition or list without a worst-case value is an error naming the expression, never a guess", () => {
    const doc = policy([a, when(hcl("local.switch"), b)]);
    expect(() =>
      resolveStatic(
        doc,
        withComposites(() => "EXAMPLE"),
      ),
    ).toThrow(/no boolean value for the condition local\.switch/);
    const list = forList({ each: "z", over: tfExpr("var.zones_list"), item: tfExpr("z") });
    expect(() =>
      resolveStatic(
        list,
        withComposites(() => "EXAMPLE"),
      ),
    ).toThrow(/need a list for var\.zones_list/);
  });
});

describe("bucket policies", () => {
  const p = allPolicies(false);

  it("zone bucket (strict): deny non-TLS, deny missing and other encryption, delegate to own-account access points", () => {
    const sids = p.bucketStrict.Statement.map((s) => s.Sid);
    expect(sids).toEqual([
      "DenyInsecureTransport",
      "DenyUploadsWithoutEncryptionHeader",
      "DenyUploadsWithOtherEncryption",
      "DenyCustomerProvidedKeys",
      "DelegateAccessControlToOwnAccountAccessPoints",
    ]);
    const [tls, missing, other, sseC, delegate] = p.bucketStrict.Statement;
    expect(sseC.Condition).toEqual({ Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } });
    expect(tls.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    expect(missing.Condition).toEqual({ Null: { "s3:x-amz-server-side-encryption": "true" } });
    expect(other.Condition).toEqual({
      StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" },
      Null: { "s3:x-amz-server-side-encryption": "false" },
    });
    expect(delegate).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Condition: { StringEquals: { "s3:DataAccessPointAccount": ACCT } },
    });
  });

  it("if_present mode drops only the missing-header deny", () => {
    expect(p.bucketIfPresent.Statement.map((s) => s.Sid)).not.toContain("DenyUploadsWithoutEncryptionHeader");
    expect(p.bucketIfPresent.Statement.map((s) => s.Sid)).toContain("DenyUploadsWithOtherEncryption");
  });

  it("log bucket: delivery by the logging service principal with SourceAccount and SourceArn, no ACLs", () => {
    const delivery = p.logs.Statement.find((s) => s.Sid === "AllowS3ServerAccessLogDelivery")!;
    expect(delivery.Principal).toEqual({ Service: "logging.s3.amazonaws.com" });
    expect(delivery.Action).toBe("s3:PutObject");
    expect(delivery.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": ACCT },
      ArnLike: { "aws:SourceArn": [bucket("analysis")] },
    });
  });

  it("worst-case zone bucket policy is far below 20 KB", () => {
    const worst = staticPolicy(
      lakeBucketPolicy({
        bucketArn: `arn:aws-iso-b:s3:::${"a".repeat(63)}`,
        accountId: ACCT,
        sseAlgorithm: "aws:kms",
        requireEncryptionHeader: true,
        delegateToAccessPoints: true,
        kmsEnabled: true,
        kmsKeyArn: `arn:aws-iso-b:kms:us-isob-east-1:${ACCT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      }),
    );
    expect(Buffer.byteLength(JSON.stringify(worst))).toBeLessThan(20480 / 4);
  });
});

describe("every policy", () => {
  const docs = { ...allPolicies(false), ...Object.fromEntries(Object.entries(allPolicies(true)).map(([k, v]) => [`${k}Kms`, v])) };

  it.each(Object.keys(docs))("%s: every action exists in the IAM catalog", (k) => {
    expect(validatePolicyActions(docs[k])).toEqual([]);
  });

  it.each(Object.keys(docs))("%s: no Allow to * without a narrowing condition", (k) => {
    for (const s of docs[k].Statement) {
      const p = s.Principal;
      const toAnyone = p === "*" || (typeof p === "object" && (p.AWS === "*" || (Array.isArray(p.AWS) && p.AWS.includes("*"))));
      if (s.Effect === "Allow" && toAnyone) expect(Object.keys(s.Condition ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("access policies: every Allow carries aws:RequestedRegion; KMS only through S3", () => {
    for (const k of ["readWrite", "analyst", "readOnly", "accessPoint", "readWriteKms", "analystKms", "readOnlyKms"]) {
      for (const s of docs[k].Statement.filter((s) => s.Effect === "Allow")) {
        expect({ k, sid: s.Sid, region: s.Condition?.StringEquals?.["aws:RequestedRegion"] }).toEqual({
          k,
          sid: s.Sid,
          region: ["ap-southeast-2"],
        });
      }
    }
    for (const k of ["readWriteKms", "analystKms", "readOnlyKms"]) {
      const kmsStatements = docs[k].Statement.filter((s) => String(s.Action).startsWith("kms:"));
      expect(kmsStatements.length).toBeGreaterThan(0);
      for (const s of kmsStatements) expect(s.Condition?.StringEquals?.["kms:ViaService"]).toBe("s3.ap-southeast-2.amazonaws.com");
    }
  });

  it("no policy grants s3:DeleteObjectVersion or a wildcard action to people", () => {
    for (const k of ["readWrite", "analyst", "readOnly", "accessPoint"]) {
      const acts = docs[k].Statement.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());
      expect(acts).not.toContain("s3:DeleteObjectVersion");
      expect(acts.filter((a) => String(a).includes("*"))).toEqual([]);
    }
  });

  it("action sets are sorted, unique and catalogued", () => {
    const catalog = getCatalog();
    for (const [name, list] of Object.entries(actions)) {
      if (!Array.isArray(list)) continue;
      expect({ name, sorted: [...list].sort() }).toEqual({ name, sorted: list });
      for (const a of list) expect(catalog.validateActionPattern(a)).toBeUndefined();
    }
  });
});

describe("decide() on the pure policies", () => {
  const p = allPolicies(false);
  const obj = `${bucket("analysis")}/x.csv`;
  const put = (resource: PolicyDocument, ctx: Record<string, string | undefined>) =>
    decide(
      { identity: [p.readWrite], resource },
      { principal: `arn:aws:iam::${ACCT}:user/eng`, action: "s3:PutObject", resource: obj, context: defaultContext(ctx) },
    );

  it("strict: header required; if_present: header-less upload passes, a wrong header is denied", async () => {
    await expect(put(p.bucketStrict, {})).resolves.toMatchObject({ allowed: false, deniedBy: "resource" });
    await expect(put(p.bucketStrict, { "s3:x-amz-server-side-encryption": "AES256" })).resolves.toEqual({ allowed: true });
    await expect(put(p.bucketIfPresent, {})).resolves.toEqual({ allowed: true });
    await expect(put(p.bucketIfPresent, { "s3:x-amz-server-side-encryption": "aws:kms" })).resolves.toMatchObject({ deniedBy: "resource" });
  });

  it("why not StringNotEqualsIfExists: as a Deny it also refuses header-less uploads", async () => {
    const ifExists = {
      Version: "2012-10-17" as const,
      Statement: [
        {
          Effect: "Deny" as const,
          Principal: "*" as const,
          Action: "s3:PutObject",
          Resource: `${bucket("analysis")}/*`,
          Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" } },
        },
      ],
    };
    await expect(put(ifExists, {})).resolves.toMatchObject({ allowed: false, deniedBy: "resource" });
  });
});

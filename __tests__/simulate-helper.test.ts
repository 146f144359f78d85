import type { PolicyDocument, Statement } from "../lib/policy/types";
import { FULL_AWS_ACCESS, SimulationInputError, decide, defaultContext } from "../tools/simulate";

const ACCT = "111122223333";
const OTHER = "444455556666";
const ALICE = `arn:aws:iam::${ACCT}:user/alice`;
const BOB = `arn:aws:iam::${ACCT}:user/bob`;
const BUCKET = "arn:aws:s3:::example-data";
const OBJECT = `${BUCKET}/reports/q1.csv`;
const AP = `arn:aws:s3:ap-southeast-2:${ACCT}:accesspoint/analysts`;

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[] = "*"): Statement => ({ Effect: "Allow", Action, Resource });

describe("decide: core layers", () => {
  const s3Reader = doc(allow(["s3:GetObject", "s3:ListBucket"], [BUCKET, `${BUCKET}/*`]));

  test("identity Allow allows; the same policy without that action does not", async () => {
    const req = { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: defaultContext() };
    await expect(decide({ identity: [s3Reader] }, req)).resolves.toEqual({ allowed: true });
    await expect(decide({ identity: [doc(allow("s3:ListBucket", BUCKET))] }, req)).resolves.toMatchObject({
      allowed: false,
      deniedBy: "implicit",
      explicit: false,
    });
  });

  test("no identity policy at all is an implicit deny", async () => {
    const d = await decide({ identity: [] }, { principal: ALICE, action: "s3:PutObject", resource: OBJECT, context: defaultContext() });
    expect(d).toMatchObject({ allowed: false, deniedBy: "implicit", explicit: false });
  });

  test("explicit identity Deny names the identity layer", async () => {
    const policy = doc(allow("s3:*"), { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" });
    const ctx = defaultContext();
    const d = await decide({ identity: [policy] }, { principal: ALICE, action: "s3:DeleteObject", resource: OBJECT, context: ctx });
    expect(d).toMatchObject({ allowed: false, deniedBy: "identity", explicit: true });
    if (!d.allowed) expect(d.detail).toContain("NoDelete");
    // Same policy, other action: the Allow still applies.
    await expect(
      decide({ identity: [policy] }, { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: ctx }),
    ).resolves.toEqual({ allowed: true });
  });

  test("bucket-policy Deny on aws:SecureTransport=false names the resource layer", async () => {
    const bucketPolicy = doc({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const layers = { identity: [s3Reader], resource: bucketPolicy };
    const req = { principal: ALICE, action: "s3:GetObject", resource: OBJECT };
    await expect(decide(layers, { ...req, context: defaultContext({ "aws:SecureTransport": "false" }) })).resolves.toMatchObject({
      allowed: false,
      deniedBy: "resource",
      explicit: true,
    });
    await expect(decide(layers, { ...req, context: defaultContext() })).resolves.toEqual({ allowed: true });
  });

  test("same-account identity Allow suffices when the bucket policy grants nothing; cross-account it does not", async () => {
    // A bucket policy whose only statement is about someone else.
    const bucketPolicy = doc({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCT}:role/Ingest` },
      Action: "s3:PutObject",
      Resource: `${BUCKET}/*`,
    });
    const req = { action: "s3:GetObject", resource: OBJECT, context: defaultContext() };
    await expect(decide({ identity: [s3Reader], resource: bucketPolicy }, { ...req, principal: ALICE })).resolves.toEqual({
      allowed: true,
    });
    // The same identity policy in another account needs a grant from the bucket policy.
    const d = await decide(
      { identity: [s3Reader], resource: bucketPolicy },
      { ...req, principal: `arn:aws:iam::${OTHER}:user/mallory`, resourceAccount: ACCT },
    );
    expect(d).toMatchObject({ allowed: false, deniedBy: "implicit", explicit: false });
  });

  test("s3:x-amz-server-side-encryption: StringNotEquals denies wrong and missing headers", async () => {
    const bucketPolicy = doc({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${BUCKET}/*`,
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } },
    });
    const layers = { identity: [doc(allow("s3:PutObject", `${BUCKET}/*`))], resource: bucketPolicy };
    const put = (extra: Record<string, string>) =>
      decide(layers, { principal: ALICE, action: "s3:PutObject", resource: OBJECT, context: defaultContext(extra) });
    await expect(put({ "s3:x-amz-server-side-encryption": "AES256" })).resolves.toEqual({ allowed: true });
    await expect(put({ "s3:x-amz-server-side-encryption": "aws:kms" })).resolves.toMatchObject({ deniedBy: "resource" });
    await expect(put({})).resolves.toMatchObject({ deniedBy: "resource" });
  });

  test("role trust policy as the resource layer: account-root trust needs the identity Allow and its condition", async () => {
    const role = `arn:aws:iam::${ACCT}:role/Admin`;
    const trust = doc({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
    const assume = (identity: PolicyDocument[], ctx: Record<string, string | undefined> = {}) =>
      decide({ identity, resource: trust }, { principal: ALICE, action: "sts:AssumeRole", resource: role, context: defaultContext(ctx) });
    const canAssume = [doc(allow("sts:AssumeRole", role))];
    await expect(assume(canAssume)).resolves.toEqual({ allowed: true });
    await expect(assume(canAssume, { "aws:MultiFactorAuthPresent": undefined })).resolves.toMatchObject({ deniedBy: "implicit" });
    await expect(assume([])).resolves.toMatchObject({ deniedBy: "implicit" });
  });

  test("aws:TokenIssueTime (Date) is evaluated for role sessions", async () => {
    const policy = doc(allow("s3:GetObject"), {
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { DateLessThan: { "aws:TokenIssueTime": "2024-06-01T00:00:00Z" } },
    });
    const req = { principal: `arn:aws:sts::${ACCT}:assumed-role/Analyst/alice`, action: "s3:GetObject", resource: OBJECT };
    await expect(
      decide({ identity: [policy] }, { ...req, context: defaultContext({ "aws:TokenIssueTime": "2024-01-01T00:00:00Z" }) }),
    ).resolves.toMatchObject({
      deniedBy: "identity",
    });
    await expect(
      decide({ identity: [policy] }, { ...req, context: defaultContext({ "aws:TokenIssueTime": "2024-07-01T00:00:00Z" }) }),
    ).resolves.toEqual({ allowed: true });
  });
});

describe("decide: SCPs and RCPs", () => {
  const regionDeny = doc({
    Sid: "DenyOutsideAllowedRegions",
    Effect: "Deny",
    NotAction: ["iam:*", "sts:*", "organizations:*", "support:*"],
    Resource: "*",
    Condition: {
      StringNotEquals: { "aws:RequestedRegion": ["ap-southeast-2"] },
      ArnNotLike: { "aws:PrincipalARN": [`arn:aws:iam::*:role/BreakGlass`] },
    },
  });
  const scps = [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS, regionDeny], [FULL_AWS_ACCESS]];
  const admin = doc(allow("*"));
  const runInstances = (principal: string, region: string) =>
    decide(
      { identity: [admin], scps },
      {
        principal,
        action: "ec2:RunInstances",
        resource: `arn:aws:ec2:${region}:${ACCT}:instance/i-0123456789abcdef0`,
        context: defaultContext({ "aws:RequestedRegion": region }),
      },
    );

  test("region-deny SCP denies ec2 outside the allowed region, not inside it", async () => {
    const d = await runInstances(ALICE, "us-west-2");
    expect(d).toMatchObject({ allowed: false, deniedBy: "scp", explicit: true });
    if (!d.allowed) expect(d.detail).toContain("DenyOutsideAllowedRegions");
    await expect(runInstances(ALICE, "ap-southeast-2")).resolves.toEqual({ allowed: true });
  });

  test("NotAction keeps iam:* usable in us-east-1", async () => {
    const d = await decide(
      { identity: [admin], scps },
      { principal: ALICE, action: "iam:ListUsers", resource: "*", context: defaultContext({ "aws:RequestedRegion": "us-east-1" }) },
    );
    expect(d).toEqual({ allowed: true });
  });

  test("a role session exempted by ArnNotLike aws:PrincipalARN is allowed (PrincipalArn derived from the session)", async () => {
    await expect(runInstances(`arn:aws:sts::${ACCT}:assumed-role/BreakGlass/oncall`, "us-west-2")).resolves.toEqual({ allowed: true });
    await expect(runInstances(`arn:aws:sts::${ACCT}:assumed-role/Developer/oncall`, "us-west-2")).resolves.toMatchObject({
      deniedBy: "scp",
    });
  });

  test("an SCP level without any Allow is an implicit scp denial", async () => {
    const d = await decide(
      { identity: [admin], scps: [[FULL_AWS_ACCESS], [regionDeny]] },
      { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: defaultContext() },
    );
    expect(d).toMatchObject({ allowed: false, deniedBy: "scp", explicit: false });
  });

  test("RCP Deny names the rcp layer", async () => {
    const rcp = doc({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { StringNotEqualsIfExists: { "aws:PrincipalAccount": [ACCT] } },
    });
    const layers = {
      identity: [doc(allow("s3:GetObject"))],
      resource: doc({ Effect: "Allow", Principal: { AWS: OTHER }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }),
      rcps: [[rcp]],
    };
    const req = { action: "s3:GetObject", resource: OBJECT, resourceAccount: ACCT, context: defaultContext() };
    await expect(decide(layers, { ...req, principal: `arn:aws:iam::${OTHER}:user/partner` })).resolves.toMatchObject({
      deniedBy: "rcp",
      explicit: true,
    });
    await expect(decide(layers, { ...req, principal: ALICE })).resolves.toEqual({ allowed: true });
  });
});

describe("decide: MFA deny-unless pattern and policy variables", () => {
  const selfService = [
    "iam:ChangePassword",
    "iam:GetUser",
    "iam:CreateVirtualMFADevice",
    "iam:EnableMFADevice",
    "iam:ListMFADevices",
    "sts:GetSessionToken",
  ];
  const policies = [
    doc(allow("s3:GetObject", `${BUCKET}/*`)),
    doc(
      { Sid: "SelfService", Effect: "Allow", Action: selfService, Resource: `arn:aws:iam::${ACCT}:user/\${aws:username}` },
      {
        Sid: "DenyAllExceptListedIfNoMFA",
        Effect: "Deny",
        NotAction: selfService,
        Resource: "*",
        Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
      },
    ),
  ];
  const get = (ctx: Record<string, string | undefined>) =>
    decide({ identity: policies }, { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: defaultContext(ctx) });

  test("denies without MFA (key false or absent), allows with MFA", async () => {
    await expect(get({ "aws:MultiFactorAuthPresent": "false" })).resolves.toMatchObject({ deniedBy: "identity", explicit: true });
    await expect(get({ "aws:MultiFactorAuthPresent": undefined, "aws:MultiFactorAuthAge": undefined })).resolves.toMatchObject({
      deniedBy: "identity",
    });
    await expect(get({})).resolves.toEqual({ allowed: true });
  });

  test("iam:ChangePassword without MFA: alice on her own user, not on bob's", async () => {
    const noMfa = defaultContext({ "aws:MultiFactorAuthPresent": "false", "aws:MultiFactorAuthAge": undefined });
    const change = (principal: string, resource: string) =>
      decide({ identity: policies }, { principal, action: "iam:ChangePassword", resource, context: noMfa });
    await expect(change(ALICE, ALICE)).resolves.toEqual({ allowed: true });
    await expect(change(ALICE, BOB)).resolves.toMatchObject({ allowed: false, deniedBy: "implicit" });
    // ${aws:username} follows the caller: bob may change his own password.
    await expect(change(BOB, BOB)).resolves.toEqual({ allowed: true });
    // An explicit aws:username in the context wins over the one derived from the principal.
    await expect(
      decide(
        { identity: policies },
        { principal: ALICE, action: "iam:ChangePassword", resource: BOB, context: { ...noMfa, "aws:username": "bob" } },
      ),
    ).resolves.toEqual({ allowed: true });
  });
});

describe("decide: S3 access points", () => {
  const bucketPolicy = doc(
    {
      Sid: "DelegateToAccessPoints",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "s3:*",
      Resource: [BUCKET, `${BUCKET}/*`],
      Condition: { StringEquals: { "s3:DataAccessPointAccount": ACCT } },
    },
    {
      Sid: "DenyDirectAccess",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: `${BUCKET}/*`,
      Condition: { Null: { "s3:DataAccessPointArn": "true" } },
    },
  );
  const apPolicy = doc(
    { Effect: "Allow", Principal: { AWS: ALICE }, Action: ["s3:GetObject", "s3:PutObject"], Resource: `${AP}/object/*` },
    { Sid: "ReadOnlyAccessPoint", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${AP}/object/*` },
  );
  // Alice's identity policy names only the access point, as AWS recommends.
  const identity = [doc(allow(["s3:GetObject", "s3:PutObject"], `${AP}/object/*`))];
  const layers = { identity, resource: bucketPolicy, accessPoint: apPolicy };
  const viaAp = defaultContext({ "s3:DataAccessPointArn": AP });

  test("allowed through the access point: bucket policy sees s3:DataAccessPoint* keys", async () => {
    await expect(decide(layers, { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: viaAp })).resolves.toEqual({
      allowed: true,
    });
  });

  test("direct access is denied by the bucket policy", async () => {
    const d = await decide(
      { identity: [doc(allow("s3:GetObject"))], resource: bucketPolicy },
      { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: defaultContext() },
    );
    expect(d).toMatchObject({ allowed: false, deniedBy: "resource", explicit: true });
  });

  test("an access-point policy Deny names the access-point layer", async () => {
    const d = await decide(layers, { principal: ALICE, action: "s3:PutObject", resource: OBJECT, context: viaAp });
    expect(d).toMatchObject({ allowed: false, deniedBy: "access-point", explicit: true });
  });

  test("another principal gets nothing from the access point", async () => {
    const d = await decide({ ...layers, identity: [] }, { principal: BOB, action: "s3:GetObject", resource: OBJECT, context: viaAp });
    expect(d).toMatchObject({ allowed: false, deniedBy: "implicit" });
  });

  test("accessPoint layer without s3:DataAccessPointArn is a usage error", async () => {
    await expect(decide(layers, { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: defaultContext() })).rejects.toThrow(
      SimulationInputError,
    );
  });
});

describe("decide: input errors surface", () => {
  test("unknown action", async () => {
    await expect(decide({ identity: [] }, { principal: ALICE, action: "s3:GetObjekt", resource: OBJECT })).rejects.toThrow(
      /invalid\.action/,
    );
  });

  test("unknown condition key (would otherwise be silently ignored)", async () => {
    await expect(
      decide(
        { identity: [] },
        { principal: ALICE, action: "s3:GetObject", resource: OBJECT, context: { "aws:MultiFactorAuthPresnt": "true" } },
      ),
    ).rejects.toThrow(/aws:MultiFactorAuthPresnt/);
  });

  test("wildcard resource for a resource-level action", async () => {
    await expect(decide({ identity: [] }, { principal: ALICE, action: "s3:GetObject", resource: `${BUCKET}/*` })).rejects.toThrow(
      /concrete resource/,
    );
  });

  test("defaultContext: sensible defaults; undefined removes a key", () => {
    const ctx = defaultContext({ "aws:MultiFactorAuthPresent": undefined, "aws:RequestedRegion": "us-east-1" });
    expect(ctx).toMatchObject({ "aws:SecureTransport": "true", "aws:MultiFactorAuthAge": "60", "aws:RequestedRegion": "us-east-1" });
    expect(ctx).not.toHaveProperty("aws:MultiFactorAuthPresent");
    expect(ctx["aws:CurrentTime"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

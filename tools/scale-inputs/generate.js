#!/usr/bin/env node
/**
 * Generates the benchmark / scale-test input sets (tfvars-style JSON: module input -> value),
 * deterministically: `node tools/scale-inputs/generate.js` rewrites tools/scale-inputs/<module>.<set>.json.
 * __tests__/scale.test.ts checks that the committed files equal what this script generates.
 *
 *  iam-baseline.default  required inputs only (module defaults: 7 personas, no environments)
 *  iam-baseline.large    1,000 users over the 7 personas and 20 custom groups, environments dev/test/prod
 *  data-lake.default     required inputs only (zones landing-zone + analysis)
 *  data-lake.large       50 zones (the zones variable's maximum), some with principals and prefixes;
 *                        each access level is split into ceil(50 / zones_per_policy) managed policies
 *  org-scp.default       an OU under the root, one existing OU target, one break-glass exemption
 *  org-scp.large         the same targets plus 40 custom SCP statements
 */
const fs = require("fs");
const path = require("path");

const pad = (n, w = 2) => String(n).padStart(w, "0");
const PERSONAS = ["admin", "engineer", "analyst", "developer", "devops", "data_team", "automation"];
const IAM_ACCOUNT = "111122223333";
const LAKE_ACCOUNT = "123456789012";

/* ------------------------------------------------------------------ iam-baseline */

/** One or two statements per custom group, rotating over realistic shapes. */
function customGroupStatements(i) {
  const team = `team-${pad(i)}`;
  const shapes = [
    {
      sid: "ReadTables",
      actions: ["dynamodb:GetItem", "dynamodb:Query"],
      resources: [`arn:aws:dynamodb:*:${IAM_ACCOUNT}:table/${team}-*`],
    },
    {
      sid: "UseQueues",
      actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
      resources: [`arn:aws:sqs:*:${IAM_ACCOUNT}:${team}-*`],
    },
    {
      sid: "ReadTeamBucket",
      actions: ["s3:GetObject", "s3:ListBucket"],
      resources: [`arn:aws:s3:::bench-${team}`, `arn:aws:s3:::bench-${team}/*`],
    },
    { sid: "ReadMetrics", actions: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"] },
    { sid: "ListZones", actions: ["route53:ListHostedZones"], region: "global" },
    { sid: "NoBucketDeletes", effect: "Deny", actions: ["s3:DeleteBucket"], region: "any" },
  ];
  const first = shapes[i % shapes.length];
  return i % 2 ? [first, shapes[(i + 3) % shapes.length]] : [first];
}

function iamLarge() {
  const custom_groups = {};
  for (let i = 1; i <= 20; i++) {
    const g = { statements: customGroupStatements(i) };
    if (i > 16) g.human = false; // service groups: no self-service policy
    if (i % 5 === 0) g.policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"];
    custom_groups[`team_${pad(i)}`] = g;
  }
  const users = {};
  for (let i = 1; i <= 1000; i++) {
    const persona = PERSONAS[i % PERSONAS.length];
    const personas = [persona];
    if (i % 4 === 0) personas.push(`team_${pad((i % 20) + 1)}`); // every 4th user is also in a custom group
    const user = { personas };
    if (persona !== "automation" && i % 3 !== 0) user.console_access = true; // two thirds of the people
    if (user.console_access) user.pgp_key = `keybase:bench${pad(i, 4)}`; // a console user needs a PGP key
    users[`user-${pad(i, 4)}`] = user;
  }
  return {
    name_prefix: "bench",
    account_id: IAM_ACCOUNT,
    custom_groups,
    users,
    environments: { dev: {}, test: {}, prod: {} },
    allow_shared_account_environments: true,
  };
}

/* ------------------------------------------------------------------ data-lake */

/** `count` zones: the two default zones, then domain-01, domain-02, ... some with principals and prefixes. */
function lakeZones(count) {
  const zones = { "landing-zone": {}, analysis: {} };
  for (let i = 1; Object.keys(zones).length < count; i++) {
    const z = {};
    if (i % 4 === 0) z.read_principal_arns = [`arn:aws:iam::${LAKE_ACCOUNT}:role/reader-${pad(i)}`];
    if (i % 6 === 0) z.read_write_principal_arns = [`arn:aws:iam::${LAKE_ACCOUNT}:role/etl-${pad(i)}`];
    if (i % 8 === 0) z.prefixes = ["raw/", "curated/"];
    zones[`domain-${pad(i)}`] = z;
  }
  return { name: "bench-lake", account_id: LAKE_ACCOUNT, zones };
}

const LAKE_LARGE_ZONES = 50;

/* ------------------------------------------------------------------ org-scp */

const SCP_SERVICES = [
  "dynamodb",
  "sqs",
  "sns",
  "kinesis",
  "lambda",
  "ecs",
  "rds",
  "redshift",
  "glue",
  "athena",
  "es",
  "elasticache",
  "kafka",
  "sagemaker",
  "states",
  "events",
  "ssm",
  "secretsmanager",
  "ecr",
  "eks",
];

function customStatements() {
  const out = [];
  for (let i = 1; i <= 40; i++) {
    const svc = SCP_SERVICES[(i - 1) % SCP_SERVICES.length];
    const sid = `BenchCustom${pad(i)}`;
    if (i % 4 === 1)
      out.push({
        sid,
        actions: [`${svc}:Delete*`],
        conditions: [{ test: "StringNotEquals", variable: "aws:PrincipalTag/team", values: [`platform-${pad(i)}`] }],
      });
    else if (i % 4 === 2)
      out.push({ sid, not_actions: [`${svc}:Describe*`, `${svc}:List*`, `${svc}:Get*`], resources: [`arn:aws:${svc}:*:*:*prod*`] });
    else if (i % 4 === 3)
      out.push({
        sid,
        actions: [`${svc}:Create*`],
        conditions: [{ test: "Null", variable: "aws:RequestTag/cost-centre", values: ["true"] }],
        exempt: false,
      });
    else out.push({ sid, actions: [`${svc}:Put*`, `${svc}:Update*`], resources: [`arn:aws:${svc}:*:*:*`] });
  }
  return out;
}

function orgDefault() {
  return {
    parent_id: "r-ab12",
    target_ids: ["ou-ab12-abcdefgh"],
    exempt_principal_arns: ["arn:aws:iam::*:role/BreakGlass"],
  };
}

/* ------------------------------------------------------------------ output */

const SETS = {
  "iam-baseline.default": { name_prefix: "bench", account_id: IAM_ACCOUNT },
  "iam-baseline.large": iamLarge(),
  "data-lake.default": { name: "bench-lake", account_id: LAKE_ACCOUNT },
  "data-lake.large": lakeZones(LAKE_LARGE_ZONES),
  "org-scp.default": orgDefault(),
  "org-scp.large": { ...orgDefault(), custom_statements: customStatements() },
};

/** JSON with small objects and arrays on one line (prettier keeps them so when they fit). */
function stringify(value, indent = "") {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== "object" || indent.length + flat.length <= 100) return flat;
  const inner = indent + "  ";
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + stringify(v, inner)).join(",\n")}\n${indent}]`;
  return `{\n${Object.entries(value)
    .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stringify(v, inner)}`)
    .join(",\n")}\n${indent}}`;
}

module.exports = { SETS };

if (require.main === module) {
  (async () => {
    const prettier = require("prettier");
    for (const [name, value] of Object.entries(SETS)) {
      const file = path.join(__dirname, `${name}.json`);
      const options = { ...(await prettier.resolveConfig(file)), filepath: file };
      fs.writeFileSync(file, await prettier.format(stringify(value), options));
      console.log(`wrote tools/scale-inputs/${name}.json`);
    }
  })().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * No silent weakening: every plausible bad input is refused at plan time with an error that
 * names the input and the value, and none plans differently in silence.
 *
 * Speed: every refusal case is one module block of ONE root (each block calls its own copy of
 * the module, so every diagnostic is attributed to its case by file name or by the calling block),
 * planned once; a second root plans the correct-input controls and the null-means-default
 * comparisons. Two plans instead of one per case.
 */
import * as fs from "fs";
import * as path from "path";
import { ModuleId } from "../lib/module-interface";
import { IAM_BASELINE_SPEC } from "../modules/iam-baseline/spec";
import { DATA_LAKE_SPEC } from "../modules/data-lake/spec";
import { ORG_SCP_SPEC } from "../modules/org-scp/spec";
import { moduleDir } from "./helpers/synth";
import { copyModule, describeTerraform, init, offlineProvider, plan, plannedResources, tf, writeRoot } from "../tools/terraform";

const ACCT = "111122223333";
const BASE: Record<ModuleId, string> = {
  "iam-baseline": `account_id = "${ACCT}"`,
  "data-lake": `name = "acme-lake"\n  account_id = "${ACCT}"`,
  "org-scp": `parent_id = "r-ab12"`,
};

interface Case {
  id: string;
  module: ModuleId;
  /** HCL arguments of the module block (besides BASE unless they override it). */
  args: string;
  /** Every pattern must match one error of this case: the input's name and the value. */
  expect: RegExp[];
}

const long = (c: string, n: number) => c.repeat(n);

/** The refusal table. */
export const CASES: Case[] = [
  // A misspelt attribute in each object input of each module.
  {
    id: "iam_password_policy_typo",
    module: "iam-baseline",
    args: `password_policy = { min_length = 16 }`,
    expect: [/password_policy\.min_length is not an attribute of password_policy \(the attributes are minimum_length,/],
  },
  {
    id: "iam_personas_typo",
    module: "iam-baseline",
    args: `personas = { analysts = false }`,
    expect: [/personas\.analysts is not an attribute of personas/],
  },
  {
    id: "iam_custom_groups_typo",
    module: "iam-baseline",
    args: `custom_groups = { ops = { statements = [{ actions = ["s3:GetObject"], efect = "Deny" }] } }`,
    expect: [/custom_groups\["ops"\]\.statements\[0\]\.efect is not an attribute/],
  },
  {
    id: "iam_users_typo",
    module: "iam-baseline",
    args: `users = { alice = { personas = ["admin"], console_acess = true } }`,
    expect: [/users\["alice"\]\.console_acess is not an attribute of users\["alice"\]/],
  },
  {
    id: "iam_environments_typo",
    module: "iam-baseline",
    args: `environments = { prod = { prodution = false } }`,
    expect: [/environments\["prod"\]\.prodution is not an attribute/],
  },
  {
    id: "iam_lake_access_typo",
    module: "iam-baseline",
    args: `lake_access = { buckets = { raw = { bucket_name = "acme-raw", analysts = "write" } } }`,
    expect: [/lake_access\.buckets\["raw"\]\.analysts is not an attribute/],
  },
  {
    id: "iam_deploy_permissions_typo",
    module: "iam-baseline",
    args: `deploy_permissions = { pass_roles = ["arn:aws:iam::${ACCT}:role/app"] }`,
    expect: [/deploy_permissions\.pass_roles is not an attribute/],
  },
  {
    id: "iam_github_oidc_typo",
    module: "iam-baseline",
    args: `github_oidc = { enable = true, repositories = [{ repository = "acme/app" }] }`,
    expect: [/github_oidc\.enable is not an attribute of github_oidc/],
  },
  {
    id: "iam_github_repository_typo",
    module: "iam-baseline",
    args: `github_oidc = { enabled = true, repositories = [{ repository = "acme/app", branchs = ["main"] }] }`,
    expect: [/github_oidc\.repositories\[0\]\.branchs is not an attribute/],
  },
  {
    id: "iam_access_analyzer_typo",
    module: "iam-baseline",
    args: `access_analyzer = { enable = false }`,
    expect: [/access_analyzer\.enable is not an attribute/],
  },
  {
    id: "iam_budget_typo",
    module: "iam-baseline",
    args: `budget = { limit_amount = 10, emails = ["a@example.com"], threshold = 50 }`,
    expect: [/budget\.threshold is not an attribute/],
  },
  {
    id: "iam_cloudtrail_typo",
    module: "iam-baseline",
    args: `cloudtrail = { enable = true, bucket_name = "acme-trail" }`,
    expect: [/cloudtrail\.enable is not an attribute/],
  },
  {
    id: "iam_lockdown_typo",
    module: "iam-baseline",
    args: `lockdown = { enable = true }`,
    expect: [/lockdown\.enable is not an attribute of lockdown/],
  },
  // A value of the wrong kind names the attribute and the value.
  {
    id: "iam_cloudtrail_type",
    module: "iam-baseline",
    args: `cloudtrail = { enabled = "yes" }`,
    expect: [/cloudtrail\.enabled must be true or false \(got "yes"\)/],
  },
  {
    id: "iam_users_type",
    module: "iam-baseline",
    args: `users = { bob = { personas = "admin" } }`,
    expect: [/users\["bob"\]\.personas must be a list \(got "admin"\)/],
  },
  // Case duplicates, over-long names, values out of range.
  {
    id: "iam_users_case",
    module: "iam-baseline",
    args: `users = { "erin.data" = { personas = ["analyst"] }, "Erin.Data" = { personas = ["analyst"] } }`,
    expect: [/case-insensitive: no two keys of users may differ only in letter case\. Got: \[\["Erin\.Data","erin\.data"\]\]/],
  },
  {
    id: "iam_users_long",
    module: "iam-baseline",
    args: `users = { "${long("u", 65)}" = { personas = ["admin"] } }`,
    expect: [new RegExp(`key of users must be an IAM user name.*Got: \\["${long("u", 65)}"\\]`, "s")],
  },
  {
    id: "iam_groups_case",
    module: "iam-baseline",
    args: `custom_groups = { Ops = { policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, ops = { policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } }`,
    expect: [/key of custom_groups must be snake_case.*Got: \["Ops"\]/s],
  },
  {
    id: "iam_name_prefix_long",
    module: "iam-baseline",
    args: `name_prefix = "${long("p", 33)}"`,
    expect: [new RegExp(`name_prefix must .*Got: "${long("p", 33)}"`, "s")],
  },
  {
    id: "iam_environment_long",
    module: "iam-baseline",
    args: `environments = { ${long("e", 17)} = {} }`,
    expect: [new RegExp(`key of environments must .*Got: \\["${long("e", 17)}"\\]`, "s")],
  },
  {
    id: "iam_password_length",
    module: "iam-baseline",
    args: `password_policy = { minimum_length = 8 }`,
    expect: [/password_policy\.minimum_length must be from 14.*Got: 8\./s],
  },
  // Regions: unknown, from another partition, repeated.
  {
    id: "iam_region_unknown",
    module: "iam-baseline",
    args: `allowed_regions = ["sydney"]`,
    expect: [/allowed_regions must be a known region of the aws partition: af-south-1, .*us-west-2\. Got: \["sydney"\]/s],
  },
  {
    id: "iam_region_future",
    module: "iam-baseline",
    args: `allowed_regions = ["ap-southeast-9"]`,
    expect: [/allowed_regions must be a known region.*Got: \["ap-southeast-9"\]/s],
  },
  {
    id: "iam_region_china",
    module: "iam-baseline",
    args: `allowed_regions = ["cn-north-1"]`,
    expect: [/Only the aws partition \(commercial AWS\) is supported: allowed_regions.*Got: \["cn-north-1"\]/s],
  },
  {
    id: "iam_region_govcloud",
    module: "iam-baseline",
    args: `allowed_regions = ["us-gov-west-1"]`,
    expect: [/Only the aws partition.*Got: \["us-gov-west-1"\]/s],
  },
  {
    id: "iam_region_repeated",
    module: "iam-baseline",
    args: `allowed_regions = ["ap-southeast-2", "eu-west-1", "ap-southeast-2"]`,
    expect: [/allowed_regions list must name each region once\. Got: \[\["ap-southeast-2","ap-southeast-2"\]\]/],
  },
  // null for a required input.
  {
    id: "iam_account_id_null",
    module: "iam-baseline",
    args: `account_id = null`,
    expect: [/var\.account_id.*required variable may not be set to null/s],
  },

  {
    id: "lake_zones_typo",
    module: "data-lake",
    args: `zones = { raw = { read_principal_arn = ["arn:aws:iam::${ACCT}:role/etl"] } }`,
    expect: [/zones\["raw"\]\.read_principal_arn is not an attribute of zones\["raw"\]/],
  },
  { id: "lake_zones_case", module: "data-lake", args: `zones = { Raw = {}, raw = {} }`, expect: [/key of zones must .*Got: \["Raw"\]/s] },
  {
    id: "lake_name_long",
    module: "data-lake",
    args: `name = "${long("n", 42)}"`,
    expect: [new RegExp(`name input \\("${long("n", 42)}"\\) must be 3-41 characters`, "s")],
  },
  {
    // Each input is valid alone; together the access point names exceed S3's 50 characters.
    id: "lake_access_point_long",
    module: "data-lake",
    args: `name = "${long("n", 40)}"`,
    expect: [
      new RegExp(
        `access point name <name>-<zone>-access must be at most 50 characters.*keys of zones\\. Got: \\[.*"${long("n", 40)}-landing-zone-access"\\]`,
        "s",
      ),
    ],
  },
  {
    id: "lake_region_iso",
    module: "data-lake",
    args: `allowed_regions = ["us-iso-east-1"]`,
    expect: [/Only the aws partition.*Got: \["us-iso-east-1"\]/s],
  },
  {
    id: "lake_region_repeated",
    module: "data-lake",
    args: `allowed_regions = ["eu-west-1", "eu-west-1"]`,
    expect: [/each region once\. Got: \[\["eu-west-1","eu-west-1"\]\]/],
  },
  { id: "lake_name_null", module: "data-lake", args: `name = null`, expect: [/var\.name.*required variable may not be set to null/s] },

  {
    id: "scp_custom_statements_typo",
    module: "org-scp",
    args: `custom_statements = [{ sid = "DenyBucketDelete", actions = ["s3:DeleteBucket"], exemt = false }]`,
    expect: [/custom_statements\[0\]\.exemt is not an attribute of custom_statements\[0\]/],
  },
  {
    id: "scp_condition_typo",
    module: "org-scp",
    args: `custom_statements = [{ sid = "DenyTag", actions = ["s3:*"], conditions = [{ test = "StringEquals", variable = "aws:ResourceTag/x", value = ["a"] }] }]`,
    expect: [/custom_statements\[0\]\.conditions\[0\]\.value is not an attribute/],
  },
  {
    id: "scp_region_repeated",
    module: "org-scp",
    args: `allowed_regions = ["ap-southeast-2", "ap-southeast-2"]`,
    expect: [/each region once\. Got: \[\["ap-southeast-2","ap-southeast-2"\]\]/],
  },
  {
    id: "scp_region_china",
    module: "org-scp",
    args: `allowed_regions = ["cn-northwest-1"]`,
    expect: [/Only the aws partition.*Got: \["cn-northwest-1"\]/s],
  },
  {
    id: "scp_name_prefix_long",
    module: "org-scp",
    args: `name_prefix = "${long("s", 65)}"`,
    expect: [new RegExp(`name_prefix must be 1 to 64 .*Got: "${long("s", 65)}"`, "s")],
  },
  {
    id: "scp_exempt_repeated",
    module: "org-scp",
    args: `exempt_principal_arns = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/BreakGlass"]`,
    expect: [/exempt_principal_arns list must not repeat an ARN; repeated: .*BreakGlass/s],
  },
];

/**
 * The module's interface alone: its variable blocks, the inputs child module and one output
 * `effective` holding the value every input has for the module's code (`module.inputs.<name>`
 * for a strict input, `var.<name>` otherwise). Every refusal comes from these blocks (variable
 * validations read only their own variable), and without resources no provider schema is loaded,
 * which makes a plan of dozens of cases take seconds. The controls plan the whole module.
 */
function interfaceCopy(id: ModuleId, dest: string): void {
  copyModule(moduleDir(id), dest);
  const file = path.join(dest, "cdk.tf.json");
  const full = JSON.parse(fs.readFileSync(file, "utf8"));
  const child = JSON.parse(fs.readFileSync(path.join(dest, "inputs", "main.tf.json"), "utf8"));
  const strict = new Set(Object.keys(child.output ?? {}));
  const effective = Object.keys(full.variable).map((n) => `${n} = ${strict.has(n) ? "module.inputs" : "var"}.${n}`);
  const trimmed = {
    terraform: { required_version: full.terraform.required_version },
    variable: full.variable,
    module: { inputs: full.module.inputs },
    output: { effective: { value: `\${{ ${effective.join(", ")} }}` } },
  };
  fs.writeFileSync(file, JSON.stringify(trimmed, null, 2));
}

/**
 * One root with one module block per case. `shared`: the cases call one copy per module (errors
 * are attributed by the calling block); otherwise each case calls its own copy (errors raised
 * inside the module are attributed by the copy's file name).
 */
function refusalRoot(cases: readonly Case[], shared: boolean): string {
  const source = (c: Case) => (shared ? `./m/${c.module}` : `./m/${c.id}`);
  const blocks = cases.map((c) => {
    const overridden = new Set([...c.args.matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]));
    const base = BASE[c.module]
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => !overridden.has(l.split("=")[0].trim()));
    return `module "${c.id}" {\n  source = "${source(c)}"\n  ${[...base, c.args].join("\n  ")}\n}\n`;
  });
  const dir = writeRoot({ "main.tf": blocks.join("\n") }, "inputs-refusals");
  for (const c of cases) if (!fs.existsSync(path.join(dir, source(c)))) interfaceCopy(c.module, path.join(dir, source(c)));
  const i = init(dir);
  if (!i.ok) throw new Error(`terraform init failed:\n${i.stderr}`);
  return dir;
}

/** The diagnostics of `terraform <validate|plan> -json`. */
function diagnosticsOf(dir: string, command: "validate" | "plan"): Diagnostic[] {
  if (command === "validate") return JSON.parse(tf(dir, ["validate", "-json"]).stdout).diagnostics ?? [];
  return tf(dir, ["plan", "-json", "-input=false", "-lock=false", "-refresh=false"])
    .stdout.split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "diagnostic")
    .map((e) => e.diagnostic);
}

interface Diagnostic {
  severity: string;
  summary: string;
  detail: string;
  range?: { filename: string };
  snippet?: { context?: string | null };
}

/** Which case a diagnostic belongs to: its module copy's file, or the calling module block. */
function caseOf(d: Diagnostic): string | undefined {
  const file = d.range?.filename ?? "";
  const m = /^m\/([a-z0-9_]+)\//.exec(file);
  if (m && !["iam-baseline", "data-lake", "org-scp"].includes(m[1])) return m[1];
  return /^module "([a-z0-9_]+)"/.exec(d.snippet?.context ?? "")?.[1];
}

const nullableFalse = (spec: { variables: readonly { name: string; default?: unknown; nullable?: boolean }[] }) =>
  spec.variables.filter((v) => v.default !== undefined && v.default !== null && v.nullable !== true).map((v) => v.name);

describeTerraform("inputs: no silent weakening (terraform plan)", () => {
  let diagnostics: Diagnostic[] = [];
  const started = Date.now();

  const timings: string[] = [];
  const timed = <T>(what: string, f: () => T): T => {
    const t0 = Date.now();
    const r = f();
    timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  };

  beforeAll(() => {
    // Terraform checks the module's own variables in its validate walk and stops there on an
    // error; the checks inside the inputs child module run in the plan walk. So: validate every
    // case, then plan the cases validate did not refuse.
    const first = timed("validate", () => diagnosticsOf(refusalRoot(CASES, true), "validate"));
    const refused = new Set(first.filter((d) => d.severity === "error").map(caseOf));
    const rest = CASES.filter((c) => !refused.has(c.id));
    const second = rest.length ? timed(`plan of ${rest.length}`, () => diagnosticsOf(refusalRoot(rest, false), "plan")) : [];
    diagnostics = [...first, ...second];
  }, 240_000);

  it("the table covers a misspelt attribute of every object input of every module", () => {
    const strict = [IAM_BASELINE_SPEC, DATA_LAKE_SPEC, ORG_SCP_SPEC].flatMap((s) =>
      s.variables.filter((v) => /object\(/.test(v.type)).map((v) => v.name),
    );
    const covered = new Set(
      CASES.filter((c) => c.id.endsWith("_typo")).flatMap((c) => [...c.args.matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1])),
    );
    expect(strict.filter((n) => !covered.has(n))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.id, c] as const))("%s is refused naming the input and the value", (_id, c) => {
    const mine = diagnostics.filter((d) => d.severity === "error" && caseOf(d) === c.id);
    const text = mine.map((d) => `${d.summary}: ${d.detail}`.replace(/\s+/g, " "));
    for (const re of c.expect)
      expect({ case: c.id, errors: text }).toEqual({ case: c.id, errors: expect.arrayContaining([expect.stringMatching(re)]) });
  });

  it("every error of the refusal root belongs to a case (none is unattributed)", () => {
    expect(diagnostics.filter((d) => d.severity === "error" && !caseOf(d)).map((d) => d.detail)).toEqual([]);
  });

  describe("controls", () => {
    let planned: Record<string, any> = {};
    let effective: Record<string, any> = {};
    beforeAll(() => {
      // The whole module, planned with correct inputs: the counterpart of the misspelt cases.
      const root = writeRoot(
        {
          "main.tf": `
module "iam_on" {
  source          = "./m/iam"
  name_prefix     = "on"
  account_id      = "${ACCT}"
  password_policy = { minimum_length = 16 }
  github_oidc     = { enabled = true, repositories = [{ repository = "acme/app", branches = ["main"] }] }
  cloudtrail      = { enabled = true, bucket_name = "acme-trail-${ACCT}" }
  lockdown        = { enabled = true, break_glass_principal_arns = ["arn:aws:iam::${ACCT}:role/break-glass"] }
  users           = { "erin.data" = { personas = ["analyst"] }, "Erin.Ops" = { personas = ["devops"] } }
  allowed_regions = ["ap-southeast-2", "us-east-1"]
}
`,
          "provider.tf": offlineProvider(),
        },
        "inputs-controls",
      );
      copyModule(moduleDir("iam-baseline"), path.join(root, "m", "iam"));
      const r = timed("control plan", () => plan(root));
      if (!r.ok) throw new Error(`control plan failed:\n${r.stderr}`);
      planned = plannedResources(r.json);

      // Null against leaving the input out: the values the module's code sees must be equal.
      const nulls = (spec: typeof IAM_BASELINE_SPEC) => nullableFalse(spec).map((n) => `${n} = null`);
      const pairs: [string, ModuleId, string, string][] = [
        ["iam", "iam-baseline", BASE["iam-baseline"], nulls(IAM_BASELINE_SPEC).join("\n  ")],
        ["lake", "data-lake", BASE["data-lake"], nulls(DATA_LAKE_SPEC).join("\n  ")],
        ["scp", "org-scp", BASE["org-scp"], nulls(ORG_SCP_SPEC).join("\n  ")],
      ];
      const main = pairs
        .map(
          ([name, , base, nullArgs]) => `
module "${name}_defaults" {
  source = "./m/${name}"
  ${base}
}
module "${name}_nulls" {
  source = "./m/${name}"
  ${base}
  ${nullArgs}
}
output "${name}_defaults" { value = module.${name}_defaults.effective }
output "${name}_nulls" { value = module.${name}_nulls.effective }
`,
        )
        .join("");
      // The broken fixture: the same module without the generated lockdown checks.
      const unchecked = `
module "unchecked" {
  source     = "./m/unchecked"
  ${BASE["iam-baseline"]}
  lockdown   = { enable = true }
}
output "unchecked" { value = module.unchecked.effective }
`;
      const nullRoot = writeRoot({ "main.tf": main + unchecked }, "inputs-nulls");
      for (const [name, id] of pairs) interfaceCopy(id, path.join(nullRoot, "m", name));
      interfaceCopy("iam-baseline", path.join(nullRoot, "m", "unchecked"));
      const uncheckedFile = path.join(nullRoot, "m", "unchecked", "cdk.tf.json");
      const broken = JSON.parse(fs.readFileSync(uncheckedFile, "utf8"));
      delete broken.variable.lockdown.validation;
      fs.writeFileSync(uncheckedFile, JSON.stringify(broken));
      const n = timed("null plan", () => plan(nullRoot));
      if (!n.ok) throw new Error(`null plan failed:\n${n.stderr}`);
      effective = Object.fromEntries(Object.entries<any>(n.json.planned_values.outputs).map(([k, v]) => [k, v.value]));
    }, 240_000);

    it("correct object inputs switch their controls on (the counterpart of every misspelt case)", () => {
      expect(planned["module.iam_on.aws_iam_account_password_policy.password_policy"].minimum_password_length).toBe(16);
      expect(planned["module.iam_on.aws_iam_role.github_deploy[0]"]).toBeDefined();
      expect(planned["module.iam_on.aws_cloudtrail.cloudtrail[0]"]).toBeDefined();
      expect(Object.keys(planned).filter((a) => a.startsWith("module.iam_on.aws_iam_group_policy.group_lockdown[")).length).toBeGreaterThan(
        0,
      );
      // Users whose names differ in more than case are distinct users.
      expect(
        Object.keys(planned)
          .filter((a) => a.startsWith("module.iam_on.aws_iam_user.user["))
          .sort(),
      ).toEqual(['module.iam_on.aws_iam_user.user["Erin.Ops"]', 'module.iam_on.aws_iam_user.user["erin.data"]']);
    });

    it.each(["iam", "lake", "scp"])(
      "%s: null for every list, map, object and switch gives the module exactly the values of leaving it out",
      (name) => {
        const d = effective[`${name}_defaults`];
        expect(Object.keys(d ?? {}).length).toBeGreaterThan(5);
        expect(effective[`${name}_nulls`]).toEqual(d);
      },
    );

    it("without the generated checks a misspelt switch plans in silence with the control off (the broken fixture)", () => {
      expect(effective.unchecked.lockdown).toEqual({ enabled: false, break_glass_principal_arns: [], revoke_sessions_issued_before: null });
    });

    it("the defaults are the documented ones (the converted value the module's code reads)", () => {
      const iam = effective.iam_defaults;
      expect(iam.password_policy.minimum_length).toBe(14);
      expect(iam.github_oidc.enabled).toBe(false);
      expect(iam.lockdown.enabled).toBe(false);
      expect(iam.allowed_regions).toEqual(["ap-southeast-2"]);
      expect(Object.keys(effective.lake_defaults.zones).sort()).toEqual(["analysis", "landing-zone"]);
      expect(effective.scp_defaults.custom_statements).toEqual([]);
    });
  });

  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(
      `inputs-terraform: ${CASES.length} refusal cases and the controls in ${((Date.now() - started) / 1000).toFixed(1)} s (${timings.join(", ")})`,
    );
  });
});

describe("inputs: the null table covers every list and map", () => {
  it.each([
    ["iam-baseline", IAM_BASELINE_SPEC],
    ["data-lake", DATA_LAKE_SPEC],
    ["org-scp", ORG_SCP_SPEC],
  ] as const)("%s: every list, map and object input with a default is nullable = false", (id, spec) => {
    const synthesized = JSON.parse(fs.readFileSync(path.join(moduleDir(id), "cdk.tf.json"), "utf8")).variable as Record<string, any>;
    for (const v of spec.variables.filter((x) => /^(list|map|set|object)\(/.test(x.type) && x.default !== null && x.default !== undefined))
      expect({ name: v.name, nullable: synthesized[v.name].nullable }).toEqual({ name: v.name, nullable: false });
    for (const v of spec.variables.filter((x) => x.type === "bool"))
      expect({ name: v.name, nullable: synthesized[v.name].nullable }).toEqual({ name: v.name, nullable: false });
  });
});

/**
 * Scale (issue 8): offline plans of every module with the benchmark's input sets
 * (tools/scale-inputs/<module>.<set>.json, shared with bench/plans.js), asserting the planned resources
 * type by type as linear formulas of the inputs: nothing is planned that the inputs do not ask for
 * (e.g. a user without console access gets no login profile), and each unit (user, zone, custom
 * statement) costs a fixed number of resources. No timing assertions: the plan times are printed.
 *
 * One root per module calls the module twice (module "default" and module "large"), planned once.
 */
import * as fs from "fs";
import * as path from "path";
import * as inputs from "../tools/scale-inputs";
import { SETS as GENERATED } from "../tools/scale-inputs/generate";
import { DEFAULT_ENVIRONMENT_PERSONAS, ENVIRONMENT_ACCESS, EnvironmentPersona, HUMAN_PERSONAS, PERSONAS } from "../lib/policy/iam/personas";
import { CustomStatement } from "../lib/policy/scp/custom";
import { defaultPolicyValues, moduleLayout, terraformJson } from "../lib/policy/scp/layout";
import { moduleDir, moduleJson } from "./helpers/synth";
import { copyModule, describeTerraform, offlineProvider, plan, plannedResources, writeRoot, type PlanResult } from "../tools/terraform";

type Counts = Record<string, number>;
const timings: string[] = [];

/** Plans one root calling `id` once per set; records the plan time (printed, never asserted). */
function planSets(id: inputs.ModuleId, sets: readonly inputs.InputSet[]): PlanResult {
  const dir = writeRoot(inputs.rootFiles(id, sets, offlineProvider("ap-southeast-2")), `scale-${id}`);
  copyModule(moduleDir(id), path.join(dir, "modules", id));
  const t0 = Date.now();
  const r = plan(dir);
  timings.push(`${id} [${sets.join(" + ")}]: init + plan + show ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

function mustPlan(r: PlanResult): any {
  if (!r.ok) throw new Error(`terraform plan failed:\n${r.stderr}\n${r.stdout.slice(-4000)}`);
  return r.json;
}

/** Planned managed resources of module "<set>": address -> values, and counts by type. */
function moduleResources(planJson: any, set: string): { values: Record<string, any>; byType: Counts; byAddress: Record<string, any[]> } {
  const values: Record<string, any> = {};
  const byType: Counts = {};
  const byAddress: Record<string, any[]> = {};
  for (const [address, v] of Object.entries(plannedResources(planJson))) {
    const m = new RegExp(`^module\\.${set}\\.(data\\.)?([a-z0-9_]+)\\.([a-z0-9_]+)`).exec(address);
    if (!m || m[1]) continue; // another module call, or a data source
    values[address] = v;
    byType[m[2]] = (byType[m[2]] ?? 0) + 1;
    (byAddress[`${m[2]}.${m[3]}`] ??= []).push(v);
  }
  return { values, byType, byAddress };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const count = <T>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length;

afterAll(() => {
  // eslint-disable-next-line no-console
  if (timings.length) console.log(`scale.test plan times (not asserted):\n  ${timings.join("\n  ")}`);
});

describe("scale input sets", () => {
  it("are what tools/scale-inputs/generate.js writes (run it after changing the generator)", () => {
    const files = fs.readdirSync(path.join(__dirname, "..", "tools", "scale-inputs")).filter((f) => f.endsWith(".json"));
    expect(files.map((f) => f.replace(/\.json$/, "")).sort()).toEqual(Object.keys(GENERATED).sort());
    for (const name of Object.keys(GENERATED)) {
      const [id, set] = name.split(".") as [inputs.ModuleId, inputs.InputSet];
      expect(inputs.loadInputs(id, set)).toEqual(GENERATED[name]);
    }
  });

  it("have the sizes the issue asks for", () => {
    expect(inputs.units("iam-baseline", inputs.loadInputs("iam-baseline", "large"))).toEqual({ unit: "user", count: 1000 });
    expect(Object.keys(inputs.loadInputs("iam-baseline", "large").custom_groups)).toHaveLength(20);
    expect(Object.keys(inputs.loadInputs("iam-baseline", "large").environments)).toEqual(["dev", "test", "prod"]);
    expect(inputs.units("data-lake", inputs.loadInputs("data-lake", "large")).count).toBe(50);
    expect(inputs.units("org-scp", inputs.loadInputs("org-scp", "large")).count).toBe(40);
  });
});

/* ------------------------------------------------------------------------------ iam-baseline */

/** Resources iam-baseline must plan for an input set (its defaults filled in), by type. */
function iamExpected(v: any): Counts {
  const tf = moduleJson("iam-baseline");
  const personaChunks: Record<string, number> = tf.locals.persona_policy_counts;
  const levelChunks: Record<string, number> = tf.locals.environment_policy_counts;
  const users = Object.values<any>(v.users ?? {});
  const groups = Object.entries<any>(v.custom_groups ?? {});
  const environments = Object.entries<any>(v.environments ?? {});
  const personas = PERSONAS.filter((p) => v.personas?.[p] ?? true);

  const roleLevels = environments.flatMap(([name, env]) => {
    const production = env.production ?? ["prod", "production", "prd"].includes(name);
    const envPersonas: EnvironmentPersona[] = env.personas ?? [...DEFAULT_ENVIRONMENT_PERSONAS];
    return envPersonas.map((p) => ENVIRONMENT_ACCESS[p][production ? "prod" : "nonprod"]);
  });
  const levels = [...new Set(roleLevels)];
  const humanGroups = count(personas, (p) => HUMAN_PERSONAS.includes(p)) + count(groups, ([, g]) => g.human ?? true);
  const customPolicies = count(groups, ([, g]) => (g.statements ?? []).length > 0);
  const personaPolicies = sum(personas.map((p) => personaChunks[p]));
  // An inline guardrails policy on each non-admin role that changes compute (levels full, operate,
  // operate_prod: the owned-compute rule), and, dev and prod in one account (opted in), on each
  // non-production human role; on every non-admin role when buckets are protected.
  const isProd = (name: string, env: any) => env.production ?? ["prod", "production", "prd"].includes(name);
  const shared = environments.some(([n, e]) => isProd(n, e)) && environments.some(([n, e]) => !isProd(n, e));
  const protectedBuckets = (v.protected_bucket_names ?? []).length > 0;
  const guardrails = sum(
    environments.map(([n, e]) =>
      count<EnvironmentPersona>(e.personas ?? [...DEFAULT_ENVIRONMENT_PERSONAS], (p) => {
        const level = ENVIRONMENT_ACCESS[p][isProd(n, e) ? "prod" : "nonprod"];
        if (p === "admin") return false;
        return protectedBuckets || ["full", "operate", "operate_prod"].includes(level) || (shared && !isProd(n, e) && p !== "automation");
      }),
    ),
  );

  return {
    aws_accessanalyzer_analyzer: 1,
    aws_iam_account_password_policy: 1,
    aws_iam_group: personas.length + groups.length,
    // + the workload boundary
    aws_iam_policy: personaPolicies + (humanGroups > 0 ? 1 : 0) + sum(levels.map((l) => levelChunks[l])) + customPolicies + 1,
    // The workload-boundary guard on every group, admins included.
    aws_iam_group_policy: personas.length + groups.length,
    aws_iam_group_policy_attachment:
      personaPolicies + humanGroups + customPolicies + sum(groups.map(([, g]) => (g.policy_arns ?? []).length)),
    aws_iam_role: roleLevels.length + 1, // + the support role
    aws_iam_role_policy_attachment: sum(roleLevels.map((l) => levelChunks[l])) + 1, // + AWSSupportAccess
    // Guardrails, and the workload-boundary guard on every environment role and the support role.
    aws_iam_role_policy: guardrails + roleLevels.length + 1,
    aws_s3_account_public_access_block: 1,
    ...(users.length
      ? {
          aws_iam_user: users.length,
          aws_iam_user_group_membership: users.length,
          aws_iam_user_login_profile: count(users, (u) => u.console_access === true),
        }
      : {}),
  };
}

describeTerraform("scale: iam-baseline (1,000 users, 20 custom groups, dev/test/prod)", () => {
  const large = inputs.loadInputs("iam-baseline", "large");
  let plan: any;
  beforeAll(() => {
    plan = mustPlan(planSets("iam-baseline", ["default", "large"]));
  }, 600_000);

  it("plans exactly the resources the default inputs ask for", () => {
    const expected = iamExpected(inputs.loadInputs("iam-baseline", "default"));
    expect(moduleResources(plan, "default").byType).toEqual(expected);
    // Default inputs: no environment, so the support role only.
    expect(expected).toMatchObject({ aws_iam_group: 7, aws_iam_policy: 10, aws_iam_role: 1 });
  });

  it("plans exactly the resources the large inputs ask for: one user and one membership per user, a login profile per console user", () => {
    const expected = iamExpected(large);
    expect(moduleResources(plan, "large").byType).toEqual(expected);
    expect(expected).toEqual({
      aws_accessanalyzer_analyzer: 1,
      aws_iam_account_password_policy: 1,
      aws_iam_group: 7 + 20,
      aws_iam_policy: 37, // persona and environment-level parts (as packed), self-service, custom groups, workload boundary
      aws_iam_group_policy: 7 + 20, // workload-boundary guard
      aws_iam_role_policy: 2 * 3 + 1 + 3 * 4 + 1, // guardrails (non-production human roles, prod devops), workload-boundary guard
      aws_iam_group_policy_attachment: 54, // persona parts, self-service (human groups), custom, extra ARNs
      aws_iam_role: 3 * 4 + 1,
      aws_iam_role_policy_attachment: 14, // environment-level parts per role, AWSSupportAccess
      aws_s3_account_public_access_block: 1,
      aws_iam_user: 1000,
      aws_iam_user_group_membership: 1000,
      aws_iam_user_login_profile: 572,
    });
  });

  it("gives a login profile only to users with console access, and PGP keys only where given", () => {
    const { byAddress } = moduleResources(plan, "large");
    const profiles = byAddress["aws_iam_user_login_profile.user_console"];
    const consoleUsers = Object.entries<any>(large.users).filter(([, u]) => u.console_access);
    expect(profiles.map((p) => p.user).sort()).toEqual(consoleUsers.map(([name]) => name).sort());
    expect(profiles.filter((p) => p.pgp_key).map((p) => p.user)).toEqual(consoleUsers.filter(([, u]) => u.pgp_key).map(([n]) => n));
    expect(count(Object.values<any>(large.users), (u) => u.personas.includes("automation") && u.console_access)).toBe(0);
  });

  it("puts each user in exactly the groups of its personas", () => {
    const { byAddress } = moduleResources(plan, "large");
    const memberships = Object.fromEntries(byAddress["aws_iam_user_group_membership.user_groups"].map((m) => [m.user, m.groups]));
    for (const [name, u] of Object.entries<any>(large.users))
      expect([...memberships[name]].sort()).toEqual(u.personas.map((p: string) => `bench-${p.replace(/_/g, "-")}`).sort());
  });

  it("costs exactly 2 + (console users / users) resources per user over the default plan", () => {
    const d = moduleResources(plan, "default").byType;
    const l = moduleResources(plan, "large").byType;
    const perUser = ["aws_iam_user", "aws_iam_user_group_membership", "aws_iam_user_login_profile"].map((t) => (l[t] ?? 0) - (d[t] ?? 0));
    expect(perUser).toEqual([1000, 1000, 572]);
    // Everything else grows with groups (20) and environments (default none, large 3 x 4 roles), never with users.
    expect(l.aws_iam_group - d.aws_iam_group).toBe(20);
    expect(l.aws_iam_role - d.aws_iam_role).toBe(12);
  });
});

/* ------------------------------------------------------------------------------ data-lake */

/**
 * Policy parts of the three access levels: zones_per_policy is computed at plan time from the
 * policy sizes; with these inputs' names (longest zone key landing-zone) read_write fits 20 zones
 * per part, analyst 19 and read_only 13.
 */
const lakePolicyParts = (zones: number) => Math.ceil(zones / 20) + Math.ceil(zones / 19) + Math.ceil(zones / 13);

/** data-lake resources for Z zones with the defaults (AES256, Athena workgroup on, no KMS). */
function lakeExpected(zones: number): Counts {
  const buckets = zones + 2; // zones, access logs, Athena results
  return {
    aws_s3_bucket: buckets,
    aws_s3_bucket_versioning: buckets,
    aws_s3_bucket_server_side_encryption_configuration: buckets,
    aws_s3_bucket_public_access_block: buckets,
    aws_s3_bucket_ownership_controls: buckets,
    aws_s3_bucket_lifecycle_configuration: buckets,
    aws_s3_bucket_policy: buckets,
    aws_s3_bucket_logging: zones + 1, // the log bucket does not log to itself
    aws_s3_access_point: zones,
    aws_athena_workgroup: 1,
    aws_iam_policy: lakePolicyParts(zones),
  };
}

describeTerraform("scale: data-lake (50 zones)", () => {
  let plan: any;
  beforeAll(() => {
    plan = mustPlan(planSets("data-lake", ["default", "large"]));
  }, 300_000);

  it.each([
    ["default", 2, 37],
    ["large", 50, 9 * 50 + 16 + 10],
  ] as const)("plans 9 resources per zone, 16 fixed ones and the policy parts the sizes need (%s: %d zones)", (set, zones, total) => {
    expect(inputs.units("data-lake", inputs.loadInputs("data-lake", set)).count).toBe(zones);
    const { byType } = moduleResources(plan, set);
    expect(byType).toEqual(lakeExpected(zones));
    expect(sum(Object.values(byType))).toBe(9 * zones + 16 + lakePolicyParts(zones));
    expect(sum(Object.values(byType))).toBe(total);
  });

  it("names one bucket and one access point per zone, logs every bucket but the log bucket, and keeps every policy within its quota", () => {
    const zones = Object.keys(inputs.loadInputs("data-lake", "large").zones);
    const { byAddress } = moduleResources(plan, "large");
    expect(byAddress["aws_s3_bucket.zone"].map((b) => b.bucket).sort()).toEqual(zones.map((z) => `bench-lake-${z}`).sort());
    expect(byAddress["aws_s3_access_point.zone"].map((a) => a.name).sort()).toEqual(zones.map((z) => `bench-lake-${z}-access`).sort());
    const logPolicy = JSON.parse(byAddress["aws_s3_bucket_policy.logs"][0].policy);
    const sources = JSON.stringify(logPolicy).match(/arn:aws:s3:::bench-lake-[a-z0-9-]+/g) ?? [];
    expect(new Set(sources.filter((a) => a !== "arn:aws:s3:::bench-lake-access-logs")).size).toBe(zones.length + 1);
    for (const p of byAddress["aws_iam_policy.read_write"]
      .concat(byAddress["aws_iam_policy.analyst"])
      .concat(byAddress["aws_iam_policy.read_only"]))
      expect(p.policy.length).toBeLessThanOrEqual(6144);
    for (const ap of byAddress["aws_s3_access_point.zone"]) expect(ap.policy.length).toBeLessThanOrEqual(20480);
  });

  it("splits each access level into parts that cover every zone exactly once", () => {
    const zones = Object.keys(inputs.loadInputs("data-lake", "large").zones);
    const { byAddress } = moduleResources(plan, "large");
    for (const level of ["read_write", "read_only"]) {
      const parts = byAddress[`aws_iam_policy.${level}`];
      expect(parts).toHaveLength(Math.ceil(zones.length / (level === "read_write" ? 20 : 13)));
      const covered = parts.flatMap((p) => [
        ...new Set([...JSON.stringify(JSON.parse(p.policy)).matchAll(/arn:aws:s3:::(bench-lake-[a-z0-9-]+)\/\*"/g)].map((m) => m[1])),
      ]);
      expect(covered.sort()).toEqual(zones.map((z) => `bench-lake-${z}`).sort());
    }
  });
});

/* ------------------------------------------------------------------------------ org-scp */

describeTerraform("scale: org-scp (40 custom statements)", () => {
  let plan: any;
  beforeAll(() => {
    plan = mustPlan(planSets("org-scp", ["default", "large"]));
  }, 300_000);

  it.each(["default", "large"] as const)("plans the packing the TypeScript reference predicts, within the quotas (%s)", (set) => {
    const v = inputs.loadInputs("org-scp", set);
    const layout = moduleLayout({
      values: defaultPolicyValues({ exemptPrincipalArns: v.exempt_principal_arns }),
      customStatements: (v.custom_statements ?? []) as CustomStatement[],
      maxChars: 5120,
    });
    const targets = 1 + v.target_ids.length; // the created OU and the existing targets
    const { byType, byAddress } = moduleResources(plan, set);
    expect(byType).toEqual({
      aws_organizations_organizational_unit: 1,
      aws_organizations_policy: layout.scps.length,
      aws_organizations_policy_attachment: layout.scps.length * targets,
    });
    const planned = Object.fromEntries(byAddress["aws_organizations_policy.scp"].map((p) => [p.name, p.content as string]));
    expect(Object.keys(planned).sort()).toEqual(layout.scps.map((p) => p.name).sort());
    for (const p of layout.scps) {
      expect(planned[p.name]).toBe(terraformJson(p.document));
      expect(planned[p.name].length).toBeLessThanOrEqual(5120);
    }
    // Per target: the module's SCPs and FullAWSAccess within the default quota of 5.
    expect(layout.scps.length + 1).toBeLessThanOrEqual(5);
    const attachments = byAddress["aws_organizations_policy_attachment.scp_attachment"];
    expect(attachments).toHaveLength(layout.scps.length * targets);
    // The created OU's id is unknown until apply; each existing target gets every SCP once.
    const known = attachments.map((a) => a.target_id).filter(Boolean);
    expect(known.sort()).toEqual(v.target_ids.flatMap((t: string) => layout.scps.map(() => t)).sort());
  });

  it("places every custom statement exactly once: the two home SCPs, and 2 more for 40 custom statements", () => {
    const v = inputs.loadInputs("org-scp", "large");
    const sids = moduleResources(plan, "large").byAddress["aws_organizations_policy.scp"].flatMap((p) =>
      JSON.parse(p.content).Statement.map((s: any) => s.Sid),
    );
    expect(sids.filter((s: string) => s.startsWith("BenchCustom")).sort()).toEqual(v.custom_statements.map((c: any) => c.sid).sort());
    expect(new Set(sids).size).toBe(sids.length);
    const d = moduleResources(plan, "default").byType;
    const l = moduleResources(plan, "large").byType;
    expect([d.aws_organizations_policy, l.aws_organizations_policy]).toEqual([2, 4]);
  });
});

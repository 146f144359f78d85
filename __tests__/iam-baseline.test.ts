/**
 * Layers 2 and 3 for the IAM baseline: properties of the synthesized Terraform JSON, every string
 * parsed as an HCL template, and the generated README.
 */
import * as fs from "fs";
import * as path from "path";
import { PERSONAS } from "../lib/policy/iam/personas";
import { checkModuleTemplates } from "./helpers/hcl";
import { allStrings, effectiveVariables, moduleDir, moduleJson, resource, resources } from "./helpers/synth";

const tf = moduleJson("iam-baseline");

describe("iam-baseline: synthesized Terraform JSON", () => {
  it("has the core interface (inputs and outputs other repos rely on)", () => {
    expect(Object.keys(tf.variable)).toEqual(
      expect.arrayContaining([
        "name_prefix",
        "account_id",
        "allowed_regions",
        "users",
        "environments",
        "password_policy",
        "tags",
        "personas",
        "persona_policy_arns",
        "custom_groups",
        "allow_password_change_without_mfa",
        "role_max_mfa_age_seconds",
        "github_oidc",
        "access_analyzer",
        "create_support_role",
        "account_alias",
        "budget",
        "cloudtrail",
        "lockdown",
      ]),
    );
    expect(tf.variable.account_id.default).toBeUndefined();
    expect(tf.variable.allowed_regions.default).toEqual(["ap-southeast-2"]);
    // No environment by default: dev and prod in one account need an explicit opt-in.
    expect(tf.variable.environments.default).toEqual({});
    expect(tf.variable.allow_shared_account_environments.default).toBe(false);
    expect(tf.variable.s3_account_public_access_block.default).toBe(true);
    expect(Object.keys(tf.output)).toEqual(
      expect.arrayContaining(["group_names", "group_arns", "policy_arns", "role_arns", "github_deploy_role_arn", "user_names"]),
    );
  });

  it("secure defaults: every persona on, OIDC/budget/CloudTrail/alias/lockdown off, analyzer and support role on", () => {
    const tf = { variable: effectiveVariables("iam-baseline") };
    expect(tf.variable.personas.type).toBe(`object({ ${PERSONAS.map((p) => `${p} = optional(bool, true)`).join(", ")} })`);
    expect(tf.variable.github_oidc.type).toContain("enabled = optional(bool, false)");
    expect(tf.variable.budget.default).toBeNull();
    expect(tf.variable.account_alias.default).toBeNull();
    expect(tf.variable.cloudtrail.type).toContain("enabled = optional(bool, false)");
    expect(tf.variable.lockdown.type).toContain("enabled = optional(bool, false)");
    expect(tf.variable.access_analyzer.type).toContain("enabled = optional(bool, true)");
    expect(tf.variable.create_support_role.default).toBe(true);
    expect(tf.variable.password_policy.type).toContain("minimum_length = optional(number, 14)");
    expect(tf.variable.password_policy.type).toContain("password_reuse_prevention = optional(number, 24)");
    for (const c of ["symbols", "numbers", "uppercase", "lowercase"])
      expect(tf.variable.password_policy.type).toContain(`require_${c} = optional(bool, true)`);
  });

  it("validates every input that can be wrong, with messages naming the input", () => {
    const tf = { variable: effectiveVariables("iam-baseline") };
    const validated = Object.entries<any>(tf.variable)
      .filter(([, v]) => (v.validation ?? []).length > 0)
      .map(([k]) => k);
    expect(validated).toEqual(
      expect.arrayContaining([
        "name_prefix",
        "account_id",
        "allowed_regions",
        "password_policy",
        "persona_policy_arns",
        "custom_groups",
        "users",
        "environments",
        "role_max_mfa_age_seconds",
        "lake_access",
        "deploy_permissions",
        "github_oidc",
        "account_alias",
        "budget",
        "cloudtrail",
        "lockdown",
      ]),
    );
    for (const [name, v] of Object.entries<any>(tf.variable))
      for (const val of v.validation ?? []) expect({ name, ok: val.error_message.includes(name) }).toEqual({ name, ok: true });
  });

  it("groups and persona policies are for_each over variables, with stable names", () => {
    const group = resource(tf, "aws_iam_group", "this");
    expect(group.for_each).toBe("${local.group_names}");
    expect(group.name).toBe("${each.value}");
    const persona = resource(tf, "aws_iam_policy", "persona");
    expect(persona.for_each).toContain("local.persona_policies");
    expect(persona.policy).toBe("${each.value.policy}");
    expect(Object.keys(tf.locals.persona_policies)).toEqual(expect.arrayContaining([...PERSONAS]));
    for (const [k, v] of Object.entries<any>(tf.locals.persona_policies)) {
      expect(v.policy).toMatch(/^\$\{jsonencode\(/);
      expect(v.name).toMatch(/^\$\{var\.name_prefix\}-[a-z-]+(-\d+)?$/);
      expect(k).toMatch(/^[a-z_]+(_\d+)?$/);
    }
    // Additive membership per user (never aws_iam_group_membership, which is exclusive).
    expect(resource(tf, "aws_iam_user_group_membership", "user_groups").for_each).toBe("${module.inputs.users}");
    expect(resources(tf, "aws_iam_group_membership")).toEqual({});
  });

  it("per-user resources never index aws_iam_user.user, which made plans quadratic in users", () => {
    // Terraform fetches every instance of a resource for each `aws_iam_user.user[...]` reference;
    // per-user resources read local.created_user_names instead (see the scale test).
    const tf = moduleJson("iam-baseline");
    expect(tf.locals.created_user_names).toBe("${{ for k, u in aws_iam_user.user : k => u.name }}");
    const perUser = Object.entries<any>(tf.resource).flatMap(([type, byName]) =>
      Object.entries<any>(byName)
        .filter(([, body]) => /module\.inputs\.users/.test(String(body.for_each)))
        .map(([name, body]) => ({ address: `${type}.${name}`, body })),
    );
    expect(perUser.map((p) => p.address).sort()).toEqual([
      "aws_iam_user.user",
      "aws_iam_user_group_membership.user_groups",
      "aws_iam_user_login_profile.user_console",
    ]);
    for (const { address, body } of perUser)
      expect({ address, indexesUsers: /aws_iam_user\.user\[/.test(JSON.stringify(body)) }).toEqual({ address, indexesUsers: false });
  });

  it("never puts policies on users; inline policies only for the lockdown, the guardrails and CloudTrail's delivery role", () => {
    for (const type of ["aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment"])
      expect({ type, present: type in (tf.resource ?? {}) }).toEqual({ type, present: false });
    expect(Object.keys(tf.resource.aws_iam_group_policy).sort()).toEqual(["group_guardrails", "group_lockdown", "group_workload_boundary"]);
    expect(Object.keys(tf.resource.aws_iam_role_policy).sort()).toEqual([
      "cloudtrail_logs",
      "environment_role_guardrails",
      "environment_role_lockdown",
      "environment_role_workload_boundary",
      "github_deploy_guardrails",
      "github_deploy_lockdown",
      "github_deploy_workload_boundary",
      "support_lockdown",
      "support_workload_boundary",
    ]);
  });

  it("every policy document is a jsonencode (fully known at plan time), never a computed ARN", () => {
    const policyStrings = allStrings(tf).filter(
      (s) => /\.(policy|assume_role_policy)$/.test(s.path) || /^\$\.locals\.[a-z_]+(\.[a-z_0-9]+)?(\.policy)?$/.test(s.path),
    );
    expect(policyStrings.length).toBeGreaterThan(10);
    for (const s of allStrings(tf.locals)) {
      if (!s.value.startsWith("${jsonencode(")) continue;
      // No reference to a resource attribute inside a policy: ARNs come from names, partition and account_id.
      expect({ path: s.path, computed: /aws_[a-z0-9_]+\.[a-z0-9_]+(\[[^\]]*\])?\.(arn|id)\b/.test(s.value) }).toEqual({
        path: s.path,
        computed: false,
      });
    }
  });

  it("plan-time quota checks: 6,144 per managed policy, 10 per group and role, 2,048 per trust policy", () => {
    const pre = (type: string, name: string) =>
      resource(tf, type, name)
        .lifecycle.precondition.map((p: any) => p.condition)
        .join(" ");
    for (const name of ["persona", "self_service", "lake", "custom_group", "environment"])
      expect(pre("aws_iam_policy", name)).toContain("<= 6144");
    expect(pre("aws_iam_group_policy_attachment", "group_extra")).toContain("local.group_policy_counts[each.value.group] <= 10");
    // The lockdown is inline: no managed-policy quota can block it.
    expect(resource(tf, "aws_iam_group_policy", "group_lockdown").lifecycle).toBeUndefined();
    expect(pre("aws_iam_role", "environment_role")).toContain("<= 2048");
    expect(pre("aws_iam_role", "environment_role")).toContain("<= 10");
    expect(pre("aws_iam_role", "github_deploy")).toContain("<= 2048");
    expect(pre("aws_iam_user_group_membership", "user_groups")).toContain("contains(keys(local.group_names), p)");
  });

  it("optional hygiene and CI resources are count-toggled; the OIDC provider needs no thumbprint", () => {
    expect(resource(tf, "aws_accessanalyzer_analyzer", "access_analyzer").count).toBe("${module.inputs.access_analyzer.enabled ? 1 : 0}");
    expect(resource(tf, "aws_iam_role", "support").count).toBe("${var.create_support_role ? 1 : 0}");
    expect(resource(tf, "aws_iam_role_policy_attachment", "support_access").policy_arn).toBe(
      "arn:${local.partition}:iam::aws:policy/AWSSupportAccess",
    );
    expect(resource(tf, "aws_budgets_budget", "budget").count).toBe("${module.inputs.budget != null ? 1 : 0}");
    expect(resource(tf, "aws_iam_account_alias", "account_alias").count).toBe("${var.account_alias != null ? 1 : 0}");
    const trail = resource(tf, "aws_cloudtrail", "cloudtrail");
    expect(trail.enable_log_file_validation).toBe(true);
    expect(trail.include_global_service_events).toBe(true);
    const oidc = resource(tf, "aws_iam_openid_connect_provider", "github");
    expect(oidc.url).toBe("https://token.actions.githubusercontent.com");
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.thumbprint_list).toBeUndefined();
    expect(resource(tf, "aws_iam_user_login_profile", "user_console").password_reset_required).toBe(true);
    expect(tf.data.aws_partition.current).toBeDefined();
    expect(tf.data.aws_caller_identity).toBeUndefined();
  });

  it("no output exposes a plaintext password", () => {
    for (const [name, o] of Object.entries<any>(tf.output))
      expect({ name, plain: /\.password\b/.test(o.value) }).toEqual({ name, plain: false });
    expect(tf.output.user_encrypted_passwords.value).toContain("encrypted_password");
  });

  it("every string is a valid Terraform template and every reference resolves (HCL parser)", async () => {
    expect(await checkModuleTemplates(tf)).toEqual([]);
  });

  it("the README documents inputs, outputs, resources and the security notes", () => {
    const readme = fs.readFileSync(path.join(moduleDir("iam-baseline"), "README.md"), "utf8");
    expect(readme).toContain("| `lockdown` |");
    expect(readme).toContain("`aws_iam_user_group_membership.user_groups`");
    expect(readme).toContain("allow_password_change_without_mfa");
    expect(readme).toContain("pgp_key");
  });
});

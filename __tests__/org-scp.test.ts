/**
 * Layers 2 and 3 for org-scp: properties of the synthesized Terraform JSON, every string a valid
 * Terraform template, the synth-time quota check driven by the generator options, and the README.
 */
import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../app/synthesize";
import { DEFAULT_OPTIONS, resolveOptions } from "../lib/config";
import { globalServiceActions } from "../lib/policy/global-services";
import { CATALOG_SIDS, RCP_CONTROLS, SCP_CONTROLS } from "../lib/policy/scp/controls";
import { MAX_CUSTOM_STATEMENTS } from "../lib/policy/scp/custom";
import { checkModuleTemplates } from "./helpers/hcl";
import { allStrings, effectiveVariables, moduleDir, moduleJson, resource, resources, tempDir } from "./helpers/synth";

/** Only this module: its tests do not depend on the other modules' state. */
const ONLY: { modules: ["org-scp"] } = { modules: ["org-scp"] };
const tf = () => moduleJson("org-scp", ONLY);

describe("org-scp: interface", () => {
  test("declares the issue's inputs with secure defaults", () => {
    const v = tf().variable;
    expect(v.enabled.default).toBe(true);
    expect(v.create_ou.default).toBe(true);
    expect(v.target_ids.default).toEqual([]);
    expect(v.allowed_regions.default).toEqual(["ap-southeast-2"]);
    expect(v.exempt_principal_arns.default).toEqual([]);
    expect(v.custom_statements.default).toEqual([]);
    expect(v.enable_rcp.default).toBe(false);
    expect(v.organization_id.default).toBeNull();
    expect(v.parent_id.default).toBeNull();
    for (const c of [...SCP_CONTROLS, ...RCP_CONTROLS])
      expect({ [c.toggle]: v[c.toggle].default }).toEqual({ [c.toggle]: c.defaultEnabled });
    expect(v.deny_iam_users_and_access_keys.default).toBe(false);
    expect(v.deny_outside_allowed_regions.default).toBe(true);
    expect(v.exempt_assumed_root.default).toBe(true);
    expect(v.protect_exempt_principals.default).toBe(true);
    for (const name of [
      "security_admin_principal_arns",
      "pipeline_principal_arns",
      "pipeline_audit_resource_arns",
      "exempt_organization_automation_roles",
    ])
      expect({ name, default: v[name].default, nullable: v[name].nullable }).toEqual({ name, default: [], nullable: false });
    expect(v.targets).toMatchObject({ type: "map(string)", default: {}, nullable: false });
    expect(v.control_tower_compatible.default).toBe(false);
    expect(v.allow_cloudfront_dependencies.default).toBe(false);
    expect(v.other_rcps_per_target.default).toBe(0);
    // The CloudFront opt-in is documented next to allowed_regions.
    expect(v.allowed_regions.description).toContain("allow_cloudfront_dependencies");
    // The ELB and CloudFront cases are documented next to rcp_trusted_account_ids.
    expect(v.rcp_trusted_account_ids.description).toMatch(/Elastic Load Balancing.*origin access control/s);
  });

  test("the quota variables default to the generator options", () => {
    expect(tf().variable.scp_max_chars.default).toBe(DEFAULT_OPTIONS.scpMaxChars);
    expect(tf().variable.scp_max_per_target.default).toBe(DEFAULT_OPTIONS.scpMaxPerTarget);
    const raised = moduleJson("org-scp", { ...ONLY, scpMaxChars: 6000, scpMaxPerTarget: 10 });
    expect(raised.variable.scp_max_chars.default).toBe(6000);
    expect(raised.variable.scp_max_per_target.default).toBe(10);
  });

  test("validation blocks cover region codes, ARNs, ids, org id and custom statements", () => {
    const v = effectiveVariables("org-scp");
    const conds = (name: string) => (v[name].validation ?? []).map((x: any) => x.condition).join("\n");
    expect(conds("allowed_regions")).toContain("regex(");
    expect(conds("exempt_principal_arns")).toMatch(/iam::\(\[0-9\]\{12\}\|\[\*\]\):\(role\|user\)/);
    expect(conds("target_ids")).toContain("r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12}");
    expect(conds("parent_id")).toContain("regex(");
    expect(conds("organization_id")).toContain("^o-[a-z0-9]{10,32}$");
    expect(conds("rcp_trusted_account_ids")).toContain("^[0-9]{12}$");
    expect(conds("custom_statements")).toContain(`length(var.custom_statements) <= ${MAX_CUSTOM_STATEMENTS}`);
    for (const sid of CATALOG_SIDS) expect(conds("custom_statements")).toContain(`"${sid.toLowerCase()}"`);
    for (const [name, body] of Object.entries<any>(v))
      for (const val of body.validation ?? [])
        expect({ name, msg: val.error_message }).toEqual({ name, msg: expect.stringMatching(/^[A-Z].*\.$/s) });
  });

  test("outputs ou_id, policy_ids, policy_sizes and policy_count_per_target, each described", () => {
    const o = tf().output;
    expect(Object.keys(o).sort()).toEqual(["ou_id", "policy_count_per_target", "policy_ids", "policy_sizes"]);
    expect(o.policy_sizes.value).toContain("length(c)");
    for (const body of Object.values<any>(o)) expect(body.description.length).toBeGreaterThan(20);
  });
});

describe("org-scp: resources", () => {
  test("partition from data aws_partition (local), no data source that calls AWS", () => {
    expect(Object.keys(tf().data)).toEqual(["aws_partition"]);
    expect(tf().locals.partition).toBe("${data.aws_partition.current.partition}");
  });

  test("an optional OU under parent_id, switched by enabled and create_ou", () => {
    const ou = resource(tf(), "aws_organizations_organizational_unit", "ou");
    expect(ou.count).toBe("${var.enabled && var.create_ou ? 1 : 0}");
    expect(ou.parent_id).toBe("${var.parent_id}");
    expect(JSON.stringify(ou.lifecycle.precondition)).toContain("parent_id is required");
  });

  test("SCPs and RCPs: one resource per packed policy, named by name_prefix, with the right type", () => {
    const scp = resource(tf(), "aws_organizations_policy", "scp");
    const rcp = resource(tf(), "aws_organizations_policy", "rcp");
    expect(scp.for_each).toBe("${local.scp_policies}");
    expect(rcp.for_each).toBe("${local.rcp_policies}");
    expect(scp.type).toBe("SERVICE_CONTROL_POLICY");
    expect(rcp.type).toBe("RESOURCE_CONTROL_POLICY");
    expect(scp.name).toBe("${each.key}");
    expect(tf().locals.scp_policies).toContain('format("%s-scp-%d", var.name_prefix, b + 1)');
    expect(scp.content).toBe("${local.scp_content[each.key]}");
    expect(tf().locals.scp_content).toContain("jsonencode(");
  });

  test("preconditions check each policy's size and the per-target count, with messages naming policy and size", () => {
    for (const kind of ["scp", "rcp"]) {
      const pre = resource(tf(), "aws_organizations_policy", kind).lifecycle.precondition;
      const size = pre.find((p: any) => p.condition.includes("<= var.scp_max_chars"));
      expect(size.condition).toBe(`\${length(local.${kind}_content[each.key]) <= var.scp_max_chars}`);
      expect(size.error_message).toContain(`format("${kind.toUpperCase()} %s is %s characters; the limit is %s (scp_max_chars).`);
      const count = pre.find((p: any) => p.condition.includes("scp_max_per_target"));
      expect(count.condition).toContain(`local.${kind}_per_target <= var.scp_max_per_target`);
      expect(count.error_message).toContain(`Each target would have %d ${kind.toUpperCase()}s`);
    }
    const rcpPre = JSON.stringify(resource(tf(), "aws_organizations_policy", "rcp").lifecycle.precondition);
    expect(rcpPre).toContain("organization_id is required when enable_rcp is true");
    expect(tf().locals.scp_per_target).toBe("${local.scp_policy_count + 1 + var.other_scps_per_target}");
    expect(tf().locals.rcp_per_target).toBe("${local.rcp_policy_count + 1 + var.other_rcps_per_target}");
  });

  test("attachments: every policy on every target; FullAWSAccess is never managed, so never detached", () => {
    const att = resources(tf(), "aws_organizations_policy_attachment");
    expect(Object.keys(att).sort()).toEqual(["rcp_attachment", "scp_attachment"]);
    expect(att.scp_attachment.for_each).toBe("${local.scp_attachments}");
    expect(tf().locals.scp_attachments).toContain("setproduct(keys(local.scp_policies), keys(local.targets))");
    expect(tf().locals.targets).toContain("created_ou");
    expect(tf().locals.targets).toContain("for k, t in var.targets : k => t");
    const text = JSON.stringify(tf());
    expect(text).not.toMatch(/p-FullAWSAccess/);
    expect(Object.keys(resources(tf(), "aws_organizations_policy")).sort()).toEqual(["rcp", "scp"]);
  });

  test("plan-time placement is unrolled for every catalog statement plus the custom maximum", () => {
    const catalog = SCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0);
    const last = catalog + MAX_CUSTOM_STATEMENTS - 1;
    expect(tf().locals[`scp_pack_bin_${last}`]).toBeDefined();
    expect(tf().locals[`scp_pack_bin_${last + 1}`]).toBeUndefined();
    expect(tf().locals.scp_policy_indexes).toBe(`\${[for j, x in local.scp_pack_open_${last} : j if x]}`);
    expect(tf().locals.scp_policy_count).toBe("${length(local.scp_policy_indexes)}");
    expect(tf().locals.rcp_policy_indexes).toBe(`\${[for j, x in local.rcp_pack_open_${RCP_CONTROLS.length - 1} : j if x]}`);
  });

  test("statements: every catalog control behind its toggle; the region deny's NotAction is the full global list", () => {
    const stmts = tf().locals.scp_items as string;
    for (const c of SCP_CONTROLS) expect(stmts).toContain(`var.enabled && var.${c.toggle}`);
    for (const c of RCP_CONTROLS) expect(tf().locals.rcp_items).toContain(`var.enabled && var.enable_rcp && var.${c.toggle}`);
    for (const a of globalServiceActions()) expect(tf().locals.region_deny_not_actions).toContain(`"${a}"`);
    expect(stmts).toContain('NotAction" = local.region_deny_not_actions');
    expect(stmts).toContain('"aws:RequestedRegion" = var.allowed_regions');
    expect(stmts).toContain('"arn:${local.partition}:iam::*:root"');
    expect(stmts).toContain("module.inputs.custom_statements");
  });

  test("every string is a valid Terraform template whose references resolve (HCL parser)", async () => {
    expect(await checkModuleTemplates(tf())).toEqual([]);
  });

  test("no raw IAM policy variable and no aws-portal action anywhere", () => {
    for (const s of allStrings(tf())) {
      expect(s.value).not.toMatch(/aws-portal:/);
      expect(s.value).not.toMatch(/[^$]\$\{aws:/);
    }
  });

  test("the policy engine saw the catalog of a representative organization: three SCPs and one RCP", () => {
    const dir = tempDir("orgscp-engine");
    const r = synthesize(resolveOptions({ modules: ["org-scp"] }), dir);
    const names = r.stacks[0].policies.map((p) => p.name);
    expect(names).toEqual(
      ["guardrails-scp-1", "guardrails-scp-2", "guardrails-scp-3", "guardrails-rcp-1"].map((n) => `${n} (representative organization)`),
    );
  });
});

describe("org-scp: synth-time quota check of the defaults", () => {
  test("generator options too small for the defaults make synth fail, naming the policy and its size", () => {
    expect(() => synthesize(resolveOptions({ modules: ["org-scp"], scpMaxChars: 2000 }), tempDir("orgscp-small"))).toThrow(
      /SCP guardrails-scp-\d \(statement DenyOutsideAllowedRegions\) is 2,\d{3} characters; the limit is 2,000 \(generator option scpMaxChars\)/,
    );
    expect(() =>
      synthesize(resolveOptions({ modules: ["org-scp"], scpMaxChars: 2500, scpMaxPerTarget: 2 }), tempDir("orgscp-count")),
    ).toThrow(/Each target would have \d SCPs \(\d from this module, FullAWSAccess\); the limit is 2 \(generator option scpMaxPerTarget\)/);
  });
});

describe("org-scp: README", () => {
  test("documents every input and output and the security notes", () => {
    const readme = fs.readFileSync(path.join(moduleDir("org-scp", ONLY), "README.md"), "utf8");
    for (const name of [...Object.keys(tf().variable), ...Object.keys(tf().output)]) expect(readme).toContain(`\`${name}\``);
    expect(readme).toContain("FullAWSAccess stays attached");
    expect(readme).toContain("placed stably");
    expect(readme).toContain("Exemptions are per control");
  });
});

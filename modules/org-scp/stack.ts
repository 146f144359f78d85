import { Construct } from "constructs";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { TerraformLocal } from "../../lib/cdktf";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { failIfProblems } from "../../lib/errors";
import { tfExpr } from "../../lib/policy/render";
import { flagHcl, statementJsonHcl } from "../../lib/policy/scp/dynamic";
import { globalServiceActions, GLOBAL_REGION } from "../../lib/policy/global-services";
import {
  CLOUDFRONT_DEPENDENCY_ACTIONS,
  CONTROL_TOWER_ROLES,
  controlStatements,
  OrgControl,
  OrgPolicyInputs,
  RCP_CONTROLS,
  SCP_CONTROLS,
  SCP_HOME_COUNT,
  SECURITY_SERVICE_ACTIONS,
} from "../../lib/policy/scp/controls";
import { customStatementsHcl, MAX_CUSTOM_STATEMENTS } from "../../lib/policy/scp/custom";
import { planPackLocals } from "../../lib/policy/scp/plan-pack";
import { defaultPolicyValues, moduleLayout, moduleLayoutProblems, representativeValues } from "../../lib/policy/scp/layout";
import { orgScpSpec } from "./spec";

const present = (list: string) => ({ hcl: `length(${list}) > 0` });
const exemption = (list: string) => ({ arns: tfExpr(list), present: present(list) });
const optional = (list: string) => ({ list: tfExpr(list), present: present(list) });

/** The controls' inputs as Terraform expressions of this module's variables and locals. */
const TF_INPUTS: OrgPolicyInputs = {
  partition: tfExpr("local.partition"),
  allowedRegions: tfExpr("var.allowed_regions"),
  exemptions: {
    breakGlass: exemption("local.exempt_break_glass"),
    securityServices: exemption("local.exempt_security_services"),
    securityAdmins: exemption("local.exempt_security_admins"),
    pipelines: exemption("local.exempt_pipelines"),
  },
  protectedArns: {
    breakGlass: optional("local.exempt_break_glass"),
    securityAdmins: optional("var.security_admin_principal_arns"),
    pipelines: optional("var.pipeline_principal_arns"),
  },
  pipelineAuditResources: { list: tfExpr("var.pipeline_audit_resource_arns"), present: { hcl: "local.pipelines_have_audit_resources" } },
  exemptAssumedRoot: { hcl: "var.exempt_assumed_root" },
  securityServiceActions: tfExpr("local.security_service_actions"),
  cloudfrontDependencies: { hcl: "local.cloudfront_dependencies" },
  cloudfrontDependencyRegions: tfExpr(`concat(var.allowed_regions, ["${GLOBAL_REGION}"])`),
  regionDenyNotActions: tfExpr("local.region_deny_not_actions"),
  organizationId: tfExpr("var.organization_id"),
  trustedAccounts: { ids: tfExpr("var.rcp_trusted_account_ids"), present: { hcl: "length(var.rcp_trusted_account_ids) > 0" } },
};

/** HCL list literal of strings. */
const hclList = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;

/** HCL: 5120 -> "5,120" (numbers below 1,000,000). */
const commas = (n: string) => `replace(replace(format("%d", ${n}), "/(\\\\d)(\\\\d{3})$/", "$1,$2"), "/(\\\\d)(\\\\d{3}),/", "$1,$2,")`;

/**
 * Checks the defaults at synth time: the catalog with the default inputs, and with every
 * control on, must fit the generator's quotas (scpMaxChars, scpMaxPerTarget).
 */
export function checkDefaultQuotas(options: Pick<GeneratorOptions, "scpMaxChars" | "scpMaxPerTarget">): ReturnType<typeof moduleLayout> {
  const allOn = Object.fromEntries([...SCP_CONTROLS, ...RCP_CONTROLS].map((c) => [c.toggle, true]));
  const limits = {
    maxChars: options.scpMaxChars,
    maxPerTarget: options.scpMaxPerTarget,
    sources: { maxChars: "generator option scpMaxChars", maxPerTarget: "generator option scpMaxPerTarget" },
  };
  let layout!: ReturnType<typeof moduleLayout>;
  for (const [what, values] of [
    ["the default inputs", defaultPolicyValues()],
    ["every control enabled", defaultPolicyValues({ toggles: allOn })],
    ["a representative organization (break-glass, security administrators, pipelines, CloudFront opt-in)", representativeValues()],
  ] as const) {
    layout = moduleLayout({ values, maxChars: options.scpMaxChars });
    failIfProblems(`module org-scp: with ${what}, the policies do not fit the quotas`, moduleLayoutProblems(layout, limits));
  }
  return layout;
}

export class OrgScpStack extends ModuleStack {
  constructor(scope: Construct, options: GeneratorOptions) {
    super(scope, orgScpSpec(options));
    // The catalog with every control on and representative inputs goes through the policy
    // engine (actions exist, Sids, size); the module renders the same statements at plan time.
    const representative = checkDefaultQuotas(options);
    for (const p of [...representative.scps, ...representative.rcps]) {
      this.policyJson({
        name: `${p.name} (representative organization)`,
        kind: p.name.includes("-rcp-") ? "rcp" : "scp",
        document: p.document,
      });
    }

    const local = (name: string, expression: string) => new TerraformLocal(this, name, `\${${expression}}`);

    new DataAwsPartition(this, "current", {});
    local("partition", "data.aws_partition.current.partition");

    // ---- targets -----------------------------------------------------------------------
    const ou = new OrganizationsOrganizationalUnit(this, "ou", {
      count: "${var.enabled && var.create_ou ? 1 : 0}" as any,
      name: "${var.ou_name}",
      parentId: "${var.parent_id}",
      tags: "${var.tags}" as any,
      lifecycle: {
        precondition: [{ condition: "${var.parent_id != null}", errorMessage: "The parent_id is required when create_ou is true." }],
      },
    });
    void ou;
    local(
      "targets",
      `merge({ for k, v in { created_ou = try(aws_organizations_organizational_unit.ou[0].id, null) } : k => v if var.enabled && var.create_ou }, ` +
        `{ for t in var.target_ids : t => t if var.enabled }, { for k, t in var.targets : k => t if var.enabled })`,
    );

    // ---- exemption classes ------------------------------------------------------------------
    const automation = `[for r in var.exempt_organization_automation_roles : "arn:\${local.partition}:iam::*:role/\${r}"]`;
    const controlTower = `var.control_tower_compatible ? [for r in ${hclList(CONTROL_TOWER_ROLES)} : "arn:\${local.partition}:iam::*:role/\${r}"] : []`;
    local("exempt_break_glass", `distinct(concat(var.exempt_principal_arns, ${automation}, ${controlTower}))`);
    local("pipelines_have_audit_resources", "length(var.pipeline_principal_arns) > 0 && length(var.pipeline_audit_resource_arns) > 0");
    local(
      "exempt_security_services",
      "distinct(concat(local.exempt_break_glass, var.security_admin_principal_arns, local.pipelines_have_audit_resources ? var.pipeline_principal_arns : []))",
    );
    local("exempt_security_admins", "distinct(concat(local.exempt_break_glass, var.security_admin_principal_arns))");
    local("exempt_pipelines", "distinct(concat(local.exempt_break_glass, var.pipeline_principal_arns))");
    local(
      "exemption_overlap",
      "setunion(setintersection(var.exempt_principal_arns, var.security_admin_principal_arns), setintersection(var.exempt_principal_arns, var.pipeline_principal_arns), setintersection(var.security_admin_principal_arns, var.pipeline_principal_arns))",
    );

    // ---- region deny -------------------------------------------------------------------------
    local("cloudfront_dependencies", `var.allow_cloudfront_dependencies && !contains(var.allowed_regions, "${GLOBAL_REGION}")`);
    local(
      "region_deny_not_actions",
      `concat(${hclList(globalServiceActions())}, local.cloudfront_dependencies ? ${hclList(CLOUDFRONT_DEPENDENCY_ACTIONS)} : [])`,
    );

    // ---- statements: { s = JSON, h = home policy }, catalog order then custom ----------------------
    const actionMap = Object.entries(SECURITY_SERVICE_ACTIONS)
      .map(([s, acts]) => `"${s}" = ${hclList(acts)}`)
      .join(", ");
    local("security_service_actions", `flatten([for s in var.protected_security_services : lookup({ ${actionMap} }, s, [])])`);

    const included = (c: OrgControl) => {
      const on = [`var.enabled`, ...(c.kind === "rcp" ? ["var.enable_rcp"] : []), `var.${c.toggle}`];
      if (c.toggle === "protect_security_services") on.push("length(var.protected_security_services) > 0");
      return on.join(" && ");
    };
    const controlsHcl = (controls: readonly OrgControl[]) =>
      controls.map((c) => {
        const items = controlStatements(c, TF_INPUTS).map((g) => {
          const item = `{ s = ${statementJsonHcl(g.statement)}, h = ${c.home} }`;
          return g.when === true ? `[${item}]` : `${flagHcl(g.when)} ? [${item}] : []`;
        });
        return `${included(c)} ? concat(${items.join(", ")}) : []`;
      });
    const scpStatementCount = SCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0) + MAX_CUSTOM_STATEMENTS;
    const rcpStatementCount = RCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0);

    local(
      "scp_items",
      `concat(${[
        ...controlsHcl(SCP_CONTROLS),
        `var.enabled ? [for s in ${customStatementsHcl("custom_statements", "local.exempt_break_glass", "length(local.exempt_break_glass) > 0")} : { s = s, h = -1 }] : []`,
      ].join(", ")})`,
    );
    local("rcp_items", `concat(${controlsHcl(RCP_CONTROLS).join(", ")})`);

    // ---- plan-time stable placement (see plan-pack.ts) ------------------------------------------
    for (const [kind, count, nHomes] of [
      ["scp", scpStatementCount, SCP_HOME_COUNT],
      ["rcp", rcpStatementCount, 0],
    ] as const) {
      local(`${kind}_statements`, `[for x in local.${kind}_items : x.s]`);
      const locals = planPackLocals({
        prefix: kind,
        sizes: `[for s in local.${kind}_statements : length(s)]`,
        homes: `[for x in local.${kind}_items : x.h]`,
        homeCount: nHomes,
        maxChars: "var.scp_max_chars",
        maxItems: count,
      });
      for (const [name, expr] of Object.entries(locals)) local(name, expr);
      local(`${kind}_policies`, `{ for b in local.${kind}_policy_indexes : format("%s-${kind}-%d", var.name_prefix, b + 1) => b }`);
      local(`${kind}_policy_count`, `length(local.${kind}_policy_indexes)`);
      local(
        `${kind}_content`,
        `{ for name, b in local.${kind}_policies : name => jsonencode({ Statement = [for i, s in local.${kind}_statements : jsondecode(s) if local.${kind}_assignment[i] == b], Version = "2012-10-17" }) }`,
      );
      local(
        `${kind}_sids`,
        `{ for name, b in local.${kind}_policies : name => [for i, s in local.${kind}_statements : try(jsondecode(s).Sid, "?") if local.${kind}_assignment[i] == b] }`,
      );
      local(
        `${kind}_attachments`,
        `{ for pair in setproduct(keys(local.${kind}_policies), keys(local.targets)) : format("%s/%s", pair[0], pair[1]) => { policy = pair[0], target = pair[1] } }`,
      );
    }
    local("scp_per_target", "local.scp_policy_count + 1 + var.other_scps_per_target");
    local("rcp_per_target", "local.rcp_policy_count + 1 + var.other_rcps_per_target");

    // ---- policies and attachments ------------------------------------------------------------
    const policy = (kind: "scp" | "rcp", count: number) => {
      const KIND = kind.toUpperCase();
      const managed = kind === "scp" ? "FullAWSAccess" : "RCPFullAWSAccess";
      const others = kind === "scp" ? "var.other_scps_per_target" : "var.other_rcps_per_target";
      const preconditions = [
        {
          condition: `\${length(local.${kind}_content[each.key]) <= var.scp_max_chars}`,
          errorMessage:
            `\${format("${KIND} %s is %s characters; the limit is %s (scp_max_chars). Statements are packed into as few policies as fit, ` +
            `so the statements it holds (%s) do not fit together in a smaller one: shorten them (fewer exempt ARNs, allowed_regions or custom values) or split a custom statement.", ` +
            `each.key, ${commas(`length(local.${kind}_content[each.key])`)}, ${commas("var.scp_max_chars")}, join(", ", local.${kind}_sids[each.key]))}`,
        },
        {
          condition: `\${each.value != 0 || length(local.targets) == 0 || local.${kind}_per_target <= var.scp_max_per_target}`,
          errorMessage:
            `\${format("Each target would have %d ${KIND}s (%d from this module, ${managed} and %d others); the limit is %d (scp_max_per_target). ` +
            `Turn controls off, merge custom statements, or raise scp_max_per_target if AWS raised your quota.", ` +
            `local.${kind}_per_target, local.${kind}_policy_count, ${others}, var.scp_max_per_target)}`,
        },
        {
          condition: `\${!local.${kind}_pack_overflow}`,
          errorMessage: `More ${KIND} statements than the module can pack (${count}).`,
        },
      ];
      if (kind === "scp") {
        const arnLists = [
          "exempt_principal_arns",
          "security_admin_principal_arns",
          "pipeline_principal_arns",
          "pipeline_audit_resource_arns",
        ];
        preconditions.push(
          {
            condition: `\${alltrue([for a in concat(${arnLists.map((n) => `var.${n}`).join(", ")}) : startswith(a, "arn:\${local.partition}:")])}`,
            errorMessage:
              `\${format("Every ARN of ${arnLists.join(", ")} must be in the %s partition (arn:%s:...); refused: %s.", local.partition, local.partition, ` +
              `jsonencode([for a in concat(${arnLists.map((n) => `var.${n}`).join(", ")}) : a if !startswith(a, "arn:\${local.partition}:")]))}`,
          },
          {
            condition: "${length(local.exemption_overlap) == 0}",
            errorMessage:
              '${format("An ARN may be in only one of exempt_principal_arns, security_admin_principal_arns and pipeline_principal_arns (break-glass covers everything the others grant); in several: %s.", jsonencode(sort(local.exemption_overlap)))}',
          },
          {
            condition: "${length(setintersection(var.target_ids, values(var.targets))) == 0}",
            errorMessage:
              '${format("A target may be named once, in target_ids or in targets; in both: %s.", jsonencode(sort(setintersection(var.target_ids, values(var.targets)))))}',
          },
        );
      } else {
        preconditions.push({
          condition: "${var.organization_id != null}",
          errorMessage: "The organization_id is required when enable_rcp is true (the data perimeter trusts that organization).",
        });
      }
      const p = new OrganizationsPolicy(this, kind, {
        name: "${each.key}",
        type: kind === "scp" ? "SERVICE_CONTROL_POLICY" : "RESOURCE_CONTROL_POLICY",
        content: `\${local.${kind}_content[each.key]}`,
        description: `\${substr(format("Guardrail ${KIND} %d of %d (org-scp module): %s.", each.value + 1, local.${kind}_policy_count, join(", ", local.${kind}_sids[each.key])), 0, 512)}`,
        tags: "${var.tags}" as any,
        lifecycle: { precondition: preconditions },
      });
      p.addOverride("for_each", `\${local.${kind}_policies}`);
      const a = new OrganizationsPolicyAttachment(this, `${kind}_attachment`, {
        policyId: `\${aws_organizations_policy.${kind}[each.value.policy].id}`,
        targetId: "${local.targets[each.value.target]}",
      });
      a.addOverride("for_each", `\${local.${kind}_attachments}`);
    };
    policy("scp", scpStatementCount);
    policy("rcp", rcpStatementCount);

    // ---- outputs -------------------------------------------------------------------------------
    this.output("ou_id", "${var.enabled && var.create_ou ? aws_organizations_organizational_unit.ou[0].id : null}");
    this.output(
      "policy_ids",
      "${merge({ for k, p in aws_organizations_policy.scp : k => p.id }, { for k, p in aws_organizations_policy.rcp : k => p.id })}",
    );
    this.output(
      "policy_sizes",
      "${merge({ for k, c in local.scp_content : k => length(c) }, { for k, c in local.rcp_content : k => length(c) })}",
    );
    this.output(
      "policy_count_per_target",
      "${{ for t in keys(local.targets) : t => { scp = local.scp_per_target, rcp = var.enable_rcp ? local.rcp_per_target : 0 } }}",
    );
    this.checkOutputsDeclared();
  }
}

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
import { statementJsonHcl } from "../../lib/policy/scp/dynamic";
import {
  controlStatements,
  OrgControl,
  OrgPolicyInputs,
  RCP_CONTROLS,
  SCP_CONTROLS,
  SECURITY_SERVICE_ACTIONS,
} from "../../lib/policy/scp/catalog";
import { customStatementsHcl, MAX_CUSTOM_STATEMENTS } from "../../lib/policy/scp/custom";
import { planPackLocals } from "../../lib/policy/scp/plan-pack";
import { defaultPolicyValues, moduleLayout, moduleLayoutProblems } from "../../lib/policy/scp/layout";
import { orgScpSpec } from "./spec";

/** The catalog's inputs as Terraform expressions of this module's variables. */
const TF_INPUTS: OrgPolicyInputs = {
  partition: tfExpr("local.partition"),
  allowedRegions: tfExpr("var.allowed_regions"),
  exemption: { arns: tfExpr("var.exempt_principal_arns"), present: { hcl: "length(var.exempt_principal_arns) > 0" } },
  exemptAssumedRoot: { hcl: "var.exempt_assumed_root" },
  securityServiceActions: tfExpr("local.security_service_actions"),
  organizationId: tfExpr("var.organization_id"),
  trustedAccounts: { ids: tfExpr("var.rcp_trusted_account_ids"), present: { hcl: "length(var.rcp_trusted_account_ids) > 0" } },
};

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
  for (const [what, toggles] of [
    ["the default inputs", {}],
    ["every control enabled", allOn],
  ] as const) {
    layout = moduleLayout({ values: defaultPolicyValues({ toggles }), maxChars: options.scpMaxChars });
    failIfProblems(`module org-scp: with ${what}, the policies do not fit the quotas`, moduleLayoutProblems(layout, limits));
  }
  return layout;
}

export class OrgScpStack extends ModuleStack {
  constructor(scope: Construct, options: GeneratorOptions) {
    super(scope, orgScpSpec(options));
    // The catalog with every control on and default inputs goes through the policy engine
    // (actions exist, Sids, size); the module renders the same statements at plan time.
    const allOn = checkDefaultQuotas(options);
    for (const p of [...allOn.scps, ...allOn.rcps]) {
      this.policyJson({
        name: `${p.name} (every control on, default inputs)`,
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
        `{ for t in var.target_ids : t => t if var.enabled })`,
    );

    // ---- statements (JSON strings), catalog order then custom ------------------------------
    const actionMap = Object.entries(SECURITY_SERVICE_ACTIONS)
      .map(([s, acts]) => `"${s}" = [${acts.map((a) => `"${a}"`).join(", ")}]`)
      .join(", ");
    local("security_service_actions", `flatten([for s in var.protected_security_services : lookup({ ${actionMap} }, s, [])])`);

    const included = (c: OrgControl) => {
      const on = [`var.enabled`, ...(c.kind === "rcp" ? ["var.enable_rcp"] : []), `var.${c.toggle}`];
      if (c.toggle === "protect_security_services") on.push("length(var.protected_security_services) > 0");
      return on.join(" && ");
    };
    const controlsHcl = (controls: readonly OrgControl[]) =>
      controls.map((c) => `${included(c)} ? [${controlStatements(c, TF_INPUTS).map(statementJsonHcl).join(", ")}] : []`);
    const scpStatementCount = SCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0) + MAX_CUSTOM_STATEMENTS;
    const rcpStatementCount = RCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0);

    local(
      "scp_statements",
      `concat(${[
        ...controlsHcl(SCP_CONTROLS),
        `var.enabled ? ${customStatementsHcl("custom_statements", "var.exempt_principal_arns", "length(var.exempt_principal_arns) > 0")} : []`,
      ].join(", ")})`,
    );
    local("rcp_statements", `concat(${controlsHcl(RCP_CONTROLS).join(", ")})`);

    // ---- plan-time packing (first-fit decreasing on the actual sizes) ---------------------
    for (const [kind, count] of [
      ["scp", scpStatementCount],
      ["rcp", rcpStatementCount],
    ] as const) {
      const locals = planPackLocals({
        prefix: kind,
        sizes: `[for s in local.${kind}_statements : length(s)]`,
        maxChars: "var.scp_max_chars",
        maxItems: count,
      });
      for (const [name, expr] of Object.entries(locals)) local(name, expr);
      local(`${kind}_policies`, `{ for b in range(local.${kind}_policy_count) : format("%s-${kind}-%d", var.name_prefix, b + 1) => b }`);
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
    local("rcp_per_target", "local.rcp_policy_count + 1");

    // ---- policies and attachments ------------------------------------------------------------
    const policy = (kind: "scp" | "rcp", count: number) => {
      const KIND = kind.toUpperCase();
      const managed = kind === "scp" ? "FullAWSAccess" : "RCPFullAWSAccess";
      const others = kind === "scp" ? "var.other_scps_per_target" : "0";
      const preconditions = [
        {
          condition: `\${length(local.${kind}_content[each.key]) <= var.scp_max_chars}`,
          errorMessage:
            `\${format("${KIND} %s is %s characters; the limit is %s (scp_max_chars). Statements are packed into as few policies as fit, ` +
            `so a single statement (%s) is larger than a whole policy: shorten it (fewer exempt_principal_arns, allowed_regions or custom values).", ` +
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
        preconditions.push({
          condition: `\${alltrue([for a in var.exempt_principal_arns : startswith(a, "arn:\${local.partition}:")])}`,
          errorMessage: `\${format("Every entry of exempt_principal_arns must be in the %s partition (arn:%s:iam::...).", local.partition, local.partition)}`,
        });
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

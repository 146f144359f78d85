import { hclStrings } from "../../lib/policy/render";
import { Construct } from "constructs";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { TerraformLocal, Token } from "../../lib/cdktf";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { globalServiceActions, GLOBAL_REGION } from "../../lib/policy/global-services";
import {
  CLOUDFRONT_DEPENDENCY_ACTIONS,
  CONTROL_TOWER_ROLES,
  SCP_HOME_COUNT,
  SECURITY_SERVICE_ACTIONS,
} from "../../lib/policy/scp/controls";
import { planTimePlacementLocals } from "../../lib/policy/scp/plan-time-placement";
import { checkDefaultQuotas, rcpItemsHcl, RCP_STATEMENT_COUNT, scpItemsHcl, SCP_STATEMENT_COUNT } from "./policies";
import { orgScpSpec } from "./spec";

type Kind = "scp" | "rcp";
type Precondition = { condition: string; errorMessage: string };

/** HCL: 5120 -> "5,120" (numbers below 1,000,000). */
const commas = (n: string) => `replace(replace(format("%d", ${n}), "/(\\\\d)(\\\\d{3})$/", "$1,$2"), "/(\\\\d)(\\\\d{3}),/", "$1,$2,")`;

/** The exempt ARN lists the caller writes, each refused outside the module's partition. */
const EXEMPT_ARN_LISTS = [
  "exempt_principal_arns",
  "security_admin_principal_arns",
  "pipeline_principal_arns",
  "pipeline_audit_resource_arns",
];

/**
 * The org-scp module, in the order of its README: the policies checked at synth time, the
 * targets, the exemption classes, the region deny's inputs, the statements, their plan-time
 * placement into policies, the policies and their attachments, the outputs. Each section is a
 * private method on this stack (never a child construct, which would move the pinned addresses).
 */
export class OrgScpStack extends ModuleStack {
  constructor(scope: Construct, options: GeneratorOptions) {
    super(scope, orgScpSpec(options));
    this.registerRepresentativePolicies(options);
    this.partitionLocal();
    this.targets();
    this.exemptionClasses();
    this.regionDenyLocals();
    this.statementLocals();
    this.placementLocals("scp", SCP_STATEMENT_COUNT, SCP_HOME_COUNT);
    this.placementLocals("rcp", RCP_STATEMENT_COUNT, 0);
    // Policies on each target as the per-target quota counts them: the module's, the AWS-managed
    // full-access one and the caller's others.
    this.addLocal("scp_per_target", "local.scp_policy_count + 1 + var.other_scps_per_target");
    this.addLocal("rcp_per_target", "local.rcp_policy_count + 1 + var.other_rcps_per_target");
    this.policiesAndAttachments("scp", [...this.sizePreconditions("scp", SCP_STATEMENT_COUNT), ...this.scpInputPreconditions()]);
    this.policiesAndAttachments("rcp", [...this.sizePreconditions("rcp", RCP_STATEMENT_COUNT), ...this.rcpInputPreconditions()]);
    this.outputs();
    this.checkOutputsDeclared();
  }

  /** A Terraform local of an HCL expression (without `${}`). */
  private addLocal(name: string, expression: string): TerraformLocal {
    return new TerraformLocal(this, name, `\${${expression}}`);
  }

  /**
   * The catalog with every control on and representative inputs goes through the policy engine
   * (actions exist, Sids, size); the module renders the same statements at plan time.
   */
  private registerRepresentativePolicies(options: GeneratorOptions): void {
    const representative = checkDefaultQuotas(options);
    for (const p of [...representative.scps, ...representative.rcps]) {
      this.policyJson({
        name: `${p.name} (representative organization)`,
        kind: p.name.includes("-rcp-") ? "rcp" : "scp",
        document: p.document,
      });
    }
  }

  private partitionLocal(): void {
    new DataAwsPartition(this, "current", {});
    this.addLocal("partition", "data.aws_partition.current.partition");
  }

  /** The optional OU and every target the policies attach to, by a key known at plan. */
  private targets(): void {
    new OrganizationsOrganizationalUnit(this, "ou", {
      count: Token.asNumber("${var.enabled && var.create_ou ? 1 : 0}"),
      name: "${var.ou_name}",
      parentId: "${var.parent_id}",
      tags: Token.asStringMap("${var.tags}"),
      lifecycle: {
        precondition: [{ condition: "${var.parent_id != null}", errorMessage: "The parent_id is required when create_ou is true." }],
      },
    });
    this.addLocal(
      "targets",
      `merge({ for k, v in { created_ou = try(aws_organizations_organizational_unit.ou[0].id, null) } : k => v if var.enabled && var.create_ou }, ` +
        `{ for t in var.target_ids : t => t if var.enabled }, { for k, t in var.targets : k => t if var.enabled })`,
    );
  }

  /** Who each control exempts: break-glass everywhere, security administrators and pipelines where their class allows. */
  private exemptionClasses(): void {
    const automation = `[for r in var.exempt_organization_automation_roles : "arn:\${local.partition}:iam::*:role/\${r}"]`;
    const controlTower = `var.control_tower_compatible ? [for r in ${hclStrings(CONTROL_TOWER_ROLES)} : "arn:\${local.partition}:iam::*:role/\${r}"] : []`;
    this.addLocal("exempt_break_glass", `distinct(concat(var.exempt_principal_arns, ${automation}, ${controlTower}))`);
    this.addLocal(
      "pipelines_have_audit_resources",
      "length(var.pipeline_principal_arns) > 0 && length(var.pipeline_audit_resource_arns) > 0",
    );
    this.addLocal(
      "exempt_security_services",
      "distinct(concat(local.exempt_break_glass, var.security_admin_principal_arns, local.pipelines_have_audit_resources ? var.pipeline_principal_arns : []))",
    );
    this.addLocal("exempt_security_admins", "distinct(concat(local.exempt_break_glass, var.security_admin_principal_arns))");
    this.addLocal("exempt_pipelines", "distinct(concat(local.exempt_break_glass, var.pipeline_principal_arns))");
    this.addLocal(
      "exemption_overlap",
      "setunion(setintersection(var.exempt_principal_arns, var.security_admin_principal_arns), setintersection(var.exempt_principal_arns, var.pipeline_principal_arns), setintersection(var.security_admin_principal_arns, var.pipeline_principal_arns))",
    );
  }

  /** What the region deny leaves out: the global services, and the CloudFront dependencies when opted in. */
  private regionDenyLocals(): void {
    this.addLocal("cloudfront_dependencies", `var.allow_cloudfront_dependencies && !contains(var.allowed_regions, "${GLOBAL_REGION}")`);
    this.addLocal(
      "region_deny_not_actions",
      `concat(${hclStrings(globalServiceActions())}, local.cloudfront_dependencies ? ${hclStrings(CLOUDFRONT_DEPENDENCY_ACTIONS)} : [])`,
    );
  }

  /** The statements as `{ s = JSON, h = home policy }` items, catalog order then custom (policies.ts renders them). */
  private statementLocals(): void {
    const actionMap = Object.entries(SECURITY_SERVICE_ACTIONS)
      .map(([s, acts]) => `"${s}" = ${hclStrings(acts)}`)
      .join(", ");
    this.addLocal("security_service_actions", `flatten([for s in var.protected_security_services : lookup({ ${actionMap} }, s, [])])`);
    this.addLocal("scp_items", scpItemsHcl());
    this.addLocal("rcp_items", rcpItemsHcl());
  }

  /**
   * Plan-time stable placement of one kind's statements into policies (see plan-time-placement.ts), then
   * each policy's name, content, Sids and attachments to every target.
   */
  private placementLocals(kind: Kind, count: number, homeCount: number): void {
    this.addLocal(`${kind}_statements`, `[for x in local.${kind}_items : x.s]`);
    const locals = planTimePlacementLocals({
      prefix: kind,
      sizes: `[for s in local.${kind}_statements : length(s)]`,
      homes: `[for x in local.${kind}_items : x.h]`,
      homeCount,
      maxChars: "var.scp_max_chars",
      maxItems: count,
    });
    for (const [name, expr] of Object.entries(locals)) this.addLocal(name, expr);
    this.addLocal(`${kind}_policies`, `{ for b in local.${kind}_policy_indexes : format("%s-${kind}-%d", var.name_prefix, b + 1) => b }`);
    this.addLocal(`${kind}_policy_count`, `length(local.${kind}_policy_indexes)`);
    this.addLocal(
      `${kind}_content`,
      `{ for name, b in local.${kind}_policies : name => jsonencode({ Statement = [for i, s in local.${kind}_statements : jsondecode(s) if local.${kind}_assignment[i] == b], Version = "2012-10-17" }) }`,
    );
    this.addLocal(
      `${kind}_sids`,
      `{ for name, b in local.${kind}_policies : name => [for i, s in local.${kind}_statements : try(jsondecode(s).Sid, "?") if local.${kind}_assignment[i] == b] }`,
    );
    this.addLocal(
      `${kind}_attachments`,
      `{ for pair in setproduct(keys(local.${kind}_policies), keys(local.targets)) : format("%s/%s", pair[0], pair[1]) => { policy = pair[0], target = pair[1] } }`,
    );
  }

  /** Refuses a policy over the size quota, targets over the per-target quota, and more statements than the placement unrolls. */
  private sizePreconditions(kind: Kind, count: number): Precondition[] {
    const KIND = kind.toUpperCase();
    const managed = kind === "scp" ? "FullAWSAccess" : "RCPFullAWSAccess";
    const others = kind === "scp" ? "var.other_scps_per_target" : "var.other_rcps_per_target";
    return [
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
  }

  /** The SCPs' input checks that need more than one variable: partition of the ARNs, one class per ARN, one name per target. */
  private scpInputPreconditions(): Precondition[] {
    const all = `concat(${EXEMPT_ARN_LISTS.map((n) => `var.${n}`).join(", ")})`;
    return [
      {
        condition: `\${alltrue([for a in ${all} : startswith(a, "arn:\${local.partition}:")])}`,
        errorMessage:
          `\${format("Every ARN of ${EXEMPT_ARN_LISTS.join(", ")} must be in the %s partition (arn:%s:...); refused: %s.", local.partition, local.partition, ` +
          `jsonencode([for a in ${all} : a if !startswith(a, "arn:\${local.partition}:")]))}`,
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
    ];
  }

  /** The RCP needs the organization its data perimeter trusts. */
  private rcpInputPreconditions(): Precondition[] {
    return [
      {
        condition: "${var.organization_id != null}",
        errorMessage: "The organization_id is required when enable_rcp is true (the data perimeter trusts that organization).",
      },
    ];
  }

  /** One policy resource per placed policy and one attachment per policy and target. */
  private policiesAndAttachments(kind: Kind, preconditions: Precondition[]): void {
    const KIND = kind.toUpperCase();
    const p = new OrganizationsPolicy(this, kind, {
      name: "${each.key}",
      type: kind === "scp" ? "SERVICE_CONTROL_POLICY" : "RESOURCE_CONTROL_POLICY",
      content: `\${local.${kind}_content[each.key]}`,
      description: `\${substr(format("Guardrail ${KIND} %d of %d (org-scp module): %s.", each.value + 1, local.${kind}_policy_count, join(", ", local.${kind}_sids[each.key])), 0, 512)}`,
      tags: Token.asStringMap("${var.tags}"),
      lifecycle: { precondition: preconditions },
    });
    p.addOverride("for_each", `\${local.${kind}_policies}`);
    const a = new OrganizationsPolicyAttachment(this, `${kind}_attachment`, {
      policyId: `\${aws_organizations_policy.${kind}[each.value.policy].id}`,
      targetId: "${local.targets[each.value.target]}",
    });
    a.addOverride("for_each", `\${local.${kind}_attachments}`);
  }

  private outputs(): void {
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
  }
}

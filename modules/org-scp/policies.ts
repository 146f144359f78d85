/**
 * The org-scp module's policies, defined once: the catalog controls of lib/policy/scp, rendered
 * here as Terraform expressions of the module's variables and locals (the statements the module
 * places at plan time), and checked at synth time with concrete worst-case inputs (the same
 * controls, sized and validated by the policy engine).
 *
 * No cdktf import: the stack (stack.ts) turns these expressions into locals and resources, and the
 * pure tests call the synth-time check directly.
 */
import { GeneratorOptions } from "../../lib/config";
import { failIfProblems } from "../../lib/errors";
import { tfExpr } from "../../lib/policy/render";
import { GLOBAL_REGION } from "../../lib/policy/global-services";
import { OrgControl, OrgPolicyInputs, RCP_CONTROLS, SCP_CONTROLS, controlStatements } from "../../lib/policy/scp/controls";
import { customStatementsHcl, MAX_CUSTOM_STATEMENTS } from "../../lib/policy/scp/custom";
import { flagHcl, statementJsonHcl } from "../../lib/policy/scp/dynamic";
import { defaultPolicyValues, moduleLayout, moduleLayoutProblems, representativeValues } from "../../lib/policy/scp/layout";

const present = (list: string) => ({ hcl: `length(${list}) > 0` });
const exemption = (list: string) => ({ arns: tfExpr(list), present: present(list) });
const optional = (list: string) => ({ list: tfExpr(list), present: present(list) });

/** The controls' inputs as Terraform expressions of this module's variables and locals (stack.ts declares the locals). */
export const TF_INPUTS: OrgPolicyInputs = {
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

/** Most SCP statements the module places: every catalog statement and the most custom statements allowed. */
export const SCP_STATEMENT_COUNT = SCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0) + MAX_CUSTOM_STATEMENTS;
/** Most RCP statements the module places: every catalog statement. */
export const RCP_STATEMENT_COUNT = RCP_CONTROLS.reduce((n, c) => n + c.sids.length, 0);

/** HCL: whether a control's statements are in the module (module on, RCPs on for an RCP control, its toggle on). */
function included(c: OrgControl): string {
  const on = [`var.enabled`, ...(c.kind === "rcp" ? ["var.enable_rcp"] : []), `var.${c.toggle}`];
  if (c.toggle === "protect_security_services") on.push("length(var.protected_security_services) > 0");
  return on.join(" && ");
}

/**
 * HCL, one per control: the list of its statements present with the module's inputs, each as
 * `{ s = <statement JSON>, h = <home policy> }` (a gated statement only when its flag holds).
 */
function controlItemsHcl(controls: readonly OrgControl[]): string[] {
  return controls.map((c) => {
    const items = controlStatements(c, TF_INPUTS).map((g) => {
      const item = `{ s = ${statementJsonHcl(g.statement)}, h = ${c.home} }`;
      return g.when === true ? `[${item}]` : `${flagHcl(g.when)} ? [${item}] : []`;
    });
    return `${included(c)} ? concat(${items.join(", ")}) : []`;
  });
}

/** HCL of the SCP statement items: the catalog in order, then the custom statements (no home policy). */
export function scpItemsHcl(): string {
  const custom = customStatementsHcl("custom_statements", "local.exempt_break_glass", "length(local.exempt_break_glass) > 0");
  return `concat(${[...controlItemsHcl(SCP_CONTROLS), `var.enabled ? [for s in ${custom} : { s = s, h = -1 }] : []`].join(", ")})`;
}

/** HCL of the RCP statement items, in catalog order. */
export function rcpItemsHcl(): string {
  return `concat(${controlItemsHcl(RCP_CONTROLS).join(", ")})`;
}

/**
 * Checks the defaults at synth time: the catalog with the default inputs, with every control on,
 * and with a representative organization must fit the generator's quotas (scpMaxChars,
 * scpMaxPerTarget). Returns the representative organization's layout (the last one checked).
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

/**
 * The Terraform references the iam-baseline policies are built from: placeholders (tfExpr) for
 * the pure statement builders of lib/policy/iam, with the condition under which each optional
 * value is present. The names are the module's inputs and locals (stack.ts declares the locals).
 * Pure: no cdktf import.
 */
import { tfExpr } from "../../lib/policy/render";
import { ENVIRONMENT_PERSONAS } from "../../lib/policy/iam/personas";
import { IamRefs, PersonaDynamics } from "../../lib/policy/iam/statements";

export const REFS: IamRefs = {
  partition: tfExpr("local.partition"),
  accountId: tfExpr("var.account_id"),
  namePrefix: tfExpr("var.name_prefix"),
  allowedRegions: tfExpr("var.allowed_regions"),
  stsRegions: tfExpr("local.sts_regions"),
  workloadRolePrefix: tfExpr("var.workload_role_name_prefix"),
  ownerTagKey: tfExpr("var.owner_tag_key"),
  deployNamePrefix: tfExpr("local.deploy_name_prefix"),
};

/** A list-valued reference and the HCL condition under which it is non-empty. */
export const dyn = (value: string, when: string) => ({ value: tfExpr(value), when });

/** A list-valued reference, present while the list is non-empty. */
export const nonEmpty = (value: string) => dyn(value, `length(${value}) > 0`);

/** Persona dynamics as Terraform expressions (the locals of stack.ts). */
export function personaDynamics(persona: string): PersonaDynamics {
  const d: { -readonly [K in keyof PersonaDynamics]: PersonaDynamics[K] } = {};
  if ((ENVIRONMENT_PERSONAS as readonly string[]).includes(persona)) d.assumableRoleArns = nonEmpty(`local.assumable_role_arns.${persona}`);
  if (persona === "automation") Object.assign(d, deployDynamics());
  if (persona === "engineer" || persona === "analyst") {
    d.productionTagValues = nonEmpty("local.production_names_in_account");
    d.tagKey = tfExpr("var.environment_tag_key");
  }
  return d;
}

/** What the automation persona and the deploy level may deploy, pass and must not read. */
export function deployDynamics(): PersonaDynamics {
  return {
    artifactObjectArns: nonEmpty("local.artifact_object_arns"),
    passRoleArns: nonEmpty("var.deploy_permissions.pass_role_arns"),
    lakeArns: nonEmpty("local.lake_all_arns"),
  };
}

/** HCL boolean over an environment role (`each.value`): its level changes compute (owned-compute rule). */
export const OWNED_COMPUTE_ROLE = `contains(["full", "operate", "operate_prod"], each.value.level)`;

export const ENV_DYNAMICS = {
  productionTagValues: nonEmpty("local.production_environment_names"),
  tagKey: tfExpr("var.environment_tag_key"),
};

/** The deploy identities an automation role trusts (`r` is the role's entry of local.environment_roles). */
export const AUTOMATION_TRUST_PRINCIPALS = `concat(["arn:\${local.partition}:iam::\${r.trusted_account_id}:role/\${local.github_role_name}"], [for u in distinct(var.trusted_automation_user_names) : "arn:\${local.partition}:iam::\${r.trusted_account_id}:user/\${u}"])`;

/** The trusted account of an environment role (`r`, as above). */
export const ROLE_TRUSTED_ACCOUNT = "r.trusted_account_id";

/**
 * The iam-baseline policies as plain data: every statement list the module renders (modulePolicies),
 * the documents handed both to Terraform and to the policy engine (policyDocument), and the
 * worst-case value of a statement list whose statements Terraform includes under conditions
 * (StatementLists). Pure: no cdktf import, so the policy tests run without a synth.
 */
import { exprOf, nonWhitespaceLength, tfExpr } from "../../lib/policy/render";
import { ENVIRONMENT_LEVELS, LAKE_PERSONAS, PERSONAS } from "../../lib/policy/iam/personas";
import { isOptional, PolicyItem, policyData, resolvePolicy } from "../../lib/policy/iam/policy-items";
import {
  automationRoleTrust,
  environmentLevelStatements,
  guardrailStatements,
  humanRoleTrust,
  lakeStatements,
  lockdownStatements,
  personaStatements,
  selfServiceStatements,
  workloadBoundaryGuardStatements,
  workloadBoundaryStatements,
} from "../../lib/policy/iam/statements";
import { PolicyDocument, Statement } from "../../lib/policy/types";
import {
  AUTOMATION_TRUST_PRINCIPALS,
  deployDynamics,
  dyn,
  ENV_DYNAMICS,
  nonEmpty,
  personaDynamics,
  OWNED_COMPUTE_ROLE,
  REFS,
  ROLE_TRUSTED_ACCOUNT,
} from "./references";
import { chunkPolicies } from "./sizing";

export interface ModulePolicies {
  /** Per persona: its managed policies, each a list of statement items (split to fit the quota). */
  readonly persona: Record<string, PolicyItem[][]>;
  /** Per environment access level: its managed policies, as above. */
  readonly environment: Record<string, PolicyItem[][]>;
  readonly selfService: PolicyItem[];
  readonly lake: Record<string, PolicyItem[]>;
  readonly lockdown: PolicyItem[];
  readonly lockdownAdmin: PolicyItem[];
  readonly groupGuardrails: PolicyItem[];
  readonly roleGuardrails: PolicyItem[];
  readonly workloadBoundary: PolicyItem[];
  readonly workloadBoundaryGuard: PolicyItem[];
}

/** Every statement list the module renders from the persona catalog (exported for unit tests). */
export function modulePolicies(): ModulePolicies {
  const persona: Record<string, PolicyItem[][]> = {};
  for (const p of PERSONAS) persona[p] = chunkPolicies(personaStatements(p, REFS, personaDynamics(p)), `persona ${p}`);
  const environment: Record<string, PolicyItem[][]> = {};
  for (const level of ENVIRONMENT_LEVELS)
    environment[level] = chunkPolicies(
      environmentLevelStatements(level, REFS, ENV_DYNAMICS, deployDynamics()),
      `environment level ${level}`,
    );
  const lake: Record<string, PolicyItem[]> = {};
  for (const p of LAKE_PERSONAS)
    lake[p] = lakeStatements(REFS, {
      readBucketArns: tfExpr(`local.lake_read_bucket_arns.${p}`),
      readObjectArns: tfExpr(`[for a in local.lake_read_bucket_arns.${p} : "\${a}/*"]`),
      writeObjectArns: nonEmpty(`local.lake_write_object_arns.${p}`),
      requireEncryptionHeader: "var.lake_access.require_encryption_header",
    });
  const lockdown = {
    denyAll: "var.lockdown.enabled",
    revokeBefore: dyn("var.lockdown.revoke_sessions_issued_before", "var.lockdown.revoke_sessions_issued_before != null"),
  };
  const protectedArns = nonEmpty("local.protected_bucket_arns");
  return {
    persona,
    environment,
    selfService: selfServiceStatements(REFS, "var.allow_password_change_without_mfa"),
    lake,
    lockdown: lockdownStatements(lockdown),
    lockdownAdmin: lockdownStatements(lockdown, true),
    groupGuardrails: guardrailStatements(REFS, { protectedArns }),
    roleGuardrails: guardrailStatements(REFS, {
      protectedArns,
      ownedCompute: OWNED_COMPUTE_ROLE,
      sharedAccount: `local.shared_account_environments && !each.value.production && each.value.persona != "automation"`,
      environment: tfExpr("each.value.environment"),
      tagKey: tfExpr("var.environment_tag_key"),
    }),
    workloadBoundary: workloadBoundaryStatements(protectedArns, REFS, {
      tagKey: tfExpr("var.environment_tag_key"),
      sharedAccount: "local.shared_account_environments",
      productionNames: tfExpr("local.production_names_in_account"),
    }),
    workloadBoundaryGuard: workloadBoundaryGuardStatements(REFS),
  };
}

/** The trust policy of the people's environment roles (`r`: the role's entry of local.environment_roles). */
export function humanEnvironmentRoleTrust(): PolicyDocument {
  return humanRoleTrust(REFS, tfExpr(ROLE_TRUSTED_ACCOUNT), tfExpr("tostring(var.role_max_mfa_age_seconds)"));
}

/** The trust policy of the automation environment roles: the deploy role and the trusted automation users. */
export function automationEnvironmentRoleTrust(): PolicyDocument {
  return automationRoleTrust(REFS, tfExpr(ROLE_TRUSTED_ACCOUNT), tfExpr(AUTOMATION_TRUST_PRINCIPALS));
}

/**
 * The statements of a policy at its worst case: every optional statement present, except that of
 * two alternatives (conditions `c` and `!(c)`, never true together) only the larger side is kept.
 */
export function worstCaseStatements(items: readonly PolicyItem[], substitute: (expression: string) => unknown): Statement[] {
  const conditions = new Set(items.filter(isOptional).map((i) => i.when));
  const sizeWhen = (when: string) =>
    nonWhitespaceLength(
      resolvePolicy(
        items.filter((i) => isOptional(i) && i.when === when),
        substitute,
      ).Statement,
    );
  const absent = new Set<string>();
  for (const when of conditions) {
    const negated = `!(${when})`;
    if (!conditions.has(negated)) continue;
    absent.add(sizeWhen(when) >= sizeWhen(negated) ? negated : when);
  }
  return resolvePolicy(items, substitute, (when) => !absent.has(when)).Statement;
}

/**
 * The policies of a module whose statements Terraform includes under plan-time conditions. A
 * document rendered here holds its statement list as one Terraform expression
 * (`flatten([(<when> ? [<statement>] : []), ...])`); `worstCase` gives that expression's value for
 * the policy engine: the statements of worstCaseStatements, resolved with the same substitute.
 */
export class StatementLists {
  private readonly byExpression = new Map<string, readonly PolicyItem[]>();

  /** The document Terraform renders (with jsonencode) and the engine checks. */
  document(items: readonly PolicyItem[], opts: { allowAllOptional?: boolean } = {}): PolicyDocument {
    if (!opts.allowAllOptional && items.length > 0 && items.every(isOptional))
      throw new Error("a policy of optional statements only could render an empty Statement list; add a fixed statement");
    // Placeholders stand in for values in policy data (render.ts): here the whole statement list.
    const data = policyData(items) as PolicyDocument;
    const expression = exprOf(data.Statement);
    if (expression !== undefined) this.byExpression.set(expression, items);
    return data;
  }

  /** The worst-case value of a statement-list expression rendered here, else undefined. */
  worstCase(expression: string, substitute: (expression: string) => unknown): Statement[] | undefined {
    const items = this.byExpression.get(expression);
    return items && worstCaseStatements(items, substitute);
  }
}

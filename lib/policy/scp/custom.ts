/**
 * Custom SCP statements: a typed Terraform variable (list of objects), its validation rules,
 * the HCL that turns each entry into a statement JSON string at plan time, and the same
 * conversion in TypeScript (for sizing and tests).
 *
 * Custom statements are Deny statements (FullAWSAccess stays attached, so an Allow would add
 * nothing). Each carries the break-glass exemption unless `exempt = false`.
 *
 * Pure: no cdktf import.
 */
import type { VariableValidation } from "../../module-interface";
import type { Statement } from "../types";
import { EXEMPTION_KEY } from "./dynamic";
import { hclStrings } from "../render";

/** The unrolled plan-time packing places at most this many custom statements. */
export const MAX_CUSTOM_STATEMENTS = 50;

export const CUSTOM_STATEMENT_TYPE = `list(object({
    sid           = string
    actions       = optional(list(string))
    not_actions   = optional(list(string))
    resources     = optional(list(string))
    not_resources = optional(list(string))
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
    exempt = optional(bool, true)
  }))`;

export interface CustomCondition {
  test: string;
  variable: string;
  values: string[];
}

/** One entry of the custom_statements variable (snake_case as in Terraform). */
export interface CustomStatement {
  sid: string;
  actions?: string[];
  not_actions?: string[];
  resources?: string[];
  not_resources?: string[];
  conditions?: CustomCondition[];
  exempt?: boolean;
}

const OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnNotEquals",
  "ArnLike",
  "ArnNotLike",
];
/** IAM condition operators: optional ForAllValues:/ForAnyValue:, optional IfExists; or Null. */
export const CONDITION_OPERATOR_REGEX = `^((ForAllValues:|ForAnyValue:)?(${OPERATORS.join("|")})(IfExists)?|Null)$`;
export const ACTION_REGEX = "^([*]|[a-zA-Z0-9-]+:[A-Za-z0-9*?]+)$";
export const RESOURCE_REGEX = "^([*]|arn:.+)$";
export const CONDITION_KEY_REGEX = "^[A-Za-z0-9.-]+:.+$";
export const SID_REGEX = "^[A-Za-z0-9]{1,100}$";

/** Validation blocks of the custom statements variable named `name`. */
export function customStatementValidations(name: string, reservedSids: readonly string[]): VariableValidation[] {
  const v = `var.${name}`;
  return [
    {
      condition: `length(${v}) <= ${MAX_CUSTOM_STATEMENTS}`,
      message: `The ${name} list may hold at most ${MAX_CUSTOM_STATEMENTS} statements.`,
    },
    {
      condition: `alltrue([for s in ${v} : can(regex("${SID_REGEX}", s.sid))]) && length(distinct([for s in ${v} : s.sid])) == length(${v})`,
      message: `Every entry of ${name} needs a unique sid of 1 to 100 letters and digits.`,
    },
    {
      condition: `length(setintersection([for s in ${v} : lower(s.sid)], ${hclStrings(reservedSids.map((s) => s.toLowerCase()))})) == 0`,
      message: `The sid of an entry of ${name} must not reuse a catalog statement id (${reservedSids.join(", ")}).`,
    },
    {
      condition: `alltrue([for s in ${v} : (s.actions == null) != (s.not_actions == null) && length(coalesce(s.actions, s.not_actions, [])) > 0])`,
      message: `Every entry of ${name} must set exactly one of actions or not_actions, with at least one action.`,
    },
    {
      condition: `alltrue(flatten([for s in ${v} : [for a in concat(coalesce(s.actions, []), coalesce(s.not_actions, [])) : can(regex("${ACTION_REGEX}", a))]]))`,
      message: `Every action in ${name} must look like service:Action (wildcards * and ? allowed in the action name) or be "*".`,
    },
    {
      condition: `alltrue([for s in ${v} : s.resources == null || s.not_resources == null])`,
      message: `An entry of ${name} may set resources or not_resources, not both (neither means all resources).`,
    },
    {
      condition: `alltrue(flatten([for s in ${v} : [for r in concat(coalesce(s.resources, ["*"]), coalesce(s.not_resources, ["*"])) : can(regex("${RESOURCE_REGEX}", r))]])) && alltrue([for s in ${v} : length(coalesce(s.resources, ["*"])) > 0 && length(coalesce(s.not_resources, ["*"])) > 0])`,
      message: `Every resource in ${name} must be "*" or an ARN (arn:...), and resource lists must not be empty.`,
    },
    {
      condition: `alltrue(flatten([for s in ${v} : [for c in s.conditions : can(regex("${CONDITION_OPERATOR_REGEX}", c.test)) && can(regex("${CONDITION_KEY_REGEX}", c.variable)) && length(c.values) > 0]]))`,
      message: `Every condition in ${name} needs an IAM condition operator as test (e.g. StringNotEquals, ArnNotLikeIfExists, Null), a condition key as variable (e.g. aws:RequestedRegion) and at least one value.`,
    },
  ];
}

/**
 * HCL of the list of custom statements as JSON strings. `exemptArns` / `exemptPresent` are the
 * HCL of the exemption list and of its non-emptiness. Conditions with the same operator are
 * grouped; values of a repeated operator/key pair are concatenated.
 */
export function customStatementsHcl(name: string, exemptArns: string, exemptPresent: string): string {
  const conds = `concat(s.conditions, s.exempt && ${exemptPresent} ? [{ test = "ArnNotLike", variable = "${EXEMPTION_KEY}", values = ${exemptArns} }] : [])`;
  const grouped =
    `{ for t in distinct([for c in ${conds} : c.test]) : t => ` +
    `{ for key, vals in { for c in ${conds} : c.variable => c.values... if c.test == t } : key => flatten(vals) } }`;
  return (
    `[for s in var.${name} : jsonencode({ for k, v in {` +
    ` Sid = s.sid, Effect = "Deny", Action = s.actions, NotAction = s.not_actions,` +
    ` Resource = s.not_resources == null ? coalesce(s.resources, ["*"]) : null, NotResource = s.not_resources,` +
    ` Condition = length(${conds}) > 0 ? ${grouped} : null` +
    ` } : k => v if v != null })]`
  );
}

/** The statement an entry becomes (same as the HCL above), with the exemption applied. */
export function customToStatement(c: CustomStatement, exemptArns: readonly string[]): Statement {
  const conds = [...(c.conditions ?? [])];
  if ((c.exempt ?? true) && exemptArns.length) conds.push({ test: "ArnNotLike", variable: EXEMPTION_KEY, values: [...exemptArns] });
  const stmt: Statement = { Sid: c.sid, Effect: "Deny" };
  if (c.actions) stmt.Action = c.actions;
  if (c.not_actions) stmt.NotAction = c.not_actions;
  if (c.not_resources) stmt.NotResource = c.not_resources;
  else stmt.Resource = c.resources ?? ["*"];
  if (conds.length) {
    const Condition: Record<string, Record<string, string[]>> = {};
    for (const x of conds) {
      Condition[x.test] ??= {};
      Condition[x.test][x.variable] = [...(Condition[x.test][x.variable] ?? []), ...x.values];
    }
    stmt.Condition = Condition;
  }
  return stmt;
}

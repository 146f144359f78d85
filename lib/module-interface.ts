/**
 * One declaration of a module's interface. The same objects drive the Terraform
 * JSON (variable/output blocks) and the generated README (inputs/outputs tables),
 * so the docs cannot drift from the module.
 */
import { parseHclType } from "./strict-input";

export type ModuleId = "iam-baseline" | "data-lake" | "org-scp";
export const MODULE_IDS: readonly ModuleId[] = ["iam-baseline", "data-lake", "org-scp"];

export interface VariableValidation {
  /** An HCL boolean expression (without the surrounding `${}`), e.g. `length(var.name) > 2`. */
  readonly condition: string;
  /**
   * A full sentence: names the input and the rule. The generator appends the offending value
   * (`Got: <json>.`), derived from the condition; `got` overrides that HCL expression, and
   * `got: ""` leaves the message as written (it interpolates the value itself).
   */
  readonly message: string;
  readonly got?: string;
}

export interface VariableSpec {
  readonly name: string;
  /** HCL type constraint, e.g. `list(string)` or `object({ enabled = optional(bool, true) })`. */
  readonly type: string;
  readonly description: string;
  /** Absent means the input is required. */
  readonly default?: unknown;
  /**
   * Whether null is accepted. Absent means: only when the default is null (null then means "not
   * set"); every other input is `nullable = false`, so null means "use the default" and a
   * required input refuses it.
   */
  readonly nullable?: boolean;
  readonly sensitive?: boolean;
  /**
   * Whether unknown attributes are refused (see lib/strict-input.ts). Absent means: true for every
   * type that holds an object (object, list/map of objects), false otherwise.
   */
  readonly strict?: boolean;
  readonly validations?: readonly VariableValidation[];
  /** HCL value shown in the README usage snippet (inputs without one are left out of it). */
  readonly example?: string;
  /**
   * The value the synth-time policy checks use for this input when it is larger than the default
   * (the longest name, the most entries the module accepts): policies are checked at their worst
   * case, declared here beside the input instead of in a separate table.
   */
  readonly worstCase?: unknown;
}

export interface OutputSpec {
  readonly name: string;
  readonly description: string;
  readonly sensitive?: boolean;
}

export interface ModuleSpec {
  readonly id: ModuleId;
  readonly title: string;
  /** One paragraph: what the module is for. */
  readonly purpose: string;
  readonly variables: readonly VariableSpec[];
  readonly outputs: readonly OutputSpec[];
  /**
   * Checks that read several inputs (before Terraform 1.9 a validation may read only its own
   * variable): preconditions in the generated inputs child module, checked at plan before any
   * resource. Each message names the inputs; `got` is the HCL expression of the offending value.
   */
  readonly inputChecks?: readonly VariableValidation[];
  /** Security notes rendered in the README: the secure defaults and their trade-offs. */
  readonly securityNotes: readonly string[];
  /**
   * Renamed resource addresses (`moved` blocks): a refactor that changes an address
   * must list it here, so consumers' plans move state instead of destroying and
   * recreating. Addresses are module-relative, e.g. `aws_iam_group.admin`.
   */
  readonly moved?: readonly { from: string; to: string }[];
}

const SNAKE = /^[a-z][a-z0-9_]*$/;

/** Synth-time check of a spec: snake_case, unique names, descriptions present. */
export function checkSpec(spec: ModuleSpec): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [kind, items] of [
    ["variable", spec.variables],
    ["output", spec.outputs],
  ] as const) {
    seen.clear();
    for (const item of items) {
      if (!SNAKE.test(item.name)) problems.push(`${spec.id}: ${kind} "${item.name}" must be snake_case`);
      if (seen.has(item.name)) problems.push(`${spec.id}: ${kind} "${item.name}" is declared twice`);
      seen.add(item.name);
      if (!item.description || !/[.!?]$/.test(item.description.trim()))
        problems.push(`${spec.id}: ${kind} "${item.name}" needs a description that is a sentence`);
    }
  }
  for (const v of spec.variables) {
    try {
      parseHclType(v.type);
    } catch (e) {
      problems.push(`${spec.id}: variable "${v.name}": ${(e as Error).message}`);
    }
    for (const val of v.validations ?? []) {
      if (!/^[A-Z].*[.?!]$/s.test(val.message))
        problems.push(`${spec.id}: validation message of "${v.name}" must be a sentence (capital first, period last)`);
    }
  }
  return problems;
}

/**
 * The declared value of a reference to an input (`var.<name>` or a field of it, `var.<name>.<field>`)
 * for synth-time policy checks: the input's worstCase, else its default; undefined when the
 * expression is not such a reference or the input declares no value.
 */
export function declaredInputValue(spec: Pick<ModuleSpec, "variables">, expression: string): unknown {
  const m = expression.match(/^var\.([a-z0-9_]+)((?:\.[a-z0-9_]+)*)$/);
  if (!m) return undefined;
  const input = spec.variables.find((v) => v.name === m[1]);
  let value: unknown = input?.worstCase !== undefined ? input.worstCase : input?.default;
  for (const key of m[2].split(".").filter(Boolean)) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return value ?? undefined;
}

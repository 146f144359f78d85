/**
 * S3 naming rules, once: as TypeScript checks (unit tests, synth-time checks) and as the
 * equivalent HCL boolean expressions (Terraform variable validations and preconditions on
 * the names the module computes). Pure: no cdktf import.
 *
 * Source: "General purpose bucket naming rules" and "Access points naming rules" in the
 * Amazon S3 User Guide.
 */

export interface NameRule {
  /** What the rule requires, as a phrase ("be 3-63 characters long"). */
  readonly requirement: string;
  /** True when `name` satisfies the rule. */
  readonly check: (name: string) => boolean;
  /** The same rule as an HCL boolean expression over the HCL expression `n`. */
  readonly hcl: (n: string) => string;
}

const FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** HCL string literal of a JS string (the values here contain no `${`). */
const q = (s: string) => JSON.stringify(s);

/** General purpose bucket names (the module never creates dotted names, but the rules allow dots). */
export const BUCKET_NAME_RULES: readonly NameRule[] = [
  {
    requirement: "be 3-63 characters long",
    check: (n) => n.length >= 3 && n.length <= 63,
    hcl: (n) => `length(${n}) >= 3 && length(${n}) <= 63`,
  },
  {
    requirement: "consist of lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit",
    check: (n) => /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(n),
    hcl: (n) => `can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", ${n}))`,
  },
  {
    requirement: "not contain two adjacent dots",
    check: (n) => !n.includes(".."),
    hcl: (n) => `!strcontains(${n}, "..")`,
  },
  {
    requirement: "not be formatted as an IP address",
    check: (n) => !/^\d+\.\d+\.\d+\.\d+$/.test(n),
    hcl: (n) => `!can(regex("^[0-9]+[.][0-9]+[.][0-9]+[.][0-9]+$", ${n}))`,
  },
  {
    requirement: `not start with ${FORBIDDEN_PREFIXES.join(", ")}`,
    check: (n) => !FORBIDDEN_PREFIXES.some((p) => n.startsWith(p)),
    hcl: (n) => FORBIDDEN_PREFIXES.map((p) => `!startswith(${n}, ${q(p)})`).join(" && "),
  },
  {
    requirement: `not end with ${FORBIDDEN_SUFFIXES.join(", ")}`,
    check: (n) => !FORBIDDEN_SUFFIXES.some((s) => n.endsWith(s)),
    hcl: (n) => FORBIDDEN_SUFFIXES.map((s) => `!endswith(${n}, ${q(s)})`).join(" && "),
  },
];

/** Access point names: 3-50 lowercase letters, digits and hyphens; no -s3alias suffix. */
export const ACCESS_POINT_NAME_RULES: readonly NameRule[] = [
  {
    requirement: "be 3-50 characters long",
    check: (n) => n.length >= 3 && n.length <= 50,
    hcl: (n) => `length(${n}) >= 3 && length(${n}) <= 50`,
  },
  {
    requirement: "consist of lowercase letters, digits and hyphens, and begin and end with a letter or digit",
    check: (n) => /^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(n),
    hcl: (n) => `can(regex("^[a-z0-9][a-z0-9-]*[a-z0-9]$", ${n}))`,
  },
  {
    requirement: "not start with xn-- and not end with -s3alias",
    check: (n) => !n.startsWith("xn--") && !n.endsWith("-s3alias"),
    hcl: (n) => `!startswith(${n}, "xn--") && !endswith(${n}, "-s3alias")`,
  },
];

/** Every rule `name` breaks (empty when it is valid). */
export function nameProblems(name: string, rules: readonly NameRule[]): string[] {
  return rules.filter((r) => !r.check(name)).map((r) => r.requirement);
}

/** All rules as one HCL boolean expression over the HCL expression `n`. */
export function nameRulesHcl(n: string, rules: readonly NameRule[]): string {
  return rules.map((r) => `(${r.hcl(n)})`).join(" && ");
}

/** The rules as one sentence fragment, for error messages: "be ...; ...; and ...". */
export function describeRules(rules: readonly NameRule[]): string {
  const parts = rules.map((r) => r.requirement);
  return parts.length > 1 ? `${parts.slice(0, -1).join("; ")}; and ${parts[parts.length - 1]}` : parts[0];
}

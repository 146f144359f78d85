/**
 * S3 naming rules, once: as TypeScript checks (unit tests, synth-time checks) and as the
 * equivalent HCL boolean expressions (Terraform variable validations and preconditions on
 * the names the module computes). Pure: no cdktf import.
 *
 * Source: "General purpose bucket naming rules" and "Access points naming rules" in the
 * Amazon S3 User Guide.
 */
import { NAME_LENGTHS } from "../limits";

export interface NameRule {
  /** What the rule requires, as a phrase ("be 3-63 characters long"). */
  readonly requirement: string;
  /** True when `name` satisfies the rule. */
  readonly check: (name: string) => boolean;
  /** The same rule as an HCL boolean expression over the HCL expression `n`. */
  readonly hcl: (n: string) => string;
}

/** Bucket name prefixes S3 reserves. */
export const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
/** Bucket name suffixes S3 reserves. */
export const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

const BUCKET_MIN = NAME_LENGTHS.s3BucketMin;
const BUCKET_MAX = NAME_LENGTHS.s3BucketMax;
/** Longest access point name. */
export const ACCESS_POINT_NAME_MAX_LENGTH = 50;

/** Lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit (HCL and JS regex). */
export const BUCKET_NAME_PATTERN = "^[a-z0-9][a-z0-9.-]*[a-z0-9]$";
/** The same without dots: access point names, and names the lake puts into bucket and access point names. */
export const DOTLESS_NAME_PATTERN = "^[a-z0-9][a-z0-9-]*[a-z0-9]$";

/** HCL string literal of a JS string (the values here contain no `${`). */
const q = (s: string) => JSON.stringify(s);

/** The reserved prefixes as one HCL condition over the HCL expression `n` (true when none is used). */
export function noReservedPrefixHcl(n: string): string {
  return RESERVED_BUCKET_PREFIXES.map((p) => `!startswith(${n}, ${q(p)})`).join(" && ");
}

/** General purpose bucket names (the module never creates dotted names, but the rules allow dots). */
export const BUCKET_NAME_RULES: readonly NameRule[] = [
  {
    requirement: `be ${BUCKET_MIN}-${BUCKET_MAX} characters long`,
    check: (n) => n.length >= BUCKET_MIN && n.length <= BUCKET_MAX,
    hcl: (n) => `length(${n}) >= ${BUCKET_MIN} && length(${n}) <= ${BUCKET_MAX}`,
  },
  {
    requirement: "consist of lowercase letters, digits, dots and hyphens, and begin and end with a letter or digit",
    check: (n) => new RegExp(BUCKET_NAME_PATTERN).test(n),
    hcl: (n) => `can(regex(${q(BUCKET_NAME_PATTERN)}, ${n}))`,
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
    requirement: `not start with ${RESERVED_BUCKET_PREFIXES.join(", ")}`,
    check: (n) => !RESERVED_BUCKET_PREFIXES.some((p) => n.startsWith(p)),
    hcl: noReservedPrefixHcl,
  },
  {
    requirement: `not end with ${RESERVED_BUCKET_SUFFIXES.join(", ")}`,
    check: (n) => !RESERVED_BUCKET_SUFFIXES.some((s) => n.endsWith(s)),
    hcl: (n) => RESERVED_BUCKET_SUFFIXES.map((s) => `!endswith(${n}, ${q(s)})`).join(" && "),
  },
];

/** Access point names: 3-50 lowercase letters, digits and hyphens; no -s3alias suffix. */
export const ACCESS_POINT_NAME_RULES: readonly NameRule[] = [
  {
    requirement: `be 3-${ACCESS_POINT_NAME_MAX_LENGTH} characters long`,
    check: (n) => n.length >= 3 && n.length <= ACCESS_POINT_NAME_MAX_LENGTH,
    hcl: (n) => `length(${n}) >= 3 && length(${n}) <= ${ACCESS_POINT_NAME_MAX_LENGTH}`,
  },
  {
    requirement: "consist of lowercase letters, digits and hyphens, and begin and end with a letter or digit",
    check: (n) => new RegExp(DOTLESS_NAME_PATTERN).test(n),
    hcl: (n) => `can(regex(${q(DOTLESS_NAME_PATTERN)}, ${n}))`,
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

/**
 * The policies a set of statements becomes: packed (first-fit decreasing), named
 * `<prefix>-scp-<n>` / `<prefix>-rcp-<n>`, with their minified content and size. Used at synth
 * time to check the module's defaults against the quotas, and by the tests to predict the plan.
 *
 * Pure: no cdktf import.
 */
import type { PolicyDocument, Statement } from "../types";
import { DynStatement } from "./dynamic";
import { firstFitDecreasing, layoutProblems, LayoutLimits, tfJsonLength } from "./pack";
import { OrgPolicyValues, rcpStatements, scpStatements } from "./catalog";
import { CustomStatement, customToStatement } from "./custom";

export interface PlannedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
  readonly sids: string[];
  /** Characters of the minified JSON (what AWS counts). */
  readonly length: number;
}

/** Policy documents in the form Terraform's jsonencode() writes them (keys sorted). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** Minified JSON exactly as Terraform's jsonencode() renders it (sorted keys, HTML escapes). */
export function terraformJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function packPolicies(kind: "scp" | "rcp", statements: readonly Statement[], namePrefix: string, maxChars: number): PlannedPolicy[] {
  const bins = firstFitDecreasing(statements, (s) => tfJsonLength(s), maxChars);
  return bins.map((bin, i) => {
    const document: PolicyDocument = { Version: "2012-10-17", Statement: bin.items };
    return { name: `${namePrefix}-${kind}-${i + 1}`, document, sids: bin.items.map((s) => s.Sid ?? ""), length: bin.length };
  });
}

/** Default values of the module inputs the catalog depends on. */
export function defaultPolicyValues(overrides: Partial<OrgPolicyValues> = {}): OrgPolicyValues {
  return {
    partition: "aws",
    allowedRegions: ["ap-southeast-2"],
    exemptPrincipalArns: [],
    exemptAssumedRoot: true,
    protectedSecurityServices: ["cloudtrail", "config", "guardduty", "securityhub", "access-analyzer"],
    organizationId: "o-aaaaaaaaaa",
    trustedAccountIds: [],
    toggles: {},
    ...overrides,
  };
}

export interface ModuleLayoutInput {
  values: OrgPolicyValues;
  customStatements?: readonly CustomStatement[];
  namePrefix?: string;
  maxChars: number;
}

/** The SCPs and RCPs the module plans for the given inputs. */
export function moduleLayout(input: ModuleLayoutInput): { scps: PlannedPolicy[]; rcps: PlannedPolicy[] } {
  const prefix = input.namePrefix ?? "guardrails";
  const scp = [
    ...(scpStatements(input.values) as Statement[]),
    ...(input.customStatements ?? []).map((c) => customToStatement(c, input.values.exemptPrincipalArns)),
  ];
  const rcp = rcpStatements(input.values) as Statement[];
  return { scps: packPolicies("scp", scp, prefix, input.maxChars), rcps: packPolicies("rcp", rcp, prefix, input.maxChars) };
}

/** Quota problems of a layout (empty when it fits). */
export function moduleLayoutProblems(
  layout: { scps: PlannedPolicy[]; rcps: PlannedPolicy[] },
  limits: { maxChars: number; maxPerTarget: number; otherScps?: number; sources?: { maxChars: string; maxPerTarget: string } },
): string[] {
  const common: Omit<LayoutLimits, "kind" | "managedPolicy"> = {
    maxChars: limits.maxChars,
    maxPerTarget: limits.maxPerTarget,
    maxCharsSource: limits.sources?.maxChars,
    maxPerTargetSource: limits.sources?.maxPerTarget,
  };
  return [
    ...layoutProblems(layout.scps, { ...common, kind: "SCP", managedPolicy: "FullAWSAccess", others: limits.otherScps }),
    ...layoutProblems(layout.rcps, { ...common, kind: "RCP", managedPolicy: "RCPFullAWSAccess" }),
  ];
}

export type { DynStatement };

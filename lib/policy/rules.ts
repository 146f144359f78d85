/**
 * The policy rules every module's documents pass at synth time. Each rule is a small
 * pure function over one resolved document (cdk-nag style); the engine runs the
 * table and collects every problem.
 */
import { getCatalog } from "./catalog";
import { globalServiceActions } from "./global-services";
import { asArray, PolicyDocument, PolicyKind, Statement } from "./types";
import { minified, nonWhitespaceLength } from "./render";
import {
  ACCESS_POINT_POLICY_MAX_BYTES,
  BUCKET_POLICY_MAX_BYTES,
  GROUP_INLINE_POLICY_MAX_CHARS,
  MANAGED_POLICY_MAX_CHARS,
  ROLE_INLINE_POLICY_MAX_CHARS,
  SCP_MAX_CHARS,
  TRUST_POLICY_MAX_CHARS,
} from "./limits";

export interface PolicyLimits {
  /** Characters per SCP/RCP (minified). */
  scpMaxChars: number;
}

export const DEFAULT_LIMITS: PolicyLimits = { scpMaxChars: SCP_MAX_CHARS };

/** Size rule per kind: how AWS counts, and the quota. */
export function sizeOf(kind: PolicyKind, doc: PolicyDocument): { size: number; limit: number; how: string } | undefined {
  switch (kind) {
    case "managed":
      return { size: nonWhitespaceLength(doc), limit: MANAGED_POLICY_MAX_CHARS, how: "characters without whitespace" };
    case "group-inline":
      return { size: nonWhitespaceLength(doc), limit: GROUP_INLINE_POLICY_MAX_CHARS, how: "characters without whitespace" };
    case "role-inline":
      return { size: nonWhitespaceLength(doc), limit: ROLE_INLINE_POLICY_MAX_CHARS, how: "characters without whitespace" };
    case "trust":
      return { size: nonWhitespaceLength(doc), limit: TRUST_POLICY_MAX_CHARS, how: "characters without whitespace" };
    case "bucket":
      return { size: Buffer.byteLength(minified(doc)), limit: BUCKET_POLICY_MAX_BYTES, how: "bytes" };
    case "access-point":
      return { size: Buffer.byteLength(minified(doc)), limit: ACCESS_POINT_POLICY_MAX_BYTES, how: "bytes" };
    case "scp":
    case "rcp":
      return undefined; // needs the configured limit: see sizeRule
  }
}

export interface RuleContext {
  kind: PolicyKind;
  /** Allow of `*` on `*` is permitted (the admin persona only). */
  allowFullAccess: boolean;
  limits: PolicyLimits;
}

/** A problem found by a rule: the statement it concerns (index) and what is wrong. */
export interface Finding {
  statement?: number;
  message: string;
}

export type Rule = (doc: PolicyDocument, ctx: RuleContext) => Finding[];

const SID = /^[A-Za-z0-9]+$/;

export const sidRule: Rule = (doc) => {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  doc.Statement.forEach((s, i) => {
    if (s.Sid === undefined) return;
    if (!SID.test(s.Sid)) out.push({ statement: i, message: `Sid "${s.Sid}" must be alphanumeric` });
    if (seen.has(s.Sid)) out.push({ statement: i, message: `Sid "${s.Sid}" repeats statement ${seen.get(s.Sid)}` });
    seen.set(s.Sid, i);
  });
  return out;
};

/**
 * The curated global-service list is validated against the catalog by its own test
 * (global-services.test.ts); skipping its entries here saves loading ~60 services'
 * action lists at every synth.
 */
const KNOWN_VALID = new Set(globalServiceActions().map((a) => a.toLowerCase()));
const withoutKnown = (v: string | string[] | undefined) => {
  if (v === undefined) return undefined;
  const kept = asArray(v).filter((a) => !KNOWN_VALID.has(a.toLowerCase()));
  return kept.length ? kept : ["sts:GetCallerIdentity"]; // keep the statement's shape valid
};

export const actionsExistRule: Rule = (doc) =>
  getCatalog()
    .validatePolicyActions({
      ...doc,
      Statement: doc.Statement.map((s) => ({ ...s, Action: withoutKnown(s.Action), NotAction: withoutKnown(s.NotAction) })),
    })
    .map((message) => {
      const m = message.match(/^statement\[(\d+)\]/);
      return { statement: m ? Number(m[1]) : undefined, message: message.replace(/^statement\[\d+\]( \(Sid "[^"]*"\))? ?/, "") };
    });

function isStar(p: Statement["Principal"]): boolean {
  if (p === "*") return true;
  if (p && typeof p === "object") return asArray(p.AWS).includes("*");
  return false;
}

export const publicPrincipalRule: Rule = (doc) =>
  doc.Statement.flatMap((s, i) =>
    s.Effect === "Allow" && isStar(s.Principal) && (!s.Condition || Object.keys(s.Condition).length === 0)
      ? [{ statement: i, message: 'Allow to Principal "*" without a narrowing condition makes the resource public' }]
      : [],
  );

export const fullAccessRule: Rule = (doc, ctx) =>
  ctx.allowFullAccess
    ? []
    : doc.Statement.flatMap((s, i) =>
        s.Effect === "Allow" && asArray(s.Action).includes("*") && asArray(s.Resource).includes("*")
          ? [{ statement: i, message: 'Allow of "*" on "*" is reserved for the admin persona' }]
          : [],
      );

/** IAM policy variables that may appear as ${...} in a policy. */
const POLICY_VARIABLE = /^(aws:[A-Za-z]+(\/[A-Za-z0-9_.:-]+)?|s3:[A-Za-z-]+|sts:[A-Za-z]+|[a-z0-9.-]+:(sub|aud|amr|oaud|id))$/;

export const policyVariableRule: Rule = (doc) => {
  const out: Finding[] = [];
  doc.Statement.forEach((s, i) => {
    for (const m of JSON.stringify(s).matchAll(/\$\{([^}]*)\}/g)) {
      const name = m[1].split(",")[0].trim();
      if (!POLICY_VARIABLE.test(name)) out.push({ statement: i, message: `"\${${m[1]}}" is not an IAM policy variable` });
    }
  });
  return out;
};

export const sizeRule: Rule = (doc, ctx) => {
  const s =
    ctx.kind === "scp" || ctx.kind === "rcp"
      ? { size: minified(doc).length, limit: ctx.limits.scpMaxChars, how: "characters (minified)" }
      : sizeOf(ctx.kind, doc)!;
  return s.size > s.limit ? [{ message: `${s.size} ${s.how} exceeds the ${ctx.kind} policy limit of ${s.limit}` }] : [];
};

export const emptyRule: Rule = (doc) => (doc.Statement.length === 0 ? [{ message: "has no statement" }] : []);

export const RULES: Readonly<Record<string, Rule>> = {
  "non-empty": emptyRule,
  "sid-valid-unique": sidRule,
  "actions-exist": actionsExistRule,
  "no-public-allow": publicPrincipalRule,
  "no-full-access": fullAccessRule,
  "policy-variables": policyVariableRule,
  size: sizeRule,
};

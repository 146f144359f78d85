import { parse, getExpressionAst } from "@cdktf/hcl2json";
import { findAllReferencesInAst } from "@cdktf/hcl2json/lib/references";

/**
 * Layer 3 of the harness: every string of a synthesized module is a Terraform
 * template, parsed here by HashiCorp's own HCL parser (compiled to WASM in
 * @cdktf/hcl2json), and every reference in it resolves to something declared.
 */

const DELIM = "GUARDRAIL_TEMPLATE_END";

/** `${...}` interpolations of a template (not `$${` escapes), as inner expressions. */
export function interpolations(template: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === "$" && template[i + 1] === "$" && template[i + 2] === "{") {
      i += 2; // escaped literal "$${"
      continue;
    }
    if (template[i] !== "$" || template[i + 1] !== "{") continue;
    let depth = 0;
    let j = i + 1;
    let quote = false;
    for (; j < template.length; j++) {
      const c = template[j];
      if (quote) {
        if (c === "\\") j++;
        else if (c === '"') quote = false;
        continue;
      }
      if (c === '"') quote = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) break;
    }
    out.push(
      template
        .slice(i + 2, j)
        .replace(/^~|~$/g, "")
        .trim(),
    );
    i = j;
  }
  return out;
}

/** Names a module declares, to resolve references against. */
export function declaredNames(tf: any): Set<string> {
  const names = new Set<string>();
  for (const v of Object.keys(tf.variable ?? {})) names.add(`var.${v}`);
  for (const l of Object.keys(tf.locals ?? {})) names.add(`local.${l}`);
  for (const [type, byName] of Object.entries<Record<string, unknown>>(tf.resource ?? {}))
    for (const n of Object.keys(byName)) names.add(`${type}.${n}`);
  for (const [type, byName] of Object.entries<Record<string, unknown>>(tf.data ?? {}))
    for (const n of Object.keys(byName)) names.add(`data.${type}.${n}`);
  for (const m of Object.keys(tf.module ?? {})) names.add(`module.${m}`);
  return names;
}

const BUILTIN_ROOTS = new Set(["each", "count", "self", "path", "terraform"]);

/** Problems with one template string (empty when it is valid). */
export async function checkTemplate(value: string, declared: Set<string>, where: string): Promise<string[]> {
  if (!value.includes("${") && !value.includes("%{")) return [];
  if (value.split("\n").includes(DELIM)) return [`${where}: contains the test delimiter`];
  try {
    await parse("template.tf", `v = <<${DELIM}\n${value}\n${DELIM}\n`);
  } catch (e) {
    return [`${where}: not a valid Terraform template: ${String((e as Error).message ?? e).slice(0, 400)}`];
  }
  const problems: string[] = [];
  for (const expr of interpolations(value)) {
    let refs: string[];
    try {
      const ast = await getExpressionAst("expr.tf", expr);
      refs = findAllReferencesInAst(expr, ast).map((r) => r.value);
    } catch (e) {
      problems.push(`${where}: cannot parse expression "${expr.slice(0, 80)}": ${String(e).slice(0, 200)}`);
      continue;
    }
    for (const ref of refs) {
      const parts = ref.split(".");
      if (BUILTIN_ROOTS.has(parts[0])) continue;
      const key = parts[0] === "data" ? parts.slice(0, 3).join(".") : parts.slice(0, 2).join(".");
      const name = key.replace(/\[.*$/, "");
      if (!declared.has(name)) problems.push(`${where}: reference "${ref}" does not resolve to a declared name`);
    }
  }
  return problems;
}

/** Checks every string of a synthesized module; returns all problems. */
export async function checkModuleTemplates(tf: any): Promise<string[]> {
  const declared = declaredNames(tf);
  const problems: string[] = [];
  for (const s of allStrings(tf)) problems.push(...(await checkTemplate(s.value, declared, s.path)));
  return problems;
}

/** Every string in a JSON value with its JSON path. */
export function allStrings(value: unknown, at = "$"): { path: string; value: string }[] {
  if (typeof value === "string") return [{ path: at, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${at}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [...allStrings(k, `${at}.<key>`), ...allStrings(v, `${at}.${k}`)]);
  return [];
}

/** Renders a JSON value as an HCL literal (for README usage snippets and default columns). */
export function toHcl(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, () => "$${");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((x) => typeof x !== "object" || x === null)) return `[${value.map((x) => toHcl(x)).join(", ")}]`;
    return `[\n${value.map((x) => inner + toHcl(x, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)} = ${toHcl(v, inner)}`).join("\n")}\n${indent}}`;
}

/** One-line HCL (for table cells). */
export function toHclInline(value: unknown): string {
  if (value === null || typeof value !== "object") return toHcl(value);
  if (Array.isArray(value)) return `[${value.map(toHclInline).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));
  return `{ ${entries.map(([k, v]) => `${key(k)} = ${toHclInline(v)}`).join(", ")} }`;
}

/** Renders a JSON value as one line of HCL (README default columns). */
export function toHclInline(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/\$\{/g, () => "$${");
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(toHclInline).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));
  return `{ ${entries.map(([k, v]) => `${key(k)} = ${toHclInline(v)}`).join(", ")} }`;
}

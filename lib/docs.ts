import * as fs from "fs";
import * as path from "path";
import Handlebars from "handlebars";
import { ModuleSpec } from "./module-interface";
import { toHclInline } from "./hcl-value";

const TEMPLATES = path.join(__dirname, "..", "templates");
const packageJson = [path.join(__dirname, "..", "package.json"), path.join(__dirname, "..", "..", "package.json")].find((p) =>
  fs.existsSync(p),
)!;
/** The release the generated READMEs tell consumers to pin. */
export const PACKAGE_VERSION: string = JSON.parse(fs.readFileSync(packageJson, "utf8")).version;
// When running compiled JS from dist/, templates stay at the repo root.
const templateDir = fs.existsSync(TEMPLATES) ? TEMPLATES : path.join(__dirname, "..", "..", "templates");

/** Handlebars without HTML escaping: we render Markdown and HCL, not HTML. */
const hbs = Handlebars.create();
hbs.registerHelper("eq", (a: unknown, b: unknown) => a === b);
hbs.registerHelper("md", (v: unknown) =>
  String(v ?? "")
    .replace(/\|/g, "\\|")
    .replace(/\n/g, " "),
);

const cache = new Map<string, Handlebars.TemplateDelegate>();
export function renderTemplate(name: string, data: unknown): string {
  let t = cache.get(name);
  if (!t) {
    t = hbs.compile(fs.readFileSync(path.join(templateDir, name), "utf8"), { noEscape: true, strict: true });
    cache.set(name, t);
  }
  return t(data);
}

export interface ModuleDocExtras {
  /** `type.name` addresses (with for_each/count noted) from the synthesized JSON. */
  resources: { address: string; note: string }[];
  /** Extra Markdown sections (e.g. a verified access matrix) appended to the README. */
  sections?: { title: string; body: string }[];
}

/** Lists the resources of a synthesized module for its README. */
export function resourcesOf(tf: any): ModuleDocExtras["resources"] {
  const out: ModuleDocExtras["resources"] = [];
  for (const [type, byName] of Object.entries<Record<string, any>>(tf.resource ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [name, body] of Object.entries<any>(byName).sort(([a], [b]) => a.localeCompare(b))) {
      const note = body.for_each !== undefined ? "one per item (`for_each`)" : body.count !== undefined ? "optional (`count`)" : "";
      out.push({ address: `${type}.${name}`, note });
    }
  }
  return out;
}

/** Generated per-persona grants (lib/persona-grants.ts), loaded lazily: it reads the IAM catalog. */
function personaGrantSections(moduleId: string): { title: string; body: string }[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const section = (require("./persona-grants") as typeof import("./persona-grants")).personaGrantsSection(moduleId);
  return section ? [section] : [];
}

export function renderModuleReadme(spec: ModuleSpec, extras: ModuleDocExtras): string {
  const inputs = spec.variables.map((v) => ({
    name: v.name,
    type: v.type.replace(/\s+/g, " "),
    description: v.description,
    default: v.default === undefined ? "required" : "`" + toHclInline(v.default) + "`",
    rules: (v.validations ?? []).map((x) => x.message).join(" "),
  }));
  const usage = spec.variables.filter((v) => v.example !== undefined || v.default === undefined);
  return renderTemplate("module-readme.md.hbs", {
    spec,
    version: PACKAGE_VERSION,
    moduleName: spec.id.replace(/-/g, "_"),
    usage: usage.map((v) => ({ name: v.name, value: v.example ?? `null # required` })),
    inputs,
    outputs: spec.outputs,
    resources: extras.resources,
    sections: [...(extras.sections ?? []), ...personaGrantSections(spec.id)],
  });
}

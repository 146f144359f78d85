import { parse } from "@cdktf/hcl2json";
import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS, ModuleId } from "../lib/module-interface";
import { hclTypeInline } from "../lib/docs";
import { moduleDir, moduleJson } from "./helpers/synth";
import { copyModule, describeTerraform, offlineProvider, plan, plannedResources, writeRoot } from "../tools/terraform";

/**
 * Documentation that works when pasted: every ```hcl snippet of the README, the examples' READMEs
 * and the generated module READMEs parses with HashiCorp's HCL parser; every `module.<x>.<output>`
 * they mention is a real output; the inputs tables print types and defaults as valid HCL; the
 * consumer-facing text cites no source notes, design document or generator file; and the README's
 * consumer snippet plus every module README's usage block plan offline.
 */

const ROOT = path.join(__dirname, "..");

interface Doc {
  name: string;
  text: string;
}

function docs(): Doc[] {
  const out: Doc[] = [{ name: "README.md", text: fs.readFileSync(path.join(ROOT, "README.md"), "utf8") }];
  for (const e of fs.readdirSync(path.join(ROOT, "examples")).sort()) {
    const p = path.join(ROOT, "examples", e, "README.md");
    if (fs.existsSync(p)) out.push({ name: `examples/${e}/README.md`, text: fs.readFileSync(p, "utf8") });
  }
  for (const id of MODULE_IDS) out.push({ name: `${id}/README.md`, text: fs.readFileSync(path.join(moduleDir(id), "README.md"), "utf8") });
  return out;
}

export function hclSnippets(markdown: string): string[] {
  return [...markdown.matchAll(/^```hcl\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** Which module a `module "<name>"` call or a `module.<name>` reference stands for. */
function moduleOfName(name: string, sources: Map<string, ModuleId>): ModuleId | undefined {
  if (sources.has(name)) return sources.get(name);
  if (/lake/.test(name)) return "data-lake";
  if (/iam|baseline/.test(name)) return "iam-baseline";
  if (/org|scp/.test(name)) return "org-scp";
  return undefined;
}

/** `module.<name>.<output>` references (in snippets or prose) that name no output of the module. */
export function badOutputReferences(text: string, outputs: (id: ModuleId) => string[]): string[] {
  const sources = new Map<string, ModuleId>();
  for (const m of text.matchAll(/module "(\w+)" \{\s*source\s*=\s*"[^"]*?\b(iam-baseline|data-lake|org-scp)\b/g))
    sources.set(m[1], m[2] as ModuleId);
  const bad: string[] = [];
  for (const m of text.matchAll(/\bmodule\.(\w+)\.(\w+)/g)) {
    if (m[2].startsWith("aws_")) continue; // a resource address (import blocks), not an output
    const id = moduleOfName(m[1], sources);
    if (!id) bad.push(`${m[0]}: unknown module`);
    else if (!outputs(id).includes(m[2])) bad.push(`${m[0]}: ${id} has no output "${m[2]}"`);
  }
  return bad;
}

/** Source notes, design documents or generator files a consumer does not have. */
export function foreignCitations(text: string, published: boolean): string[] {
  const found = [...text.matchAll(/\b[Ss]eeds?\b(?: \d+)?|\bDESIGN\b(?:\.md)?|§\s*\d*|\.\.\/shared\b/g)].map((m) => m[0]);
  if (published)
    found.push(...[...text.matchAll(/(?:^|[\s(`])((?:lib|modules|scripts|templates|bench|__tests__)\/[\w./-]+)/g)].map((m) => m[1]));
  return found;
}

const outputsOf = (id: ModuleId) => Object.keys(moduleJson(id).output ?? {});

describe("documentation snippets", () => {
  const all = docs();

  it("every ```hcl snippet parses with HashiCorp's HCL parser", async () => {
    let count = 0;
    for (const doc of all) {
      for (const [i, snippet] of hclSnippets(doc.text).entries()) {
        count++;
        await expect(parse(`${doc.name}#${i}.tf`, snippet).then(() => "parses")).resolves.toBe("parses");
      }
    }
    // the README's consumer and import snippets, and one usage block per module README
    expect(count).toBeGreaterThanOrEqual(2 + MODULE_IDS.length);
  });

  it("the parser check catches a broken snippet (canary)", async () => {
    await expect(parse("broken.tf", 'module "x" {\n  users = { "a" = { personas = ["admin"] }\n}\n')).rejects.toBeTruthy();
  });

  it("every module.<name>.<output> in the docs is a real output", () => {
    for (const doc of all) expect({ doc: doc.name, bad: badOutputReferences(doc.text, outputsOf) }).toEqual({ doc: doc.name, bad: [] });
    // the reference that was wrong once is caught
    expect(badOutputReferences("{ engineer = [module.lake.write_policy_arn] }", outputsOf)).toEqual([
      'module.lake.write_policy_arn: data-lake has no output "write_policy_arn"',
    ]);
  });

  it("the inputs tables print every type and default as valid HCL", async () => {
    for (const id of MODULE_IDS) {
      const readme = fs.readFileSync(path.join(moduleDir(id), "README.md"), "utf8");
      const rows = [...readme.matchAll(/^\| `([a-z0-9_]+)` \| `(.*?)` \| (.*?) \| /gm)];
      expect(rows.length).toBe(Object.keys(moduleJson(id).variable).length);
      for (const [, name, type, dflt] of rows) {
        const value = dflt === "required" ? "" : `  default = ${dflt.replace(/^`|`$/g, "").replace(/\\\|/g, "|")}\n`;
        const hcl = `variable "${name}" {\n  type = ${type.replace(/\\\|/g, "|")}\n${value}}\n`;
        await expect(parse(`${id}.${name}.tf`, hcl).then(() => `${id}.${name} parses`)).resolves.toBe(`${id}.${name} parses`);
      }
    }
  });

  it("hclTypeInline turns a multi-line object type into one valid line", async () => {
    const multi = `list(object({\n    sid = string\n    conditions = optional(list(object({\n      test = string\n      values = list(string)\n    })), [])\n    effect = optional(string, "Deny  all")\n  }))`;
    const inline = hclTypeInline(multi);
    expect(inline).toBe(
      'list(object({ sid = string, conditions = optional(list(object({ test = string, values = list(string) })), []), effect = optional(string, "Deny  all") }))',
    );
    await expect(parse("t.tf", `variable "x" {\n  type = ${inline}\n}\n`)).resolves.toBeTruthy();
    // what the tables printed before: newlines collapsed to spaces, no commas
    await expect(parse("t.tf", `variable "x" {\n  type = ${multi.replace(/\s+/g, " ")}\n}\n`)).rejects.toBeTruthy();
  });

  it("consumer-facing text cites no source notes, design document or generator file", () => {
    for (const doc of all) {
      const published = !doc.name.includes("examples/") && doc.name !== "README.md";
      expect({ doc: doc.name, found: foreignCitations(doc.text, published) }).toEqual({ doc: doc.name, found: [] });
    }
    expect(foreignCitations("as in the seed; see DESIGN §4 and lib/policy/global-services.data.json", true)).toEqual([
      "seed",
      "DESIGN",
      "§4",
      "lib/policy/global-services.data.json",
    ]);
  });
});

describeTerraform("documentation snippets plan (offline)", () => {
  it("the README's consumer snippet and every module README's usage block plan together", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const consumer = hclSnippets(readme).find((s) => s.includes('module "iam_baseline"') && s.includes('module "data_lake"'));
    expect(consumer).toBeDefined();
    const local = (id: ModuleId) => `"./guardrails/${id}"`;
    let main = consumer!.replace(/source\s*=\s*"\.\/guardrails\/([a-z-]+)"/g, (_m, id) => `source = ${local(id)}`);
    for (const id of MODULE_IDS) {
      const usage = hclSnippets(fs.readFileSync(path.join(moduleDir(id), "README.md"), "utf8"))[0];
      main += "\n" + usage.replace(/module "(\w+)"/, 'module "$1_usage"').replace(/source\s*=\s*"[^"]*"/, `source = ${local(id)}`);
    }
    const dir = writeRoot({ "main.tf": main + "\n" + offlineProvider() }, "docs-plan");
    for (const id of MODULE_IDS) copyModule(moduleDir(id), path.join(dir, "guardrails", id));
    const r = plan(dir);
    if (!r.ok) throw new Error(`the documented snippets do not plan:\n${r.stderr}`);
    const planned = Object.keys(plannedResources(r.json));
    for (const call of ["iam_baseline", "data_lake", "org_scp", "iam_baseline_usage", "data_lake_usage", "org_scp_usage"])
      expect(`${call}: ${planned.some((a) => a.startsWith(`module.${call}.`))}`).toBe(`${call}: true`);
    // persona_policy_arns wiring of the README: the engineer group gets the lake's read_write policy
    const attachments = Object.entries(plannedResources(r.json)).filter(([a]) =>
      a.startsWith("module.iam_baseline.aws_iam_group_policy_attachment.group_extra"),
    );
    expect(attachments.length).toBeGreaterThan(0);
  });
});

import * as fs from "fs";
import * as path from "path";
import { synthesize } from "../app/synthesize";
import { DEFAULT_OPTIONS, loadOptions, resolveOptions } from "../lib/config";
import { GuardrailError } from "../lib/errors";
import { MODULE_IDS } from "../lib/module-interface";
import { AWS_PROVIDER_VERSION } from "../lib/module-stack";
import { allStrings, filesOf, moduleDir, moduleJson, synthAll, tempDir } from "./helpers/synth";

describe("module stacks emit reusable Terraform modules", () => {
  it.each(MODULE_IDS)("%s has a version range for hashicorp/aws and no provider or backend block", (id) => {
    const tf = moduleJson(id);
    expect(tf.terraform.required_providers).toEqual({ aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } });
    expect(tf.provider).toBeUndefined();
    expect(tf.terraform.backend).toBeUndefined();
    expect(tf.terraform.cloud).toBeUndefined();
  });

  it("the provider range admits the offline mirror (5.100) and 6.x, and not 7", () => {
    // ">= 5.100, < 7.0"
    const [lower, upper] = AWS_PROVIDER_VERSION.split(",").map((s) => s.trim());
    expect(lower).toBe(">= 5.100");
    expect(upper).toBe("< 7.0");
  });

  it.each(MODULE_IDS)("%s uses stable snake_case names without hash suffixes", (id) => {
    const tf = moduleJson(id);
    const names = [
      ...Object.keys(tf.variable ?? {}),
      ...Object.keys(tf.output ?? {}),
      ...Object.values<Record<string, unknown>>(tf.resource ?? {}).flatMap((r) => Object.keys(r)),
      ...Object.values<Record<string, unknown>>(tf.data ?? {}).flatMap((r) => Object.keys(r)),
    ];
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(n).not.toMatch(/_[0-9A-F]{8}$/);
    }
  });

  it.each(MODULE_IDS)("%s: every variable has a type and description, every output a description", (id) => {
    const tf = moduleJson(id);
    for (const [name, v] of Object.entries<any>(tf.variable)) {
      expect({ name, type: typeof v.type }).toEqual({ name, type: "string" });
      expect(v.description?.length ?? 0).toBeGreaterThan(10);
      for (const val of v.validation ?? []) expect(val.error_message).toMatch(/^[A-Z].*[.?!]$/s);
    }
    for (const [name, o] of Object.entries<any>(tf.output))
      expect({ name, d: (o.description ?? "").length > 5 }).toEqual({ name, d: true });
  });

  it("writes one directory per module with the Terraform JSON and a README", () => {
    const { outdir } = synthAll();
    for (const id of MODULE_IDS) {
      const files = fs.readdirSync(path.join(outdir, "stacks", id)).sort();
      expect(files).toEqual(expect.arrayContaining(["README.md", "cdk.tf.json"]));
    }
  });

  it("synth is byte-for-byte reproducible and has no machine paths or timestamps", () => {
    const a = tempDir("det-a");
    const b = tempDir("det-b");
    synthesize(DEFAULT_OPTIONS, a);
    synthesize(DEFAULT_OPTIONS, b);
    const fa = filesOf(a);
    expect(filesOf(b)).toEqual(fa);
    const all = Object.values(fa).join("\n");
    expect(all).not.toContain(a);
    expect(all).not.toContain(process.cwd());
    expect(all).not.toMatch(/\/(home|root|tmp|Users)\//);
    // no synth-time timestamp (examples of timestamps in docs are fine)
    expect(all).not.toContain(new Date().toISOString().slice(0, 10));
  });
});

describe("generated module READMEs", () => {
  it.each(MODULE_IDS)("%s README documents purpose, usage, inputs, outputs, resources, security", (id) => {
    const readme = fs.readFileSync(path.join(moduleDir(id), "README.md"), "utf8");
    const tf = moduleJson(id);
    for (const heading of ["## Usage", "## Inputs", "## Outputs", "## Resources", "## Security notes"]) expect(readme).toContain(heading);
    expect(readme).toContain(`module "${id.replace(/-/g, "_")}" {`);
    for (const v of Object.keys(tf.variable)) expect(readme).toContain(`| \`${v}\` |`);
    for (const o of Object.keys(tf.output)) expect(readme).toContain(`| \`${o}\` |`);
    for (const [type, byName] of Object.entries<Record<string, unknown>>(tf.resource ?? {}))
      for (const n of Object.keys(byName)) expect(readme).toContain(`\`${type}.${n}\``);
    // handlebars must not HTML-escape HCL or Markdown
    expect(readme).not.toMatch(/&#x3D;|&quot;|&#x27;|&lt;|&gt;|&amp;/);
  });
});

describe("generator options are validated with errors naming the option and the rule", () => {
  it("accepts the defaults", () => {
    expect(resolveOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(resolveOptions({ modules: ["org-scp"] }).modules).toEqual(["org-scp"]);
  });

  it("reports every problem at once", () => {
    let err: unknown;
    try {
      resolveOptions({ modules: ["iam-baseline", "nope"], scpMaxChars: 12, colour: "red" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuardrailError);
    const problems = (err as GuardrailError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^modules\[1\]: "nope" is not a module/),
        expect.stringMatching(/^scpMaxChars: must be a whole number from 1000 to 10000 \(got 12\)/),
        expect.stringMatching(/^colour: unknown option/),
      ]),
    );
  });

  it("rejects an empty or repeated module list", () => {
    expect(() => resolveOptions({ modules: [] })).toThrow(/modules: must not be empty/);
    expect(() => resolveOptions({ modules: ["org-scp", "org-scp"] })).toThrow(/modules: must not repeat an entry/);
  });

  it("reads GUARDRAILS_CONFIG and names the file in errors", () => {
    const dir = tempDir("cfg");
    const file = path.join(dir, "guardrails.config.json");
    fs.writeFileSync(file, JSON.stringify({ scpMaxPerTarget: 99 }));
    expect(() => loadOptions({ GUARDRAILS_CONFIG: file })).toThrow(
      new RegExp(`generator options in ${file}[\\s\\S]*scpMaxPerTarget: must be a whole number from 2 to 10`),
    );
    fs.writeFileSync(file, "{ not json");
    expect(() => loadOptions({ GUARDRAILS_CONFIG: file })).toThrow(/Cannot read generator options/);
  });

  it("a subset of modules synthesizes only those", () => {
    const r = synthesize(resolveOptions({ modules: ["org-scp"] }), tempDir("subset"));
    expect(Object.keys(r.modules)).toEqual(["org-scp"]);
  });
});

describe("no stray template syntax", () => {
  it.each(MODULE_IDS)("%s has no raw IAM policy variable outside an escape", (id) => {
    for (const s of allStrings(moduleJson(id))) expect(s.value).not.toMatch(/(^|[^$])\$\{aws:/);
  });
});

describe("moved blocks for renamed addresses", () => {
  it("a module spec's moved list is emitted as Terraform moved blocks", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { App } = require("../lib/cdktf") as typeof import("../lib/cdktf");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ORG_SCP_SPEC } = require("../modules/org-scp/spec") as typeof import("../modules/org-scp/spec");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ModuleStack } = require("../lib/module-stack") as typeof import("../lib/module-stack");
    class Renamed extends ModuleStack {}
    const stack = new Renamed(new App({ outdir: tempDir("moved") }), {
      ...ORG_SCP_SPEC,
      moved: [{ from: "aws_organizations_organizational_unit.old", to: "aws_organizations_organizational_unit.ou" }],
    });
    expect(stack.toTerraform().moved).toEqual([
      { from: "aws_organizations_organizational_unit.old", to: "aws_organizations_organizational_unit.ou" },
    ]);
  });
});

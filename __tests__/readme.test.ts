import * as fs from "fs";
import * as path from "path";
import { moduleJson } from "./helpers/synth";

const ROOT = path.join(__dirname, "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("the README stays true", () => {
  it("gives the two set-up commands, and CI runs the README's test command", () => {
    expect(README).toContain("npm ci && npx cdktf synth");
    expect(README).toContain("npm ci && npm test");
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it("every documented import block targets an address the module has", () => {
    const imports = [...README.matchAll(/to = module\.iam_baseline\.([a-z0-9_]+)\.([a-z0-9_]+)/g)];
    expect(imports.length).toBeGreaterThanOrEqual(4);
    const tf = moduleJson("iam-baseline");
    for (const [, type, name] of imports) expect(`${type}.${name}: ${Boolean(tf.resource?.[type]?.[name])}`).toBe(`${type}.${name}: true`);
  });

  it("every input of the quick start exists in its module", () => {
    const block = (name: string) => README.match(new RegExp(`module "${name}" \\{([\\s\\S]*?)\\n\\}`))![1];
    for (const [name, id] of [
      ["iam_baseline", "iam-baseline"],
      ["data_lake", "data-lake"],
      ["org_scp", "org-scp"],
    ] as const) {
      const inputs = [...block(name).matchAll(/^\s{2}([a-z_]+)\s+=/gm)].map((m) => m[1]).filter((k) => k !== "source");
      expect(inputs.length).toBeGreaterThan(2);
      for (const i of inputs) expect(`${id}.${i}: ${i in moduleJson(id).variable}`).toBe(`${id}.${i}: true`);
    }
  });

  it("the package version has a CHANGELOG entry", () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
    expect(fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8")).toContain(`## [${version}]`);
  });
});

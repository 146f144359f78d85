import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS } from "../lib/module-interface";
import { moduleJson } from "./helpers/synth";
import { describeTerraform, init, tf, writeRoot } from "../tools/terraform";

/**
 * Provider schema compatibility. The modules declare `hashicorp/aws >= 5.100, < 7.0`; the terraform
 * suites plan them with 5.100.0 only. This test checks every resource type, data source, argument
 * (nested blocks included, `dynamic` blocks through their content) and referenced attribute
 * (`aws_x.name.attr`, `data.aws_x.name.attr`) of the synthesized modules against both ends of that range:
 *  - hashicorp/aws 5.100.0: `terraform providers schema -json` of a root initialized from the offline
 *    mirror (deprecation flags included);
 *  - hashicorp/aws 6.x: __tests__/fixtures/provider-schema/aws-6.x.json, extracted from the jsii assembly
 *    of the CDK Terrain bindings (`npm run schema:aws6`); the assembly carries no deprecation flags, so
 *    the fixture's `deprecated` section lists the known 6.x deprecations of these types by hand.
 * Each must be present and not deprecated in both, or a problem names the module, the address, the
 * argument or attribute, the provider version and what to change.
 * __tests__/fixtures/provider-schema/planted.tf.json (an argument only 6.x has, one 5.100 deprecates,
 * an attribute 6.x deprecates, a type neither has) turns the check red.
 */

const FIXTURES = path.join(__dirname, "fixtures", "provider-schema");
const RANGE = ">= 5.100, < 7.0";

interface Arg {
  block?: Node;
  deprecated?: string;
}
interface Node {
  arguments: Record<string, Arg>;
  /** Readable names (attributes and arguments) with their deprecation, if any. */
  attributes: Record<string, { deprecated?: string }>;
}
interface Schema {
  label: string;
  resources: Record<string, Node>;
  data_sources: Record<string, Node>;
}

/** The Terraform JSON keys that are meta-arguments, not provider arguments. */
const META = new Set(["//", "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

// ---- hashicorp/aws 5.100.0 from `terraform providers schema -json` ----

function fromTerraformBlock(block: any): Node {
  const node: Node = { arguments: {}, attributes: {} };
  for (const [name, a] of Object.entries<any>(block.attributes ?? {})) {
    const deprecated = a.deprecated ? a.description || "deprecated" : undefined;
    node.attributes[name] = { deprecated };
    if (a.optional || a.required)
      node.arguments[name] = {
        deprecated,
        block: a.nested_type ? fromTerraformBlock({ attributes: a.nested_type.attributes }) : undefined,
      };
  }
  for (const [name, b] of Object.entries<any>(block.block_types ?? {})) {
    const deprecated = b.block.deprecated ? b.block.description || "deprecated" : undefined;
    node.attributes[name] = { deprecated };
    node.arguments[name] = { deprecated, block: fromTerraformBlock(b.block) };
  }
  return node;
}

function terraformSchema(providerVersion: string): Schema {
  const dir = writeRoot(
    { "main.tf": `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "${providerVersion}" }\n  }\n}\n` },
    "schema5",
  );
  const i = init(dir);
  if (!i.ok) throw new Error(`terraform init for the ${providerVersion} schema failed: ${i.stderr}`);
  const r = tf(dir, ["providers", "schema", "-json"]);
  if (!r.ok) throw new Error(`terraform providers schema -json failed: ${r.stderr}`);
  const aws = JSON.parse(r.stdout).provider_schemas["registry.terraform.io/hashicorp/aws"];
  const convert = (m: Record<string, any>) => Object.fromEntries(Object.entries(m).map(([t, s]) => [t, fromTerraformBlock(s.block)]));
  return {
    label: `hashicorp/aws ${providerVersion}`,
    resources: convert(aws.resource_schemas),
    data_sources: convert(aws.data_source_schemas),
  };
}

// ---- hashicorp/aws 6.x from the committed fixture ----

interface FixtureNode {
  arguments: Record<string, { block?: { arguments: FixtureNode["arguments"] }; deprecated?: string }>;
  attributes?: string[];
}

function fromFixtureNode(n: FixtureNode, deprecated: Record<string, string>, prefix: string): Node {
  const node: Node = { arguments: {}, attributes: {} };
  for (const [name, a] of Object.entries(n.arguments)) {
    const dep = a.deprecated ?? deprecated[`${prefix}.${name}`];
    node.arguments[name] = { deprecated: dep, block: a.block ? fromFixtureNode(a.block, deprecated, `${prefix}.${name}`) : undefined };
    node.attributes[name] = { deprecated: dep };
  }
  for (const name of n.attributes ?? []) node.attributes[name] = { deprecated: deprecated[`${prefix}.${name}`] };
  return node;
}

function fixtureSchema(file = path.join(FIXTURES, "aws-6.x.json")): Schema & { source: string } {
  const f = JSON.parse(fs.readFileSync(file, "utf8"));
  const convert = (m: Record<string, FixtureNode>, kind: string) =>
    Object.fromEntries(Object.entries(m).map(([t, n]) => [t, fromFixtureNode(n, f.deprecated, `${kind}${t}`)]));
  return {
    label: `hashicorp/aws ${f.version}`,
    source: f.source,
    resources: convert(f.resources, ""),
    data_sources: convert(f.data_sources, "data."),
  };
}

// ---- the check ----

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkBody(body: Record<string, unknown>, node: Node, where: string, trail: string[], schema: Schema, problems: string[]): void {
  for (const [key, value] of Object.entries(body)) {
    if (trail.length === 0 && META.has(key)) continue;
    if (key === "dynamic" && isObject(value)) {
      for (const [blockName, spec] of Object.entries(value))
        checkArgument(blockName, isObject(spec) && isObject(spec.content) ? spec.content : {}, node, where, trail, schema, problems);
      continue;
    }
    checkArgument(key, value, node, where, trail, schema, problems);
  }
}

function checkArgument(key: string, value: unknown, node: Node, where: string, trail: string[], schema: Schema, problems: string[]): void {
  const name = [...trail, key].join(".");
  const arg = node.arguments[key];
  if (!arg) {
    problems.push(
      `${where}: argument "${name}" does not exist in ${schema.label}; remove it or make it conditional on the provider version (the modules declare ${RANGE})`,
    );
    return;
  }
  if (arg.deprecated)
    problems.push(`${where}: argument "${name}" is deprecated in ${schema.label} (${arg.deprecated}); move to its replacement`);
  if (!arg.block) return;
  for (const item of Array.isArray(value) ? value : [value])
    if (isObject(item)) checkBody(item, arg.block, where, [...trail, key], schema, problems);
}

/** Every `aws_x.name.attr` and `data.aws_x.name.attr` in a string (an index may nest one level: `x[a[b]].attr`). */
const REFERENCE = /(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(?:[^[\]]|\[[^[\]]*\])*\])?\.([a-z0-9_]+)/g;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (isObject(v)) Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/** Problems of one synthesized module (Terraform JSON) against one schema; [] when compatible. */
function check(moduleName: string, tfJson: any, schema: Schema): string[] {
  const problems: string[] = [];
  for (const [kind, table, prefix] of [
    ["resource", schema.resources, ""],
    ["data", schema.data_sources, "data."],
  ] as const) {
    for (const [type, instances] of Object.entries<Record<string, any>>(tfJson[kind] ?? {})) {
      const node = table[type];
      if (!node) {
        problems.push(
          `${moduleName}: ${kind === "data" ? "data source" : "resource type"} ${type} does not exist in ${schema.label}; replace it`,
        );
        continue;
      }
      for (const [name, body] of Object.entries(instances))
        checkBody(body, node, `${moduleName} ${prefix}${type}.${name}`, [], schema, problems);
    }
  }
  const seen = new Set<string>();
  for (const s of strings(tfJson))
    for (const m of s.matchAll(REFERENCE)) {
      const [, data, type, name, attr] = m;
      const key = `${data ?? ""}${type}.${name}.${attr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const node = (data ? schema.data_sources : schema.resources)[type];
      const declared = (data ? tfJson.data : tfJson.resource)?.[type]?.[name];
      if (!node || !declared) continue; // the type is reported above; an undeclared name is not a reference to check
      const a = node.attributes[attr];
      if (!a) problems.push(`${moduleName}: reference ${key} reads attribute "${attr}", which ${schema.label} does not have`);
      else if (a.deprecated)
        problems.push(
          `${moduleName}: reference ${key} reads attribute "${attr}", deprecated in ${schema.label} (${a.deprecated}); read its replacement`,
        );
    }
  return problems;
}

// ---- the tests ----

const planted = JSON.parse(fs.readFileSync(path.join(FIXTURES, "planted.tf.json"), "utf8"));
const modules = () => MODULE_IDS.map((id) => [id, moduleJson(id)] as const);

describe("the declared provider range is the tested one", () => {
  it(`every module declares hashicorp/aws ${RANGE}: the ends this test checks (a new range needs its schema here and in the README)`, () => {
    for (const [id, tfJson] of modules())
      expect([id, tfJson.terraform?.required_providers?.aws]).toEqual([id, { source: "hashicorp/aws", version: RANGE }]);
  });
});

describe("hashicorp/aws 6.x schema (fixture from the CDK Terrain bindings)", () => {
  const six = fixtureSchema();

  it("was extracted from the @cdktn/provider-aws version the cdktn flavor locks (else: npm run schema:aws6)", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "flavors", "cdktn", "package-lock.json"), "utf8"));
    expect(six.source).toBe(`@cdktn/provider-aws@${lock.packages["node_modules/@cdktn/provider-aws"].version} .jsii`);
    expect(six.label).toMatch(/^hashicorp\/aws 6\.\d+\.\d+$/);
  });

  it("covers every resource type and data source the modules use (else: npm run schema:aws6)", () => {
    for (const [id, tfJson] of modules()) {
      for (const type of Object.keys(tfJson.resource ?? {})) expect([id, type, type in six.resources]).toEqual([id, type, true]);
      for (const type of Object.keys(tfJson.data ?? {}))
        expect([id, `data.${type}`, type in six.data_sources]).toEqual([id, `data.${type}`, true]);
    }
  });

  it("has every argument and referenced attribute of the synthesized modules, none deprecated", () => {
    expect(modules().flatMap(([id, tfJson]) => check(id, tfJson, six))).toEqual([]);
  });

  it("fails on the planted module, naming what to change", () => {
    expect(check("planted", planted, six)).toEqual([
      'planted aws_s3_bucket_lifecycle_configuration.rules: argument "rule.filter.planted_only_in_neither" does not exist in hashicorp/aws 6.66.0; remove it or make it conditional on the provider version (the modules declare >= 5.100, < 7.0)',
      "planted: resource type aws_s3_bucket_acl_legacy does not exist in hashicorp/aws 6.66.0; replace it",
      'planted: reference data.aws_region.current.name reads attribute "name", deprecated in hashicorp/aws 6.66.0 (' +
        JSON.parse(fs.readFileSync(path.join(FIXTURES, "aws-6.x.json"), "utf8")).deprecated["data.aws_region.name"] +
        "); read its replacement",
    ]);
  });
});

describeTerraform("hashicorp/aws 5.100.0 schema (terraform providers schema -json, offline mirror)", () => {
  let five: Schema;
  beforeAll(() => {
    five = terraformSchema("5.100.0");
  });

  it("has every resource type, data source, argument and referenced attribute of the synthesized modules, none deprecated", () => {
    expect(modules().flatMap(([id, tfJson]) => check(id, tfJson, five))).toEqual([]);
  });

  it("fails on the planted module, naming what to change", () => {
    expect(check("planted", planted, five)).toEqual([
      'planted aws_kms_key.key: argument "region" does not exist in hashicorp/aws 5.100.0; remove it or make it conditional on the provider version (the modules declare >= 5.100, < 7.0)',
      expect.stringMatching(
        /^planted aws_s3_bucket\.bucket: argument "acl" is deprecated in hashicorp\/aws 5\.100\.0 \(.*\); move to its replacement$/,
      ),
      'planted aws_s3_bucket_lifecycle_configuration.rules: argument "rule.filter.planted_only_in_neither" does not exist in hashicorp/aws 5.100.0; remove it or make it conditional on the provider version (the modules declare >= 5.100, < 7.0)',
      "planted: resource type aws_s3_bucket_acl_legacy does not exist in hashicorp/aws 5.100.0; replace it",
    ]);
  });

  it("the 6.x fixture agrees with 5.100 on what the two have in common (the extraction reads the assembly right)", () => {
    const six = fixtureSchema();
    const lost: string[] = [];
    const compare = (a: Node, b: Node, where: string) => {
      for (const [name, arg] of Object.entries(a.arguments)) {
        if (!b.arguments[name]) lost.push(`${where}.${name}`);
        else if (arg.block && b.arguments[name].block) compare(arg.block, b.arguments[name].block!, `${where}.${name}`);
      }
    };
    for (const [type, node] of Object.entries(six.resources)) compare(five.resources[type], node, type);
    for (const [type, node] of Object.entries(six.data_sources)) compare(five.data_sources[type], node, `data.${type}`);
    // Arguments 5.100 has and 6.x dropped, for the types the bindings cover: the modules must not use them.
    expect(lost).toEqual([]);
  });
});

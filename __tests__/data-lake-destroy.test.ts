/**
 * Destroy safety of the data lake in KMS mode: Terraform must delete the lake key only after
 * every bucket it encrypts, so that a destroy stopped by a non-empty bucket (force_destroy =
 * false) never schedules the key, and with it the remaining data, for deletion.
 *
 * Evidence from Terraform itself: the module is planned offline, the plan is turned into the
 * state an apply would leave (each instance with the dependencies Terraform records from the
 * configuration), and `terraform graph -type=plan-destroy` gives the destroy order. A copy of the
 * module without the buckets' explicit dependency on the key is the widened fixture: there the
 * key's deletion does not wait for the buckets.
 */
import * as fs from "fs";
import * as path from "path";
import { moduleDir } from "./helpers/synth";
import { copyModule, describeTerraform, offlineProvider, plan, tf, writeRoot } from "../tools/terraform";

const MAIN = `${offlineProvider("ap-southeast-2", undefined, '"ap-southeast-2"')}
module "lake" {
  source        = "./modules/data-lake"
  name          = "acme-lake"
  account_id    = "123456789012"
  sse_algorithm = "aws:kms"
}
`;

/** Resource-to-resource edges of the configuration (`terraform graph -type=plan`), through locals and variables. */
function configDependencies(dir: string): Map<string, Set<string>> {
  const g = tf(dir, ["graph", "-type=plan"]);
  if (!g.ok) throw new Error(g.stderr);
  const edges = new Map<string, string[]>();
  for (const m of g.stdout.matchAll(/"\[root\] ([^"]+?)(?: \(expand\))?" -> "\[root\] ([^"]+?)(?: \(expand\))?"/g))
    edges.set(m[1], [...(edges.get(m[1]) ?? []), m[2]]);
  const isResource = (n: string) => /^module\.lake\.aws_[a-z0-9_]+\.[a-z0-9_]+$/.test(n);
  const deps = new Map<string, Set<string>>();
  for (const node of edges.keys()) {
    if (!isResource(node)) continue;
    const seen = new Set<string>();
    const stack = [...(edges.get(node) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (!n.startsWith("provider")) stack.push(...(edges.get(n) ?? []));
    }
    deps.set(node, new Set([...seen].filter(isResource)));
  }
  return deps;
}

/** The state an apply of `planJson` would leave: planned values, made-up ids, recorded dependencies. */
function stateFromPlan(planJson: any, deps: Map<string, Set<string>>): object {
  const byResource = new Map<string, any>();
  const walk = (m: any) => {
    for (const r of m.resources ?? []) {
      if (r.mode !== "managed") continue;
      const base = r.address.replace(/\[[^\]]*\]$/, "");
      if (!byResource.has(base))
        byResource.set(base, {
          module: "module.lake",
          mode: "managed",
          type: r.type,
          name: r.name,
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [],
        });
      const attributes = { ...r.values, id: `made-up-${r.address}` };
      if (r.type === "aws_kms_key") attributes.arn = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      byResource.get(base).instances.push({
        ...(r.index !== undefined ? { index_key: r.index } : {}),
        schema_version: 0,
        attributes,
        dependencies: [...(deps.get(base) ?? [])].sort(),
      });
    }
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(planJson.planned_values.root_module);
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "4d0e5a51-0000-4000-8000-000000000000",
    outputs: {},
    resources: [...byResource.values()],
  };
}

/** Destroy-graph edges: `a -> b` means a's destroy waits for b's. */
function destroyOrder(dir: string): (from: string, to: string) => boolean {
  const g = tf(dir, ["graph", "-type=plan-destroy"]);
  if (!g.ok) throw new Error(g.stderr);
  const edges = new Map<string, string[]>();
  // DOT escapes the quotes of instance keys (zone[\"analysis\"]).
  const dot = g.stdout.replace(/\\"/g, "'");
  for (const m of dot.matchAll(/"\[root\] ([^"]+) \(destroy\)" -> "\[root\] ([^"]+) \(destroy\)"/g))
    edges.set(m[1].replace(/'/g, '"'), [...(edges.get(m[1].replace(/'/g, '"')) ?? []), m[2].replace(/'/g, '"')]);
  return (from, to) => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(edges.get(n) ?? []));
    }
    return false;
  };
}

/** A root with the module (optionally transformed), planned, with the state an apply would leave. */
function appliedRoot(transform?: (tfJson: any) => void): string {
  const dir = writeRoot({ "main.tf": MAIN }, "data-lake-destroy");
  const mod = path.join(dir, "modules", "data-lake");
  copyModule(moduleDir("data-lake"), mod);
  if (transform) {
    const file = path.join(mod, "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    transform(json);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  const p = plan(dir);
  if (!p.ok) throw new Error(p.stderr);
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(stateFromPlan(p.json, configDependencies(dir))));
  return dir;
}

// The destroy graph has one node per resource (all its instances).
const KEY = "module.lake.aws_kms_key.lake";
const BUCKETS = ["module.lake.aws_s3_bucket.zone", "module.lake.aws_s3_bucket.athena_results"];

describeTerraform("data-lake: destroy order in KMS mode (terraform graph of a destroy plan)", () => {
  it("the key is deleted only after every bucket it encrypts", () => {
    const waitsFor = destroyOrder(appliedRoot());
    for (const bucket of BUCKETS) expect({ bucket, keyWaits: waitsFor(KEY, bucket) }).toEqual({ bucket, keyWaits: true });
  });

  it("widened fixture: without the buckets' depends_on the key's deletion does not wait for them", () => {
    const waitsFor = destroyOrder(
      appliedRoot((json) => {
        delete json.resource.aws_s3_bucket.zone.depends_on;
        delete json.resource.aws_s3_bucket.athena_results.depends_on;
      }),
    );
    for (const bucket of BUCKETS) expect({ bucket, keyWaits: waitsFor(KEY, bucket) }).toEqual({ bucket, keyWaits: false });
  });
});

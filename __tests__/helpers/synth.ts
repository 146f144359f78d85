import * as fs from "fs";
import * as path from "path";
import { synthesize, SynthResult } from "../../app/synthesize";
import { DEFAULT_OPTIONS, GeneratorOptions, resolveOptions } from "../../lib/config";
import { ModuleId } from "../../lib/module-interface";
import { tempDir } from "../../tools/temp-dir";

const cache = new Map<string, SynthResult>();

export { tempDir };

/**
 * Synthesizes the modules exactly as `cdktf synth` does (same code path as main.ts)
 * into a temporary directory; cached per options within a test file.
 */
export function synthAll(options: Partial<GeneratorOptions> = {}): SynthResult {
  const key = JSON.stringify(options);
  let r = cache.get(key);
  if (!r) {
    const resolved = Object.keys(options).length ? resolveOptions(options) : DEFAULT_OPTIONS;
    r = synthesize(resolved, tempDir("synth"));
    cache.set(key, r);
  }
  return r;
}

/** Every file under `dir`, by relative path, with its content. */
export function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** The synthesized Terraform JSON of one module. */
export function moduleJson(id: ModuleId, options: Partial<GeneratorOptions> = {}): any {
  const tf = synthAll(options).modules[id];
  if (!tf) throw new Error(`module ${id} was not synthesized`);
  return tf;
}

/** Directory of one synthesized module. */
export function moduleDir(id: ModuleId, options: Partial<GeneratorOptions> = {}): string {
  return path.join(synthAll(options).outdir, "stacks", id);
}

/** All resources of a type in a module: name -> body. */
export function resources(tf: any, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** One resource body, failing clearly when absent. */
export function resource(tf: any, type: string, name: string): any {
  const r = tf.resource?.[type]?.[name];
  if (!r) throw new Error(`no resource ${type}.${name}; have: ${Object.keys(tf.resource?.[type] ?? {}).join(", ")}`);
  return r;
}

export { allStrings } from "./hcl";

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
/** The generated child module that converts a module's strict (object-typed) inputs. */
export function inputsJson(id: ModuleId, options: Partial<GeneratorOptions> = {}): any {
  return JSON.parse(fs.readFileSync(path.join(moduleDir(id, options), "inputs", "main.tf.json"), "utf8"));
}

/**
 * The variables as Terraform applies them: a strict input is declared `type = any` in the module
 * (its attribute checks) and typed, with its validations, in the inputs child module; this view
 * takes the type and validations from the child and the default from the module.
 */
export function effectiveVariables(id: ModuleId, options: Partial<GeneratorOptions> = {}): Record<string, any> {
  const outer = moduleJson(id, options).variable as Record<string, any>;
  const typed = (inputsJson(id, options).variable ?? {}) as Record<string, any>;
  return Object.fromEntries(
    Object.entries(outer).map(([name, v]) =>
      v.type === "any" && typed[name] ? [name, { ...v, type: typed[name].type, validation: typed[name].validation }] : [name, v],
    ),
  );
}

import * as fs from "fs";
import { MODULE_IDS, ModuleId } from "./module-interface";
import { failIfProblems } from "./errors";
import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "./policy/limits";

/**
 * Generator options: synth-time configuration (what to generate), as opposed to the
 * modules' Terraform variables (how each account uses it). Read from
 * `guardrails.config.json` (or the file named by GUARDRAILS_CONFIG) when present.
 * Every option is validated; an error names the option and the rule.
 */
export interface GeneratorOptions {
  /** Which modules to synthesize. */
  readonly modules: readonly ModuleId[];
  /** Characters allowed in one SCP/RCP (AWS default quota 5,120; raised for some organizations). */
  readonly scpMaxChars: number;
  /** SCPs allowed per target, FullAWSAccess included (AWS default quota 5). */
  readonly scpMaxPerTarget: number;
}

export const DEFAULT_OPTIONS: GeneratorOptions = {
  modules: MODULE_IDS,
  scpMaxChars: SCP_MAX_CHARS,
  scpMaxPerTarget: SCP_MAX_PER_TARGET,
};

type Check = (value: unknown, field: string) => string[];

const intRange =
  (min: number, max: number): Check =>
  (v, f) =>
    typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
      ? []
      : [`${f}: must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`];

const listOf =
  (item: (v: unknown, f: string) => string | undefined, opts: { unique?: boolean; nonEmpty?: boolean } = {}): Check =>
  (v, f) => {
    if (!Array.isArray(v)) return [`${f}: must be a list (got ${JSON.stringify(v)})`];
    const problems: string[] = [];
    if (opts.nonEmpty && v.length === 0) problems.push(`${f}: must not be empty`);
    v.forEach((x, i) => {
      const p = item(x, `${f}[${i}]`);
      if (p) problems.push(p);
    });
    const repeated = v.filter((x, i) => v.indexOf(x) !== i);
    if (opts.unique && repeated.length)
      problems.push(`${f}: must not repeat an entry (repeated: ${JSON.stringify([...new Set(repeated)])})`);
    return problems;
  };

const CHECKS: Record<keyof GeneratorOptions, Check> = {
  modules: listOf(
    (x, f) => (MODULE_IDS.includes(x as ModuleId) ? undefined : `${f}: "${x}" is not a module (one of ${MODULE_IDS.join(", ")})`),
    { unique: true, nonEmpty: true },
  ),
  scpMaxChars: intRange(1000, 10000),
  scpMaxPerTarget: intRange(2, 10),
};

/** Validates raw options (e.g. parsed JSON), reporting every problem at once. */
export function resolveOptions(raw: unknown, source = "generator options"): GeneratorOptions {
  if (raw === undefined) return DEFAULT_OPTIONS;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    failIfProblems(source, [`must be a JSON object (got ${JSON.stringify(raw)})`]);
  }
  const obj = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(obj)) {
    if (!(key in CHECKS))
      problems.push(`${key}: unknown option (got ${JSON.stringify(obj[key])}; known: ${Object.keys(CHECKS).join(", ")})`);
  }
  for (const [key, check] of Object.entries(CHECKS)) {
    if (obj[key] !== undefined) problems.push(...check(obj[key], key));
  }
  failIfProblems(`Invalid ${source}`, problems);
  return { ...DEFAULT_OPTIONS, ...(obj as Partial<GeneratorOptions>) };
}

/** Loads options from GUARDRAILS_CONFIG or ./guardrails.config.json, else the defaults. */
export function loadOptions(env: NodeJS.ProcessEnv = process.env): GeneratorOptions {
  const file = env.GUARDRAILS_CONFIG ?? (fs.existsSync("guardrails.config.json") ? "guardrails.config.json" : undefined);
  if (!file) return DEFAULT_OPTIONS;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    failIfProblems(`Cannot read generator options from ${file}`, [(e as Error).message]);
  }
  return resolveOptions(raw, `generator options in ${file}`);
}

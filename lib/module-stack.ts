import * as fs from "fs";
import * as path from "path";
import { Construct, Node } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformElement, TerraformOutput, TerraformStack, TerraformVariable } from "./cdktf";
import { checkSpec, declaredInputValue, ModuleSpec, VariableSpec } from "./module-interface";
import { failIfProblems } from "./errors";
import { isStrict, messageWithValue, rawStrictReferences, rewriteJson, strictValidations } from "./strict-input";
import { PolicyRecord } from "./policy/engine";
import { interpolated, jsonencodeExpr } from "./policy/render";

/** Admits the offline test mirror (5.100) and what users run (6.x). Use no 6.x-only argument. */
export const AWS_PROVIDER_VERSION = ">= 5.100, < 7.0";
export const TERRAFORM_VERSION = ">= 1.5.0";

const SNAKE = /^[a-z][a-z0-9_]*$/;

/**
 * Base of every module stack. It emits a *reusable* Terraform module:
 *  - no `provider` configuration block (a module with one is a "legacy module"
 *    that Terraform refuses to call with count/for_each) and no `backend`;
 *  - `terraform.required_providers.aws` with a version range;
 *  - stable snake_case addresses without hash suffixes: the construct path below
 *    the stack, joined with `_`, is the Terraform name (consumers see these
 *    addresses in plans; a rename would be a destroy/create);
 *  - variables and outputs only from the module's ModuleSpec;
 *  - strict inputs (object-typed, see lib/strict-input.ts): declared `type = any` with generated
 *    checks of every attribute, converted to their type with defaults by the child module
 *    `./inputs` (written next to cdk.tf.json); every `var.<strict input>` of the stack code is
 *    rewritten to `module.inputs.<strict input>` in toTerraform(), and the synth fails if one
 *    survives. Stack code therefore keeps writing `var.<name>` for every input.
 */
export abstract class ModuleStack extends TerraformStack {
  readonly spec: ModuleSpec;
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly declaredOutputs = new Set<string>();
  /** Every policy document the module renders, for the policy engine and the synth summary. */
  readonly policies: PolicyRecord[] = [];
  /** Names of the strict inputs, converted by the `inputs` child module. */
  readonly strictInputs: readonly string[];

  constructor(scope: Construct, spec: ModuleSpec) {
    super(scope, spec.id);
    failIfProblems(`module ${spec.id}: interface`, checkSpec(spec));
    this.spec = spec;
    // The provider construct satisfies cdktf's provider-presence validation; its
    // configuration block is removed from the output in toTerraform() below.
    new AwsProvider(this, "aws", {});
    this.strictInputs = spec.variables.filter(isStrict).map((v) => v.name);
    for (const v of spec.variables) this.variables.set(v.name, declareVariable(this, v));
    if (inputsOfChild(spec).length) {
      // The stack's synthesizer writes cdk.tf.json; the child module goes into the same directory.
      const base = this.synthesizer;
      this.synthesizer = {
        synthesize: (session) => {
          base.synthesize(session);
          const dir = path.join(path.dirname(path.join(session.outdir, session.manifest.forStack(this).synthesizedStackPath)), INPUTS_DIR);
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, INPUTS_FILE), JSON.stringify(inputsModule(spec), null, 2) + "\n");
        },
      };
    }
  }

  /** The TerraformVariable of a declared input. */
  variable(name: string): TerraformVariable {
    const v = this.variables.get(name);
    if (!v) throw new Error(`module ${this.spec.id}: variable "${name}" is not in its interface`);
    return v;
  }

  /** Declares an output that must be listed in the module's interface. */
  output(name: string, value: unknown): TerraformOutput {
    const spec = this.spec.outputs.find((o) => o.name === name);
    if (!spec) throw new Error(`module ${this.spec.id}: output "${name}" is not in its interface`);
    this.declaredOutputs.add(name);
    return new TerraformOutput(this, `output:${name}`, {
      value,
      description: spec.description,
      sensitive: spec.sensitive,
    });
  }

  /**
   * Registers a policy document with the policy engine (checked at synth time) and
   * returns its Terraform value: `${jsonencode(...)}`.
   */
  policyJson(record: Omit<PolicyRecord, "module">): string {
    return interpolated(this.policyExpr(record));
  }

  /**
   * Registers a policy document like policyJson and returns its HCL expression `jsonencode(...)`,
   * for a policy chosen inside a larger expression (e.g. one trust policy per role kind).
   */
  policyExpr(record: Omit<PolicyRecord, "module">): string {
    this.policies.push({ ...record, module: this.spec.id });
    return jsonencodeExpr(record.document);
  }

  /**
   * A representative value of a Terraform expression for synth-time policy checks:
   * the variable's declared worst case or its default (or a field of it), else a placeholder.
   */
  substitute = (expression: string): unknown => this.defaultSubstitute(expression);

  protected defaultSubstitute(expression: string): unknown {
    const declared = declaredInputValue(this.spec, expression);
    if (declared !== undefined) return declared;
    const m = expression.match(/^var\.([a-z0-9_]+)((?:\.[a-z0-9_]+)*)$/);
    if (m) return m[1].endsWith("account_id") ? "111122223333" : `EXAMPLE-${m[1]}`;
    if (/partition/.test(expression)) return "aws";
    return "EXAMPLE";
  }

  /** Every output of the interface must have been declared by the module code. */
  checkOutputsDeclared(): void {
    const missing = this.spec.outputs.filter((o) => !this.declaredOutputs.has(o.name)).map((o) => o.name);
    failIfProblems(
      `module ${this.spec.id}: outputs`,
      missing.map((m) => `output "${m}" is in the interface but never declared`),
    );
  }

  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : (tfElement as Node);
    const scopes = node.scopes;
    const components = scopes.slice(scopes.indexOf(this) + 1).map((c) => c.node.id);
    // Variables and outputs live in their own Terraform namespaces: their construct
    // ids carry a "variable:"/"output:" prefix only to stay apart from resources.
    const id = components
      .join("_")
      .replace(/^(variable|output):/, "")
      .replace(/-/g, "_");
    if (!SNAKE.test(id)) {
      throw new Error(
        `module ${this.spec.id}: "${node.path}" gives the Terraform name "${id}", which is not snake_case; rename the construct`,
      );
    }
    return id;
  }

  /**
   * cdktf's preparing pass resolves every element once more to discover cross-stack
   * references; module stacks never reference each other (consumers wire modules
   * together in Terraform), so only the backend bookkeeping is kept.
   */
  prepareStack(): void {
    this.ensureBackendExists();
  }

  toTerraform(): any {
    const tf = super.toTerraform();
    // The top-level "//" metadata is read by the cdktf CLI; it holds no paths or times.
    delete tf.provider;
    const terraform = tf.terraform ?? {};
    delete terraform.backend;
    terraform.required_version = TERRAFORM_VERSION;
    terraform.required_providers = { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } };
    tf.terraform = terraform;
    if (this.spec.moved?.length) tf.moved = this.spec.moved.map((m) => ({ from: m.from, to: m.to }));
    for (const block of ["resource", "data"]) {
      for (const byName of Object.values<Record<string, any>>(tf[block] ?? {})) {
        for (const body of Object.values<any>(byName)) delete body["//"];
      }
    }
    // Policy ARNs are built from path + name: state the provider's default path so that a mocked
    // provider (`terraform test` with mock_provider, which knows no provider defaults) plans them too.
    for (const body of Object.values<any>(tf.resource?.aws_iam_policy ?? {})) if (body.path === undefined) body.path = "/";
    return this.routeStrictInputs(tf);
  }

  /**
   * Adds the `inputs` module call and points every reference to a strict input at its converted
   * value (`var.x` -> `module.inputs.x`) outside the variable blocks; then fails the synth if a raw
   * reference is left, naming where.
   */
  private routeStrictInputs(tf: any): any {
    const names = this.strictInputs;
    if (!inputsOfChild(this.spec).length) return tf;
    if (tf.module?.[INPUTS_DIR])
      throw new Error(`module ${this.spec.id}: the module name "${INPUTS_DIR}" is reserved for the strict inputs`);
    const { variable, ...rest } = tf;
    const out: any = { ...rewriteJson(rest, names), variable };
    out.module = {
      ...(out.module ?? {}),
      [INPUTS_DIR]: {
        source: `./${INPUTS_DIR}`,
        ...Object.fromEntries(inputsOfChild(this.spec).map((v) => [v.name, `\${var.${v.name}}`])),
      },
    };
    const { module: modules, variable: _v, ...checked } = out;
    const { [INPUTS_DIR]: _inputs, ...otherModules } = modules;
    failIfProblems(
      `module ${this.spec.id}: raw references to strict inputs (read module.inputs.<name>, the converted value)`,
      rawStrictReferences({ ...checked, module: otherModules }, names),
    );
    return out;
  }
}

/** The child module converting strict inputs: `<module dir>/inputs/main.tf.json`. */
export const INPUTS_DIR = "inputs";
export const INPUTS_FILE = "main.tf.json";

/**
 * Variables of the child module: the strict inputs, plus any other input their validations read
 * (Terraform 1.9+ lets a validation read other variables; the child must then receive them).
 */
function inputsOfChild(spec: ModuleSpec): VariableSpec[] {
  const strict = spec.variables.filter(isStrict);
  const conditions = [...strict.flatMap((v) => v.validations ?? []), ...(spec.inputChecks ?? [])].map((c) => c.condition);
  const read = new Set(conditions.flatMap((c) => [...c.matchAll(/var\.([a-z0-9_]+)/g)].map((m) => m[1])));
  return spec.variables.filter((v) => isStrict(v) || read.has(v.name));
}

function inputsModule(spec: ModuleSpec): any {
  const child = inputsOfChild(spec);
  const variable: Record<string, any> = {};
  const output: Record<string, any> = {};
  for (const v of child) {
    const strict = isStrict(v);
    variable[v.name] = {
      description: v.description,
      type: v.type,
      ...(nullableOf(v) ? {} : { nullable: false }),
      ...(v.sensitive ? { sensitive: true } : {}),
      ...(strict && v.validations?.length
        ? { validation: v.validations.map((val) => ({ condition: `\${${val.condition}}`, error_message: messageWithValue(v, val) })) }
        : {}),
    };
    if (strict) output[v.name] = { value: `\${var.${v.name}}`, ...(v.sensitive ? { sensitive: true } : {}) };
  }
  if (spec.inputChecks?.length)
    output.input_checks = {
      description: "Checks that read several inputs; true when they hold.",
      value: true,
      precondition: spec.inputChecks.map((c) => ({
        condition: `\${${c.condition}}`,
        error_message: c.got ? `${c.message} Got: \${jsonencode(${c.got})}.` : c.message,
      })),
    };
  return {
    "//": `Converts the strict inputs of the ${spec.id} module to their types (optional() defaults applied) after the module has refused unknown attributes. Generated; no resources.`,
    terraform: { required_version: TERRAFORM_VERSION },
    variable,
    output,
  };
}

/** Null is accepted only where it means "not set" (default null), unless the spec says otherwise. */
function nullableOf(v: VariableSpec): boolean {
  return v.nullable ?? v.default === null;
}

function declareVariable(stack: ModuleStack, v: VariableSpec): TerraformVariable {
  if (!SNAKE.test(v.name)) throw new Error(`variable "${v.name}" must be snake_case`);
  // cdktf cannot serialize a null default, and it rewrites object keys to snake_case
  // ("landing-zone" -> "landing_zone"): such defaults are set verbatim by an override below.
  const verbatim = v.default === null || hasNonSnakeKeys(v.default);
  // A strict input arrives untyped (every attribute the caller wrote) and is checked here; its
  // own validations run in the inputs child module, on the converted value.
  const strict = isStrict(v);
  const validations = strict ? strictValidations(v) : (v.validations ?? []);
  const variable = new TerraformVariable(stack, `variable:${v.name}`, {
    type: strict ? "any" : v.type,
    description: v.description,
    default: verbatim ? undefined : v.default,
    nullable: nullableOf(v) ? v.nullable : false,
    sensitive: v.sensitive,
    validation: validations.length
      ? validations.map((val) => ({
          condition: `\${${val.condition}}`,
          errorMessage: messageWithValue(v, val),
        }))
      : undefined,
  });
  if (verbatim) variable.addOverride("default", v.default);
  return variable;
}

/** True when a value has an object key that cdktf's snake_casing of attributes would change. */
function hasNonSnakeKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNonSnakeKeys);
  if (!value || typeof value !== "object") return false;
  return Object.entries(value).some(([k, v]) => !/^[a-z0-9_]*$/.test(k) || hasNonSnakeKeys(v));
}

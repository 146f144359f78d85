import { Construct, Node } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformElement, TerraformOutput, TerraformStack, TerraformVariable } from "./cdktf";
import { checkSpec, ModuleSpec, VariableSpec } from "./module-interface";
import { failIfProblems } from "./errors";
import { PolicyRecord } from "./policy/engine";
import { jsonencodePolicy } from "./policy/render";

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
 *  - variables and outputs only from the module's ModuleSpec.
 */
export abstract class ModuleStack extends TerraformStack {
  readonly spec: ModuleSpec;
  private readonly variables = new Map<string, TerraformVariable>();
  private readonly declaredOutputs = new Set<string>();
  /** Every policy document the module renders, for the policy engine and the synth summary. */
  readonly policies: PolicyRecord[] = [];

  constructor(scope: Construct, spec: ModuleSpec) {
    super(scope, spec.id);
    failIfProblems(`module ${spec.id}: interface`, checkSpec(spec));
    this.spec = spec;
    // The provider construct satisfies cdktf's provider-presence validation; its
    // configuration block is removed from the output in toTerraform() below.
    new AwsProvider(this, "aws", {});
    for (const v of spec.variables) this.variables.set(v.name, declareVariable(this, v));
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
    this.policies.push({ ...record, module: this.spec.id });
    return jsonencodePolicy(record.document);
  }

  /**
   * A representative value of a Terraform expression for synth-time policy checks:
   * the variable's default (or a field of it), else a placeholder.
   */
  substitute = (expression: string): unknown => this.defaultSubstitute(expression);

  protected defaultSubstitute(expression: string): unknown {
    const m = expression.match(/^var\.([a-z0-9_]+)((?:\.[a-z0-9_]+)*)$/);
    if (m) {
      let value: any = this.spec.variables.find((v) => v.name === m[1])?.default;
      for (const key of m[2].split(".").filter(Boolean)) value = value?.[key];
      if (value !== undefined && value !== null) return value;
      return m[1].endsWith("account_id") ? "111122223333" : `EXAMPLE-${m[1]}`;
    }
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
    return tf;
  }
}

function declareVariable(stack: ModuleStack, v: VariableSpec): TerraformVariable {
  if (!SNAKE.test(v.name)) throw new Error(`variable "${v.name}" must be snake_case`);
  // cdktf cannot serialize a null default, and it rewrites object keys to snake_case
  // ("landing-zone" -> "landing_zone"): such defaults are set verbatim by an override below.
  const verbatim = v.default === null || hasNonSnakeKeys(v.default);
  const variable = new TerraformVariable(stack, `variable:${v.name}`, {
    type: v.type,
    description: v.description,
    default: verbatim ? undefined : v.default,
    nullable: v.nullable,
    sensitive: v.sensitive,
    validation: v.validations?.map((val) => ({
      condition: `\${${val.condition}}`,
      errorMessage: val.message,
    })),
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

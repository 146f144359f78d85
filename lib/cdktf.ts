/**
 * The one place this project imports `cdktf` from. CDKTF was archived by HashiCorp
 * on 2025-12-10; its community fork (CDK Terrain, `cdktn`) is a package rename, so
 * switching means changing this file only.
 */
export {
  App,
  Fn,
  Op,
  Token,
  Lazy,
  TerraformElement,
  TerraformIterator,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
} from "cdktf";
export type { ITerraformDependable, ITerraformIterator, IResolvable } from "cdktf";

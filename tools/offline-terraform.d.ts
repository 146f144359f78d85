/** Types of tools/offline-terraform.js (offline terraform for the tests and the benchmark). */
export const TERRAFORM_BIN: string;
export const PROVIDER_MIRROR: string;
export function detectTerraform(): { ok: true; version: string } | { ok: false; why: string };
export function writeCliConfig(dir: string): string;
export function offlineEnv(cliConfigFile: string): NodeJS.ProcessEnv;
export function offlineProvider(region?: string, alias?: string, regionExpression?: string): string;
export interface PlannedResource {
  address: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  values: Record<string, any>;
}
export function planResources(planJson: any): PlannedResource[];

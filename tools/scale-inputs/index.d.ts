/** Types of tools/scale-inputs/index.js (the benchmark / scale-test input sets). */
export type ModuleId = "iam-baseline" | "data-lake" | "org-scp";
export type InputSet = "default" | "large";

export const MODULES: readonly ModuleId[];
export const SETS: readonly ("default" | "large")[];
export const LIMIT_SETS: Partial<Record<ModuleId, readonly InputSet[]>>;
export function loadInputs(moduleId: ModuleId, set: InputSet): any;
export function units(moduleId: ModuleId, inputs: any): { unit: string; count: number };
export function rootFiles(
  moduleId: ModuleId,
  sets: readonly InputSet[],
  providerBlock: string,
  moduleSource?: string,
): Record<string, string>;
export function countByType(planJson: any): Record<string, Record<string, number>>;
export function total(byType: Record<string, number> | undefined): number;

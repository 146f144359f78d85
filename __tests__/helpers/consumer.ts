import * as fs from "fs";
import * as path from "path";
import { MODULE_IDS } from "../../lib/module-interface";
import { moduleDir } from "./synth";
import { copyModule, offlineProvider, writeRoot } from "../../tools/terraform";

/**
 * A consumer root calling every generated module with count / for_each: Terraform
 * refuses that for a module with a provider block ("legacy module").
 */
export function consumerRoot(): string {
  const files: Record<string, string> = { "providers.tf": offlineProvider() };
  // One call per module, each with count or for_each: __tests__/fixtures/consumer/<module>.tf
  for (const id of MODULE_IDS) files[`${id}.tf`] = fs.readFileSync(path.join(__dirname, "..", "fixtures", "consumer", `${id}.tf`), "utf8");
  const dir = writeRoot(files, "consumer");
  for (const id of MODULE_IDS) copyModule(moduleDir(id), path.join(dir, "modules", id));
  return dir;
}

import * as fs from "fs";
import * as path from "path";
import { moduleDir } from "./__tests__/helpers/synth";
import { copyModule, offlineProvider, plan, plannedResources, writeRoot } from "./__tests__/helpers/terraform";
const main = `${offlineProvider("ap-southeast-2", undefined, '"ap-southeast-2"')}
module "lake" {
  source = "./modules/data-lake"
  name = "acme-lake"
  account_id = "123456789012"
}
module "kms_lake" {
  source = "./modules/data-lake"
  name = "acme-kms"
  account_id = "123456789012"
  sse_algorithm = "aws:kms"
  analyst_write_mode = "access_point_puts"
  analyst_write_zone = "curated"
  zones = { raw = { read_principal_arns = ["arn:aws:iam::999988887777:role/reader"] }, curated = {} }
}
module "given" {
  source = "./modules/data-lake"
  name = "acme-given"
  account_id = "123456789012"
  sse_algorithm = "aws:kms"
  kms_key_arn = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  break_glass_principal_arns = ["arn:aws:iam::123456789012:role/BreakGlass"]
}
`;
const dir = writeRoot({ "main.tf": main }, "play");
copyModule(moduleDir("data-lake"), path.join(dir, "modules", "data-lake"));
const r = plan(dir);
console.log(r.ok, r.stderr.slice(0, 3000));
if (r.json) {
  const p = plannedResources(r.json);
  fs.writeFileSync("/tmp/lakeplay/planned.json", JSON.stringify(p, null, 1));
  fs.writeFileSync("/tmp/lakeplay/plan.json", JSON.stringify(r.json));
  console.log(Object.keys(p).length, "resources; dir", dir);
}

import { hclStrings } from "./policy/render";
import { VariableSpec, VariableValidation } from "./module-interface";
import { DEFAULT_REGION, NAME_LENGTHS, REGION_REGEX } from "./policy/limits";

export { REGION_REGEX };

/**
 * The Regions of the aws partition (commercial AWS) these modules know, from the AWS "Regions and
 * Zones" list (2026-11). A Region AWS opens later is refused until it is added here: a region lock
 * must not name a Region whose global-service endpoints and SCP behaviour nobody has reviewed.
 */
export const KNOWN_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];

/**
 * Region codes of the other partitions (China, GovCloud, the ISO regions, the European Sovereign
 * Cloud): their ARNs, endpoints and global services differ, and the modules build aws-partition
 * policies, so they are refused with that reason rather than as unknown.
 */
export const FOREIGN_PARTITION_REGION = "^(cn-|us-gov-|us-iso|us-isob-|eu-isoe-|us-isof-|eusc-)";

/** Validations of a list of region codes: non-empty, aws partition, known, no repeats (case-insensitive). */
export function regionListValidations(name: string): VariableValidation[] {
  const v = `var.${name}`;
  const foreign = `[for r in ${v} : r if can(regex("${FOREIGN_PARTITION_REGION}", r))]`;
  const unknown = `[for r in ${v} : r if !contains(${hclStrings(KNOWN_REGIONS)}, r) && !can(regex("${FOREIGN_PARTITION_REGION}", r))]`;
  const repeated = `[for r, n in { for r in ${v} : lower(r) => r... } : n if length(n) > 1]`;
  return [
    { condition: `length(${v}) > 0`, message: `The ${name} list must name at least one region.` },
    {
      condition: `length(${foreign}) == 0`,
      message: `Only the aws partition (commercial AWS) is supported: ${name} must not name a region of China (cn-), GovCloud (us-gov-), the ISO regions or the European Sovereign Cloud.`,
      got: foreign,
    },
    {
      condition: `length(${unknown}) == 0`,
      message: `Every entry of ${name} must be a known region of the aws partition: ${KNOWN_REGIONS.join(", ")}.`,
      got: unknown,
    },
    {
      condition: `length(${repeated}) == 0`,
      message: `The ${name} list must name each region once.`,
      got: repeated,
    },
  ];
}

export function allowedRegionsVariable(description?: string): VariableSpec {
  return {
    name: "allowed_regions",
    type: "list(string)",
    description:
      description ?? "AWS regions where regional services may be used. Global services are reached through us-east-1 regardless.",
    default: [DEFAULT_REGION],
    example: `["${DEFAULT_REGION}"]`,
    validations: regionListValidations("allowed_regions"),
  };
}

export const TAGS_VARIABLE: VariableSpec = {
  name: "tags",
  type: "map(string)",
  description: "Tags applied to every taggable resource of the module.",
  default: {},
  validations: [
    {
      condition: `alltrue([for k, v in var.tags : length(k) <= ${NAME_LENGTHS.tagKey} && length(v) <= ${NAME_LENGTHS.tagValue} && !startswith(lower(k), "aws:")])`,
      message: `Tag keys in tags must be at most ${NAME_LENGTHS.tagKey} characters and not start with aws:, values at most ${NAME_LENGTHS.tagValue} characters.`,
    },
  ],
};

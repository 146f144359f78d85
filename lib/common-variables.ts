import { VariableSpec } from "./module-interface";
import { DEFAULT_REGION, NAME_LENGTHS, REGION_REGEX } from "./policy/limits";

export { REGION_REGEX };

export function allowedRegionsVariable(description?: string): VariableSpec {
  return {
    name: "allowed_regions",
    type: "list(string)",
    description:
      description ?? "AWS regions where regional services may be used. Global services are reached through us-east-1 regardless.",
    default: [DEFAULT_REGION],
    example: `["${DEFAULT_REGION}"]`,
    validations: [
      {
        condition: "length(var.allowed_regions) > 0",
        message: "The allowed_regions list must name at least one region.",
      },
      {
        condition: `alltrue([for r in var.allowed_regions : can(regex("${REGION_REGEX}", r))])`,
        message: `Every entry of allowed_regions must be an AWS region code such as ${DEFAULT_REGION}.`,
      },
    ],
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

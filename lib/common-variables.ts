import { VariableSpec } from "./module-interface";

/** AWS region code, e.g. ap-southeast-2, us-gov-west-1, eu-central-2. */
export const REGION_REGEX =
  "^(us|eu|ap|sa|ca|me|af|il|mx)(-gov|-iso|-isob)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$";

export function allowedRegionsVariable(description?: string): VariableSpec {
  return {
    name: "allowed_regions",
    type: "list(string)",
    description:
      description ?? "AWS regions where regional services may be used. Global services are reached through us-east-1 regardless.",
    default: ["ap-southeast-2"],
    example: `["ap-southeast-2"]`,
    validations: [
      {
        condition: "length(var.allowed_regions) > 0",
        message: "The allowed_regions list must name at least one region.",
      },
      {
        condition: `alltrue([for r in var.allowed_regions : can(regex("${REGION_REGEX}", r))])`,
        message: "Every entry of allowed_regions must be an AWS region code such as ap-southeast-2.",
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
      condition: 'alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])',
      message: "Tag keys in tags must be at most 128 characters and not start with aws:, values at most 256 characters.",
    },
  ],
};

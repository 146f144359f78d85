import { ModuleSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";

export const DATA_LAKE_SPEC: ModuleSpec = {
  id: "data-lake",
  title: "Data lake",
  purpose:
    "Region-locked S3 buckets for a data lake (by default `<name>-landing-zone` and `<name>-analysis`): versioned, encrypted, never public, ACLs disabled, TLS only, with access points, lifecycle, access logs and an Athena workgroup.",
  variables: [
    {
      name: "name",
      type: "string",
      description: "Name of the lake; each zone's bucket is named <name>-<zone>.",
      example: `"acme-lake"`,
      validations: [
        {
          condition: `can(regex("^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$", var.name)) && !startswith(var.name, "xn--") && !startswith(var.name, "sthree-") && length(regexall("--", var.name)) == 0`,
          message:
            "The name must be 3-42 characters of lowercase letters, digits and single hyphens, start and end with a letter or digit, and not start with xn-- or sthree-.",
        },
      ],
    },
    {
      name: "zones",
      type: 'map(object({ description = optional(string, "") }))',
      description: "Lake zones, one bucket each, keyed by zone name.",
      default: { "landing-zone": {}, analysis: {} },
    },
    allowedRegionsVariable(),
    TAGS_VARIABLE,
  ],
  outputs: [
    { name: "bucket_names", description: "Map of zone to bucket name." },
    { name: "bucket_arns", description: "Map of zone to bucket ARN." },
  ],
  securityNotes: ["Buckets are never public and never force-destroyed unless explicitly asked."],
};

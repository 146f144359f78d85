import { ModuleSpec } from "../../lib/module-interface";
import { allowedRegionsVariable } from "../../lib/common-variables";

export const ORG_SCP_SPEC: ModuleSpec = {
  id: "org-scp",
  title: "Organization SCPs",
  purpose: "An optional AWS Organizations OU (or existing targets) with Service Control Policies that fit AWS quotas by construction.",
  variables: [
    { name: "create_ou", type: "bool", description: "Create an organizational unit for the policies.", default: true },
    {
      name: "ou_name",
      type: "string",
      description: "Name of the organizational unit to create.",
      default: "guardrails",
      validations: [
        {
          condition: "length(var.ou_name) >= 1 && length(var.ou_name) <= 128",
          message: "The ou_name must be 1 to 128 characters.",
        },
      ],
    },
    {
      name: "parent_id",
      type: "string",
      description: "Root or OU id under which the OU is created (r-xxxx or ou-xxxx-xxxxxxxx).",
      default: null,
      example: `"r-ab12"`,
      validations: [
        {
          condition: `var.parent_id == null || can(regex("^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$", var.parent_id))`,
          message: "The parent_id must be a root id (r-xxxx) or an OU id (ou-xxxx-xxxxxxxx).",
        },
      ],
    },
    allowedRegionsVariable(),
  ],
  outputs: [{ name: "ou_id", description: "Id of the created OU, or null when create_ou is false." }],
  securityNotes: ["FullAWSAccess stays attached: the SCPs here only deny."],
};

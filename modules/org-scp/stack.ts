import { Construct } from "constructs";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { ORG_SCP_SPEC } from "./spec";

export class OrgScpStack extends ModuleStack {
  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, ORG_SCP_SPEC);
    const ou = new OrganizationsOrganizationalUnit(this, "ou", {
      count: `\${var.create_ou ? 1 : 0}` as any,
      name: "${var.ou_name}",
      parentId: "${var.parent_id}",
      lifecycle: {
        precondition: [
          { condition: "${!var.create_ou || var.parent_id != null}", errorMessage: "The parent_id is required when create_ou is true." },
        ],
      },
    });
    void ou;
    this.output("ou_id", "${var.create_ou ? aws_organizations_organizational_unit.ou[0].id : null}");
    this.checkOutputsDeclared();
  }
}

import { Construct } from "constructs";
import { IamAccountPasswordPolicy } from "@cdktf/provider-aws/lib/iam-account-password-policy";
import { ModuleStack } from "../../lib/module-stack";
import { GeneratorOptions } from "../../lib/config";
import { IAM_BASELINE_SPEC } from "./spec";

export class IamBaselineStack extends ModuleStack {
  constructor(scope: Construct, _options: GeneratorOptions) {
    super(scope, IAM_BASELINE_SPEC);
    const pp = (k: string) => `\${var.password_policy.${k}}`;
    const policy = new IamAccountPasswordPolicy(this, "password_policy", {
      minimumPasswordLength: pp("minimum_length") as any,
      passwordReusePrevention: pp("password_reuse_prevention") as any,
      maxPasswordAge: pp("max_password_age") as any,
      requireSymbols: pp("require_symbols") as any,
      requireNumbers: pp("require_numbers") as any,
      requireUppercaseCharacters: pp("require_uppercase") as any,
      requireLowercaseCharacters: pp("require_lowercase") as any,
      allowUsersToChangePassword: pp("allow_users_to_change") as any,
      hardExpiry: pp("hard_expiry") as any,
    });
    this.output("password_policy_expires_passwords", policy.expirePasswords);
    this.checkOutputsDeclared();
  }
}

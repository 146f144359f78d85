import { ModuleSpec } from "../../lib/module-interface";
import { allowedRegionsVariable, TAGS_VARIABLE } from "../../lib/common-variables";

export const IAM_BASELINE_SPEC: ModuleSpec = {
  id: "iam-baseline",
  title: "IAM baseline",
  purpose:
    "The account's identity baseline: a CIS password policy, MFA enforcement, persona groups with least-privilege managed policies, environment roles assumed with MFA, a CI/CD deployer, account hygiene and an incident lockdown switch.",
  variables: [
    {
      name: "name_prefix",
      type: "string",
      description: "Prefix of every IAM name the module creates (groups, policies, roles).",
      default: "guardrail",
      example: `"acme"`,
      validations: [
        {
          condition: `can(regex("^[A-Za-z][A-Za-z0-9+=,.@_-]{0,31}$", var.name_prefix))`,
          message: "The name_prefix must start with a letter and use at most 32 IAM name characters (letters, digits, +=,.@_-).",
        },
      ],
    },
    allowedRegionsVariable(),
    {
      name: "password_policy",
      type: "object({ minimum_length = optional(number, 14), password_reuse_prevention = optional(number, 24), max_password_age = optional(number, 90), require_symbols = optional(bool, true), require_numbers = optional(bool, true), require_uppercase = optional(bool, true), require_lowercase = optional(bool, true), allow_users_to_change = optional(bool, true), hard_expiry = optional(bool, false) })",
      description: "Account password policy; the defaults follow the CIS AWS Foundations Benchmark.",
      default: {},
      validations: [
        {
          condition: "var.password_policy.minimum_length >= 14 && var.password_policy.minimum_length <= 128",
          message: "The password_policy.minimum_length must be from 14 (CIS) to 128.",
        },
        {
          condition: "var.password_policy.password_reuse_prevention >= 1 && var.password_policy.password_reuse_prevention <= 24",
          message: "The password_policy.password_reuse_prevention must be from 1 to 24.",
        },
        {
          condition: "var.password_policy.max_password_age >= 0 && var.password_policy.max_password_age <= 1095",
          message: "The password_policy.max_password_age must be from 0 (never expires) to 1095 days.",
        },
      ],
    },
    TAGS_VARIABLE,
  ],
  outputs: [{ name: "password_policy_expires_passwords", description: "Whether the account password policy expires passwords." }],
  securityNotes: ["The password policy defaults follow CIS AWS Foundations 1.8/1.9: 14 characters minimum, 24 passwords remembered."],
};

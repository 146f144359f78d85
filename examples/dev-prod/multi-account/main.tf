# The dev-prod team with one account per environment: people and groups live in an
# identity account; the dev and prod accounts hold the environment roles, which
# trust only IAM users of the identity account (with MFA) and, for automation, the
# GitHub deploy role and the named automation users. No shared-account opt-in is
# needed: nothing of prod is reachable from dev.
#
# Each instance runs with credentials of its own account (provider aliases with
# assume_role in a real root; one provider here so that the plan runs offline).

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the accounts' regional resources."
  type        = string
  default     = "ap-southeast-2"
}

variable "identity_account_id" {
  description = "Account of the people, groups and the GitHub deploy role."
  type        = string
  default     = "111111111111"
}

variable "dev_account_id" {
  description = "Account of the dev environment."
  type        = string
  default     = "222222222222"
}

variable "prod_account_id" {
  description = "Account of the prod environment."
  type        = string
  default     = "333333333333"
}

locals {
  environments = {
    dev  = { account_id = var.dev_account_id, trusted_account_id = var.identity_account_id }
    prod = { account_id = var.prod_account_id, trusted_account_id = var.identity_account_id }
  }
}

module "identity" {
  source          = "../../../cdktf.out/stacks/iam-baseline"
  name_prefix     = "acme"
  account_id      = var.identity_account_id
  allowed_regions = [var.region]
  personas = {
    admin      = true
    engineer   = false
    analyst    = false
    developer  = true
    devops     = true
    data_team  = true
    automation = true
  }
  users = {
    "dev-ana"   = { personas = ["developer"] }
    "ops-dee"   = { personas = ["devops"] }
    "data-eli"  = { personas = ["data_team"] }
    "admin-fay" = { personas = ["admin"] }
    "ci-bot"    = { personas = ["automation"] }
  }
  environments           = local.environments
  protected_bucket_names = ["acme-terraform-state"]
  github_oidc = {
    enabled      = true
    repositories = [{ repository = "acme/app", branches = ["main"], environments = ["prod"] }]
  }
}

module "dev" {
  source                        = "../../../cdktf.out/stacks/iam-baseline"
  name_prefix                   = "acme"
  account_id                    = var.dev_account_id
  allowed_regions               = [var.region]
  personas                      = { admin = false, engineer = false, analyst = false, developer = false, devops = false, data_team = false, automation = false }
  environments                  = { dev = local.environments.dev }
  trusted_automation_user_names = ["ci-bot"]
  create_support_role           = false
}

module "prod" {
  source                        = "../../../cdktf.out/stacks/iam-baseline"
  name_prefix                   = "acme"
  account_id                    = var.prod_account_id
  allowed_regions               = [var.region]
  personas                      = { admin = false, engineer = false, analyst = false, developer = false, devops = false, data_team = false, automation = false }
  environments                  = { prod = local.environments.prod }
  trusted_automation_user_names = ["ci-bot"]
  create_support_role           = false
  cloudtrail                    = { enabled = true, bucket_name = "acme-prod-trail-333333333333" }
  lockdown                      = { break_glass_principal_arns = ["arn:aws:iam::333333333333:role/break-glass-oncall"] }
}

output "role_arns" {
  description = "Environment roles per account: environment -> persona -> role ARN."
  value       = merge(module.dev.role_arns, module.prod.role_arns)
}

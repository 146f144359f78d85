# Dev and prod environments reached through roles assumed with
# MFA; developers, devops, a data team with Athena, and CI/CD deploying through a
# GitHub OIDC role instead of long-lived keys.
#
# Single account shown; for one account per environment, set
# environments.<env>.account_id and apply this module in each environment account
# too (its roles then trust the identity account).

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }
  # backend "s3" {
  #   bucket       = "acme-terraform-state"
  #   key          = "guardrails/dev-prod.tfstate"
  #   region       = "ap-southeast-2"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the account's regional resources."
  type        = string
  default     = "ap-southeast-2"
}

variable "account_id" {
  description = "The account's 12-digit id."
  type        = string
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose main branch deploys."
  type        = string
  default     = "acme/app"
}

variable "budget_emails" {
  description = "Who gets budget alerts."
  type        = list(string)
  default     = ["finops@example.com"]
}

module "analytics_lake" {
  source          = "../../cdktf.out/stacks/data-lake"
  name            = "acme-analytics"
  account_id      = var.account_id
  allowed_regions = [var.region]
}

module "iam_baseline" {
  source          = "../../cdktf.out/stacks/iam-baseline"
  name_prefix     = "acme"
  account_id      = var.account_id
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
    "dev-ben"   = { personas = ["developer"] }
    "dev-cy"    = { personas = ["developer"] }
    "ops-dee"   = { personas = ["devops"] }
    "data-eli"  = { personas = ["data_team"] }
    "admin-fay" = { personas = ["admin"] }
  }
  environments = {
    dev  = {}
    prod = {}
  }
  persona_policy_arns = {
    data_team = module.analytics_lake.policy_arns["read_only"]
  }
  github_oidc = {
    enabled      = true
    repositories = [{ repository = var.github_repository, branches = ["main"], environments = ["prod"] }]
  }
  budget = { limit_amount = 1000, emails = var.budget_emails }
}

output "role_arns" {
  description = "Environment roles: environment -> persona -> role ARN."
  value       = module.iam_baseline.role_arns
}

output "github_deploy_role_arn" {
  description = "Role the GitHub workflow assumes through OIDC."
  value       = module.iam_baseline.github_deploy_role_arn
}

output "athena_workgroup" {
  description = "The data team's Athena workgroup."
  value       = module.analytics_lake.athena_workgroup_name
}

# One account locked to ap-southeast-2, admin / engineer / analyst
# people, and a landing-zone + analysis data lake wired into the persona policies.
#
# The modules come from `npx cdktf synth` in this repository; from another repo,
# pin a release instead:
#   source = "git::https://github.com/<org>/<repo>.git//iam-baseline?ref=modules-v0.1.0"

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }
  # Keep state remote and locked. For example:
  # backend "s3" {
  #   bucket       = "acme-terraform-state"
  #   key          = "guardrails/single-account.tfstate"
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
  description = "The account's 12-digit id (no STS call at plan time)."
  type        = string
}

variable "name" {
  description = "Prefix of the account's IAM names and of the lake's bucket names."
  type        = string
  default     = "acme"
}

variable "users" {
  description = "People and their personas."
  type        = map(object({ personas = list(string), console_access = optional(bool, true) }))
  default = {
    "admin-jo"     = { personas = ["admin"] }
    "engineer-sam" = { personas = ["engineer"] }
    "analyst-kim"  = { personas = ["analyst"] }
  }
}

module "data_lake" {
  source          = "../../cdktf.out/stacks/data-lake"
  name            = "${var.name}-lake"
  account_id      = var.account_id
  allowed_regions = [var.region]
}

module "iam_baseline" {
  source          = "../../cdktf.out/stacks/iam-baseline"
  name_prefix     = var.name
  account_id      = var.account_id
  allowed_regions = [var.region]
  personas = {
    admin      = true
    engineer   = true
    analyst    = true
    developer  = false
    devops     = false
    data_team  = false
    automation = false
  }
  users        = var.users
  environments = {}
  # The lake's access policies, attached to the persona groups.
  persona_policy_arns = {
    engineer = module.data_lake.policy_arns["read_write"]
    analyst  = module.data_lake.policy_arns["analyst"]
  }
}

output "bucket_names" {
  description = "Lake bucket per zone."
  value       = module.data_lake.bucket_names
}

output "group_names" {
  description = "IAM group per persona."
  value       = module.iam_baseline.group_names
}

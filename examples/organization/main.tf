# An OU in the organization's management account with the
# guardrail SCPs, and a break-glass role exempt from every deny.
# Apply with credentials of the management account (or a delegated administrator).

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }
  }
  # backend "s3" {
  #   bucket       = "acme-terraform-state"
  #   key          = "guardrails/organization.tfstate"
  #   region       = "ap-southeast-2"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = "ap-southeast-2"
}

variable "root_id" {
  description = "Id of the organization root (r-xxxx) under which the OU is created."
  type        = string
}

variable "break_glass_role_arns" {
  description = "Roles exempt from every SCP deny (break-glass, the pipeline that applies these guardrails)."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/BreakGlass", "arn:aws:iam::*:role/acme-github-deploy"]
}

module "org_scp" {
  source                = "../../cdktf.out/stacks/org-scp"
  create_ou             = true
  ou_name               = "workloads"
  parent_id             = var.root_id
  allowed_regions       = ["ap-southeast-2"]
  exempt_principal_arns = var.break_glass_role_arns
}

output "ou_id" {
  description = "The guarded OU: move workload accounts here."
  value       = module.org_scp.ou_id
}

output "policy_sizes" {
  description = "Characters per SCP (limit 5,120)."
  value       = module.org_scp.policy_sizes
}

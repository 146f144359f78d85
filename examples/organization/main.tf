# An organization's guardrails, applied from the management account: an OU for workload
# accounts with the guardrail SCPs, and the principals a real organization exempts, each only
# from what it needs:
#  - break-glass roles: exempt from everything (their trust policy names the management account);
#  - the security team's role: runs CloudTrail, Config, GuardDuty, Security Hub and Access
#    Analyzer, but stays region-locked and cannot leave the organization;
#  - each account's GitHub deploy role (iam-baseline's OIDC deployer): deploys iam-baseline and
#    data-lake, including the account trail and analyzer they manage, and nothing that would let
#    it leave the organization, act as root or blind the other audit services;
#  - the StackSets execution roles that roll the break-glass and deploy roles out to new accounts.
# Nobody else can create or edit a role whose ARN matches one of these (protect_exempt_principals).
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

variable "name_prefix" {
  description = "The name_prefix the member accounts give iam-baseline (it names the deploy role, the account trail and the analyzer)."
  type        = string
  default     = "acme"
}

variable "break_glass_role_arns" {
  description = "Break-glass roles, exempt from every SCP deny."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/BreakGlass"]
}

module "org_scp" {
  source          = "../../cdktf.out/stacks/org-scp"
  create_ou       = true
  ou_name         = "workloads"
  parent_id       = var.root_id
  allowed_regions = ["ap-southeast-2"]

  exempt_principal_arns         = var.break_glass_role_arns
  security_admin_principal_arns = ["arn:aws:iam::*:role/${var.name_prefix}-security-admin"]
  pipeline_principal_arns       = ["arn:aws:iam::*:role/${var.name_prefix}-github-deploy"]
  pipeline_audit_resource_arns = [
    "arn:aws:cloudtrail:*:*:trail/${var.name_prefix}-account-trail",
    "arn:aws:access-analyzer:*:*:analyzer/${var.name_prefix}-*",
  ]
  exempt_organization_automation_roles = ["stacksets-exec-*"]

  # The public website's CloudFront distribution needs its certificate, web ACL and
  # Lambda@Edge function in us-east-1; nothing else opens there.
  allow_cloudfront_dependencies = true
}

output "ou_id" {
  description = "The guarded OU: move workload accounts here."
  value       = module.org_scp.ou_id
}

output "policy_sizes" {
  description = "Characters per SCP (limit 5,120)."
  value       = module.org_scp.policy_sizes
}

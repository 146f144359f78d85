# Offline tests of the org-scp module: `terraform test` in the module directory.
# The AWS provider is mocked (Terraform 1.7+): no credentials, no network, nothing created.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
}

variables {
  parent_id       = "r-ab12"
  allowed_regions = ["ap-southeast-2"]
}

run "defaults_create_an_ou_with_deny_scps" {
  command = plan

  assert {
    condition     = length(aws_organizations_organizational_unit.ou) == 1 && aws_organizations_organizational_unit.ou[0].parent_id == "r-ab12"
    error_message = "An OU is created under parent_id by default."
  }
  assert {
    condition     = length(aws_organizations_policy.scp) >= 1 && alltrue([for p in values(aws_organizations_policy.scp) : p.type == "SERVICE_CONTROL_POLICY"])
    error_message = "The guardrails are service control policies."
  }
  assert {
    condition     = alltrue([for p in values(aws_organizations_policy.scp) : length(p.content) <= 5120])
    error_message = "Every SCP fits the AWS default quota of 5,120 characters."
  }
  assert {
    condition     = alltrue([for p in values(aws_organizations_policy.scp) : !strcontains(p.content, "\"Allow\"")])
    error_message = "The SCPs only deny (FullAWSAccess stays attached)."
  }
  assert {
    condition     = strcontains(join("", values(aws_organizations_policy.scp)[*].content), "ap-southeast-2")
    error_message = "The region deny names the allowed regions."
  }
  assert {
    condition     = strcontains(join("", values(aws_organizations_policy.scp)[*].content), "organizations:LeaveOrganization")
    error_message = "Leaving the organization is denied by default."
  }
  assert {
    condition     = length(aws_organizations_policy_attachment.scp_attachment) == length(aws_organizations_policy.scp)
    error_message = "Every SCP is attached to the created OU."
  }
  assert {
    condition     = length(aws_organizations_policy.rcp) == 0
    error_message = "No resource control policy unless enable_rcp."
  }
}

run "existing_targets_without_an_ou" {
  command = plan

  variables {
    create_ou  = false
    parent_id  = null
    target_ids = ["ou-ab12-abcdefgh", "111122223333"]
  }

  assert {
    condition     = length(aws_organizations_organizational_unit.ou) == 0
    error_message = "create_ou = false creates no OU."
  }
  assert {
    condition     = toset([for a in values(aws_organizations_policy_attachment.scp_attachment) : a.target_id]) == toset(["ou-ab12-abcdefgh", "111122223333"])
    error_message = "The SCPs are attached to every target id."
  }
}

run "controls_switched_off" {
  command = plan

  variables {
    deny_leaving_organization = false
  }

  assert {
    condition     = !strcontains(join("", values(aws_organizations_policy.scp)[*].content), "organizations:LeaveOrganization")
    error_message = "deny_leaving_organization = false removes that statement."
  }
}

run "module_switched_off" {
  command = plan

  variables {
    enabled = false
  }

  assert {
    condition     = length(aws_organizations_organizational_unit.ou) == 0 && length(aws_organizations_policy_attachment.scp_attachment) == 0
    error_message = "enabled = false creates no OU and attaches nothing."
  }
}

run "resource_control_policy" {
  command = plan

  variables {
    enable_rcp      = true
    organization_id = "o-abcdefghij"
  }

  assert {
    condition     = length(aws_organizations_policy.rcp) >= 1 && alltrue([for p in values(aws_organizations_policy.rcp) : p.type == "RESOURCE_CONTROL_POLICY"])
    error_message = "enable_rcp creates a resource control policy."
  }
  assert {
    condition     = strcontains(join("", values(aws_organizations_policy.rcp)[*].content), "o-abcdefghij")
    error_message = "The RCP data perimeter trusts the given organization."
  }
}

run "outputs_after_apply" {
  # apply against the mocked provider: outputs are computed, nothing reaches AWS.

  assert {
    condition     = output.ou_id == aws_organizations_organizational_unit.ou[0].id
    error_message = "ou_id is the created OU's id."
  }
  assert {
    condition     = alltrue([for k, size in output.policy_sizes : size <= 5120])
    error_message = "policy_sizes reports every policy within the quota."
  }
  assert {
    condition     = toset(keys(output.policy_ids)) == toset(keys(aws_organizations_policy.scp))
    error_message = "policy_ids lists every SCP."
  }
}

# Refusals: bad input stops the plan, naming the input.

run "refuses_a_malformed_parent_id" {
  command = plan
  variables {
    parent_id = "root"
  }
  expect_failures = [var.parent_id]
}

run "refuses_a_malformed_region" {
  command = plan
  variables {
    allowed_regions = ["sydney"]
  }
  expect_failures = [var.allowed_regions]
}

run "refuses_a_malformed_target" {
  command = plan
  variables {
    target_ids = ["my-account"]
  }
  expect_failures = [var.target_ids]
}

run "refuses_an_unknown_security_service" {
  command = plan
  variables {
    protected_security_services = ["antivirus"]
  }
  expect_failures = [var.protected_security_services]
}

run "refuses_an_ou_without_parent" {
  command = plan
  variables {
    parent_id = null
  }
  expect_failures = [aws_organizations_organizational_unit.ou]
}

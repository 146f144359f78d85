# Offline tests of the iam-baseline module: `terraform test` in the module directory.
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
  account_id = "111122223333"
}

run "defaults_create_the_baseline" {
  command = plan

  assert {
    condition     = aws_iam_account_password_policy.password_policy.minimum_password_length == 14
    error_message = "The default password policy must require 14 characters (CIS)."
  }
  assert {
    condition     = aws_iam_account_password_policy.password_policy.password_reuse_prevention == 24
    error_message = "The default password policy must prevent reusing the last 24 passwords."
  }
  assert {
    condition     = toset(keys(aws_iam_group.this)) == toset(["admin", "engineer", "analyst", "developer", "devops", "data_team", "automation"])
    error_message = "Every built-in persona group must be created by default."
  }
  assert {
    condition     = length(aws_iam_role.support) == 1 && length(aws_accessanalyzer_analyzer.access_analyzer) == 1
    error_message = "The support role and the access analyzer are on by default."
  }
  assert {
    condition     = length(aws_cloudtrail.cloudtrail) == 0 && length(aws_iam_role.github_deploy) == 0 && length(aws_budgets_budget.budget) == 0 && length(aws_iam_account_alias.account_alias) == 0
    error_message = "CloudTrail, the GitHub deploy role, the budget and the alias are off by default."
  }
  assert {
    condition     = length(aws_iam_role.environment_role) == 0
    error_message = "No environment roles by default: environments are declared by the caller (a prod environment sharing an account with dev is refused unless opted in)."
  }
  assert {
    condition     = endswith(aws_iam_policy.workload_boundary.name, "-workload-boundary")
    error_message = "The workload permissions boundary exists by default."
  }
  assert {
    condition     = length(aws_iam_user.user) == 0
    error_message = "No user is created by default."
  }
}

run "users_and_console_access" {
  command = plan

  variables {
    users = {
      "jo"  = { personas = ["admin"] }
      "sam" = { personas = ["engineer", "analyst"], console_access = true, pgp_key = "keybase:sam" }
    }
  }

  assert {
    condition     = toset(keys(aws_iam_user.user)) == toset(["jo", "sam"])
    error_message = "One IAM user per users entry."
  }
  assert {
    condition     = toset(keys(aws_iam_user_login_profile.user_console)) == toset(["sam"])
    error_message = "A login profile only for users with console_access."
  }
  assert {
    condition     = toset(aws_iam_user_group_membership.user_groups["sam"].groups) == toset([aws_iam_group.this["engineer"].name, aws_iam_group.this["analyst"].name])
    error_message = "A user is a member of the groups of its personas."
  }
}

run "refuses_a_console_user_without_pgp_key" {
  command = plan

  variables {
    users = { "sam" = { personas = ["engineer"], console_access = true } }
  }

  expect_failures = [aws_iam_user.user]
}

run "persona_switched_off" {
  command = plan

  variables {
    personas = { analyst = false }
  }

  assert {
    condition     = !contains(keys(aws_iam_group.this), "analyst") && contains(keys(aws_iam_group.this), "engineer")
    error_message = "personas = { analyst = false } removes the analyst group only."
  }
}

run "github_oidc_deployer" {
  command = plan

  variables {
    github_oidc = { enabled = true, repositories = [{ repository = "acme/app", branches = ["main"] }] }
  }

  assert {
    condition     = length(aws_iam_role.github_deploy) == 1 && length(aws_iam_openid_connect_provider.github) == 1
    error_message = "github_oidc.enabled creates the deploy role and the OIDC provider."
  }
  assert {
    condition     = strcontains(aws_iam_role.github_deploy[0].assume_role_policy, "repo:acme/app:ref:refs/heads/main")
    error_message = "The deploy role trusts only the given repository's branch."
  }
}

run "cloudtrail_with_a_hardened_bucket" {
  command = plan

  variables {
    cloudtrail = { enabled = true, bucket_name = "acme-trail-logs" }
  }

  assert {
    condition     = length(aws_cloudtrail.cloudtrail) == 1 && aws_cloudtrail.cloudtrail[0].enable_log_file_validation
    error_message = "cloudtrail.enabled creates a trail with log file validation."
  }
  assert {
    condition     = length(aws_s3_bucket.cloudtrail_bucket) == 1 && aws_s3_bucket_public_access_block.cloudtrail_bucket_public_access[0].block_public_policy
    error_message = "The trail's bucket is created private."
  }
}

run "outputs_after_apply" {
  # apply against the mocked provider: outputs are computed, nothing reaches AWS.
  variables {
    users = { "jo" = { personas = ["admin"] } }
  }

  assert {
    condition     = output.group_names["admin"] == aws_iam_group.this["admin"].name
    error_message = "group_names maps each persona to its group."
  }
  assert {
    condition     = output.group_arns["admin"] == "arn:aws:iam::111122223333:group/${aws_iam_group.this["admin"].name}"
    error_message = "group_arns are built from the account id and the group name."
  }
  assert {
    condition     = output.user_names["jo"] == "jo"
    error_message = "user_names maps each user key to its IAM user name."
  }
  assert {
    condition     = output.github_deploy_role_arn == null && output.cloudtrail_arn == null
    error_message = "Outputs of switched-off features are null."
  }
}

# Refusals: bad input stops the plan at the variable, naming it.

run "refuses_a_malformed_account_id" {
  command = plan
  variables {
    account_id = "1234"
  }
  expect_failures = [var.account_id]
}

run "refuses_a_malformed_region" {
  command = plan
  variables {
    allowed_regions = ["sydney"]
  }
  expect_failures = [var.allowed_regions]
}

# Object inputs are checked in two steps: the module refuses unknown attributes itself (below),
# then its inputs child module applies the value rules (user names, lengths), which terraform test
# cannot name in expect_failures; the repository's own suite plans those refusals.
run "refuses_a_misspelt_user_attribute" {
  command = plan
  variables {
    users = { "sam" = { personas = ["admin"], console_acess = true } }
  }
  expect_failures = [var.users]
}

run "refuses_a_misspelt_password_policy_attribute" {
  command = plan
  variables {
    password_policy = { min_length = 16 }
  }
  expect_failures = [var.password_policy]
}

run "refuses_a_misspelt_github_oidc_switch" {
  command = plan
  variables {
    github_oidc = { enable = true }
  }
  expect_failures = [var.github_oidc]
}

run "refuses_an_unknown_persona_in_persona_policy_arns" {
  command = plan
  variables {
    persona_policy_arns = { wizard = ["arn:aws:iam::111122223333:policy/x"] }
  }
  expect_failures = [var.persona_policy_arns]
}

# Offline tests of the data-lake module: `terraform test` in the module directory.
# The AWS provider is mocked (Terraform 1.7+): no credentials, no network, nothing created.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition  = "aws"
      dns_suffix = "amazonaws.com"
    }
  }
  # The provider's region, as a real provider configured for ap-southeast-2 reports it.
  mock_data "aws_region" {
    defaults = {
      id   = "ap-southeast-2"
      name = "ap-southeast-2"
    }
  }
}

variables {
  name       = "acme-lake"
  account_id = "111122223333"
}

run "defaults_create_two_hardened_zones" {
  command = plan

  assert {
    condition     = toset(values(aws_s3_bucket.zone)[*].bucket) == toset(["acme-lake-landing-zone", "acme-lake-analysis"])
    error_message = "The default zones are <name>-landing-zone and <name>-analysis."
  }
  assert {
    condition     = alltrue([for v in values(aws_s3_bucket_versioning.zone) : v.versioning_configuration[0].status == "Enabled"])
    error_message = "Every zone bucket is versioned."
  }
  assert {
    condition = alltrue([for b in values(aws_s3_bucket_public_access_block.zone) :
    b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets])
    error_message = "Every zone bucket blocks all four kinds of public access."
  }
  assert {
    condition     = alltrue([for o in values(aws_s3_bucket_ownership_controls.zone) : o.rule[0].object_ownership == "BucketOwnerEnforced"])
    error_message = "ACLs are disabled on every zone bucket."
  }
  assert {
    condition     = alltrue([for e in values(aws_s3_bucket_server_side_encryption_configuration.zone) : one(e.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"])
    error_message = "Zone buckets are encrypted with AES256 by default."
  }
  assert {
    condition     = alltrue([for p in values(aws_s3_bucket_policy.zone) : strcontains(p.policy, "aws:SecureTransport")])
    error_message = "Every zone bucket policy denies requests without TLS."
  }
  assert {
    condition     = length(aws_s3_access_point.zone) == 2 && length(aws_athena_workgroup.data_team) == 1
    error_message = "One access point per zone and an Athena workgroup by default."
  }
  assert {
    condition     = !aws_s3_bucket.zone["analysis"].force_destroy && !aws_s3_bucket.logs.force_destroy
    error_message = "force_destroy is off unless asked."
  }
}

run "zones_are_inputs" {
  command = plan

  variables {
    zones              = { raw = {}, curated = {}, published = {} }
    analyst_write_zone = "curated"
  }

  assert {
    condition     = toset(keys(aws_s3_bucket.zone)) == toset(["raw", "curated", "published"])
    error_message = "One bucket per zone."
  }
  assert {
    condition     = aws_s3_bucket.zone["raw"].bucket == "acme-lake-raw"
    error_message = "A zone's bucket is named <name>-<zone>."
  }
}

run "athena_workgroup_switched_off" {
  command = plan

  variables {
    create_athena_workgroup = false
  }

  assert {
    condition     = length(aws_athena_workgroup.data_team) == 0 && length(aws_s3_bucket.athena_results) == 0
    error_message = "create_athena_workgroup = false removes the workgroup and its results bucket."
  }
}

run "outputs_after_apply" {
  # apply against the mocked provider: outputs are computed, nothing reaches AWS.

  assert {
    condition     = output.bucket_names == { "landing-zone" = "acme-lake-landing-zone", analysis = "acme-lake-analysis" }
    error_message = "bucket_names maps each zone to its bucket."
  }
  assert {
    condition     = toset(keys(output.policy_arns)) == toset(["read_write", "analyst", "read_only"])
    error_message = "policy_arns has one list per access level (read_write, analyst, read_only)."
  }
  assert {
    condition     = alltrue([for a in output.policy_arns["read_write"] : startswith(a, "arn:aws:iam::111122223333:policy/")])
    error_message = "policy_arns are IAM policy ARNs of the lake's account."
  }
}

# Refusals: bad input stops the plan, naming the input.

run "refuses_a_region_outside_allowed_regions" {
  command = plan
  variables {
    allowed_regions = ["eu-west-1"]
  }
  expect_failures = [data.aws_region.current]
}

run "refuses_a_malformed_account_id" {
  command = plan
  variables {
    account_id = "12345"
  }
  expect_failures = [var.account_id]
}

run "refuses_a_bucket_name_prefix_with_capitals" {
  command = plan
  variables {
    name = "Acme_Lake"
  }
  expect_failures = [var.name]
}

run "refuses_an_unknown_sse_algorithm" {
  command = plan
  variables {
    sse_algorithm = "DES"
  }
  expect_failures = [var.sse_algorithm]
}

run "refuses_an_analyst_write_zone_that_is_not_a_zone" {
  command = plan
  variables {
    analyst_write_zone = "nowhere"
  }
  # a cross-input rule: checked by a precondition of the analyst policy
  expect_failures = [aws_iam_policy.analyst]
}

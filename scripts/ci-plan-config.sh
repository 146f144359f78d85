#!/usr/bin/env bash
# Decides which plan jobs of .github/workflows/ci.yml can run, from the repository's configuration,
# and says why a job is skipped (a notice and the run summary) instead of letting it fail.
# Reads:   AWS_PLAN_ROLE_ARN      role in the workload account (single-account, dev-prod examples)
#          AWS_ORG_PLAN_ROLE_ARN  role in the organization's management account (organization example)
#          EVENT_NAME, HEAD_REPO, REPO  the event, and for pull requests the head repository
# Writes:  account=true|false, organization=true|false to $GITHUB_OUTPUT (stdout when unset)
set -euo pipefail
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
account=false
organization=false

skip() {
  echo "::notice title=$1 skipped::$2"
  echo "- **$1 skipped**: $2" >>"$summary"
}

if [ "${EVENT_NAME:-}" = pull_request ] && [ -n "${HEAD_REPO:-}" ] && [ "${HEAD_REPO}" != "${REPO:-}" ]; then
  reason="pull requests from forks get no OIDC token or repository variables, so no AWS plan runs for them"
  skip "plan (single-account, dev-prod)" "$reason"
  skip "plan (organization)" "$reason"
else
  if [[ "${AWS_PLAN_ROLE_ARN:-}" =~ ^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+ ]]; then
    account=true
  elif [ -n "${AWS_PLAN_ROLE_ARN:-}" ]; then
    echo "::error title=AWS_PLAN_ROLE_ARN::\"${AWS_PLAN_ROLE_ARN}\" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)"
    exit 1
  else
    skip "plan (single-account, dev-prod)" "set the repository variable AWS_PLAN_ROLE_ARN to a plan role in the workload account (README: CI for your repository)"
  fi
  if [[ "${AWS_ORG_PLAN_ROLE_ARN:-}" =~ ^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+ ]]; then
    organization=true
  elif [ -n "${AWS_ORG_PLAN_ROLE_ARN:-}" ]; then
    echo "::error title=AWS_ORG_PLAN_ROLE_ARN::\"${AWS_ORG_PLAN_ROLE_ARN}\" is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)"
    exit 1
  else
    skip "plan (organization)" "the organization example plans only in the organization's management account: set the repository variable AWS_ORG_PLAN_ROLE_ARN to a plan role there (README: CI for your repository)"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'account=%s\norganization=%s\n' "$account" "$organization" >>"$GITHUB_OUTPUT"
else
  printf 'account=%s\norganization=%s\n' "$account" "$organization"
fi

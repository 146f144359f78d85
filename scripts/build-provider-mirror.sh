#!/usr/bin/env bash
# Builds the offline provider mirror the terraform test layers use (TF_PROVIDER_MIRROR), on a
# machine with network access to registry.terraform.io. Copy the directory to offline machines.
#
# usage: scripts/build-provider-mirror.sh [<mirror dir> [<aws provider version> [<platform>...]]]
#   mirror dir  default /opt/tf-plugins (the tests' default; needs write access) 
#   version     default 5.100.0 (the version the tests plan with; the modules accept >= 5.100, < 7.0)
#   platform    default this machine's (e.g. linux_amd64); several may be given
#
# The result is Terraform's unpacked filesystem-mirror layout:
#   <mirror dir>/registry.terraform.io/hashicorp/aws/<version>/<platform>/terraform-provider-aws_v<version>_x5
# and the script ends by proving it: an `terraform init` with the mirror as the only source.
set -euo pipefail
mirror="${1:-/opt/tf-plugins}"
version="${2:-5.100.0}"
shift $(($# > 2 ? 2 : $#))
terraform="${TERRAFORM_BIN:-terraform}"

command -v "$terraform" >/dev/null || { echo "build-provider-mirror: terraform (\$TERRAFORM_BIN) not found" >&2; exit 1; }
platforms=("$@")
if [ ${#platforms[@]} -eq 0 ]; then
  platforms=("$("$terraform" version -json | sed -n 's/.*"platform": *"\([^"]*\)".*/\1/p')")
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$mirror"
mirror="$(cd "$mirror" && pwd)"
printf 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "%s" }\n  }\n}\n' "$version" >"$work/src/main.tf"

# 1. Download (packed layout: zip files) into a scratch directory.
platform_args=()
for p in "${platforms[@]}"; do platform_args+=("-platform=$p"); done
(cd "$work/src" && CHECKPOINT_DISABLE=1 "$terraform" providers mirror "${platform_args[@]}" "$work/packed")

# 2. Unpack into the unpacked layout the tests use.
for p in "${platforms[@]}"; do
  zip="$work/packed/registry.terraform.io/hashicorp/aws/terraform-provider-aws_${version}_${p}.zip"
  [ -f "$zip" ] || { echo "build-provider-mirror: $zip was not downloaded" >&2; exit 1; }
  dest="$mirror/registry.terraform.io/hashicorp/aws/$version/$p"
  rm -rf "$dest" && mkdir -p "$dest"
  if command -v unzip >/dev/null; then unzip -q "$zip" -d "$dest"; else python3 -m zipfile -e "$zip" "$dest"; fi
  chmod +x "$dest"/terraform-provider-aws_*
done

# 3. Prove it offline: init with the mirror as the only provider source.
printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n' "$mirror" >"$work/offline.tfrc"
rm -rf "$work/src/.terraform" "$work/src/.terraform.lock.hcl"
(cd "$work/src" && TF_CLI_CONFIG_FILE="$work/offline.tfrc" CHECKPOINT_DISABLE=1 "$terraform" init -backend=false -input=false >/dev/null)
echo "build-provider-mirror: hashicorp/aws $version (${platforms[*]}) is in $mirror; run the tests with TF_PROVIDER_MIRROR=$mirror"

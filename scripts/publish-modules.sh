#!/usr/bin/env bash
# Publishes the synthesized modules on the `modules` branch of a git remote, tagged
# modules-v<version>, so that other repositories pin them:
#   source = "git::https://github.com/<org>/<repo>.git//iam-baseline?ref=modules-v<version>"
#
# usage: scripts/publish-modules.sh <version> <stacks dir> <remote> [<dist dir>]
#   version     X.Y.Z (the tag is modules-vX.Y.Z)
#   stacks dir  cdktf.out/stacks (one directory per module)
#   remote      a git URL or path (origin in the release workflow)
#   dist dir    optional: also writes <id>-vX.Y.Z.tar.gz per module there (release assets)
#
# What is published (an allow-list, nothing else): per module its *.tf.json, README.md,
# tests/*.tftest.hcl, LICENSE and CHANGELOG.md; at the top LICENSE, CHANGELOG.md and an index
# README.md. No dotfiles, .github, .ci, .terraform or lock files.
#
# Safe to run again:
#  - the new commit is made on top of the remote `modules` branch, so every release is a
#    fast-forward of the previous one;
#  - branch and tag are pushed in one atomic push: both or neither;
#  - a rerun of a published version whose content is identical succeeds and changes nothing;
#    a published tag never moves: different content under an existing tag is refused.
# The release workflow runs the tests before calling this script.
set -euo pipefail

usage() {
  echo "usage: $0 <version X.Y.Z> <stacks dir> <remote> [<dist dir>]" >&2
  exit 2
}
[ $# -ge 3 ] && [ $# -le 4 ] || usage
version="$1"
stacks="$2"
remote="$3"
dist="${4:-}"
branch="${PUBLISH_BRANCH:-modules}"
tag="${PUBLISH_TAG_PREFIX:-modules-v}${version}"
root="$(cd "$(dirname "$0")/.." && pwd)"
changelog="${PUBLISH_CHANGELOG:-$root/CHANGELOG.md}"
license="${PUBLISH_LICENSE:-$root/LICENSE}"

fail() {
  echo "publish-modules: $*" >&2
  exit 1
}
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version \"$version\" is not X.Y.Z"
[ -d "$stacks" ] || fail "stacks directory \"$stacks\" does not exist (run cdktf synth first)"
[ -f "$changelog" ] || fail "no CHANGELOG at $changelog"
[ -f "$license" ] || fail "no LICENSE at $license"
case "$remote" in /* | *:*) ;; *) remote="$(cd "$remote" && pwd)" ;; esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir -p "$tree"

# 1. Assemble the published tree from an allow-list.
modules=()
for dir in "$stacks"/*/; do
  id="$(basename "$dir")"
  case "$id" in .*) continue ;; esac
  [[ "$id" =~ ^[a-z0-9-]+$ ]] || fail "module directory \"$id\" is not a module id"
  ls "$dir"/*.tf.json >/dev/null 2>&1 || fail "$dir has no *.tf.json"
  [ -f "$dir/README.md" ] || fail "$dir has no README.md"
  mkdir -p "$tree/$id"
  cp "$dir"/*.tf.json "$dir/README.md" "$tree/$id/"
  if ls "$dir"/tests/*.tftest.hcl >/dev/null 2>&1; then
    mkdir -p "$tree/$id/tests"
    cp "$dir"/tests/*.tftest.hcl "$tree/$id/tests/"
  fi
  cp "$license" "$tree/$id/LICENSE"
  cp "$changelog" "$tree/$id/CHANGELOG.md"
  modules+=("$id")
done
[ ${#modules[@]} -gt 0 ] || fail "no module directories in $stacks"
cp "$license" "$tree/LICENSE"
cp "$changelog" "$tree/CHANGELOG.md"
{
  echo "# Guardrail modules ${version}"
  echo
  echo "Generated Terraform modules, one per directory; each has its own README (inputs, outputs,"
  echo "resources), offline tests (\`terraform test\`), LICENSE (Apache-2.0) and CHANGELOG. Pin a release:"
  echo
  echo '```hcl'
  echo "module \"${modules[0]//-/_}\" {"
  echo "  source = \"git::https://github.com/<your-org>/<guardrail-modules>.git//${modules[0]}?ref=${tag}\""
  echo "}"
  echo '```'
  echo
  for id in "${modules[@]}"; do echo "- [\`$id\`]($id/README.md)"; done
} >"$tree/README.md"

if [ -n "$dist" ]; then
  mkdir -p "$dist"
  for id in "${modules[@]}"; do tar -C "$tree" -czf "$dist/$id-v$version.tar.gz" "$id"; done
fi

# 2. Check out the remote branch (or start it) and put the tree in place.
repo="$work/repo"
git init -q "$repo"
g() { git -C "$repo" -c user.name="${PUBLISH_GIT_NAME:-github-actions}" -c user.email="${PUBLISH_GIT_EMAIL:-github-actions@users.noreply.github.com}" "$@"; }
g remote add origin "$remote"
if g ls-remote --exit-code --heads origin "$branch" >/dev/null; then
  g fetch -q origin "refs/heads/$branch:refs/remotes/origin/$branch"
  g checkout -q -B "$branch" "origin/$branch"
else
  g checkout -q --orphan "$branch"
fi
published_tag=""
if g ls-remote --exit-code --tags origin "refs/tags/$tag" >/dev/null; then
  g fetch -q origin "refs/tags/$tag:refs/tags/$tag"
  published_tag="yes"
fi
g rm -rq --ignore-unmatch . >/dev/null
cp -R "$tree"/. "$repo"/
g add -A
new_tree="$(g write-tree)"

# 3. A rerun of a published version: nothing to do when identical, refused otherwise.
if [ -n "$published_tag" ]; then
  if [ "$(g rev-parse "$tag^{tree}")" = "$new_tree" ]; then
    echo "publish-modules: $tag is already published with this content; nothing to do"
    exit 0
  fi
  fail "$tag is already published with different content; a published tag never moves: release a new version"
fi

# 4. Commit (a fast-forward of the remote branch), tag, and push both atomically.
if ! g rev-parse -q --verify HEAD >/dev/null || [ "$(g rev-parse 'HEAD^{tree}')" != "$new_tree" ]; then
  g commit -q -m "modules v$version"
else
  echo "publish-modules: the module tree is unchanged since the last release; tagging the same commit"
fi
g tag -a "$tag" -m "modules v$version"
g push -q --atomic origin "refs/heads/$branch:refs/heads/$branch" "refs/tags/$tag:refs/tags/$tag"
echo "publish-modules: published ${modules[*]} as $tag ($(g rev-parse --short HEAD)) on $branch"

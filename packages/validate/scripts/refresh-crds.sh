#!/usr/bin/env bash
# Regenerates schemas/crds/ from upstream CRD YAML, one add-on at a time.
#   packages/validate/scripts/refresh-crds.sh CHECKOUTS [ADDON]
# CHECKOUTS holds a git clone per upstream repository, named owner+repo (e.g.
# CHECKOUTS/aws+karpenter-provider-aws), with its tags. For each line of crd-sources.tsv (or
# only ADDON's) the CRD YAML files under the path at the tag are read with `git show` and
# handed to crd-schemas.ts. On a version bump: change the version in addons/<addon>.ts and in
# crd-sources.tsv, run this, review the diff of schemas/crds/, run the tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
checkouts="${1:?usage: refresh-crds.sh CHECKOUTS [ADDON]}"
only="${2:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
grep -v '^#' "$here/crd-sources.tsv" | while IFS=$'\t' read -r addon version repo tag path; do
  [ -n "$only" ] && [ "$only" != "$addon" ] && continue
  git_dir="$checkouts/${repo/\//+}"
  out="$tmp/$addon"
  mkdir -p "$out"
  IFS=',' read -r -a paths <<< "$path"
  git -C "$git_dir" ls-tree -r --name-only "$tag" -- "${paths[@]}" | grep -E '\.ya?ml$' | while read -r f; do
    git -C "$git_dir" show "$tag:$f" > "$out/$(echo "$f" | tr / _)"
  done
  npx tsx "$here/crd-schemas.ts" --addon "$addon" --version "$version" --source "$repo@$tag:$path" "$out"/*
done

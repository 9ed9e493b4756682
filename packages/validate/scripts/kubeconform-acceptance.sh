#!/usr/bin/env bash
# kubeconform v0.7.0's acceptance cases (acceptance.bats, acceptance-nonetwork.bats) against
# `slipway validate`: the same flags (spelled as slipway spells them) on kubeconform's own fixtures,
# compared by verdict (exit 0 passes, anything else fails) with the status kubeconform's suite
# expects (recorded below); slipway's usage errors exit 2 where kubeconform exits 1.
#   packages/validate/scripts/kubeconform-acceptance.sh KUBECONFORM_DIR
# KUBECONFORM_DIR is a checkout of yannh/kubeconform at v0.7.0 (its fixtures/ are read there).
# Cases of kubeconform features slipway does not have are listed as n/a; the README's
# "kubeconform's acceptance suite, compared" explains each disagreement.
set -uo pipefail
kc="${1:?usage: kubeconform-acceptance.sh KUBECONFORM_DIR}"
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
slipway() { node "$repo/packages/cli/bin/slipway.js" validate "$@"; }
agree=0; differ=0; na=0
case_() { # expected-status description -- args…
  local want="$1" what="$2"; shift 3
  local got
  (cd "$kc" && slipway "$@" >/dev/null 2>&1); got=$?
  if [ "$((want == 0))" = "$((got == 0))" ]; then agree=$((agree + 1)); printf 'agree   %s (%s)\n' "$what" "$got"
  else differ=$((differ + 1)); printf 'DIFFER  %s: kubeconform %s, slipway %s\n' "$what" "$want" "$got"; fi
}
stdin_() { # expected-status description file
  local got
  (cd "$kc" && slipway - < "$3" >/dev/null 2>&1); got=$?
  if [ "$(($1 == 0))" = "$((got == 0))" ]; then agree=$((agree + 1)); printf 'agree   %s (%s)\n' "$2" "$got"
  else differ=$((differ + 1)); printf 'DIFFER  %s: kubeconform %s, slipway %s\n' "$2" "$1" "$got"; fi
}
na_() { na=$((na + 1)); printf 'n/a     %s\n' "$1"; }

na_ "-h prints kubeconform's usage"
na_ "an unknown flag prints kubeconform's text"
case_ 0 "valid.yaml" -- --summary fixtures/valid.yaml
case_ 0 "a folder of valid files" -- --summary fixtures/folder
case_ 0 "int_or_string.yaml" -- fixtures/int_or_string.yaml
case_ 0 "valid.json on 1.20.0" -- --kubernetes-version 1.20.0 --summary fixtures/valid.json
case_ 0 "generate_name.yaml" -- fixtures/generate_name.yaml
case_ 0 "quantity.yaml" -- fixtures/quantity.yaml
case_ 0 "null_string.yaml (verbose)" -- fixtures/null_string.yaml
case_ 0 "null_string.yaml (summary)" -- --summary fixtures/null_string.yaml
case_ 0 "multi_valid.yaml" -- --summary fixtures/multi_valid.yaml
case_ 1 "multi_invalid.yaml" -- fixtures/multi_invalid.yaml
case_ 1 "invalid.yaml" -- fixtures/invalid.yaml
case_ 1 "a file that does not exist" -- fixtures/not-here
case_ 0 "blank.yaml" -- --summary fixtures/blank.yaml
case_ 0 "comment.yaml" -- --summary fixtures/comment.yaml
case_ 1 "missing_kind.yaml" -- --summary fixtures/missing_kind.yaml
case_ 1 "missing_apiversion.yaml" -- --summary fixtures/missing_apiversion.yaml
case_ 1 "missing_kind_value.yaml" -- --summary fixtures/missing_kind_value.yaml
case_ 1 "test_crd.yaml without its schema" -- fixtures/test_crd.yaml
case_ 0 "test_crd.yaml, missing schemas ignored" -- --ignore-missing-schemas fixtures/test_crd.yaml
case_ 0 "extra_property.yaml, not strict" -- --no-strict --summary fixtures/extra_property.yaml
case_ 1 "extra_property.yaml, strict" -- --strict --kubernetes-version 1.20.0 fixtures/extra_property.yaml
case_ 1 "duplicate_property.yaml, strict" -- --strict --kubernetes-version 1.20.0 fixtures/duplicate_property.yaml
case_ 0 "duplicate_property.yaml, not strict" -- --no-strict --kubernetes-version 1.20.0 fixtures/duplicate_property.yaml
case_ 0 "-schema-location default" -- --schema-location default fixtures/valid.yaml
case_ 0 "an HTTP -schema-location" -- --schema-location 'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json' fixtures/valid.yaml
case_ 0 "schemas with HTTP references" -- --summary --schema-location 'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/{{ .NormalizedKubernetesVersion }}{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json' fixtures/valid.yaml
case_ 1 "an invalid HTTP -schema-location" -- --schema-location 'http://foo' fixtures/valid.yaml
case_ 1 "an invalid non-HTTP -schema-location" -- --schema-location foo fixtures/valid.yaml
case_ 1 "an invalid template" -- --schema-location 'foo {{ .Foo }}' fixtures/valid.yaml
case_ 1 "-kubernetes-version 1.25 (no patch)" -- --kubernetes-version 1.25 fixtures/valid.yaml
case_ 0 "openshift schemas over HTTP, valid input" -- --kubernetes-version 3.8.0 --schema-location 'https://raw.githubusercontent.com/garethr/openshift-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}.json' --summary fixtures/valid.yaml
case_ 1 "openshift schemas over HTTP, invalid input" -- --kubernetes-version 3.8.0 --schema-location 'https://raw.githubusercontent.com/garethr/openshift-json-schema/master/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}.json' --summary fixtures/invalid.yaml
na_ "stdin read when no PATH is given (slipway validates the rendered fleet then)"
stdin_ 0 "valid.yaml on stdin (-)" fixtures/valid.yaml
stdin_ 1 "invalid.yaml on stdin (-)" fixtures/invalid.yaml
na_ "no data on an implicit stdin (slipway validates the rendered fleet then)"
stdin_ 1 "no data on stdin (-)" /dev/null
case_ 0 "--skip a kind" -- --skip ReplicationController fixtures/valid.yaml
case_ 0 "--skip a GVK" -- --skip v1/ReplicationController fixtures/valid.yaml
case_ 0 "--skip another version of the kind" -- --skip v2/ReplicationController fixtures/valid.yaml
case_ 1 "--reject a kind" -- --reject ReplicationController fixtures/valid.yaml
na_ "--ignore-filename-pattern"
na_ "-cache: stores schemas"
na_ "-cache: a 404 is not cached"
na_ "-cache: a missing cache folder"
na_ "-cache: HTTP references cached"
na_ "-output tap"
case_ 0 "list_valid.yaml" -- --summary fixtures/list_valid.yaml
stdin_ 0 "list_valid.yaml on stdin" fixtures/list_valid.yaml
case_ 1 "list_invalid.yaml" -- --summary fixtures/list_invalid.yaml
stdin_ 1 "list_invalid.yaml on stdin" fixtures/list_invalid.yaml
case_ 0 "list_empty_valid.yaml" -- --summary fixtures/list_empty_valid.yaml
case_ 0 "multi_with_list.yaml" -- --summary fixtures/multi_with_list.yaml
na_ "HTTPS_PROXY"
na_ "valid_large.yaml (100,000 objects; not in the snapshot)"
na_ "valid_large.yaml on stdin"
na_ "JUnit output against kubeconform's XSD"
case_ 0 "a CRD without a JSON schema, CRDs-catalog URL template" -- --schema-location default --schema-location 'https://raw.githubusercontent.com/datreeio/CRDs-catalog/main/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json' fixtures/httpproxy.yaml
case_ 0 "a duration that is not ISO 8601, one JSON schema file" -- --schema-location ./fixtures/grafanaalertrulegroup_v1beta1.json ./fixtures/grafana-alert-rule-group-sample.yaml
# acceptance-nonetwork.bats
case_ 1 "no network: valid.yaml with no schemas at hand" -- fixtures/valid.yaml
na_ "no network: -cache"
case_ 0 "a local registry template" -- --schema-location './fixtures/registry/{{ .ResourceKind }}{{ .KindSuffix }}.json' fixtures/test_crd.yaml
case_ 0 "several registries, the last one has the schema" -- --schema-location 'fixtures/{{ .ResourceKind }}.json' --schema-location './fixtures/registry/{{ .ResourceKind }}{{ .KindSuffix }}.json' fixtures/test_crd.yaml
na_ "no network: a cached schema with HTTP references"
printf '\n%d agree, %d differ, %d n/a (of %d)\n' "$agree" "$differ" "$na" $((agree + differ + na))

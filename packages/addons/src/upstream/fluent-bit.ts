/** Fluent Bit 4.0.3: its Helm chart (fluent/helm-charts, chart fluent-bit-0.50.0, appVersion 4.0.3) read, not rendered; configuration keys from the plugins' config maps at v4.0.3. */
import { cluster, r, type UpstreamFacts } from "./facts";

export const fluentBitFacts: UpstreamFacts = {
  addon: "fluent-bit",
  version: "4.0.3",
  compared: [
    "fluent/helm-charts:charts/fluent-bit/templates/daemonset.yaml, clusterrole.yaml@fluent-bit-0.50.0 (appVersion 4.0.3)",
    "fluent/helm-charts:charts/fluent-bit/values.yaml@fluent-bit-0.50.0 (probes / and /api/v1/health on :2020)",
    "plugins/in_tail/tail.c, plugins/filter_kubernetes/kubernetes.c, plugins/out_cloudwatch_logs/cloudwatch_logs.c@v4.0.3 (configuration keys)",
    "dockerfiles/Dockerfile@v4.0.3 (parsers.conf in /fluent-bit/etc, port 2020)",
  ],
  images: { "fluent-bit": "cr.fluentbit.io/fluent/fluent-bit" },
  // Configured by its file, not by flags.
  flags: { "fluent-bit": [] },
  rbac: { "fluent-bit": [cluster(r([""], ["namespaces", "pods"], ["get", "list", "watch"]))] },
};

/**
 * Keys each section of the configuration may use: the plugin's own config map at v4.0.3 plus the
 * keys every input, filter or output takes (Name, Match, Tag, storage.type, Mem_Buf_Limit, workers, …).
 * Lower-cased, as Fluent Bit compares them.
 */
export const fluentBitConfigKeys: Readonly<Record<string, readonly string[]>> = {
  SERVICE: ["flush", "log_level", "daemon", "parsers_file", "http_server", "http_listen", "http_port", "health_check", "storage.path"],
  "INPUT tail": [
    "name", "tag", "mem_buf_limit", "storage.type",
    "path", "exclude_path", "key", "read_from_head", "refresh_interval", "watcher_interval", "rotate_wait", "docker_mode", "path_key", "offset_key",
    "ignore_older", "buffer_chunk_size", "buffer_max_size", "skip_long_lines", "skip_empty_lines", "parser", "tag_regex", "db", "db.sync", "db.locking",
    "db.journal_mode", "multiline", "multiline.parser",
  ],
  "FILTER kubernetes": [
    "name", "match",
    "buffer_size", "merge_log", "merge_parser", "merge_log_key", "merge_log_trim", "keep_log", "kube_url", "kube_ca_file", "kube_ca_path", "kube_tag_prefix",
    "kube_token_file", "labels", "annotations", "owner_references", "namespace_labels", "namespace_annotations", "k8s-logging.parser", "k8s-logging.exclude",
    "use_kubelet", "kube_meta_cache_ttl",
  ],
  "FILTER grep": ["name", "match", "regex", "exclude", "logical_op"],
  "OUTPUT cloudwatch_logs": [
    "name", "match", "workers",
    "region", "log_group_name", "log_stream_name", "log_stream_prefix", "log_group_template", "log_stream_template", "log_key", "log_format", "role_arn",
    "auto_create_group", "auto_retry_requests", "log_retention_days", "endpoint", "sts_endpoint", "external_id", "log_group_class",
  ],
};

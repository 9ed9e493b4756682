/** Fluent Bit on every node, shipping container logs to CloudWatch Logs (`/aws/containerinsights/<cluster>/application`). */
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, READ, rule } from "../kit/rbac";
import { ResourcesValues, identityValue } from "../kit/values";
import { addService, addWorkload, exemption, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "fluent-bit";
const NAMESPACE = "logging";

export const FluentBitValues = z.strictObject({
  resources: ResourcesValues.default({ cpu: "50m", memory: "128Mi", memoryLimit: "256Mi" }),
  identity: identityValue,
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Days CloudWatch keeps logs; the log group is created by the infrastructure code with this retention. */
  retentionDays: z.number().int().min(1).default(30),
  /** Namespaces whose logs are dropped (noisy system components). */
  excludeNamespaces: z.array(z.string()).default([]),
});

export function logGroupName(cluster: string): string {
  return `/aws/containerinsights/${cluster}/application`;
}

export function config(cluster: string, region: string, logLevel: string, exclude: readonly string[]): string {
  const lines = [
    "[SERVICE]",
    "    Flush             5",
    `    Log_Level         ${logLevel}`,
    "    Daemon            off",
    "    Parsers_File      /fluent-bit/etc/parsers.conf",
    "    HTTP_Server       On",
    "    HTTP_Listen       0.0.0.0",
    "    HTTP_Port         2020",
    "    Health_Check      On",
    "    storage.path      /var/fluent-bit/state/flb-storage/",
    "",
    "[INPUT]",
    "    Name              tail",
    "    Tag               kube.*",
    "    Path              /var/log/containers/*.log",
    "    multiline.parser  cri, docker",
    "    DB                /var/fluent-bit/state/flb_container.db",
    "    Mem_Buf_Limit     50MB",
    "    Skip_Long_Lines   On",
    "    Refresh_Interval  10",
    "    storage.type      filesystem",
    "",
    "[FILTER]",
    "    Name              kubernetes",
    "    Match             kube.*",
    "    Kube_Tag_Prefix   kube.var.log.containers.",
    "    Merge_Log         On",
    "    Keep_Log          Off",
    "    K8S-Logging.Exclude On",
    "    Labels            Off",
    "    Annotations       Off",
    "",
    ...exclude.flatMap((ns) => ["[FILTER]", "    Name              grep", "    Match             kube.*", `    Exclude           $kubernetes['namespace_name'] ^${ns}$`, ""]),
    "[OUTPUT]",
    "    Name              cloudwatch_logs",
    "    Match             kube.*",
    `    region            ${region}`,
    `    log_group_name    ${logGroupName(cluster)}`,
    "    log_stream_prefix from-fluent-bit-",
    "    log_stream_template $kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
    // The log group (and its retention) belongs to the infrastructure code, not to the log shipper.
    "    auto_create_group false",
    "    workers           1",
    "",
  ];
  return lines.join("\n");
}

export const fluentBit = defineAddonModule({
  name: NAME,
  description: "Container logs to CloudWatch Logs.",
  namespace: NAMESPACE,
  defaultVersion: "4.0.3",
  upstream: "https://github.com/fluent/fluent-bit",
  values: FluentBitValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: false,
  comparedWith: ["fluent/helm-charts:charts/fluent-bit/templates@fluent-bit-0.50.0 (appVersion 4.0.3)", "plugins/in_tail, plugins/filter_kubernetes, plugins/out_cloudwatch_logs@v4.0.3 (configuration keys)", "dockerfiles/Dockerfile@v4.0.3"],
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "put log events (logs:CreateLogStream, PutLogEvents, DescribeLogStreams) into the cluster's log group" }),
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "agent"), port: "http", path: "/api/v2/metrics/prometheus" }],
  awsResources: (ctx) => [{ type: "cloudwatch-log-group", addon: NAME, name: logGroupName(ctx.cluster.name), purpose: `container logs, retained ${ctx.values.retentionDays} days` }],
  generate(scope, ctx) {
    const v = ctx.values;
    // Reading /var/log on the host needs hostPath volumes and root: only `privileged` admits them.
    addNamespace(scope, ctx, "privileged", "fluent-bit reads container logs from hostPath /var/log as root");
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    // The chart's ClusterRole without `rbac.nodeAccess` (the kubernetes filter asks the API server, not the kubelet).
    addClusterRole(scope, ctx, NAME, [rule([""], ["namespaces", "pods"], READ)], NAME);
    new k8s.KubeConfigMap(scope, "config", {
      metadata: meta(ctx, NAME, { wave: "foundation" }),
      data: { "fluent-bit.conf": config(ctx.cluster.name, ctx.cluster.aws.region, v.logLevel, v.excludeNamespaces) },
    });
    addWorkload(scope, ctx, {
      kind: "DaemonSet", name: NAME, component: "agent", serviceAccount: NAME, priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists" }],
      // Root, but nothing more: no privilege, no escalation, every capability dropped, read-only
      // root filesystem, /var/log mounted read-only. Non-root is not possible on EKS nodes.
      annotations: exemption(
        "SW-GR-RUN-AS-NON-ROOT",
        "fluent-bit tails the node's container logs through hostPath /var/log: containerd writes /var/log/pods/*/*/*.log as root with mode 0640, and fluent-bit keeps its read offsets in hostPath /var/fluent-bit/state, created root-owned. No other UID can read them: Kubernetes cannot give a non-root process an effective CAP_DAC_READ_SEARCH (no ambient capabilities), and the node's files are not ours to chown. Otherwise locked down: not privileged, no escalation, all capabilities dropped, read-only root filesystem and /var/log",
      ),
      containers: [{
        name: "fluent-bit",
        image: `cr.fluentbit.io/fluent/fluent-bit:${ctx.version.replace(/^v/, "")}`,
        resources: v.resources,
        runAsRoot: true,
        ports: [{ name: "http", containerPort: 2020 }],
        liveness: httpProbe("/", "http"),
        readiness: httpProbe("/api/v1/health", "http", "HTTP", 5),
        mounts: [
          { name: "config", mountPath: "/fluent-bit/etc/fluent-bit.conf", subPath: "fluent-bit.conf", readOnly: true },
          { name: "varlog", mountPath: "/var/log", readOnly: true },
          { name: "state", mountPath: "/var/fluent-bit/state" },
        ],
      }],
      volumes: [
        { name: "config", configMap: { name: NAME } },
        { name: "varlog", hostPath: { path: "/var/log", type: "Directory" } },
        { name: "state", hostPath: { path: "/var/fluent-bit/state", type: "DirectoryOrCreate" } },
      ],
      terminationGracePeriodSeconds: 10,
    });
    addService(scope, ctx, NAME, "agent", [{ name: "http", port: 2020, targetPort: "http" }]);
  },
});

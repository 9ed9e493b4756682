/**
 * Cluster Autoscaler for clusters without Karpenter: scales the cluster's Auto Scaling groups,
 * found by their `k8s.io/cluster-autoscaler/<cluster>` tag. Its minor version must match the
 * cluster's Kubernetes minor.
 */
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { selectorLabels } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, addRole, leaseLock, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "cluster-autoscaler";
const NAMESPACE = "cluster-autoscaler";

export const ClusterAutoscalerValues = z.strictObject({
  ...controllerValues({ replicas: 1, cpu: "100m", memory: "300Mi" }),
  identity: identityValue,
  expander: z.enum(["least-waste", "priority", "random", "most-pods"]).default("least-waste"),
  scaleDownUnneededTime: z.string().regex(/^\d+m$/).default("10m"),
  balanceSimilarNodeGroups: z.boolean().default(true),
});

export const clusterAutoscaler = defineAddonModule({
  name: NAME,
  description: "Scales EC2 Auto Scaling groups discovered by cluster tag (for clusters without Karpenter).",
  namespace: NAMESPACE,
  defaultVersion: "v1.34.1",
  upstream: "https://github.com/kubernetes/autoscaler",
  tag: (version) => `cluster-autoscaler-${version.replace(/^v/, "")}`,
  values: ClusterAutoscalerValues,
  requires: [],
  conflicts: ["karpenter"],
  syncWave: AddonWave.core,
  serverSideApply: false,
  comparedWith: ["cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml@cluster-autoscaler-1.34.1", "cluster-autoscaler/config/flags/flags.go, main.go@cluster-autoscaler-1.34.1"],
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "describe and resize the cluster's Auto Scaling groups" }),
  checks: (version, _values, cluster) => {
    const minor = version.replace(/^v/, "").split(".").slice(0, 2).join(".");
    // Upstream supports only the Kubernetes minor a release was built for.
    return minor === cluster.kubernetesVersion
      ? []
      : [{ field: "version", message: `cluster-autoscaler ${version} is built for Kubernetes ${minor}, but cluster ${cluster.name} runs ${cluster.kubernetesVersion}`, hint: `pin a ${cluster.kubernetesVersion}.x release, per cluster if clusters differ` }];
  },
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "http" }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    // As upstream's AWS auto-discovery example grants at the tag.
    addClusterRole(scope, ctx, NAME, [
      rule([""], ["events", "endpoints"], ["create", "patch"]),
      rule([""], ["pods/eviction"], ["create"]),
      rule([""], ["pods/status"], ["update"]),
      rule([""], ["endpoints"], ["get", "update"], [NAME]),
      rule([""], ["nodes"], ["watch", "list", "get", "update"]),
      rule([""], ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"], ["watch", "list", "get"]),
      rule(["extensions"], ["replicasets", "daemonsets"], ["watch", "list", "get"]),
      rule(["policy"], ["poddisruptionbudgets"], ["watch", "list"]),
      rule(["apps"], ["statefulsets", "replicasets", "daemonsets"], ["watch", "list", "get"]),
      rule(["storage.k8s.io"], ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], ["watch", "list", "get"]),
      rule(["batch", "extensions"], ["jobs"], ["get", "list", "watch", "patch"]),
      ...leaseLock([NAME], ["get", "update"]),
    ], NAME);
    // The status ConfigMap (and the priority expander's) in --namespace.
    addRole(scope, ctx, NAME, [
      rule([""], ["configmaps"], ["create", "list", "watch"]),
      rule([""], ["configmaps"], ["delete", "get", "update", "watch"], ["cluster-autoscaler-status", "cluster-autoscaler-priority-expander"]),
    ], NAME);
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "cluster-autoscaler",
        image: `registry.k8s.io/autoscaling/cluster-autoscaler:${ctx.version.startsWith("v") ? ctx.version : `v${ctx.version}`}`,
        resources: v.resources,
        command: ["./cluster-autoscaler"],
        args: [
          "--cloud-provider=aws",
          // Where its leader-election Lease and status ConfigMap live (upstream default: kube-system).
          `--namespace=${NAMESPACE}`,
          `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${ctx.cluster.name}`,
          `--expander=${v.expander}`,
          `--balance-similar-node-groups=${v.balanceSimilarNodeGroups}`,
          "--skip-nodes-with-system-pods=false",
          "--skip-nodes-with-local-storage=false",
          `--scale-down-unneeded-time=${v.scaleDownUnneededTime}`,
          `--v=${v.logLevel === "debug" ? 4 : 2}`,
          "--logtostderr=true",
          "--stderrthreshold=info",
        ],
        env: [{ name: "AWS_REGION", value: ctx.cluster.aws.region }],
        ports: [{ name: "http", containerPort: 8085 }],
        // /health-check on --address (:8085) fails once the autoscaler loop stops making progress;
        // a standby replica passes. It is the component's one health endpoint, used for both.
        liveness: httpProbe("/health-check", "http"),
        readiness: httpProbe("/health-check", "http", "HTTP", 5),
      }],
    });
    addService(scope, ctx, NAME, "controller", [{ name: "http", port: 8085, targetPort: "http" }]);
  },
});

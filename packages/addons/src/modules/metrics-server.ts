/** metrics-server: the resource metrics API (`v1beta1.metrics.k8s.io`) HPAs and `kubectl top` read. */
import { k8s } from "cdk8s-plus-28";
import * as z from "zod";
import { addServiceAccount } from "../kit/identity";
import { meta } from "../kit/meta";
import { addClusterRole, bindClusterRole, READ, rule } from "../kit/rbac";
import { controllerValues } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "metrics-server";

export const MetricsServerValues = z.strictObject({
  ...controllerValues({ replicas: 2, cpu: "100m", memory: "200Mi" }),
  metricResolution: z.string().regex(/^\d+s$/).default("15s"),
});

export const metricsServer = defineAddonModule({
  name: NAME,
  description: "Resource metrics API for HPAs and `kubectl top`.",
  // The API server's aggregation layer expects it beside the other system components.
  namespace: "kube-system",
  defaultVersion: "v0.8.0",
  upstream: "https://github.com/kubernetes-sigs/metrics-server",
  values: MetricsServerValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: false,
  comparedWith: ["manifests/base@v0.8.0 (the release's components.yaml)", "cmd/metrics-server/app/options@v0.8.0"],
  generate(scope, ctx) {
    const v = ctx.values;
    addServiceAccount(scope, ctx, NAME);
    addClusterRole(scope, ctx, "system:aggregated-metrics-reader", [rule(["metrics.k8s.io"], ["pods", "nodes"], READ)], undefined, {
      "rbac.authorization.k8s.io/aggregate-to-admin": "true",
      "rbac.authorization.k8s.io/aggregate-to-edit": "true",
      "rbac.authorization.k8s.io/aggregate-to-view": "true",
    });
    addClusterRole(scope, ctx, "system:metrics-server", [
      rule([""], ["nodes/metrics"], ["get"]),
      rule([""], ["pods", "nodes"], READ),
    ], NAME);
    bindClusterRole(scope, ctx, "metrics-server:system:auth-delegator", "system:auth-delegator", NAME);
    new k8s.KubeRoleBinding(scope, "auth-reader", {
      metadata: meta(ctx, "metrics-server-auth-reader", { wave: "foundation" }),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
      subjects: [{ kind: "ServiceAccount", name: NAME, namespace: ctx.namespace }],
    });
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "server", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "metrics-server",
        image: `registry.k8s.io/metrics-server/metrics-server:${ctx.version}`,
        resources: v.resources,
        args: [
          "--cert-dir=/tmp",
          "--secure-port=10250",
          "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
          "--kubelet-use-node-status-port",
          `--metric-resolution=${v.metricResolution}`,
        ],
        ports: [{ name: "https", containerPort: 10250 }],
        liveness: httpProbe("/livez", "https", "HTTPS", 0),
        readiness: httpProbe("/readyz", "https", "HTTPS", 20),
        mounts: [{ name: "tmp-dir", mountPath: "/tmp" }],
      }],
      volumes: [{ name: "tmp-dir", emptyDir: {} }],
    });
    addService(scope, ctx, NAME, "server", [{ name: "https", port: 443, targetPort: "https" }]);
    new k8s.KubeApiService(scope, "api-service", {
      metadata: meta(ctx, "v1beta1.metrics.k8s.io", { namespace: null, wave: "admission" }),
      spec: {
        group: "metrics.k8s.io",
        version: "v1beta1",
        groupPriorityMinimum: 100,
        versionPriority: 100,
        service: { name: NAME, namespace: ctx.namespace, port: 443 },
        // metrics-server serves a self-signed certificate; upstream registers it this way.
        insecureSkipTlsVerify: true,
      },
    });
  },
});

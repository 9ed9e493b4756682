/** ExternalDNS for Route53: records for Ingress and Service hosts in the cluster's domains, owned by the cluster (TXT registry). */
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { selectorLabels } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { addClusterRole, rule } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "external-dns";

export const ExternalDnsValues = z.strictObject({
  ...controllerValues({ replicas: 1, cpu: "50m", memory: "128Mi" }),
  identity: identityValue,
  /** `upsert-only` never deletes records; `sync` also removes records of deleted hosts. @default `upsert-only` in strict environments */
  policy: z.enum(["sync", "upsert-only"]).optional(),
  zoneType: z.enum(["public", "private"]).default("public"),
  interval: z.string().regex(/^\d+(s|m)$/).default("1m"),
});

export const externalDns = defineAddonModule({
  name: NAME,
  description: "Route53 records for Ingress and Service hosts in the cluster's ingress domains.",
  namespace: NAME,
  defaultVersion: "v0.18.0",
  upstream: "https://github.com/kubernetes-sigs/external-dns",
  values: ExternalDnsValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: false,
  comparedWith: ["charts/external-dns/templates@v0.18.0", "charts/external-dns/values.yaml@v0.18.0", "pkg/apis/externaldns/types.go@v0.18.0"],
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "change record sets in the cluster's Route53 hosted zone" }),
  facts: () => [{ fact: "values.hostedZoneId", purpose: "the Route53 hosted zone of the cluster's ingress domains", example: "Z0123456789ABCDEFGHIJ" }],
  checks: (_version, _values, cluster) =>
    cluster.ingressDomains.length > 0 ? [] : [{ field: "addons", message: `external-dns needs \`ingressDomains\` on cluster ${cluster.name} (its domain filters)`, hint: "set `ingressDomains` in the cluster's cluster.ts" }],
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "controller"), port: "http" }],
  awsResources: (ctx) => [{ type: "route53-hosted-zone", addon: NAME, id: ctx.cluster.facts.values.hostedZoneId!, purpose: `records for ${ctx.cluster.ingressDomains.join(", ")}` }],
  generate(scope, ctx) {
    const v = ctx.values;
    const policy = v.policy ?? (ctx.environment.policy.guardrails === "strict" && ctx.environment.policy.requirePdb ? "upsert-only" : "sync");
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    // What the chart grants for the `service` and `ingress` sources.
    addClusterRole(scope, ctx, NAME, [
      rule([""], ["nodes"], ["list", "watch"]),
      rule([""], ["pods"], ["get", "watch", "list"]),
      rule([""], ["services"], ["get", "watch", "list"]),
      rule(["discovery.k8s.io"], ["endpointslices"], ["get", "watch", "list"]),
      rule(["extensions", "networking.k8s.io"], ["ingresses"], ["get", "watch", "list"]),
    ], NAME);
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "controller", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      containers: [{
        name: "external-dns",
        image: `registry.k8s.io/external-dns/external-dns:${ctx.version}`,
        resources: v.resources,
        args: [
          "--source=service",
          "--source=ingress",
          ...ctx.cluster.ingressDomains.map((d) => `--domain-filter=${d}`),
          `--zone-id-filter=${ctx.cluster.facts.values.hostedZoneId}`,
          "--provider=aws",
          `--aws-zone-type=${v.zoneType}`,
          "--registry=txt",
          `--txt-owner-id=${ctx.cluster.name}`,
          `--policy=${policy}`,
          `--interval=${v.interval}`,
          `--log-level=${v.logLevel}`,
        ],
        env: [{ name: "AWS_DEFAULT_REGION", value: ctx.cluster.aws.region }],
        ports: [{ name: "http", containerPort: 7979 }],
        liveness: { ...httpProbe("/healthz", "http"), failureThreshold: 2 },
        readiness: { ...httpProbe("/healthz", "http", "HTTP", 5), failureThreshold: 6 },
      }],
    });
    addService(scope, ctx, NAME, "controller", [{ name: "http", port: 7979, targetPort: "http" }]);
  },
});

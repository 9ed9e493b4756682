/**
 * A stateful service: a StatefulSet whose pods each own their volumes (volumeClaimTemplates on the
 * encrypted gp3 StorageClass of the aws-ebs-csi-driver add-on), named by a headless Service.
 *
 * Rollouts are ordered: pods start one at a time and each must be Ready before the next
 * (`podManagementPolicy: OrderedReady`), and updates replace them from the highest ordinal down,
 * one at a time (`RollingUpdate`, partition 0). Claims outlive a scale-down and a deletion
 * (`persistentVolumeClaimRetentionPolicy: Retain`, served from 1.27): data is never deleted as a
 * side effect of a sync.
 */
import { Labels } from "@slipway/core";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, metadata, selectorLabels, type AppInstanceContext } from "./context";
import { podTemplate } from "./pod-spec";

export function addStatefulSet(scope: Construct, ctx: AppInstanceContext): void {
  const { app } = ctx;
  new k8s.KubeStatefulSet(scope, "stateful-set", {
    metadata: metadata(ctx, app.name),
    spec: {
      replicas: app.scaling.min,
      serviceName: app.name,
      revisionHistoryLimit: 5,
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      selector: { matchLabels: selectorLabels(ctx) },
      template: podTemplate(ctx, appLabels(ctx), { withProbes: true, spread: true }),
      volumeClaimTemplates: app.volumes.map((v) => ({
        // The app label lets the app's own Velero Schedule (`backup`) select its claims.
        metadata: { name: v.name, labels: { ...selectorLabels(ctx), [Labels.app]: app.name } },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: v.storageClass,
          resources: { requests: { storage: k8s.Quantity.fromString(v.size) } },
        },
      })),
    },
  });
}

/** The headless Service that gives each pod its DNS name (`<app>-0.<app>.<namespace>.svc`). */
export function addHeadlessService(scope: Construct, ctx: AppInstanceContext): void {
  new k8s.KubeService(scope, "service", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      clusterIp: "None",
      selector: selectorLabels(ctx),
      publishNotReadyAddresses: false,
      ports: ctx.app.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol })),
    },
  });
}

/** The Deployment of a long-running app (web service or worker). */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, metadata, selectorLabels, type AppInstanceContext } from "./context";
import { podTemplate } from "./pod-spec";
import { isAutoscaled } from "./scaling";

export function addDeployment(scope: Construct, ctx: AppInstanceContext): void {
  new k8s.KubeDeployment(scope, "deployment", {
    metadata: metadata(ctx, ctx.app.name),
    spec: {
      // With an HPA the replica count is the HPA's: a `replicas` field here would fight it on every sync.
      replicas: isAutoscaled(ctx) ? undefined : ctx.app.scaling.min,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(ctx) },
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: k8s.IntOrString.fromString("25%"), maxUnavailable: k8s.IntOrString.fromNumber(0) },
      },
      template: podTemplate(ctx, appLabels(ctx), { withProbes: true, spread: true }),
    },
  });
}

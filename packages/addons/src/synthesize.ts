/** One add-on on one cluster → plain objects; one cdk8s App per add-on keeps synthesis linear. */
import type { KubeObject } from "@slipway/core";
import { App, Chart } from "cdk8s";
import type { PlannedAddon } from "./plan";
import type { AwsResource } from "./types";

export function synthesizeAddon(planned: PlannedAddon): KubeObject[] {
  const chart = new Chart(new App(), planned.module.name, { disableResourceNameHashes: true });
  planned.module.generate(chart, planned.context as never);
  return chart.toJson();
}

/** An app instance whose ServiceAccount gets its IAM role through EKS Pod Identity. */
export interface AppPodIdentity {
  readonly app: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}

/**
 * The AWS resources a cluster's add-ons (and apps, for their Pod Identity associations) expect
 * the infrastructure code to have created.
 */
export function clusterAwsResources(planned: readonly PlannedAddon[], apps: readonly AppPodIdentity[] = []): AwsResource[] {
  const out: AwsResource[] = [];
  for (const app of apps) {
    out.push({ type: "pod-identity-association", user: `app ${app.app}`, namespace: app.namespace, serviceAccount: app.serviceAccount, roleArn: app.roleArn });
  }
  for (const { module, context } of planned) {
    const identity = module.identity?.(context.values as never);
    if (identity) {
      const arn = context.cluster.facts.roles[identity.roleFact]!;
      const mode = (context.values as { identity?: string }).identity === "pod-identity" ? "pod-identity" : "irsa";
      out.push({
        type: "iam-role",
        addon: module.name,
        arn,
        purpose: identity.purpose,
        trust:
          mode === "irsa"
            ? { mode, oidcProvider: context.cluster.aws.oidcProvider, subject: `system:serviceaccount:${context.namespace}:${identity.serviceAccount}`, audience: "sts.amazonaws.com" }
            : { mode, principal: "pods.eks.amazonaws.com", namespace: context.namespace, serviceAccount: identity.serviceAccount },
      });
      if (mode === "pod-identity") {
        out.push({ type: "pod-identity-association", user: `add-on ${module.name}`, namespace: context.namespace, serviceAccount: identity.serviceAccount, roleArn: arn });
      }
    }
    out.push(...(module.awsResources?.(context as never) ?? []));
  }
  return out;
}

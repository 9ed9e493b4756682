/** The app's ServiceAccount and, for EKS Pod Identity, the association that binds its IAM role. */
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type AppInstanceContext } from "./context";

export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

export function addServiceAccount(scope: Construct, ctx: AppInstanceContext): void {
  const aws = ctx.app.aws;
  new k8s.KubeServiceAccount(scope, "service-account", {
    metadata: metadata(ctx, ctx.app.name, {
      annotations: aws?.identity === "irsa" ? { [IRSA_ROLE_ANNOTATION]: aws.roleArn } : {},
    }),
    automountServiceAccountToken: ctx.app.automountServiceAccountToken,
  });
  if (aws?.identity === "pod-identity") {
    // Managed by the ACK EKS controller, so the association lives in git next to the app it serves.
    new ApiObject(scope, "pod-identity", {
      apiVersion: "eks.services.k8s.aws/v1alpha1",
      kind: "PodIdentityAssociation",
      metadata: metadata(ctx, ctx.app.name),
      spec: {
        clusterName: ctx.cluster.name,
        namespace: ctx.namespace,
        serviceAccount: ctx.app.name,
        roleARN: aws.roleArn,
      },
    });
  }
}

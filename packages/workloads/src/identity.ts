/**
 * The app's ServiceAccount. IRSA: the role ARN annotation. EKS Pod Identity: nothing in the
 * cluster — the association (cluster, namespace, ServiceAccount, role) is created on the AWS side
 * from the cluster's AWS-resources summary (`podIdentityAssociations`), so no controller in the
 * cluster holds the right to bind IAM roles to ServiceAccounts.
 */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { metadata, type AppInstanceContext } from "./context";

export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** `automount` overrides the app's setting where the kind needs the API (a Spark driver creates its executors). */
export function addServiceAccount(scope: Construct, ctx: AppInstanceContext, automount = ctx.app.automountServiceAccountToken): void {
  const aws = ctx.app.aws;
  new k8s.KubeServiceAccount(scope, "service-account", {
    metadata: metadata(ctx, ctx.app.name, {
      annotations: aws?.identity === "irsa" ? { [IRSA_ROLE_ANNOTATION]: aws.roleArn } : {},
    }),
    automountServiceAccountToken: automount,
  });
}

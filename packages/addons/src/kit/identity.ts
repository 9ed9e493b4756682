/**
 * ServiceAccounts, and the AWS identity of the ones that call AWS. IRSA: the role ARN annotation
 * on the ServiceAccount. EKS Pod Identity: nothing in the cluster — the association (cluster,
 * namespace, ServiceAccount, role) is created on the AWS side from the cluster's AWS-resources
 * summary (`aws-resources/awsresources-<cluster>.yaml`, `podIdentityAssociations`).
 */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import type { AddonContext, IdentityMode } from "../types";
import { meta } from "./meta";

export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface AwsIdentity {
  readonly mode: IdentityMode;
  readonly roleArn: string;
}

export function addServiceAccount(scope: Construct, ctx: AddonContext, name: string, aws?: AwsIdentity, namespace = ctx.namespace): void {
  new k8s.KubeServiceAccount(scope, `sa-${name}`, {
    metadata: meta(ctx, name, {
      namespace,
      wave: "foundation",
      annotations: aws?.mode === "irsa" ? { [IRSA_ROLE_ANNOTATION]: aws.roleArn } : {},
    }),
    // Controllers talk to the API server; the token is mounted where the pod spec asks for it.
    automountServiceAccountToken: true,
  });
}

/** The role ARN of an add-on's identity; the planner has already checked the fact exists. */
export function roleArn(ctx: AddonContext, fact: string): string {
  const arn = ctx.cluster.facts.roles[fact];
  if (!arn) throw new Error(`internal: fact roles.${fact} was not checked before generating ${ctx.addon}`);
  return arn;
}

/**
 * The hand-off to the infrastructure code: per cluster, every AWS resource its add-ons expect to
 * exist (IAM roles and who may assume them, SQS queues, S3 buckets, hosted zones, log groups) and
 * the EKS Pod Identity associations of its add-ons and apps.
 * Rendered as one `slipway.dev/v1alpha1 AwsResources` document: data for people and tools, not
 * something to apply to a cluster.
 */
import { Annotations, Labels, MANAGED_BY, type Cluster, type KubeObject } from "@slipway/core";

import type { AwsResource } from "./types";

export const AWS_RESOURCES_API_VERSION = "slipway.dev/v1alpha1";
export const AWS_RESOURCES_KIND = "AwsResources";

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function renderAwsResources(cluster: Cluster, clusterFile: string, resources: readonly AwsResource[]): KubeObject {
  const of = <T extends AwsResource["type"]>(type: T) => resources.filter((r): r is Extract<AwsResource, { type: T }> => r.type === type);
  // Several add-ons may share one resource (a hosted zone): list it once, with every user.
  const merge = <R extends { addon: string; purpose: string }>(items: R[], key: (r: R) => string) => {
    const byKey = new Map<string, { users: { addon: string; purpose: string }[]; first: R }>();
    for (const r of items) {
      const entry = byKey.get(key(r)) ?? byKey.set(key(r), { users: [], first: r }).get(key(r))!;
      entry.users.push({ addon: r.addon, purpose: r.purpose });
    }
    return sortBy([...byKey.values()], (e) => key(e.first)).map((e) => ({ key: key(e.first), usedBy: sortBy(e.users, (u) => u.addon) }));
  };
  return {
    apiVersion: AWS_RESOURCES_API_VERSION,
    kind: AWS_RESOURCES_KIND,
    metadata: {
      name: cluster.name,
      labels: { [Labels.managedBy]: MANAGED_BY, [Labels.partOf]: "slipway-platform" },
      annotations: { [Annotations.source]: clusterFile },
    },
    spec: {
      cluster: cluster.name,
      accountId: cluster.aws.accountId,
      region: cluster.aws.region,
      vpcId: cluster.aws.vpcId,
      oidcProvider: cluster.aws.oidcProvider,
      iamRoles: sortBy(of("iam-role").map((r) => ({ arn: r.arn, addon: r.addon, purpose: r.purpose, trust: r.trust })), (r) => r.arn),
      nodeRoles: merge(of("iam-role-for-nodes"), (r) => r.name).map((e) => ({ name: e.key, usedBy: e.usedBy })),
      sqsQueues: merge(of("sqs-queue"), (r) => r.name).map((e) => ({ name: e.key, usedBy: e.usedBy })),
      s3Buckets: merge(of("s3-bucket"), (r) => r.name).map((e) => ({ name: e.key, usedBy: e.usedBy })),
      route53HostedZones: merge(of("route53-hosted-zone"), (r) => r.id).map((e) => ({ id: e.key, usedBy: e.usedBy })),
      cloudwatchLogGroups: merge(of("cloudwatch-log-group"), (r) => r.name).map((e) => ({ name: e.key, usedBy: e.usedBy })),
      // EKS Pod Identity is bound on the AWS side: one association per ServiceAccount.
      podIdentityAssociations: sortBy(
        of("pod-identity-association").map((r) => ({ namespace: r.namespace, serviceAccount: r.serviceAccount, roleArn: r.roleArn, usedBy: r.user })),
        (r) => `${r.namespace}/${r.serviceAccount}`,
      ),
    },
  };
}

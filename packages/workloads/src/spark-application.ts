/**
 * The SparkApplication (Kubeflow spark-operator, `sparkoperator.k8s.io/v1beta2`) of a
 * spark-application app, and what its driver needs: a Role to manage its executors, and egress
 * to the API server. The driver runs on on-demand capacity, the executors on spot; both run
 * restricted, as the app's ServiceAccount (IRSA or Pod Identity: S3 by role, never by key).
 */
import { DO_NOT_DISRUPT_ANNOTATION, type SparkApplicationIntent } from "@slipway/core";
import { ApiObject } from "cdk8s";
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import { appLabels, imageReference, metadata, selectorLabels, type AppInstanceContext } from "./context";
import { releaseJobName } from "./batch-job";
import { batchPlacement, type Placement } from "./placement";
import { envVars, RESTRICTED_CONTAINER, RESTRICTED_POD, volumes } from "./pod-spec";

export const SPARK_API_VERSION = "sparkoperator.k8s.io/v1beta2";
/** Spark uses every volume whose name starts with `spark-local-dir-` as a local (shuffle, spill) directory. */
export const SPARK_LOCAL_DIR_VOLUME = "spark-local-dir-1";
export const SPARK_LOCAL_DIR = "/data/spark-local";
/** Spark's working directory in the official images; the root filesystem is read-only. */
const SPARK_WORK_DIR = "/opt/spark/work-dir";

/**
 * The S3A credentials provider for the app's identity (hadoop-aws on AWS SDK v1, as Spark 3.x
 * images ship it). IRSA: the web identity token the EKS webhook projects. Pod Identity: the SDK's
 * default chain, which reads the Pod Identity agent's container credentials.
 */
function s3aCredentialsProvider(ctx: AppInstanceContext): string | undefined {
  switch (ctx.app.aws?.identity) {
    case "irsa":
      return "com.amazonaws.auth.WebIdentityTokenCredentialsProvider";
    case "pod-identity":
      return "com.amazonaws.auth.DefaultAWSCredentialsProviderChain";
    default:
      return undefined;
  }
}

function sparkConf(ctx: AppInstanceContext, spark: SparkApplicationIntent): Record<string, string> {
  const provider = s3aCredentialsProvider(ctx);
  const conf: Record<string, string> = {
    ...(provider ? { "spark.hadoop.fs.s3a.aws.credentials.provider": provider } : {}),
    // Executors on spot are told of an interruption (Karpenter drains the node): they hand their
    // shuffle and cached blocks to live executors before they go, instead of losing them.
    "spark.decommission.enabled": "true",
    "spark.storage.decommission.enabled": "true",
    "spark.storage.decommission.shuffleBlocks.enabled": "true",
    "spark.storage.decommission.rddBlocks.enabled": "true",
    "spark.executor.maxNumFailures": String(spark.maxExecutorFailures),
    ...(spark.localShuffle ? { "spark.local.dir": SPARK_LOCAL_DIR } : {}),
    ...(spark.eventLogDir ? { "spark.eventLog.enabled": "true", "spark.eventLog.dir": spark.eventLogDir } : {}),
    ...spark.sparkConf,
  };
  return Object.fromEntries(Object.entries(conf).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface RoleSpec {
  readonly placement: Placement;
  readonly mounts: k8s.VolumeMount[];
  readonly automountToken: boolean;
  readonly annotations?: Record<string, string>;
}

/** One side of the application (driver or executors): the operator's typed fields and a pod template Spark applies itself. */
function role(ctx: AppInstanceContext, sizes: SparkApplicationIntent["driver"], spec: RoleSpec) {
  const env = envVars(ctx);
  const container = (): k8s.SecurityContext => ({ ...RESTRICTED_CONTAINER, capabilities: { drop: ["ALL"] } });
  const pod = (): k8s.PodSecurityContext => ({ ...RESTRICTED_POD, seccompProfile: { type: "RuntimeDefault" } });
  return {
    cores: sizes.cores,
    coreLimit: sizes.coreLimit ?? String(sizes.cores),
    memory: sizes.memory,
    ...(sizes.memoryOverhead ? { memoryOverhead: sizes.memoryOverhead } : {}),
    serviceAccount: ctx.app.name,
    labels: appLabels(ctx),
    ...(spec.annotations ? { annotations: spec.annotations } : {}),
    ...(env.length ? { env: env.map(k8s.toJson_EnvVar) } : {}),
    ...(spec.placement.nodeSelector ? { nodeSelector: spec.placement.nodeSelector } : {}),
    ...(spec.placement.tolerations ? { tolerations: spec.placement.tolerations } : {}),
    ...(spec.placement.affinity ? { affinity: spec.placement.affinity } : {}),
    // Applied by the operator's mutating webhook...
    podSecurityContext: pod(),
    securityContext: container(),
    volumeMounts: spec.mounts.map(k8s.toJson_VolumeMount),
    // ...and by Spark itself from the pod template, so the pod is restricted whichever builds it.
    template: {
      metadata: { labels: appLabels(ctx) },
      spec: {
        automountServiceAccountToken: spec.automountToken,
        enableServiceLinks: false,
        securityContext: pod(),
        containers: [{ name: "spark", securityContext: container() }],
      },
    },
  };
}

export function addSparkApplication(scope: Construct, ctx: AppInstanceContext): void {
  const spark = ctx.app.spark!;
  const { volumes: appVolumes, mounts: appMounts } = volumes(ctx);
  const podVolumes: k8s.Volume[] = [...appVolumes, { name: "spark-work-dir", emptyDir: { sizeLimit: k8s.Quantity.fromString("1Gi") } }];
  const mounts: k8s.VolumeMount[] = [...appMounts, { name: "spark-work-dir", mountPath: SPARK_WORK_DIR }];
  const executorMounts = [...mounts];
  if (spark.localShuffle) {
    // An emptyDir on the node's ephemeral storage: on the batch pool (instanceStorePolicy RAID0)
    // that is the instance-store NVMe array, so shuffle never touches the EBS root volume.
    podVolumes.push({ name: SPARK_LOCAL_DIR_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString(spark.localShuffleSize) } });
    executorMounts.push({ name: SPARK_LOCAL_DIR_VOLUME, mountPath: SPARK_LOCAL_DIR });
    mounts.push({ name: SPARK_LOCAL_DIR_VOLUME, mountPath: SPARK_LOCAL_DIR });
  }
  const doNotDisrupt = ctx.cluster.profile === "static" ? { [DO_NOT_DISRUPT_ANNOTATION]: "true" } : undefined;
  const spec = {
    type: spark.type,
    mode: "cluster",
    image: imageReference(ctx.release),
    imagePullPolicy: "IfNotPresent",
    sparkVersion: spark.sparkVersion,
    ...(spark.mainClass ? { mainClass: spark.mainClass } : {}),
    mainApplicationFile: spark.mainApplicationFile,
    ...(spark.arguments.length ? { arguments: spark.arguments } : {}),
    sparkConf: sparkConf(ctx, spark),
    ...(spark.dynamicAllocation
      ? {
          dynamicAllocation: {
            enabled: true,
            initialExecutors: Math.max(spark.dynamicAllocation.minExecutors, 1),
            minExecutors: spark.dynamicAllocation.minExecutors,
            maxExecutors: spark.dynamicAllocation.maxExecutors,
            // No external shuffle service on Kubernetes: executors holding shuffle data stay until it is consumed.
            shuffleTrackingEnabled: true,
          },
        }
      : {}),
    restartPolicy: spark.retries > 0
      ? { type: "OnFailure", onFailureRetries: spark.retries, onFailureRetryInterval: 60, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 30 }
      : { type: "Never" },
    // An ApiObject is emitted as given: typed values (quantities) are turned into JSON here.
    volumes: podVolumes.map(k8s.toJson_Volume),
    // The driver must not be interrupted (it holds the application's state): on-demand.
    driver: role(ctx, spark.driver, { placement: batchPlacement(ctx, "on-demand"), mounts, automountToken: true, annotations: doNotDisrupt }),
    executor: {
      ...role(ctx, spark.executor, { placement: batchPlacement(ctx, spark.spotExecutors ? "spot" : "on-demand"), mounts: executorMounts, automountToken: false, annotations: doNotDisrupt }),
      instances: spark.executor.instances,
    },
  };
  // Like a release-started Job: a new release (or spec) is a new application, and Argo CD never
  // re-creates one it ran (no timeToLiveSeconds: the operator's deletion would be undone by self-heal).
  // What the application reads and writes, for reviewers and for whoever writes the role's policy.
  const s3 = { ...(spark.s3.read.length ? { "slipway.dev/s3-read": spark.s3.read.join(",") } : {}), ...(spark.s3.write.length ? { "slipway.dev/s3-write": spark.s3.write.join(",") } : {}) };
  new ApiObject(scope, "spark-application", {
    apiVersion: SPARK_API_VERSION,
    kind: "SparkApplication",
    metadata: metadata(ctx, releaseJobName(ctx.app.name, { release: ctx.release.digest, spec }), { annotations: s3 }),
    spec,
  });
  addDriverAccess(scope, ctx);
}

/**
 * The driver creates, watches and deletes its executor pods, their headless Service and
 * ConfigMaps (the spark-operator chart's `spark` Role at v2.5.2), in its own namespace only.
 */
function addDriverAccess(scope: Construct, ctx: AppInstanceContext): void {
  const name = `${ctx.app.name}-spark-driver`;
  new k8s.KubeRole(scope, "spark-driver-role", {
    metadata: metadata(ctx, name),
    rules: [{
      apiGroups: [""],
      resources: ["pods", "configmaps", "persistentvolumeclaims", "services"],
      verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
    }],
  });
  new k8s.KubeRoleBinding(scope, "spark-driver-role-binding", {
    metadata: metadata(ctx, name),
    subjects: [{ kind: "ServiceAccount", name: ctx.app.name, namespace: ctx.namespace }],
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
  });
  // The EKS API server's endpoints are network interfaces in the cluster's VPC subnets.
  new k8s.KubeNetworkPolicy(scope, "spark-driver-api", {
    metadata: metadata(ctx, name, { annotations: { "slipway.dev/egress-reason": "Spark driver: Kubernetes API (executor pods)" } }),
    spec: {
      podSelector: { matchLabels: { ...selectorLabels(ctx), "spark-role": "driver" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: ctx.cluster.aws.vpcCidr } }], ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(443) }] }],
    },
  });
}

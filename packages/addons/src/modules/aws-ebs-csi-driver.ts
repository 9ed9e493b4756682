/**
 * Amazon EBS CSI driver: the controller (provisioner, attacher, resizer sidecars) and the node
 * plugin on every node, plus the fleet's one StorageClass, `gp3`: encrypted gp3 volumes bound
 * where the pod lands (WaitForFirstConsumer), the cluster's default. Everything that claims a
 * volume (monitoring's Prometheus) uses it by name.
 */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta } from "../kit/meta";
import { addClusterRole, addRole, bindClusterRole, READ, rule } from "../kit/rbac";
import { identityValue, ResourcesValues } from "../kit/values";
import { addWorkload, exemption, fieldEnv, httpProbe, type ContainerSpec } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule, type AddonContext } from "../types";

const NAME = "aws-ebs-csi-driver";
const DRIVER = "ebs.csi.aws.com";
const CONTROLLER_SA = "ebs-csi-controller-sa";
const NODE_SA = "ebs-csi-node-sa";
/** The StorageClass every volume claim of the platform names. */
export const GP3_STORAGE_CLASS = "gp3";

const SIDECAR = { cpu: "10m", memory: "40Mi", memoryLimit: "256Mi" } as const;
/** Sidecar images of upstream's manifests for driver v1.47.0 (EKS builds on ECR Public). */
const SIDECARS = {
  provisioner: "public.ecr.aws/csi-components/csi-provisioner:v5.3.0-eksbuild.4",
  attacher: "public.ecr.aws/csi-components/csi-attacher:v4.9.0-eksbuild.4",
  resizer: "public.ecr.aws/csi-components/csi-resizer:v1.14.0-eksbuild.4",
  livenessProbe: "public.ecr.aws/csi-components/livenessprobe:v2.16.0-eksbuild.5",
  registrar: "public.ecr.aws/csi-components/csi-node-driver-registrar:v2.14.0-eksbuild.5",
} as const;

export const AwsEbsCsiDriverValues = z.strictObject({
  replicas: z.number().int().min(1).max(10).default(2),
  controllerResources: ResourcesValues.default(SIDECAR),
  nodeResources: ResourcesValues.default(SIDECAR),
  identity: identityValue,
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  storageClass: z
    .strictObject({
      /** KMS key for the volumes. @default the account's default EBS key (`aws/ebs`) */
      kmsKeyId: z.string().startsWith("arn:aws:kms:").optional(),
      /** `Retain` keeps the EBS volume when its claim is deleted. */
      reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
    })
    .prefault({}),
});
type Values = z.output<typeof AwsEbsCsiDriverValues>;

const socket = { name: "socket-dir", mountPath: "/var/lib/csi/sockets/pluginproxy/" };
const ADDRESS = { name: "ADDRESS", value: "/var/lib/csi/sockets/pluginproxy/csi.sock" };

function sidecar(name: string, image: string, args: string[]): ContainerSpec {
  return { name, image, args: ["--csi-address=$(ADDRESS)", "--v=2", ...args], env: [ADDRESS], resources: SIDECAR, mounts: [socket] };
}

function addController(scope: Construct, ctx: AddonContext<Values>): void {
  const v = ctx.values;
  addServiceAccount(scope, ctx, CONTROLLER_SA, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
  // The sidecars' ClusterRoles of upstream's kustomize base, without the snapshotter's.
  addClusterRole(scope, ctx, "ebs-external-attacher-role", [
    rule([""], ["persistentvolumes"], [...READ, "patch"]),
    rule(["storage.k8s.io"], ["csinodes"], READ),
    rule(["storage.k8s.io"], ["volumeattachments"], [...READ, "patch"]),
    rule(["storage.k8s.io"], ["volumeattachments/status"], ["patch"]),
  ]);
  addClusterRole(scope, ctx, "ebs-external-provisioner-role", [
    rule([""], ["persistentvolumes"], [...READ, "create", "patch", "delete"]),
    rule([""], ["persistentvolumeclaims"], [...READ, "update"]),
    rule(["storage.k8s.io"], ["storageclasses"], READ),
    rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
    rule(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list"]),
    rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
    rule(["storage.k8s.io"], ["csinodes"], READ),
    rule([""], ["nodes"], READ),
    rule(["storage.k8s.io"], ["volumeattachments"], READ),
    rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get"]),
  ]);
  addClusterRole(scope, ctx, "ebs-external-resizer-role", [
    rule([""], ["persistentvolumes"], [...READ, "patch"]),
    rule([""], ["persistentvolumeclaims"], READ),
    rule([""], ["pods"], READ),
    rule([""], ["persistentvolumeclaims/status"], ["patch"]),
    rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
    rule(["storage.k8s.io"], ["volumeattributesclasses"], READ),
  ]);
  for (const role of ["attacher", "provisioner", "resizer"]) bindClusterRole(scope, ctx, `ebs-csi-${role}-binding`, `ebs-external-${role}-role`, CONTROLLER_SA);
  addRole(scope, ctx, "ebs-csi-leases-role", [rule(["coordination.k8s.io"], ["leases"], ["get", "watch", "list", "delete", "update", "create"])], CONTROLLER_SA);

  const common = ["--leader-election=true", "--kube-api-qps=20", "--kube-api-burst=100"];
  addWorkload(scope, ctx, {
    kind: "Deployment", name: "ebs-csi-controller", component: "controller", serviceAccount: CONTROLLER_SA, replicas: v.replicas, priorityClassName: "system-cluster-critical",
    annotations: exemption(
      "SW-GR-PROBES",
      "the CSI sidecars (provisioner, attacher, resizer, liveness-probe) serve no health endpoint, as upstream runs them; the pod's health is the driver's /healthz on :9808, which the liveness-probe sidecar answers by calling the CSI socket they all share",
    ),
    fsGroup: 65532,
    containers: [
      {
        name: "ebs-plugin",
        image: `public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:${ctx.version}`,
        args: ["controller", "--endpoint=$(CSI_ENDPOINT)", "--batching=true", "--logging-format=text", `--v=${v.logLevel === "debug" ? 5 : 2}`, `--k8s-tag-cluster-id=${ctx.cluster.name}`],
        env: [{ name: "CSI_ENDPOINT", value: "unix:///var/lib/csi/sockets/pluginproxy/csi.sock" }, fieldEnv("CSI_NODE_NAME", "spec.nodeName")],
        resources: v.controllerResources,
        ports: [{ name: "healthz", containerPort: 9808 }],
        liveness: { ...httpProbe("/healthz", "healthz"), timeoutSeconds: 3, failureThreshold: 5 },
        readiness: { ...httpProbe("/healthz", "healthz"), timeoutSeconds: 3, failureThreshold: 5 },
        mounts: [socket],
      },
      sidecar("csi-provisioner", SIDECARS.provisioner, ["--timeout=60s", "--feature-gates=Topology=true", "--extra-create-metadata", ...common, "--default-fstype=ext4", "--worker-threads=100", "--retry-interval-max=30m", "--feature-gates=VolumeAttributesClass=true"]),
      sidecar("csi-attacher", SIDECARS.attacher, ["--timeout=6m", ...common, "--worker-threads=100", "--retry-interval-max=5m"]),
      sidecar("csi-resizer", SIDECARS.resizer, ["--timeout=60s", "--extra-modify-metadata", "--handle-volume-inuse-error=false", ...common, "--workers=100", "--retry-interval-max=30m", "--feature-gates=VolumeAttributesClass=true"]),
      { name: "liveness-probe", image: SIDECARS.livenessProbe, args: ["--csi-address=/csi/csi.sock"], resources: SIDECAR, mounts: [{ name: "socket-dir", mountPath: "/csi" }] },
    ],
    volumes: [{ name: "socket-dir", emptyDir: {} }],
  });
}

function addNode(scope: Construct, ctx: AddonContext<Values>): void {
  const v = ctx.values;
  addServiceAccount(scope, ctx, NODE_SA);
  addClusterRole(scope, ctx, "ebs-csi-node-role", [
    rule([""], ["nodes"], ["get", "patch", "list", "watch"]),
    rule(["storage.k8s.io"], ["volumeattachments"], READ),
    rule(["storage.k8s.io"], ["csinodes"], ["get"]),
  ]);
  bindClusterRole(scope, ctx, "ebs-csi-node-getter-binding", "ebs-csi-node-role", NODE_SA);
  const plugin = { name: "plugin-dir", mountPath: "/csi" };
  const reason = "the EBS node plugin formats and mounts block devices into /var/lib/kubelet with bidirectional mount propagation, which Kubernetes allows only in privileged containers; upstream runs it privileged as root with the node's /dev";
  addWorkload(scope, ctx, {
    kind: "DaemonSet", name: "ebs-csi-node", component: "node", serviceAccount: NODE_SA, priorityClassName: "system-node-critical",
    tolerations: [{ operator: "Exists" }],
    terminationGracePeriodSeconds: 30,
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate", "auto", "hybrid"] }] }],
      },
    },
    annotations: {
      ...exemption("SW-GR-PRIVILEGED", reason),
      ...exemption("SW-GR-PRIV-ESCALATION", reason),
      ...exemption("SW-GR-CAPABILITIES", reason),
      ...exemption("SW-GR-RUN-AS-NON-ROOT", `${reason}; the registrar and liveness sidecars share the plugin's root-owned socket directory`),
      ...exemption("SW-GR-PROBES", "node-driver-registrar is probed by an exec liveness check of its registration (upstream's), the liveness-probe sidecar serves the plugin's /healthz; neither has a readiness endpoint"),
    },
    containers: [
      {
        name: "ebs-plugin",
        image: `public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:${ctx.version}`,
        privileged: true,
        args: ["node", "--endpoint=$(CSI_ENDPOINT)", `--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/${DRIVER}/`, "--logging-format=text", `--v=${v.logLevel === "debug" ? 5 : 2}`],
        env: [{ name: "CSI_ENDPOINT", value: "unix:/csi/csi.sock" }, fieldEnv("CSI_NODE_NAME", "spec.nodeName")],
        resources: v.nodeResources,
        ports: [{ name: "healthz", containerPort: 9808 }],
        liveness: { ...httpProbe("/healthz", "healthz"), timeoutSeconds: 3, failureThreshold: 5 },
        readiness: { ...httpProbe("/healthz", "healthz", "HTTP", 0), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
        // Detaches cleanly before the node drains (upstream's pre-stop hook).
        lifecycle: { preStop: { exec: { command: ["/bin/aws-ebs-csi-driver", "pre-stop-hook"] } } },
        mounts: [{ name: "kubelet-dir", mountPath: "/var/lib/kubelet", mountPropagation: "Bidirectional" }, plugin, { name: "device-dir", mountPath: "/dev" }],
      },
      {
        name: "node-driver-registrar",
        image: SIDECARS.registrar,
        runAsRoot: true,
        args: ["--csi-address=$(ADDRESS)", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--v=2"],
        env: [{ name: "ADDRESS", value: "/csi/csi.sock" }, { name: "DRIVER_REG_SOCK_PATH", value: `/var/lib/kubelet/plugins/${DRIVER}/csi.sock` }],
        resources: SIDECAR,
        liveness: {
          exec: { command: ["/csi-node-driver-registrar", "--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)", "--mode=kubelet-registration-probe"] },
          initialDelaySeconds: 30, periodSeconds: 90, timeoutSeconds: 15,
        },
        mounts: [plugin, { name: "registration-dir", mountPath: "/registration" }, { name: "probe-dir", mountPath: `/var/lib/kubelet/plugins/${DRIVER}/` }],
      },
      { name: "liveness-probe", image: SIDECARS.livenessProbe, runAsRoot: true, args: ["--csi-address=/csi/csi.sock"], resources: SIDECAR, mounts: [plugin] },
    ],
    volumes: [
      { name: "kubelet-dir", hostPath: { path: "/var/lib/kubelet", type: "Directory" } },
      { name: "plugin-dir", hostPath: { path: `/var/lib/kubelet/plugins/${DRIVER}/`, type: "DirectoryOrCreate" } },
      { name: "registration-dir", hostPath: { path: "/var/lib/kubelet/plugins_registry/", type: "Directory" } },
      { name: "device-dir", hostPath: { path: "/dev", type: "Directory" } },
      { name: "probe-dir", emptyDir: {} },
    ],
  });
}

export const awsEbsCsiDriver = defineAddonModule({
  name: NAME,
  description: "EBS volumes for PersistentVolumeClaims; the encrypted gp3 StorageClass `gp3` (the cluster default).",
  // Upstream's namespace: the node plugin must run privileged, which kube-system admits.
  namespace: "kube-system",
  defaultVersion: "v1.47.0",
  upstream: "https://github.com/kubernetes-sigs/aws-ebs-csi-driver",
  values: AwsEbsCsiDriverValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: false,
  comparedWith: ["deploy/kubernetes/base@v1.47.1 (the first tag whose manifests run the v1.47.0 image)", "charts/aws-ebs-csi-driver/templates@v1.47.1", "cmd/main.go, pkg/driver/options.go@v1.47.0 (flags)"],
  identity: () => ({ serviceAccount: CONTROLLER_SA, roleFact: NAME, purpose: "create, attach, modify and delete EBS volumes (AmazonEBSCSIDriverPolicy; kms:CreateGrant, Decrypt, GenerateDataKeyWithoutPlaintext on the volume key)" }),
  generate(scope, ctx) {
    addController(scope, ctx);
    addNode(scope, ctx);
    new k8s.KubeCsiDriver(scope, "csi-driver", {
      metadata: meta(ctx, DRIVER, { namespace: null, wave: "foundation" }),
      spec: { attachRequired: true, podInfoOnMount: false, fsGroupPolicy: "File" },
    });
    const sc = ctx.values.storageClass;
    new k8s.KubeStorageClass(scope, "storage-class-gp3", {
      metadata: meta(ctx, GP3_STORAGE_CLASS, { namespace: null, wave: "foundation", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
      provisioner: DRIVER,
      parameters: { type: "gp3", encrypted: "true", ...(sc.kmsKeyId ? { kmsKeyId: sc.kmsKeyId } : {}) },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: sc.reclaimPolicy,
    });
  },
});

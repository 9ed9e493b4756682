/**
 * Amazon EBS CSI driver v1.47.0. Upstream updates its manifests in the release after an image: the
 * kustomize base and chart at tag v1.47.1 are the first to run the v1.47.0 image, so they are
 * what is compared; the driver's flags are read at v1.47.0. The sidecars' flags are those
 * upstream's manifests pass to the sidecar images they pin.
 */
import { cluster, own, r, type UpstreamFacts } from "./facts";

const READ = ["get", "list", "watch"];
const SIDECAR_COMMON = ["csi-address", "v", "leader-election", "kube-api-qps", "kube-api-burst", "timeout", "worker-threads", "retry-interval-max", "feature-gates"];

export const awsEbsCsiDriverFacts: UpstreamFacts = {
  addon: "aws-ebs-csi-driver",
  version: "v1.47.0",
  compared: [
    "deploy/kubernetes/base/{controller,node,csidriver,poddisruptionbudget-controller}.yaml@v1.47.1",
    "deploy/kubernetes/base/clusterrole-*.yaml, clusterrolebinding-*.yaml, role-leases.yaml, rolebinding-leases.yaml@v1.47.1",
    "charts/aws-ebs-csi-driver/values.yaml@v1.47.1 (storageClasses, k8sTagClusterId)",
    "cmd/main.go, cmd/options/*.go, pkg/driver/options.go@v1.47.0 (driver flags)",
  ],
  images: {
    "ebs-plugin": "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver",
    "csi-provisioner": "public.ecr.aws/csi-components/csi-provisioner",
    "csi-attacher": "public.ecr.aws/csi-components/csi-attacher",
    "csi-resizer": "public.ecr.aws/csi-components/csi-resizer",
    "liveness-probe": "public.ecr.aws/csi-components/livenessprobe",
    "node-driver-registrar": "public.ecr.aws/csi-components/csi-node-driver-registrar",
  },
  flags: {
    "ebs-plugin": [
      "aws-sdk-debug-log", "batching", "csi-mount-point-prefix", "deprecated-metrics", "enable-otel-tracing", "endpoint", "extra-tags", "extra-volume-tags",
      "http-endpoint", "k8s-tag-cluster-id", "kubeconfig", "legacy-xfs", "metadata-sources", "metrics-cert-file", "metrics-key-file",
      "modify-volume-request-handler-timeout", "reserved-volume-attachments", "user-agent-extra", "volume-attach-limit", "warn-on-invalid-tag",
      "windows-host-process", "logging-format", "v", "vmodule",
    ],
    "csi-provisioner": [...SIDECAR_COMMON, "extra-create-metadata", "default-fstype"],
    "csi-attacher": SIDECAR_COMMON,
    "csi-resizer": [...SIDECAR_COMMON, "extra-modify-metadata", "handle-volume-inuse-error", "workers"],
    "liveness-probe": ["csi-address"],
    "node-driver-registrar": ["csi-address", "kubelet-registration-path", "v", "mode"],
  },
  rbac: {
    "ebs-csi-controller-sa": [
      cluster(
        r([""], ["persistentvolumes"], [...READ, "patch"]),
        r(["storage.k8s.io"], ["csinodes"], READ),
        r(["storage.k8s.io"], ["volumeattachments"], [...READ, "patch"]),
        r(["storage.k8s.io"], ["volumeattachments/status"], ["patch"]),
      ),
      cluster(
        r([""], ["persistentvolumes"], [...READ, "create", "patch", "delete"]),
        r([""], ["persistentvolumeclaims"], [...READ, "update"]),
        r(["storage.k8s.io"], ["storageclasses"], READ),
        r([""], ["events"], ["list", "watch", "create", "update", "patch"]),
        r(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list"]),
        r(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
        r(["storage.k8s.io"], ["csinodes"], READ),
        r([""], ["nodes"], READ),
        r(["storage.k8s.io"], ["volumeattachments"], READ),
        r(["storage.k8s.io"], ["volumeattributesclasses"], ["get"]),
      ),
      cluster(
        r([""], ["persistentvolumes"], [...READ, "patch"]),
        r([""], ["persistentvolumeclaims"], READ),
        r([""], ["pods"], READ),
        r([""], ["persistentvolumeclaims/status"], ["patch"]),
        r([""], ["events"], ["list", "watch", "create", "update", "patch"]),
        r(["storage.k8s.io"], ["volumeattributesclasses"], READ),
      ),
      cluster(
        r([""], ["events"], ["list", "watch", "create", "update", "patch"]),
        r(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], READ),
        r(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        r(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotclasses"], READ),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents/status"], ["update", "patch"]),
      ),
      own(r(["coordination.k8s.io"], ["leases"], ["get", "watch", "list", "delete", "update", "create"])),
    ],
    "ebs-csi-node-sa": [cluster(
      r([""], ["nodes"], ["get", "patch", "list", "watch"]),
      r(["storage.k8s.io"], ["volumeattachments"], READ),
      r(["storage.k8s.io"], ["csinodes"], ["get"]),
    )],
  },
  omitted: {
    "ebs-csi-controller-sa": [{
      why: "the csi-snapshotter sidecar is not run: no cluster has the VolumeSnapshot CRDs or the snapshot controller (Velero snapshots EBS volumes through its AWS plugin), and without them the sidecar only logs list errors",
      grants: [cluster(
        r(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], READ),
        // get and list stay: the provisioner's role grants them too (restores from snapshots).
        r(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["watch", "update", "patch"]),
        r(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotclasses"], READ),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents"], ["get", "list", "watch", "update", "patch"]),
        r(["groupsnapshot.storage.k8s.io"], ["volumegroupsnapshotcontents/status"], ["update", "patch"]),
      )],
    }],
  },
};

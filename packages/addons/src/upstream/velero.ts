/** Velero v1.16.2, from what `velero install` creates (pkg/install) and the server's flag definitions. */
import { builtin, type UpstreamFacts } from "./facts";

export const veleroFacts: UpstreamFacts = {
  addon: "velero",
  version: "v1.16.2",
  compared: [
    "pkg/install/deployment.go@v1.16.2 (server Deployment: args, env, volumes, ports; plugin init containers)",
    "pkg/install/resources.go@v1.16.2 (ServiceAccount, ClusterRoleBinding to cluster-admin)",
    "pkg/cmd/server/config/config.go@v1.16.2 (server flags; credentials directory /tmp/credentials)",
    "pkg/cmd/server/server.go@v1.16.2 (veleroResourcesExist: v1 and v2alpha1 kinds required at start)",
    "pkg/cmd/velero/velero.go@v1.16.2 (global --features flag)",
    "config/crd/v1/bases, config/crd/v2alpha1/bases@v1.16.2",
  ],
  images: { velero: "velero/velero", "velero-plugin-for-aws": "velero/velero-plugin-for-aws" },
  flags: {
    velero: [
      "backup-sync-period", "client-burst", "client-page-size", "client-qps", "default-backup-storage-location", "default-backup-ttl",
      "default-item-operation-timeout", "default-repo-maintain-frequency", "default-snapshot-move-data", "default-volume-snapshot-locations",
      "default-volumes-to-fs-backup", "disable-controllers", "disable-informer-cache", "fs-backup-timeout", "garbage-collection-frequency",
      "item-operation-sync-frequency", "log-format", "log-level", "max-concurrent-k8s-connections", "metrics-address", "plugin-dir", "profiler-address",
      "resource-timeout", "restore-only", "restore-resource-priorities", "schedule-skip-immediately", "store-validation-frequency",
      "terminating-resource-timeout", "uploader-type", "keep-latest-maintenance-jobs", "maintenance-job-cpu-request", "maintenance-job-mem-request",
      "maintenance-job-cpu-limit", "maintenance-job-mem-limit", "backup-repository-configmap", "repo-maintenance-job-configmap", "item-block-worker-count",
      "features", "namespace", "kubeconfig", "kubecontext",
    ],
    "velero-plugin-for-aws": [],
  },
  env: { velero: ["VELERO_SCRATCH_DIR", "VELERO_NAMESPACE", "LD_LIBRARY_PATH", "AWS_SHARED_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"] },
  // Restores recreate objects of any kind: `velero install` binds the server to cluster-admin.
  rbac: { velero: [builtin("cluster-admin")] },
};

/** Velero: cluster backups to S3 (BackupStorageLocation, EBS VolumeSnapshotLocation) on Schedules with a TTL per environment. */
import { ApiObject } from "cdk8s";
import * as z from "zod";
import { addServiceAccount, roleArn } from "../kit/identity";
import { meta, selectorLabels, SKIP_DRY_RUN } from "../kit/meta";
import { addNamespace } from "../kit/namespace";
import { bindClusterRole } from "../kit/rbac";
import { controllerValues, identityValue } from "../kit/values";
import { addService, addWorkload, httpProbe } from "../kit/workload";
import { AddonWave } from "../waves";
import { defineAddonModule } from "../types";

const NAME = "velero";

/** Velero's resource names: the kind in lower case, plus `s` (`backuprepositories` for BackupRepository). */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith("y") ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

const ScheduleValues = z.strictObject({
  cron: z.string().regex(/^(\S+\s+){4}\S+$/),
  /** How long backups are kept, e.g. `720h`. */
  ttl: z.string().regex(/^\d+h$/),
  includedNamespaces: z.array(z.string()).default(["*"]),
  snapshotVolumes: z.boolean().default(true),
});

export const VeleroValues = z.strictObject({
  ...controllerValues({ replicas: 1, cpu: "200m", memory: "256Mi" }),
  identity: identityValue,
  /** velero-plugin-for-aws release matching the Velero version. */
  awsPluginVersion: z.string().regex(/^v\d+\.\d+\.\d+$/).default("v1.12.2"),
  schedules: z.record(z.string().regex(/^[a-z0-9-]+$/), ScheduleValues).default({ daily: { cron: "0 2 * * *", ttl: "168h", includedNamespaces: ["*"], snapshotVolumes: true } }),
});

export const velero = defineAddonModule({
  name: NAME,
  description: "Backups of cluster objects and EBS volumes to S3.",
  namespace: NAME,
  defaultVersion: "v1.16.2",
  upstream: "https://github.com/vmware-tanzu/velero",
  values: VeleroValues,
  requires: [],
  syncWave: AddonWave.core,
  serverSideApply: true,
  // The server checks at start, through discovery, that every kind of velero.io/v1 and
  // velero.io/v2alpha1 is served, and exits otherwise: both bases directories are synced.
  crds: {
    source: { from: "upstream", repoURL: "https://github.com/vmware-tanzu/velero", path: "config/crd", recurse: true, include: "{v1,v2alpha1}/bases/*.yaml" },
    required: [
      ...["Backup", "BackupRepository", "BackupStorageLocation", "DeleteBackupRequest", "DownloadRequest", "PodVolumeBackup", "PodVolumeRestore", "Restore", "Schedule", "ServerStatusRequest", "VolumeSnapshotLocation"]
        .map((kind) => ({ name: `${plural(kind)}.velero.io`, kind, versions: ["v1"] })),
      { name: "datadownloads.velero.io", kind: "DataDownload", versions: ["v2alpha1"] },
      { name: "datauploads.velero.io", kind: "DataUpload", versions: ["v2alpha1"] },
    ],
  },
  comparedWith: ["pkg/install/deployment.go, resources.go@v1.16.2 (what `velero install` creates)", "pkg/cmd/server/config/config.go, server.go@v1.16.2 (flags, the CRD check at start, /tmp/credentials)", "config/crd@v1.16.2"],
  identity: () => ({ serviceAccount: NAME, roleFact: NAME, purpose: "write backups to the backup bucket and create EBS snapshots" }),
  facts: () => [{ fact: "values.veleroBucket", purpose: "S3 bucket backups are written to", example: "acme-velero-<cluster>" }],
  metrics: () => [{ selector: selectorLabels({ addon: NAME } as never, "server"), port: "metrics" }],
  awsResources: (ctx) => [{ type: "s3-bucket", addon: NAME, name: ctx.cluster.facts.values.veleroBucket!, purpose: `backups under prefix ${ctx.cluster.name}/ (versioned, lifecycle longer than the longest TTL)` }],
  generate(scope, ctx) {
    const v = ctx.values;
    addNamespace(scope, ctx);
    addServiceAccount(scope, ctx, NAME, { mode: v.identity, roleArn: roleArn(ctx, NAME) });
    // Restores recreate any kind of object: Velero is cluster-admin by design.
    bindClusterRole(scope, ctx, NAME, "cluster-admin", NAME);
    addWorkload(scope, ctx, {
      kind: "Deployment", name: NAME, component: "server", serviceAccount: NAME, replicas: v.replicas, priorityClassName: v.priorityClassName,
      initContainers: [{
        name: "velero-plugin-for-aws",
        image: `velero/velero-plugin-for-aws:${v.awsPluginVersion}`,
        resources: { cpu: "50m", memory: "64Mi" },
        mounts: [{ name: "plugins", mountPath: "/target" }],
      }],
      containers: [{
        name: "velero",
        image: `velero/velero:${ctx.version}`,
        resources: v.resources,
        command: ["/velero"],
        args: ["server", "--uploader-type=kopia", `--log-level=${v.logLevel}`],
        env: [
          { name: "VELERO_SCRATCH_DIR", value: "/scratch" },
          { name: "VELERO_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
          { name: "LD_LIBRARY_PATH", value: "/plugins" },
        ],
        ports: [{ name: "metrics", containerPort: 8085 }],
        liveness: httpProbe("/metrics", "metrics", "HTTP", 10),
        readiness: httpProbe("/metrics", "metrics", "HTTP", 10),
        // The root filesystem is read-only: the server writes each location's credentials under
        // /tmp/credentials at start, so /tmp is an emptyDir.
        mounts: [{ name: "plugins", mountPath: "/plugins" }, { name: "scratch", mountPath: "/scratch" }, { name: "tmp", mountPath: "/tmp" }],
      }],
      volumes: [{ name: "plugins", emptyDir: {} }, { name: "scratch", emptyDir: {} }, { name: "tmp", emptyDir: {} }],
    });
    addService(scope, ctx, NAME, "server", [{ name: "metrics", port: 8085, targetPort: "metrics" }]);

    const config = (name: string) => meta(ctx, name, { wave: "configuration", annotations: SKIP_DRY_RUN });
    new ApiObject(scope, "bsl", {
      apiVersion: "velero.io/v1", kind: "BackupStorageLocation",
      metadata: config("default"),
      spec: {
        provider: "aws",
        default: true,
        accessMode: "ReadWrite",
        objectStorage: { bucket: ctx.cluster.facts.values.veleroBucket, prefix: ctx.cluster.name },
        config: { region: ctx.cluster.aws.region },
      },
    });
    new ApiObject(scope, "vsl", {
      apiVersion: "velero.io/v1", kind: "VolumeSnapshotLocation",
      metadata: config("default"),
      spec: { provider: "aws", config: { region: ctx.cluster.aws.region } },
    });
    // An app's own Schedule (`backup` in its app.ts): its namespace, only objects with its app label
    // (its StatefulSet, pods and claims; claim templates carry the label). The PersistentVolume of
    // each claim is backed up and snapshotted as an additional item of the claim, label or not
    // (pkg/backup/item_backupper.go@v1.16.2). The source annotation names the app that asked.
    for (const b of [...ctx.appBackups].sort((x, y) => (`${x.namespace}/${x.app}` < `${y.namespace}/${y.app}` ? -1 : 1))) {
      new ApiObject(scope, `schedule-app-${b.namespace}-${b.app}`, {
        apiVersion: "velero.io/v1", kind: "Schedule",
        metadata: meta(ctx, `app-${b.namespace}-${b.app}`, {
          wave: "configuration",
          labels: { "slipway.dev/app": b.app, "slipway.dev/environment": b.environment },
          annotations: { ...SKIP_DRY_RUN, "slipway.dev/source": b.sourceFile },
        }),
        spec: {
          schedule: b.schedule,
          useOwnerReferencesInBackup: false,
          template: {
            ttl: b.ttl,
            includedNamespaces: [b.namespace],
            labelSelector: { matchLabels: { "slipway.dev/app": b.app } },
            snapshotVolumes: true,
            storageLocation: "default",
            volumeSnapshotLocations: ["default"],
          },
        },
      });
    }
    for (const [name, s] of Object.entries(v.schedules).sort(([a], [b]) => (a < b ? -1 : 1))) {
      new ApiObject(scope, `schedule-${name}`, {
        apiVersion: "velero.io/v1", kind: "Schedule",
        metadata: config(name),
        spec: {
          schedule: s.cron,
          useOwnerReferencesInBackup: false,
          template: {
            ttl: s.ttl,
            includedNamespaces: s.includedNamespaces,
            excludedNamespaces: ["kube-system", "kube-public", "kube-node-lease"],
            snapshotVolumes: s.snapshotVolumes,
            storageLocation: "default",
            volumeSnapshotLocations: ["default"],
          },
        },
      });
    }
  },
});

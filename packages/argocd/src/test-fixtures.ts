/** Test fixtures: hand-built cluster inputs and rendered trees on disk (tests only). */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  ClusterSchema,
  EnvironmentSchema,
  FleetSettingsSchema,
  SETTINGS_FILE,
  tenantNamespace,
  TenantSchema,
  type ClusterInput,
  type EnvironmentInput,
  type RenderedIndex,
  type TenantInput,
} from "@slipway/core";
import { stringify } from "yaml";
import { argocdObjects } from "./cluster-objects";
import type { AddonDescription, ArgocdClusterInput, RolloutInput, SpokeCluster } from "./model";

export const REPO = "https://github.com/acme/fleet.git";
export const settings = FleetSettingsSchema.parse({ repository: { url: REPO } });

const aws = {
  accountId: "111122223333",
  region: "us-east-1",
  vpcId: "vpc-0d1e2a3b4c5d6e7f8",
  vpcCidr: "10.10.0.0/16",
  oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/5C3A1D0F7E2B49A6B8C4D1E0F9A7B3C2",
};

export function cluster(name: string, environments: string[], argocd?: ClusterInput["argocd"]) {
  return ClusterSchema.parse({ name, environments, kubernetesVersion: "1.33", aws, ...(argocd ? { argocd } : {}) });
}

export function environment(name: string, sync?: EnvironmentInput["sync"]) {
  return EnvironmentSchema.parse({ name, policy: { trustedRegistries: ["registry.example.com/"] }, ...(sync ? { sync } : {}) });
}

export function tenant(name: string, groups: Partial<TenantInput["groups"]> = { developers: [`${name}-developers`] }) {
  return { def: TenantSchema.parse({ name, groups, team: `@acme/${name}`, registries: ["registry.example.com/"] }), file: `apps/${name}/tenant.ts` };
}

export interface InputOptions {
  readonly cluster?: ReturnType<typeof cluster>;
  readonly environments?: ReturnType<typeof environment>[];
  readonly tenants?: ReturnType<typeof tenant>[];
  readonly apps?: ArgocdClusterInput["apps"];
  readonly addons?: AddonDescription[];
  readonly spokes?: SpokeCluster[];
  readonly rollouts?: RolloutInput[];
}

export function input(options: InputOptions = {}): ArgocdClusterInput {
  const c = options.cluster ?? cluster("dev-use1", ["dev"]);
  return {
    settings,
    cluster: c,
    clusterFile: `clusters/${c.name}/cluster.ts`,
    environments: options.environments ?? c.environments.map((e) => environment(e)),
    tenants: options.tenants ?? [tenant("payments"), tenant("storefront")],
    apps: options.apps ?? [
      { environment: "dev", app: "ledger", tenant: "payments" },
      { environment: "dev", app: "checkout", tenant: "storefront" },
    ],
    addons: options.addons ?? [],
    spokes: options.spokes ?? [],
    rollouts: options.rollouts ?? [],
  };
}

/** A rendered tree on disk: app and tenant directories (one object each), rendered.json, and the `argocd/` directory. */
export class FixtureTree {
  readonly root = mkdtempSync(join(tmpdir(), "slipway-argocd-"));
  private readonly index = new Map<string, Record<string, RenderedIndex["files"][string]>>();

  constructor() {
    writeFileSync(join(this.root, SETTINGS_FILE), `export default { repository: { url: "${REPO}" } };\n`);
    mkdirSync(join(this.root, "environments"), { recursive: true });
  }

  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.root, path)), { recursive: true });
    writeFileSync(join(this.root, path), content);
  }

  private record(clusterName: string, path: string, entry: RenderedIndex["files"][string]): void {
    (this.index.get(clusterName) ?? this.index.set(clusterName, {}).get(clusterName)!)[path] = entry;
  }

  /** An app directory holding one Deployment in `namespace` (default: the tenant's namespace). */
  app(clusterName: string, env: string, app: string, tenantName: string, namespace = tenantNamespace(tenantName, env)): void {
    const path = `${env}/${app}/deployment-${app}.yaml`;
    this.write(`clusters/${clusterName}/${path}`, stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: app, namespace } }));
    this.record(clusterName, path, { sha256: "0", apiVersion: "apps/v1", kind: "Deployment", name: app, namespace, environment: env, tenant: tenantName, app });
  }

  tenantDir(clusterName: string, tenantName: string, envs: string[]): void {
    for (const env of envs) {
      const ns = tenantNamespace(tenantName, env);
      const path = `tenants/${tenantName}/namespace-${ns}.yaml`;
      this.write(`clusters/${clusterName}/${path}`, stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }));
      this.record(clusterName, path, { sha256: "0", apiVersion: "v1", kind: "Namespace", name: ns, tenant: tenantName });
    }
  }

  /** Writes the cluster's Argo CD objects (as render would) and its rendered.json. */
  argocd(options: ArgocdClusterInput): void {
    const name = options.cluster.name;
    for (const object of argocdObjects(options)) {
      const path = `argocd/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
      this.write(`clusters/${name}/${path}`, stringify(object));
      this.record(name, path, { sha256: "0", apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace! });
    }
    this.flushIndex(name, options.cluster.kubernetesVersion);
  }

  flushIndex(name: string, kubernetesVersion = "1.33"): void {
    const files = Object.fromEntries(Object.entries(this.index.get(name) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
    const index: RenderedIndex = { cluster: name, kubernetesVersion, environments: {}, files };
    this.write(`clusters/${name}/rendered.json`, `${JSON.stringify(index, null, 2)}\n`);
  }

  /** Forgets an index entry (render deleting a file). */
  forget(clusterName: string, prefix: string): void {
    const files = this.index.get(clusterName) ?? {};
    for (const path of Object.keys(files)) if (path.startsWith(prefix)) delete files[path];
  }
}

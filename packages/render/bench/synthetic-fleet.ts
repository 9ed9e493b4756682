/**
 * A synthetic fleet for the render benchmark (and the cache tests): 10 clusters, one
 * environment each (2 dev, 2 staging, 6 prod), 10 tenants, and `instances / 10` apps released
 * everywhere, so the fleet has exactly `instances` app-instances. Apps are realistic: web
 * services with ingress, HPA, PDB, network policies, ExternalSecrets, config and alerts;
 * workers; cron jobs. Each tenant has a `shared.ts` its apps import, so the import graph is real.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

export const BENCH_CLUSTERS: readonly { name: string; env: string; region: string; cidr: string; account: string }[] = [
  { name: "dev-use1", env: "dev", region: "us-east-1", cidr: "10.10.0.0/16", account: "111122223333" },
  { name: "dev-usw2", env: "dev", region: "us-west-2", cidr: "10.11.0.0/16", account: "111122223333" },
  { name: "staging-use1", env: "staging", region: "us-east-1", cidr: "10.20.0.0/16", account: "444455556666" },
  { name: "staging-euw1", env: "staging", region: "eu-west-1", cidr: "10.21.0.0/16", account: "444455556666" },
  { name: "prod-use1", env: "prod", region: "us-east-1", cidr: "10.30.0.0/16", account: "777788889999" },
  { name: "prod-usw2", env: "prod", region: "us-west-2", cidr: "10.31.0.0/16", account: "777788889999" },
  { name: "prod-euw1", env: "prod", region: "eu-west-1", cidr: "10.40.0.0/16", account: "777788889999" },
  { name: "prod-euc1", env: "prod", region: "eu-central-1", cidr: "10.41.0.0/16", account: "777788889999" },
  { name: "prod-apse1", env: "prod", region: "ap-southeast-1", cidr: "10.50.0.0/16", account: "777788889999" },
  { name: "prod-apne1", env: "prod", region: "ap-northeast-1", cidr: "10.51.0.0/16", account: "777788889999" },
];
export const BENCH_TENANTS = 10;

const ENVIRONMENTS: Record<string, string> = {
  dev: `import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "dev",
  policy: {
    guardrails: "relaxed",
    minReplicas: 1,
    requirePdb: false,
    requireDigest: false,
    allowExec: true,
    trustedRegistries: ["${REGISTRY}/"],
  },
  sync: { mode: "automated" },
  appDefaults: { resources: { cpu: "50m", memory: "128Mi" } },
});
`,
  staging: `import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "staging",
  promotesFrom: "dev",
  policy: {
    guardrails: "strict",
    minReplicas: 1,
    requirePdb: false,
    requireDigest: true,
    allowExec: true,
    trustedRegistries: ["${REGISTRY}/"],
  },
  sync: { mode: "automated" },
});
`,
  prod: `import { defineEnvironment } from "@slipway/core";

export default defineEnvironment({
  name: "prod",
  promotesFrom: "staging",
  policy: {
    guardrails: "strict",
    minReplicas: 2,
    requirePdb: true,
    requireDigest: true,
    allowExec: false,
    trustedRegistries: ["${REGISTRY}/"],
  },
  sync: { mode: "automated", windows: [{ kind: "deny", schedule: "0 17 * * 5", duration: "64h", timeZone: "Etc/UTC" }] },
  appDefaults: { scaling: { min: 2 } },
});
`,
};

function hex(seed: number, length: number): string {
  let out = "";
  let x = seed * 2654435761 + 1;
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += x.toString(16).padStart(8, "0");
  }
  return out.slice(0, length);
}

export interface SyntheticApp {
  readonly name: string;
  readonly tenant: string;
  /** Repository-relative path of its app.ts. */
  readonly file: string;
}

export interface SyntheticFleet {
  readonly root: string;
  readonly apps: readonly SyntheticApp[];
  readonly instances: number;
}

function tenantName(i: number): string {
  return `team-${String(i).padStart(2, "0")}`;
}

function appSource(i: number, name: string, tenant: string, apps: number): string {
  const kind = appKind(i);
  const image = `${REGISTRY}/${tenant}/${name}`;
  const peer = `app-${String((i + 1) % apps).padStart(4, "0")}`;
  const lines = [
    `import { defineApp } from "@slipway/core";`,
    `import { httpProbes, platformEnv, runbook } from "../shared";`,
    ``,
    `/** Synthetic ${kind} #${i}. */`,
    `export default defineApp({`,
    `  name: "${name}",`,
    `  tenant: "${tenant}",`,
    `  kind: "${kind}",`,
    `  image: "${image}",`,
    `  env: { ...platformEnv, APP_INDEX: "${i}", FEATURE_FLAGS: "on", LEGACY_MODE: "no" },`,
    `  resources: { cpu: "${100 + (i % 5) * 50}m", memory: "${128 * (1 + (i % 4))}Mi" },`,
    `  config: { LOG_LEVEL: "info", CACHE_TTL: "0300", UPSTREAM: "http://${peer}:8080", QUERY: "a: b # c" },`,
    `  secrets: [{ name: "database", from: "${tenant}/${name}/database", env: { DB_USER: "username", DB_PASSWORD: "password" } }${i % 3 === 0 ? `, { name: "tls", from: "${tenant}/${name}/tls", mountPath: "/var/run/secrets/tls" }` : ""}],`,
    `  aws: { identity: "${i % 2 ? "irsa" : "pod-identity"}", roleArn: "arn:aws:iam::111122223333:role/${tenant}-${name}" },`,
    `  scratchPaths: ["/tmp"],`,
  ];
  if (kind === "cron-job") {
    lines.push(
      `  command: ["/app/run"],`,
      `  args: ["--since=24h", "--batch=${i}"],`,
      `  schedule: { cron: "${i % 60} ${i % 24} * * *", activeDeadlineSeconds: 3600 },`,
      `  access: { outbound: [{ aws: "s3" }, { app: "${peer}", port: "http" }] },`,
      `  alerts: { severity: "ticket", runbook: runbook("${name}") },`,
    );
  } else {
    lines.push(
      `  ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],`,
      `  scaling: { min: ${kind === "worker" ? 1 : 2}, max: ${4 + (i % 8)}, cpuTargetPercent: ${60 + (i % 4) * 5} },`,
      kind === "web-service" ? `  probes: httpProbes,` : `  probes: { liveness: { type: "exec", command: ["/app/healthcheck"] } },`,
      `  access: {`,
      `    inbound: [{ app: "${peer}", port: "http" }, { app: "gateway", tenant: "team-00" }],`,
      `    outbound: [{ app: "${peer}", port: "http" }, { cidr: "10.10.64.0/20", ports: [5432] }, { aws: "sqs" }, { aws: "s3" }],`,
      `  },`,
      `  alerts: { availability: 99.9, errorRateAbove: 0.02, runbook: runbook("${name}") },`,
    );
    if (kind === "web-service") {
      const exposure = i % 5 === 0 ? "public" : "internal";
      lines.push(
        `  ingress: { exposure: "${exposure}", host: "${name}.dev.example.com"${exposure === "public" ? `, approval: "SEC-${1000 + i}"` : ""} },`,
      );
    }
  }
  lines.push(
    `  environments: {`,
    `    staging: { env: { ...platformEnv, APP_INDEX: "${i}", STAGE: "staging" }, aws: { roleArn: "arn:aws:iam::444455556666:role/${tenant}-${name}" }${kind === "web-service" ? `, ingress: { host: "${name}.staging.example.com" }` : ""} },`,
    `    prod: { aws: { roleArn: "arn:aws:iam::777788889999:role/${tenant}-${name}" }, resources: { cpu: "${200 + (i % 5) * 100}m", memory: "${256 * (1 + (i % 4))}Mi" }${kind === "cron-job" ? "" : `, scaling: { min: 3, max: ${10 + (i % 10)} }`}${kind === "web-service" ? `, ingress: { host: "${name}.example.com" }` : ""} },`,
    `  },`,
    `});`,
    ``,
  );
  return lines.join("\n");
}

function sharedSource(tenant: string): string {
  return `/** Values every app of ${tenant} shares: changing this file re-renders all of them. */
export const platformEnv = { OTEL_EXPORTER: "otlp", TEAM: "${tenant}", TZ: "Etc/UTC" };

export const httpProbes = {
  readiness: { type: "http" as const, path: "/healthz/ready", port: "http" },
  liveness: { type: "http" as const, path: "/healthz/live", periodSeconds: 20 },
  startup: { type: "http" as const, path: "/healthz/live", failureThreshold: 30, periodSeconds: 2 },
};

export function runbook(app: string): string {
  return \`https://runbooks.example.com/${tenant}/\${app}\`;
}
`;
}

function write(root: string, path: string, content: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

/** The example fleet's cluster of each environment: its add-on choices are copied, so apps' add-on requirements hold. */
const TEMPLATE_CLUSTER: Record<string, string> = { dev: "dev-use1", staging: "staging-use1", prod: "prod-use1" };

/** The `addons: { … }, facts: { … }` part of an example cluster definition, renamed for `name`. */
function addonBlock(template: string, env: string, name: string): string {
  const path = join(template, "clusters", TEMPLATE_CLUSTER[env]!, "cluster.ts");
  if (!existsSync(path)) return "";
  const source = readFileSync(path, "utf8");
  const start = source.search(/^ {2}(\/\/.*\n {2})*addons: \{/m);
  const end = source.lastIndexOf("});");
  return start < 0 || end < start ? "" : source.slice(start, end).split(TEMPLATE_CLUSTER[env]!).join(name);
}

function templateVersion(template: string, env: string): string {
  const path = join(template, "clusters", TEMPLATE_CLUSTER[env]!, "cluster.ts");
  return (existsSync(path) && /kubernetesVersion: "([^"]+)"/.exec(readFileSync(path, "utf8"))?.[1]) || "1.33";
}

/** The fleet-wide settings files (`slipway.config.ts`, …) at the root of a fleet. */
export function fleetSettingsFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^slipway\.config\.[cm]?[jt]s$/.test(name)).sort();
}

/**
 * Writes a fleet with `instances` app-instances (a multiple of 10) into `root`, replacing what
 * was there. Add-on choices (`addons/`) and each cluster's add-ons come from the example fleet
 * at `template`, so the synthetic fleet passes the same cross-checks.
 */
export function generateFleet(root: string, instances: number, template: string): SyntheticFleet {
  const appCount = Math.max(1, Math.round(instances / BENCH_CLUSTERS.length));
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  if (existsSync(join(template, "addons"))) cpSync(join(template, "addons"), join(root, "addons"), { recursive: true });
  // Fleet-wide settings (Argo CD repository, …), where the example fleet has them.
  for (const name of fleetSettingsFiles(template)) cpSync(join(template, name), join(root, name));
  for (const [env, source] of Object.entries(ENVIRONMENTS)) write(root, `environments/${env}/environment.ts`, source);
  for (const c of BENCH_CLUSTERS) {
    write(root, `clusters/${c.name}/cluster.ts`, `import { defineCluster } from "@slipway/core";

export default defineCluster({
  name: "${c.name}",
  environments: ["${c.env}"],
  kubernetesVersion: "${templateVersion(template, c.env)}",
  aws: {
    accountId: "${c.account}",
    region: "${c.region}",
    vpcId: "vpc-0${hex(c.name.length * 7 + c.cidr.length, 16)}",
    vpcCidr: "${c.cidr}",
    oidcProvider: "oidc.eks.${c.region}.amazonaws.com/id/${hex(c.name.length * 13, 32).toUpperCase()}",
  },
  ingressDomains: ["example.com"],
  edge: {
    // Each cluster's own certificate, in its region and account: ingresses under the domain use it.
    certificates: { "example.com": "arn:aws:acm:${c.region}:${c.account}:certificate/${certificateId(c.name.length + c.cidr.length)}" },
    sharedHosts: ${JSON.stringify(sharedHosts(appCount, c.env))},
  },
${addonBlock(template, c.env, c.name)}});
`);
  }
  for (let t = 0; t < BENCH_TENANTS; t++) {
    const tenant = tenantName(t);
    write(root, `apps/${tenant}/tenant.ts`, `import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "${tenant}",
  description: "Synthetic tenant ${t}.",
  team: "@acme/${tenant}",
  groups: { viewers: ["${tenant}-viewers"], developers: ["${tenant}-developers"], operators: ["${tenant}-oncall"] },
  registries: ["${REGISTRY}/${tenant}/"],
  ingressHostSuffixes: ["example.com"],
});
`);
    write(root, `apps/${tenant}/shared.ts`, sharedSource(tenant));
  }
  const apps: SyntheticApp[] = [];
  for (let i = 0; i < appCount; i++) {
    // Peers are referenced by name only; they live in the same tenant as far as network policy goes.
    const name = `app-${String(i).padStart(4, "0")}`;
    const tenant = tenantName(i % BENCH_TENANTS);
    const file = `apps/${tenant}/${name}/app.ts`;
    write(root, file, appSource(i, name, tenant, appCount));
    apps.push({ name, tenant, file });
  }
  for (const [e, env] of ["dev", "staging", "prod"].entries()) {
    const lines = [`# Release lock file for ${env} (synthetic).`, "apps:"];
    for (const [i, app] of apps.entries()) {
      lines.push(
        `  ${app.name}:`,
        `    image: ${REGISTRY}/${app.tenant}/${app.name}`,
        `    tag: "1.${i % 50}.${e}"`,
        `    digest: sha256:${hex(i * 3 + e, 64)}`,
        `    commit: ${hex(i * 5 + e, 40)}`,
        ...(e > 0 ? [`    promotedFrom: ${["dev", "staging"][e - 1]}`] : []),
      );
    }
    write(root, `environments/${env}/releases.yaml`, `${lines.join("\n")}\n`);
  }
  return { root, apps, instances: appCount * BENCH_CLUSTERS.length };
}

/**
 * The ingress hosts of an environment's web services: every environment runs on two or more
 * clusters that all serve each host (multi-region), so each cluster declares them shared.
 */
function sharedHosts(appCount: number, env: string): string[] {
  const suffix = env === "prod" ? "example.com" : `${env}.example.com`;
  const hosts: string[] = [];
  for (let i = 0; i < appCount; i++) if (appKind(i) === "web-service") hosts.push(`app-${String(i).padStart(4, "0")}.${suffix}`);
  return hosts;
}

function certificateId(seed: number): string {
  return `${hex(seed, 8)}-${hex(seed + 1, 4)}-4${hex(seed + 2, 3)}-8${hex(seed + 3, 3)}-${hex(seed + 4, 12)}`;
}

function appKind(i: number): "web-service" | "worker" | "cron-job" {
  return i % 20 < 12 ? "web-service" : i % 20 < 17 ? "worker" : "cron-job";
}

/** Edits one app (a new config value), as an engineer would: the incremental-render scenario. */
export function touchApp(root: string, app: SyntheticApp, round: number): void {
  const path = join(root, app.file);
  const source = readFileSync(path, "utf8");
  writeFileSync(path, source.replace(/LOG_LEVEL: "[^"]*"/, `LOG_LEVEL: "debug-${round}"`));
}

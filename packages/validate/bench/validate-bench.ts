/**
 * Validation throughput, printed, never asserted: `npx tsx packages/validate/bench/validate-bench.ts [apps]`.
 * Builds a synthetic fleet of typical rendered objects (Deployment, Service, HPA, PDB,
 * Ingress, NetworkPolicy, ServiceAccount, ExternalSecret per app), then measures
 *   - YAML parse alone (the floor for file validation),
 *   - validation from files (parse + all checks, as `slipway validate` does),
 *   - validation of in-memory objects (what render hands over),
 * each the median of 3 runs after one warm-up.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { validateManifests, type GuardrailPolicy, type ManifestObject, type ManifestText } from "../src/index";

const apps = Number(process.argv[2] ?? 1000);
const policy: GuardrailPolicy = { guardrails: "strict", minReplicas: 2, requirePdb: true, requireDigest: true, trustedRegistries: ["*.dkr.ecr.*.amazonaws.com/"] };

function appObjects(i: number): Record<string, unknown>[] {
  const name = `app-${i}`;
  const ns = `team-${i % 50}-prod`;
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": name, "app.kubernetes.io/managed-by": "slipway", "slipway.dev/tenant": `team-${i % 50}`, "slipway.dev/environment": "prod" };
  const meta = { name, namespace: ns, labels, annotations: { "slipway.dev/source": `apps/team-${i % 50}/${name}/app.ts` } };
  const sel = { "app.kubernetes.io/name": name };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { ...meta, annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::123456789012:role/${name}` } } },
    {
      apiVersion: "apps/v1", kind: "Deployment", metadata: meta,
      spec: {
        replicas: 2, revisionHistoryLimit: 5, selector: { matchLabels: sel },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            serviceAccountName: name, automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: sel } }],
            containers: [{
              name: "app", image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}@sha256:${"b".repeat(64)}`,
              ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
              env: [{ name: "PORT", value: "8080" }, { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${name}-db`, key: "password" } } }],
              resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
              readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: "/live", port: "http" }, periodSeconds: 10 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            }],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    { apiVersion: "v1", kind: "Service", metadata: meta, spec: { selector: sel, ports: [{ name: "http", port: 80, targetPort: "http" }] } },
    { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: meta, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name }, minReplicas: 2, maxReplicas: 6, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] } },
    { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta, spec: { maxUnavailable: 1, selector: { matchLabels: sel } } },
    { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { ...meta, annotations: { "alb.ingress.kubernetes.io/scheme": "internal" } }, spec: { ingressClassName: "alb", rules: [{ host: `${name}.internal.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }] } },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: meta, spec: { podSelector: { matchLabels: sel }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }], ports: [{ port: 8080, protocol: "TCP" }] }] } },
    { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: meta, spec: { refreshInterval: "1h", secretStoreRef: { name: "aws", kind: "ClusterSecretStore" }, target: { name: `${name}-db` }, data: [{ secretKey: "password", remoteRef: { key: `prod/${name}/db`, property: "password" } }] } },
  ];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}
function time(fn: () => void): number {
  fn(); // warm-up: schemas loaded, validators compiled, JIT warm
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs) / 1000;
}

const namespaces = Array.from({ length: Math.min(apps, 50) }, (_, t) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `team-${t}-prod`, labels: { "slipway.dev/tenant": `team-${t}` } } }));
const objects = [...namespaces, ...Array.from({ length: apps }, (_, i) => appObjects(i)).flat()];
const dir = mkdtempSync(join(tmpdir(), "slipway-validate-bench-"));
const paths = objects.map((o, i) => {
  const p = join(dir, `${i}.yaml`);
  writeFileSync(p, stringify(o));
  return p;
});
const texts: ManifestText[] = paths.map((p) => ({ file: p, text: readFileSync(p, "utf8") }));
const inMemory: ManifestObject[] = objects.map((object, i) => ({ file: `${i}.yaml`, object }));

const parseS = time(() => {
  for (const t of texts) for (const d of parseAllDocuments(t.text, { version: "1.1" })) d.toJS();
});
let errors = 0;
const filesS = time(() => {
  const r = validateManifests(texts, { kubernetesVersion: "1.31", policy, crossObject: true });
  errors = r.summary.errors;
});
const memS = time(() => {
  validateManifests(inMemory, { kubernetesVersion: "1.31", policy, crossObject: true });
});
const memSchemaOnly = time(() => {
  validateManifests(inMemory, { kubernetesVersion: "1.31" });
});
rmSync(dir, { recursive: true, force: true });

const n = objects.length;
const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");
console.log(`objects: ${n} (${apps} apps × 8 + ${namespaces.length} namespaces), errors found: ${errors}`);
console.log(`yaml parse only:          ${parseS.toFixed(3)} s  ${fmt(n / parseS)} objects/s`);
console.log(`validate files:           ${filesS.toFixed(3)} s  ${fmt(n / filesS)} objects/s  (${(filesS / parseS).toFixed(2)}× parse)`);
console.log(`validate in memory:       ${memS.toFixed(3)} s  ${fmt(n / memS)} objects/s  (schema+semantics+guardrails+cross-object)`);
console.log(`validate in memory, schema+semantics only: ${memSchemaOnly.toFixed(3)} s  ${fmt(n / memSchemaOnly)} objects/s`);
console.log(`bench: validate objects=${n} files_over_parse=${(filesS / parseS).toFixed(2)} memory_objects_per_s=${Math.round(n / memS)}`);

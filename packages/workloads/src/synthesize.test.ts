import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { KubeObject } from "@slipway/core";
import { synthesizeApp } from "./synthesize";
import { testContext } from "./test-context";

const yamlOf = (objects: KubeObject[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
// Test lookups navigate deep into synthesized objects; typing every level would only restate the API.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Loose | undefined;

const webService = testContext({
  name: "storefront",
  kind: "web-service",
  ports: [{ name: "http", port: 8080 }, { name: "metrics", port: 9090 }],
  env: { LOG_LEVEL: "info" },
  scaling: { min: 3, max: 10, cpuTargetPercent: 60, memoryTargetPercent: 80, metrics: [{ type: "pods", name: "http_requests_per_second", averageValue: "50" }], scaleDownStabilizationSeconds: 600 },
  metrics: { port: "metrics", requestsTotal: "storefront_requests_total", statusLabel: "status" },
  resources: { cpu: "250m", memory: "256Mi" },
  probes: { readiness: { type: "http", path: "/ready" }, liveness: { type: "http", path: "/live" }, startup: { type: "tcp" } },
  ingress: { exposure: "public", host: "shop.example.com", approval: "SEC-1", certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0b7c6d2e-5a41-4f3b-9e8d-1c2b3a4d5e6f" },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::111122223333:role/storefront" },
  secrets: [{ name: "db", from: "shop/storefront/db", env: { DB_PASSWORD: "password" } }],
  config: { FEATURE_FLAGS: "checkout-v2" },
  access: { inbound: [{ app: "edge", tenant: "platform", port: "http" }], outbound: [{ app: "ledger", tenant: "payments" }, { cidr: "10.30.64.0/20", ports: [5432] }, { aws: "s3" }] },
  alerts: { availability: 99.9, errorRateAbove: 0.05, runbook: "https://runbooks.example.com/storefront" },
});

const worker = testContext({
  name: "mailer",
  kind: "worker",
  ports: [{ name: "metrics", port: 9102 }],
  metrics: { port: "metrics", path: "/stats", interval: "1m" },
  scaling: { min: 2 },
  probes: { liveness: { type: "exec", command: ["/bin/health"] } },
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::111122223333:role/mailer" },
  secrets: [{ name: "smtp", from: "shop/mailer/smtp", mountPath: "/var/run/secrets/smtp" }],
  access: { outbound: [{ aws: "sqs" }] },
});

const cronJob = testContext(
  {
    name: "report",
    kind: "cron-job",
    command: ["/app/report"],
    schedule: { cron: "0 3 * * *", activeDeadlineSeconds: 1800 },
    alerts: { severity: "ticket" },
  },
  "dev",
);

describe("golden path output", () => {
  it("GIVEN a web service with every intent field WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(webService))).toMatchFileSnapshot("__golden__/web-service.yaml");
  });
  it("GIVEN a worker WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(worker))).toMatchFileSnapshot("__golden__/worker.yaml");
  });
  it("GIVEN a cron job WHEN synthesized THEN it matches the golden file", async () => {
    await expect(yamlOf(synthesizeApp(cronJob))).toMatchFileSnapshot("__golden__/cron-job.yaml");
  });
});

describe("golden path rules", () => {
  it("GIVEN an HPA owns the replicas WHEN synthesized THEN the Deployment has no replicas field", () => {
    const objects = synthesizeApp(webService);
    expect(find(objects, "HorizontalPodAutoscaler")?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(find(objects, "Deployment")?.spec).not.toHaveProperty("replicas");
  });

  it("GIVEN a fixed replica count WHEN synthesized THEN replicas is set and there is no HPA", () => {
    const objects = synthesizeApp(worker);
    expect(find(objects, "Deployment")?.spec.replicas).toBe(2);
    expect(find(objects, "HorizontalPodAutoscaler")).toBeUndefined();
  });

  it("every container runs restricted: non-root, no escalation, ALL dropped, read-only root, RuntimeDefault seccomp", () => {
    for (const ctx of [webService, worker, cronJob]) {
      const objects = synthesizeApp(ctx);
      const workload = find(objects, "Deployment") ?? find(objects, "CronJob")!;
      const pod = workload.kind === "CronJob" ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          privileged: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
        });
        expect(container.resources.requests).toBeDefined();
        expect(container.resources.limits).toBeDefined();
        expect(container.image).toMatch(/:1\.2\.3@sha256:[0-9a-f]{64}$/);
      }
    }
  });

  it("GIVEN prod WHEN a long-running app is synthesized THEN it spreads across zones (hard) and nodes (soft) and has a PDB", () => {
    const objects = synthesizeApp(webService);
    const spread = find(objects, "Deployment")!.spec.template.spec.topologySpreadConstraints;
    expect(spread.map((c: Record<string, string>) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ["topology.kubernetes.io/zone", "DoNotSchedule"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
    ]);
    expect(find(objects, "PodDisruptionBudget")?.spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "storefront" } } });
  });

  it("GIVEN a public ingress WHEN synthesized THEN it is an internet-facing ALB with ip targets, TLS and the approval", () => {
    const ingress = find(synthesizeApp(webService), "Ingress")!;
    expect(ingress.spec.ingressClassName).toBe("alb");
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-path": "/ready",
      "alb.ingress.kubernetes.io/group.name": "shop-public",
      "slipway.dev/public-ingress-approval": "SEC-1",
    });
  });

  it("GIVEN secrets WHEN synthesized THEN they come from ExternalSecrets and no Secret object is rendered", () => {
    const objects = synthesizeApp(webService);
    expect(objects.some((o) => o.kind === "Secret")).toBe(false);
    expect(find(objects, "ExternalSecret", "storefront-db")?.spec).toMatchObject({
      secretStoreRef: { kind: "SecretStore", name: "tenant-secrets" },
      data: [{ secretKey: "DB_PASSWORD", remoteRef: { key: "shop/storefront/db", property: "password" } }],
    });
  });

  it("GIVEN pod identity WHEN synthesized THEN nothing in the cluster binds the role (the association is made on the AWS side) and the ServiceAccount has no IRSA annotation", () => {
    const objects = synthesizeApp(worker);
    expect(find(objects, "PodIdentityAssociation")).toBeUndefined();
    expect(find(objects, "ServiceAccount")?.metadata.annotations).not.toHaveProperty("eks.amazonaws.com/role-arn");
  });

  it("every object names its source file and carries the standard labels", () => {
    for (const object of synthesizeApp(webService)) {
      expect(object.metadata).toMatchObject({
        annotations: { "slipway.dev/source": "apps/shop/storefront/app.ts" },
        labels: { "app.kubernetes.io/managed-by": "slipway", "app.kubernetes.io/name": "storefront", "slipway.dev/tenant": "shop", "slipway.dev/environment": "prod" },
      });
    }
  });
});

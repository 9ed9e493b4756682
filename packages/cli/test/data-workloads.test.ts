/**
 * Journey: a data team on the fixture fleet. The platform switches on the spark-operator add-on,
 * the team adds a batch-job and a spark-application, and the shipped `slipway` (spawned as
 * `npx slipway …` in a scratch git repository) renders them, validates them, refuses a bad
 * definition without touching the tree, and fails validation for each data guardrail.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { editFile, fingerprint, fixtureFleetRepo, type TempRepo } from "@slipway/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { said, slipway, type Run } from "./slipway";

const REGISTRY = "210987654321.dkr.ecr.us-east-1.amazonaws.com";
const ACCOUNT = "210900001111";

let repo: TempRepo;
const run = (argv: string[]) => slipway(repo.dir, argv);
const write = (path: string, text: string) => {
  mkdirSync(join(repo.dir, path, ".."), { recursive: true });
  writeFileSync(join(repo.dir, path), text);
};
function expectExit(result: Run, code: number): void {
  expect(result.code, said(result)).toBe(code);
}
/** Files of a rendered app directory. */
const filesOf = (dir: string) => readdirSync(join(repo.dir, dir)).sort();

const BACKFILL = `import { defineApp } from "@slipway/core";

/** Rewrites the lake's order partitions in eight shards. */
export default defineApp({
  name: "backfill",
  tenant: "data",
  kind: "batch-job",
  image: "${REGISTRY}/data/backfill",
  command: ["/app/backfill"],
  resources: { cpu: "500m", memory: "512Mi" },
  aws: { identity: "irsa", roleArn: "arn:aws:iam::${ACCOUNT}:role/data-backfill" },
  access: { outbound: [{ aws: "s3" }] },
  job: { completions: 8, parallelism: 2, completionMode: "Indexed", activeDeadlineSeconds: 3600, spot: true },
});
`;

const SESSIONIZE = `import { defineApp } from "@slipway/core";

/** Sessionizes the day's click events. */
export default defineApp({
  name: "sessionize",
  tenant: "data",
  kind: "spark-application",
  image: "${REGISTRY}/data/sessionize",
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::${ACCOUNT}:role/data-sessionize" },
  access: { outbound: [{ aws: "s3" }] },
  spark: {
    type: "Python",
    sparkVersion: "3.5.6",
    mainApplicationFile: "local:///opt/spark/work/sessionize.py",
    executor: { cores: 2, memory: "3g", instances: 2 },
    dynamicAllocation: { minExecutors: 1, maxExecutors: 4 },
    eventLogDir: "s3a://fixture-lake/spark-events/",
  },
});
`;

/** A lock-file entry; `hex` is one hex letter (an all-digit commit would read as a YAML number). */
const release = (app: string, patch: number, hex: string) => `  ${app}:
    image: ${REGISTRY}/data/${app}
    tag: "1.0.${patch}"
    digest: sha256:${hex.repeat(64)}
    commit: ${hex.repeat(40)}
`;

beforeAll(async () => {
  repo = await fixtureFleetRepo();
  write("addons/spark-operator.ts", `import { defineAddon } from "@slipway/core";\n\nexport default defineAddon({ addon: "spark-operator", version: "v2.5.2" });\n`);
  editFile(join(repo.dir, "clusters/dev-use1/cluster.ts"), (text) => text.replace(`"metrics-server": true,`, `"metrics-server": true,\n    "spark-operator": true,`));
  write("apps/data/tenant.ts", `import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "data",
  team: "@fixture/data",
  groups: { viewers: ["data-viewers"], developers: ["data-developers"], operators: ["data-oncall"] },
  registries: ["${REGISTRY}/data/"],
  quota: { requestsCpu: "32", requestsMemory: "64Gi", limitsCpu: "64", limitsMemory: "128Gi" },
});
`);
  write("apps/data/backfill/app.ts", BACKFILL);
  write("apps/data/sessionize/app.ts", SESSIONIZE);
  appendFileSync(join(repo.dir, "environments/dev/releases.yaml"), release("backfill", 1, "b") + release("sessionize", 2, "c"));
  repo.commit("data tenant: backfill and sessionize");
});
afterAll(() => repo?.cleanup());

describe("data and batch workloads, through the shipped slipway", () => {
  it("renders the spark-operator add-on with its CRDs, a release-named Job and a SparkApplication", async () => {
    const render = await run(["render"]);
    expectExit(render, 0);
    const jobs = filesOf("clusters/dev-use1/dev/backfill").filter((f) => f.startsWith("job-"));
    expect(jobs).toEqual([expect.stringMatching(/^job-backfill-[0-9a-f]{10}\.yaml$/)]);
    const job = parse(readFileSync(join(repo.dir, "clusters/dev-use1/dev/backfill", jobs[0]!), "utf8"));
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: 8, parallelism: 2, activeDeadlineSeconds: 3600 });
    expect(job.spec.podFailurePolicy.rules).toContainEqual({ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] });
    const spark = filesOf("clusters/dev-use1/dev/sessionize");
    expect(spark).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sparkapplication-sessionize-[0-9a-f]{10}\.yaml$/),
      "role-sessionize-spark-driver.yaml",
      "rolebinding-sessionize-spark-driver.yaml",
      "networkpolicy-sessionize-spark-driver.yaml",
      "serviceaccount-sessionize.yaml",
    ]));
    expect(existsSync(join(repo.dir, "clusters/dev-use1/addons/spark-operator/deployment-spark-operator-controller.yaml"))).toBe(true);
    expect(existsSync(join(repo.dir, "clusters/dev-use1/argocd/application-dev-use1-addon-spark-operator-crds.yaml"))).toBe(true);
    repo.commit("render");
  });

  it("validates the rendered fleet, SparkApplication schema included, and render --check agrees", async () => {
    expectExit(await run(["validate"]), 0);
    expectExit(await run(["render", "--check"]), 0);
  });

  it("a new release of the batch job is a new Job: the old one is deleted from the tree", async () => {
    const before = filesOf("clusters/dev-use1/dev/backfill").filter((f) => f.startsWith("job-"));
    editFile(join(repo.dir, "environments/dev/releases.yaml"), (text) => text.replace(`tag: "1.0.1"\n    digest: sha256:${"b".repeat(64)}`, `tag: "1.0.3"\n    digest: sha256:${"d".repeat(64)}`));
    const render = await run(["render"]);
    expectExit(render, 0);
    expect(render.stdout).toContain(`deleted clusters/dev-use1/dev/backfill/${before[0]}`);
    const after = filesOf("clusters/dev-use1/dev/backfill").filter((f) => f.startsWith("job-"));
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    repo.commit("backfill 1.0.3");
  });

  it("refuses a TTL on a release-started Job, naming the file, the field and the fix, and changes nothing", async () => {
    const before = fingerprint(join(repo.dir, "clusters"));
    editFile(join(repo.dir, "apps/data/backfill/app.ts"), (text) => text.replace("activeDeadlineSeconds: 3600,", "activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 600,"));
    const render = await run(["render"]);
    expectExit(render, 1);
    expect(render.stderr).toMatch(/apps\/data\/backfill\/app\.ts/);
    expect(render.stderr).toMatch(/job\.ttlSecondsAfterFinished/);
    expect(render.stderr).toMatch(/Argo CD would re-create \(and re-run\) it/);
    expect(fingerprint(join(repo.dir, "clusters"))).toEqual(before);
    repo.git("checkout", "--", "apps/data/backfill/app.ts");
  });

  it("scaffolds a batch-job and a spark-application that render and pass validate with no finding as written", async () => {
    for (const [app, kind] of [["compaction", "batch-job"], ["aggregate", "spark-application"]]) {
      expectExit(await run(["new", "app", `data/${app}`, "--kind", kind!, "--registry", REGISTRY]), 0);
    }
    appendFileSync(join(repo.dir, "environments/dev/releases.yaml"), release("compaction", 4, "e") + release("aggregate", 5, "f"));
    expectExit(await run(["render"]), 0);
    expect(filesOf("clusters/dev-use1/dev/compaction").some((f) => f.startsWith("job-compaction-"))).toBe(true);
    expect(filesOf("clusters/dev-use1/dev/aggregate").some((f) => f.startsWith("sparkapplication-aggregate-"))).toBe(true);
    const validate = await run(["validate"]);
    expectExit(validate, 0);
    expect(validate.stdout).not.toMatch(/compaction|aggregate/);
  });

  describe("validate fails each data guardrail, with its rule ID, on YAML written elsewhere", () => {
    const meta = { namespace: "data-prod", labels: { "slipway.dev/tenant": "data" } };
    const container = (env?: unknown[]) => ({
      name: "main", image: `${REGISTRY}/data/job:1.0.0@sha256:${"a".repeat(64)}`,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
      ...(env ? { env } : {}),
    });
    const pod = (extra: Record<string, unknown> = {}, env?: unknown[]) => ({ restartPolicy: "Never", securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } }, containers: [container(env)], ...extra });
    const job = (name: string, spec: Record<string, unknown>, podExtra?: Record<string, unknown>, env?: unknown[]) =>
      stringify({ apiVersion: "batch/v1", kind: "Job", metadata: { name, ...meta }, spec: { ...spec, template: { spec: pod(podExtra, env) } } });
    const cases: [string, string, string][] = [
      ["SW-GR-JOB-CLEANUP", "no-deadline.yaml", job("no-deadline", { backoffLimit: 2 })],
      ["SW-GR-SPOT-RETRY", "spot-no-retry.yaml", job("spot-no-retry", { backoffLimit: 0, activeDeadlineSeconds: 600 }, { nodeSelector: { "karpenter.sh/capacity-type": "spot" } })],
      ["SW-GR-S3-ACCESS-KEY", "static-key.yaml", job("static-key", { activeDeadlineSeconds: 600 }, {}, [{ name: "AWS_ACCESS_KEY_ID", value: "AKIAEXAMPLE" }])],
      ["SW-GR-S3-ACCESS-KEY", "spark-key.yaml", stringify({
        apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata: { name: "spark-key", ...meta },
        spec: {
          type: "Python", mode: "cluster", sparkVersion: "3.5.6", mainApplicationFile: "local:///opt/app.py",
          sparkConf: { "spark.hadoop.fs.s3a.access.key": "AKIAEXAMPLE", "spark.executor.maxNumFailures": "4" },
          driver: { cores: 1, memory: "1g" }, executor: { cores: 1, memory: "1g" },
        },
      })],
    ];
    for (const [rule, file, text] of cases) {
      it(`${rule}: ${file}`, async () => {
        write(`manifests/${file}`, text);
        const result = await run(["validate", "--policy", "prod", `manifests/${file}`]);
        expectExit(result, 1);
        expect(result.stdout).toMatch(new RegExp(`manifests/${file}:\\d+ error ${rule} `));
        const others = [...result.stdout.matchAll(/ error (SW-[A-Z0-9-]+) /g)].map((m) => m[1]);
        expect(new Set(others)).toEqual(new Set([rule]));
      });
    }
  });
});

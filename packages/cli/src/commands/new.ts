/** `slipway new app|tenant`: scaffold a definition that renders and passes the guardrails as written. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AppKind, closest, DNS1123_LABEL, SlipwayError, UsageError } from "@slipway/core";
import { ExitCode, type CommandStatus } from "../exit-codes";
import { fleetNames } from "../fleet-names";
import type { CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const newHelp = `Usage: slipway new app <tenant>/<app> [--kind web-service|worker|cron-job|stateful-service|batch-job|spark-application] [--registry R]
       slipway new tenant <tenant> --team @org/team [--registry R]

Scaffolds apps/<tenant>/<app>/app.ts or apps/<tenant>/tenant.ts. Existing files are never overwritten;
an app's tenant must exist (apps/<tenant>/tenant.ts). The next steps are printed: for an app, commit it,
record its first release (which renders it on a branch) and open a pull request.

Options:
  --kind K        app kind (default web-service)
  --registry R    image registry host, e.g. 111122223333.dkr.ecr.us-east-1.amazonaws.com (an app's image is
                  R/<tenant>/<app>; default: the tenant's first registry)
  --team T        GitHub team owning a new tenant, e.g. @acme/payments
  -h, --help      show this help

Exit codes: 0 created, 1 a failure (e.g. not inside a fleet repository), 2 usage error (a bad
name, an unknown tenant, a definition that already exists).`;

const DEFAULT_REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

function checkName(value: string, what: string): void {
  if (!DNS1123_LABEL.test(value)) {
    throw new UsageError(`${what} \`${value}\` must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)`);
  }
}

function appTemplate(tenant: string, name: string, kind: string, image: string): string {
  const shape: Record<string, string> = {
    "web-service": `  ports: [{ name: "http", port: 8080 }],
  resources: { cpu: "100m", memory: "128Mi" },
  scaling: { min: 1, max: 3 },
  probes: {
    readiness: { type: "http", path: "/ready" },
    liveness: { type: "http", path: "/live" },
  },
  environments: {
    prod: { scaling: { min: 2, max: 6 } },
  },`,
    worker: `  resources: { cpu: "100m", memory: "128Mi" },
  scaling: { min: 1 },
  probes: { liveness: { type: "exec", command: ["/app/healthcheck"] } },
  environments: {
    prod: { scaling: { min: 2 } },
  },`,
    "cron-job": `  resources: { cpu: "100m", memory: "128Mi" },
  schedule: { cron: "0 3 * * *" },`,
    "batch-job": `  resources: { cpu: "500m", memory: "512Mi" },
  // Runs once per release; add \`schedule: { cron: "0 3 * * *" }\` to run it on a schedule instead.
  job: { completions: 1, parallelism: 1, backoffLimit: 3, activeDeadlineSeconds: 3600 },`,
    "spark-application": `  spark: {
    type: "Scala",
    sparkVersion: "3.5.6",
    mainClass: "com.example.Main",
    mainApplicationFile: "local:///opt/spark/jars/${name}.jar",
    driver: { cores: 1, memory: "2g" },
    executor: { cores: 2, memory: "4g", instances: 2 },
  },`,
    "stateful-service": `  ports: [{ name: "tcp", port: 5432 }],
  resources: { cpu: "250m", memory: "512Mi" },
  volumes: [{ name: "data", mountPath: "/data", size: "10Gi" }],
  scaling: { min: 1 },
  probes: {
    readiness: { type: "tcp" },
    liveness: { type: "tcp" },
  },
  environments: {
    prod: { scaling: { min: 3 } },
  },`,
  };
  return `import { defineApp } from "@slipway/core";

/** ${name}: replace this line with what the app does and who calls it. */
export default defineApp({
  name: "${name}",
  tenant: "${tenant}",
  kind: "${kind}",
  image: "${image}",
${shape[kind]}
});
`;
}

function tenantTemplate(tenant: string, team: string, registry: string): string {
  return `import { defineTenant } from "@slipway/core";

export default defineTenant({
  name: "${tenant}",
  team: "${team}",
  groups: {
    viewers: ["${tenant}-viewers"],
    developers: ["${tenant}-developers"],
    operators: ["${tenant}-oncall"],
  },
  registries: ["${registry}/${tenant}/"],
  ingressHostSuffixes: [],
});
`;
}

function missingTenant(root: string, tenant: string): UsageError {
  const known = fleetNames(root).tenants;
  const near = closest(tenant, known);
  return new UsageError(`tenant \`${tenant}\` does not exist (no apps/${tenant}/tenant.ts)`, {
    expected: known.length ? known.join(" | ") : "a tenant (there is none yet)",
    received: tenant,
    hint: `${near ? `did you mean \`${near}\`? Or create` : "create"} the tenant first: \`slipway new tenant ${tenant} --team @org/team\``,
  });
}

const CODEOWNERS = ".github/CODEOWNERS";
/** The heading of CODEOWNERS' last part: the platform's guardrails, which no tenant line may come after. */
const GUARDRAILS = /^# 3\. Platform guardrails/m;

/** A CODEOWNERS rule, its pattern padded like the file's own lines. */
const rule = (pattern: string, team: string) => `${pattern.padEnd(35)} ${team}`;

/**
 * Gives the new definition's files to its team in CODEOWNERS, where the file says tenant lines
 * go: a tenant's block goes last in part 2, an app's line at the end of its tenant's block.
 * `undefined` when CODEOWNERS has no such structure (the caller then says what to add).
 */
function claimInCodeowners(root: string, tenant: string, line: string): string | undefined {
  const path = join(root, CODEOWNERS);
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, "utf8").split("\n");
  const guardrails = lines.findIndex((l) => GUARDRAILS.test(l));
  if (guardrails < 0 || lines.some((l) => l.split(/\s+/)[0] === line.split(/\s+/)[0])) return undefined;
  const tenantLine = lines.findIndex((l, i) => i < guardrails && l.split(/\s+/)[0] === `/apps/${tenant}/`);
  let at: number;
  if (tenantLine >= 0) {
    // After the tenant's block: its following lines up to the first blank one.
    at = tenantLine + 1;
    while (at < guardrails && lines[at]!.trim() !== "") at++;
  } else {
    at = guardrails;
    while (at > 0 && lines[at - 1]!.trim() === "") at--;
    lines.splice(at, 0, "");
    at++;
  }
  lines.splice(at, 0, line);
  writeFileSync(path, lines.join("\n"));
  return CODEOWNERS;
}

/** What a new app's scaffold takes from the fleet: where its builds enter, and where its images may come from. */
interface FleetFacts {
  /** The chain's first environment. */
  readonly firstEnvironment?: string;
  /** The tenant's first image registry prefix (its apps may pull only from its registries). */
  readonly registry?: string;
  /** The team that owns the tenant. */
  readonly team?: string;
}

/**
 * Loaded with render's loader; `{}` when the fleet does not load: the app is created either way
 * (with placeholders where the facts are missing), and render or release will name the problem.
 */
async function fleetFacts(root: string, tenant: string): Promise<FleetFacts> {
  const { loadFleet } = await import("@slipway/render");
  try {
    const fleet = await loadFleet(root);
    const first = [...fleet.environments.values()].find((e) => !e.def.promotesFrom)?.def.name;
    const registry = fleet.tenants.get(tenant)?.def.registries[0];
    const team = fleet.tenants.get(tenant)?.def.team;
    return { ...(first ? { firstEnvironment: first } : {}), ...(registry ? { registry } : {}), ...(team ? { team } : {}) };
  } catch (error) {
    if (error instanceof SlipwayError) return {};
    throw error;
  }
}

function writeNew(io: CommandIO, root: string, relative: string, content: string): void {
  const path = join(root, relative);
  if (existsSync(path)) throw new UsageError(`${relative} already exists; slipway new never overwrites a definition`);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  io.stdout(`created ${relative}`);
}

export async function newCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { kind: { type: "string", default: "web-service" }, registry: { type: "string" }, team: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const [what, target] = positionals;
  if (!what || !target || positionals.length > 2) throw new UsageError("expected `app <tenant>/<app>` or `tenant <tenant>`");
  const root = findFleetRoot(io.cwd);
  if (what === "app") {
    const [tenant, name, extra] = target.split("/");
    if (!tenant || !name || extra !== undefined) throw new UsageError(`expected <tenant>/<app>, got \`${target}\``);
    checkName(tenant, "tenant");
    checkName(name, "app");
    const kind = AppKind.safeParse(values.kind);
    if (!kind.success) throw new UsageError(`unknown app kind \`${values.kind}\``, { expected: AppKind.options.join(" | "), received: values.kind });
    if (!existsSync(join(root, "apps", tenant, "tenant.ts"))) throw missingTenant(root, tenant);
    const file = `apps/${tenant}/${name}/app.ts`;
    const facts = await fleetFacts(root, tenant);
    const prefix = values.registry ? `${values.registry}/${tenant}/` : (facts.registry ?? `${DEFAULT_REGISTRY}/${tenant}/`);
    const image = `${prefix}${prefix.endsWith("/") ? "" : "/"}${name}`;
    writeNew(io, root, file, appTemplate(tenant, name, kind.data, image));
    const owners = facts.team ? claimInCodeowners(root, tenant, rule(`/clusters/*/*/${name}/`, facts.team)) : undefined;
    if (owners) io.stdout(`updated ${owners}: clusters/*/*/${name}/ belongs to ${facts.team}`);
    else io.stdout(`add to ${CODEOWNERS}, in part 2 with tenant ${tenant}'s lines: /clusters/*/*/${name}/ <its team>`);
    const first = facts.firstEnvironment;
    const branch = `release/${first ?? "<env>"}/${name}`;
    io.stdout(
      [
        "next:",
        `  1. fill in ${file}, then commit it (release works from the last commit, on a clean working tree):`,
        `       git add ${file}${owners ? ` ${owners}` : ""} && git commit -m "${tenant}/${name}: new app"`,
        `  2. record its first build in ${first ?? "the first environment of the chain"}; this renders the fleet with it and commits the result on branch ${branch}:`,
        `       npx slipway release ${name} --env ${first ?? "<first environment>"} --image ${image}:<tag>@sha256:<digest> --commit <sha>`,
        `  3. open a pull request from ${branch} (or add --open-pr to step 2, with GITHUB_TOKEN set, to push it and open one)`,
      ].join("\n"),
    );
    return ExitCode.ok;
  }
  if (what === "tenant") {
    checkName(target, "tenant");
    if (!values.team || !/^@[\w.-]+\/[\w.-]+$/.test(values.team)) throw new UsageError("--team @org/team is required for a new tenant");
    writeNew(io, root, `apps/${target}/tenant.ts`, tenantTemplate(target, values.team, values.registry ?? DEFAULT_REGISTRY));
    const owners = claimInCodeowners(root, target, rule(`/apps/${target}/`, values.team));
    io.stdout(owners ? `updated ${owners}: apps/${target}/ belongs to ${values.team} (its tenant.ts stays with the platform)` : `add to ${CODEOWNERS}, in part 2 (above the platform guardrails): /apps/${target}/ ${values.team}`);
    io.stdout("next: run npx slipway render, and open a pull request with the definition, CODEOWNERS and the rendered tree");
    return ExitCode.ok;
  }
  throw new UsageError(`cannot create \`${what}\`; expected \`app\` or \`tenant\``);
}

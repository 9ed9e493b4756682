/** `slipway new app|tenant`: scaffold a definition that renders and passes the guardrails as written. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AppKind, DNS1123_LABEL } from "@slipway/core";
import { ExitCode, UsageError } from "../exit-codes";
import type { CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const newHelp = `Usage: slipway new app <tenant>/<app> [--kind web-service|worker|cron-job] [--registry R]
       slipway new tenant <tenant> --team @org/team [--registry R]

Scaffolds apps/<tenant>/<app>/app.ts or apps/<tenant>/tenant.ts. Existing files are never overwritten.
Next steps are printed: record a release, render, validate.

Options:
  --kind K        app kind (default web-service)
  --registry R    image registry host, e.g. 111122223333.dkr.ecr.us-east-1.amazonaws.com
  --team T        GitHub team owning a new tenant, e.g. @acme/payments
  -h, --help      show this help`;

const DEFAULT_REGISTRY = "111122223333.dkr.ecr.us-east-1.amazonaws.com";

function checkName(value: string, what: string): void {
  if (!DNS1123_LABEL.test(value)) {
    throw new UsageError(`${what} \`${value}\` must be a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)`);
  }
}

function appTemplate(tenant: string, name: string, kind: string, registry: string): string {
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
  };
  return `import { defineApp } from "@slipway/core";

/** ${name}: replace this line with what the app does and who calls it. */
export default defineApp({
  name: "${name}",
  tenant: "${tenant}",
  kind: "${kind}",
  image: "${registry}/${tenant}/${name}",
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

function writeNew(io: CommandIO, root: string, relative: string, content: string): void {
  const path = join(root, relative);
  if (existsSync(path)) throw new UsageError(`${relative} already exists; slipway new never overwrites a definition`);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  io.stdout(`created ${relative}`);
}

export async function newCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { kind: { type: "string", default: "web-service" }, registry: { type: "string", default: DEFAULT_REGISTRY }, team: { type: "string" } },
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
    if (!kind.success) throw new UsageError(`--kind must be one of ${AppKind.options.join(", ")}`);
    if (!existsSync(join(root, "apps", tenant, "tenant.ts"))) {
      throw new UsageError(`tenant \`${tenant}\` does not exist; create it first with \`slipway new tenant ${tenant} --team @org/${tenant}\``);
    }
    writeNew(io, root, `apps/${tenant}/${name}/app.ts`, appTemplate(tenant, name, kind.data, values.registry));
    io.stdout(`next: npx slipway release ${name} --env <first environment> --image ${values.registry}/${tenant}/${name}:<tag>@sha256:<digest>, then npx slipway render`);
    return ExitCode.ok;
  }
  if (what === "tenant") {
    checkName(target, "tenant");
    if (!values.team || !/^@[\w.-]+\/[\w.-]+$/.test(values.team)) throw new UsageError("--team @org/team is required for a new tenant");
    writeNew(io, root, `apps/${target}/tenant.ts`, tenantTemplate(target, values.team, values.registry));
    io.stdout("next: add the team to .github/CODEOWNERS, then npx slipway render");
    return ExitCode.ok;
  }
  throw new UsageError(`cannot create \`${what}\`; expected \`app\` or \`tenant\``);
}

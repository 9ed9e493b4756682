/** `slipway render`: render the fleet into clusters/, or check that the committed tree is current. */
import { parseArgs } from "node:util";
import { renderFleet } from "@slipway/render";
import { ExitCode } from "../exit-codes";
import { paint, type CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const renderHelp = `Usage: slipway render [--check] [--cluster C] [--env E] [--app A] [--json]

Renders apps, tenants, add-ons and Argo CD objects into plain YAML under clusters/<cluster>/.
Only changed files are rewritten; files render no longer produces are deleted; the swap is atomic.

Options:
  --check         write nothing; exit 1 listing every file that differs from what render produces
  --cluster C     only this cluster
  --env E         only this environment
  --app A         only this app
  --json          machine-readable summary
  -h, --help      show this help`;

export async function renderCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      cluster: { type: "string" },
      env: { type: "string" },
      app: { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const root = findFleetRoot(io.cwd);
  const started = performance.now();
  const result = await renderFleet({
    root,
    mode: values.check ? "check" : "write",
    filter: { cluster: values.cluster, env: values.env, app: values.app },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const c = paint(io);
  if (values.json) {
    io.stdout(JSON.stringify({ mode: values.check ? "check" : "write", ...result, seconds: Number(seconds) }, null, 2));
  } else if (values.check) {
    if (result.differences.length === 0) io.stdout(c.green(`clusters/ is up to date (${result.objects} objects checked in ${seconds}s)`));
    else {
      io.stdout(c.red(`clusters/ differs from what render produces in ${result.differences.length} file(s):`));
      for (const line of result.differences) io.stdout(`  ${line}`);
      io.stdout("Run `npx slipway render` and commit the result.");
    }
  } else {
    for (const path of result.written) io.stdout(`${c.green("wrote  ")} ${path}`);
    for (const path of result.deleted) io.stdout(`${c.red("deleted")} ${path}`);
    io.stdout(`rendered ${result.objects} objects: ${result.written.length} written, ${result.deleted.length} deleted, ${result.unchanged} unchanged (${seconds}s)`);
  }
  return values.check && result.differences.length > 0 ? ExitCode.failure : ExitCode.ok;
}

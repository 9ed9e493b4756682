/** `slipway status`: apps × environments, what is promotable, and drift; exit 1 when there is drift. */
import { parseArgs } from "node:util";
import { computeStatus, formatStatusJson, formatStatusMarkdown, formatStatusText, loadReleaseChain, type FleetStatus } from "@slipway/promote";
import { noPositionals, outputFormat } from "../args";
import { ExitCode, type CommandStatus } from "../exit-codes";
import type { CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const statusHelp = `Usage: slipway status [--output text|markdown|json]

Apps × environments: the release each environment runs, what is promotable from the previous
environment, and drift: where the rendered tree (clusters/) runs another image than the lock
file (environments/<env>/releases.yaml) says, or an environment runs a release the previous
one does not have.

  --output FORMAT    text (default), markdown or json
  --json             same as --output json
  -h, --help         show this help

Exit codes: 0 no drift (releases waiting to be promoted are not drift), 1 drift reported or a
failure, 2 usage error.
`;

const hasDrift = (status: FleetStatus): boolean => Object.values(status.cells).some((byEnv) => Object.values(byEnv).some((cell) => cell.drift.length > 0));

export async function statusCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({ args: argv, options: { output: { type: "string", short: "o" }, json: { type: "boolean" } }, allowPositionals: true, strict: true });
  noPositionals(positionals);
  const output = outputFormat(values, ["text", "markdown", "json"]);
  const root = findFleetRoot(io.cwd);
  const status = computeStatus(root, await loadReleaseChain(root));
  io.stdout(output === "json" ? formatStatusJson(status) : output === "markdown" ? formatStatusMarkdown(status) : formatStatusText(status));
  return hasDrift(status) ? ExitCode.failure : ExitCode.ok;
}

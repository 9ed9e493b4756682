/** Parses the command name and dispatches; the only place errors become exit codes. */
import { SlipwayError } from "@slipway/core";
import { argocdHelp, runArgocdCommand } from "@slipway/argocd";
import { DIFF_USAGE, runDiffCommand } from "@slipway/diff";
import { PROMOTE_USAGE, RELEASE_USAGE, runPromoteCommand, runReleaseCommand, runStatusCommand, STATUS_USAGE } from "@slipway/promote";
import { runValidateCommand } from "@slipway/validate";
import { newCommand, newHelp } from "./commands/new";
import { renderCommand, renderHelp } from "./commands/render";
import { ExitCode, UsageError } from "./exit-codes";
import { processIO, type CommandIO } from "./io";

interface Command {
  readonly summary: string;
  readonly help?: string;
  readonly run: (argv: string[], io: CommandIO) => Promise<number>;
}

const commands: Record<string, Command> = {
  render: { summary: "render the fleet into clusters/ (or --check the committed tree)", help: renderHelp, run: renderCommand },
  validate: { summary: "validate rendered YAML: schemas per Kubernetes version, API lifecycle, guardrails, cross-object checks", run: runValidateCommand },
  diff: { summary: "semantic diff of the rendered trees of two revisions", help: DIFF_USAGE, run: runDiffCommand },
  release: { summary: "record a new build of an app in the first environment", help: RELEASE_USAGE, run: (argv, io) => runReleaseCommand(argv, io) },
  promote: { summary: "promote releases one environment along the chain, by pull request", help: PROMOTE_USAGE, run: (argv, io) => runPromoteCommand(argv, io) },
  status: { summary: "apps × environments: releases, what is promotable, drift", help: STATUS_USAGE, run: runStatusCommand },
  argocd: { summary: "Argo CD: `argocd preview` lists the Applications each ApplicationSet will create", help: argocdHelp, run: runArgocdCommand },
  new: { summary: "scaffold an app or a tenant definition", help: newHelp, run: newCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return [
    "Usage: slipway <command> [options]",
    "",
    "Commands:",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `slipway <command> --help` for a command's options.",
    "Exit codes: 0 ok, 1 findings or failure, 2 usage error.",
  ].join("\n");
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`slipway: unknown command \`${name}\`\n\n${usage()}`);
    return ExitCode.usage;
  }
  if (command.help && (rest.includes("--help") || rest.includes("-h"))) {
    io.stdout(command.help);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`slipway ${name}: ${(error as Error).message}${command.help ? `\n\n${command.help}` : ""}`);
      return ExitCode.usage;
    }
    if (error instanceof SlipwayError) {
      io.stderr(error.format());
      return ExitCode.failure;
    }
    throw error;
  }
}

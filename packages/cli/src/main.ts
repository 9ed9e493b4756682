/**
 * Parses the command name and dispatches; the only place errors become exit codes. Commands
 * return 0, or 1 for findings; what they throw is turned into text and an exit code here:
 * a UsageError (or a flag parseArgs refused) → 2 with the command's usage, any other
 * SlipwayError → 1 with its message, anything else → 1 with a one-line message.
 */
import { closest, SlipwayError, UsageError, unknownName } from "@slipway/core";
import { ExitCode, type CommandStatus } from "./exit-codes";
import { processIO, type CommandIO } from "./io";

/** A command as main runs it: its usage text and its body. */
export interface Command {
  readonly help: string;
  readonly run: (argv: string[], io: CommandIO) => Promise<CommandStatus>;
}

interface CommandEntry {
  readonly summary: string;
  /** Imports the command's packages only when the command runs: start-up stays proportional to the work. */
  readonly load: () => Promise<Command>;
}

const commands: Record<string, CommandEntry> = {
  render: {
    summary: "render the fleet into clusters/ (or --check the committed tree)",
    load: async () => {
      const m = await import("./commands/render");
      return { help: m.renderHelp, run: m.renderCommand };
    },
  },
  validate: {
    summary: "validate rendered YAML: schemas per Kubernetes version, API lifecycle, guardrails, cross-object checks",
    load: async () => {
      const m = await import("./commands/validate");
      return { help: m.validateHelp, run: m.validateCommand };
    },
  },
  diff: {
    summary: "semantic diff of the rendered trees of two revisions",
    load: async () => {
      const m = await import("./commands/diff");
      return { help: m.diffHelp, run: m.diffCommand };
    },
  },
  release: {
    summary: "record a new build of an app in the first environment",
    load: async () => {
      const m = await import("./commands/promote");
      return { help: m.releaseHelp, run: (argv, io) => m.releaseCommand(argv, io) };
    },
  },
  promote: {
    summary: "promote releases one environment along the chain, by pull request",
    load: async () => {
      const m = await import("./commands/promote");
      return { help: m.promoteHelp, run: (argv, io) => m.promoteCommand(argv, io) };
    },
  },
  rollback: {
    summary: "restore an environment's previous release of an app, by pull request",
    load: async () => {
      const m = await import("./commands/promote");
      return { help: m.rollbackHelp, run: (argv, io) => m.rollbackCommand(argv, io) };
    },
  },
  status: {
    summary: "apps × environments: releases, what is promotable, drift",
    load: async () => {
      const m = await import("./commands/status");
      return { help: m.statusHelp, run: m.statusCommand };
    },
  },
  argocd: {
    summary: "Argo CD: `argocd preview` lists the Applications each ApplicationSet will create",
    load: async () => {
      const m = await import("./commands/argocd");
      return { help: m.argocdHelp, run: m.argocdCommand };
    },
  },
  addons: {
    summary: "add-ons: `addons check-sources` checks each CRD source against GitHub at the pinned tag",
    load: async () => {
      const m = await import("./commands/addons");
      return { help: m.addonsHelp, run: m.addonsCommand };
    },
  },
  new: {
    summary: "scaffold an app or a tenant definition",
    load: async () => {
      const m = await import("./commands/new");
      return { help: m.newHelp, run: m.newCommand };
    },
  },
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

const isHelp = (arg: string | undefined): boolean => arg === "--help" || arg === "-h";

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || isHelp(name) || name === "help") {
    io.stdout(usage());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const entry = commands[name];
  if (!entry) return exitCode(unknownName("command", name, Object.keys(commands), { flag: "slipway" }), usage(), name, io);
  let command: Command;
  try {
    command = await entry.load();
  } catch (error) {
    return exitCode(error, undefined, name, io);
  }
  return runCommand(name, command, rest, io);
}

/** Runs one command with its arguments: `--help` prints its usage; what it throws becomes the exit code. */
export async function runCommand(name: string, command: Command, argv: string[], io: CommandIO): Promise<number> {
  const options = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  if (options.some(isHelp)) {
    io.stdout(command.help);
    return ExitCode.ok;
  }
  try {
    return await command.run(argv, io);
  } catch (error) {
    return exitCode(error, command.help, name, io);
  }
}

/** node:util's parseArgs refusing a flag, as a UsageError; a misspelt flag gets the closest one of the usage text. */
function parseArgsError(error: unknown, help: string | undefined): UsageError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS")) return undefined;
  const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
  const option = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  const near = option && help ? closest(option, [...new Set(help.match(/--[a-z][a-z-]*/g))]) : undefined;
  return new UsageError(message, near ? { hint: `did you mean \`${near}\`?` } : {});
}

function exitCode(error: unknown, help: string | undefined, name: string, io: CommandIO): number {
  const usageError = error instanceof UsageError ? error : parseArgsError(error, help);
  if (usageError) {
    io.stderr(`${usageError.format()}${help ? `\n\n${help}` : ""}`);
    return ExitCode.usage;
  }
  if (error instanceof SlipwayError) {
    io.stderr(error.format());
    return ExitCode.failure;
  }
  if (io.env.SLIPWAY_DEBUG === "1" && error instanceof Error && error.stack) io.stderr(`slipway ${name}: ${error.stack}`);
  else {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    io.stderr(`slipway ${name}: unexpected error: ${message} (SLIPWAY_DEBUG=1 prints the stack trace)`);
  }
  return ExitCode.failure;
}

/** Parses the command name and dispatches; the only place errors become exit codes. */
import { SlipwayError } from "@slipway/core";
import { ExitCode, UsageError } from "./exit-codes";
import { processIO, type CommandIO } from "./io";

interface LoadedCommand {
  readonly help?: string;
  readonly run: (argv: string[], io: CommandIO) => Promise<number>;
}

interface Command {
  readonly summary: string;
  /** Imports the command's package only when the command runs: start-up stays proportional to the work. */
  readonly load: () => Promise<LoadedCommand>;
}

const commands: Record<string, Command> = {
  render: {
    summary: "render the fleet into clusters/ (or --check the committed tree)",
    load: async () => {
      const m = await import("./commands/render");
      return { help: m.renderHelp, run: m.renderCommand };
    },
  },
  validate: {
    summary: "validate rendered YAML: schemas per Kubernetes version, API lifecycle, guardrails, cross-object checks",
    load: async () => ({ run: (await import("@slipway/validate")).runValidateCommand }),
  },
  diff: {
    summary: "semantic diff of the rendered trees of two revisions",
    load: async () => {
      const m = await import("@slipway/diff");
      return { help: m.DIFF_USAGE, run: m.runDiffCommand };
    },
  },
  release: {
    summary: "record a new build of an app in the first environment",
    load: async () => {
      const m = await import("@slipway/promote");
      return { help: m.RELEASE_USAGE, run: (argv, io) => m.runReleaseCommand(argv, io) };
    },
  },
  promote: {
    summary: "promote releases one environment along the chain, by pull request",
    load: async () => {
      const m = await import("@slipway/promote");
      return { help: m.PROMOTE_USAGE, run: (argv, io) => m.runPromoteCommand(argv, io) };
    },
  },
  status: {
    summary: "apps × environments: releases, what is promotable, drift",
    load: async () => {
      const m = await import("@slipway/promote");
      return { help: m.STATUS_USAGE, run: m.runStatusCommand };
    },
  },
  argocd: {
    summary: "Argo CD: `argocd preview` lists the Applications each ApplicationSet will create",
    load: async () => {
      const m = await import("@slipway/argocd");
      return { help: m.argocdHelp, run: m.runArgocdCommand };
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

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(`slipway: unknown command \`${name}\`\n\n${usage()}`);
    return ExitCode.usage;
  }
  const command = await entry.load();
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

/**
 * The `slipway` commands the project tells people and machines to run: every `npx slipway …` in
 * the README's shell blocks and in the workflows' `run:` steps. The acceptance journeys must run
 * each of them for real (same command, same flags).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface DocumentedCommand {
  /** Where it is written, e.g. `README.md:120` or `.github/workflows/pr.yml`. */
  readonly source: string;
  readonly text: string;
  /** The command words: `render`, `new app`, `argocd preview`. */
  readonly command: readonly string[];
  /** The flags it passes, e.g. `--check`, `--open-pr`. */
  readonly flags: readonly string[];
}

/** Commands with subcommands: their second word is part of the command. */
const NESTED = new Set(["new", "argocd"]);

function commandsIn(text: string, source: (offset: number) => string): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  for (const match of text.matchAll(/npx slipway ([^\n#|&;`]*)/g)) {
    const words = match[1]!.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0 || words[0]!.startsWith("<")) continue;
    const command = NESTED.has(words[0]!) && words[1] && !words[1].startsWith("-") ? words.slice(0, 2) : words.slice(0, 1);
    const flags = words.filter((word) => word.startsWith("--")).map((word) => word.split("=")[0]!);
    found.push({ source: source(match.index), text: `npx slipway ${match[1]!.trim()}`, command, flags });
  }
  return found;
}

/** Shell lines of the README's fenced code blocks. */
function readmeCommands(root: string): DocumentedCommand[] {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const commands: DocumentedCommand[] = [];
  for (const block of text.matchAll(/```(?:sh|bash|shell|console)?\n([\s\S]*?)```/g)) {
    const start = block.index + block[0].indexOf("\n") + 1;
    const line = (offset: number) => `README.md:${text.slice(0, start + offset).split("\n").length}`;
    commands.push(...commandsIn(block[1]!, line));
  }
  return commands;
}

function workflowCommands(root: string): DocumentedCommand[] {
  const dir = join(root, ".github", "workflows");
  const commands: DocumentedCommand[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const workflow = parse(readFileSync(join(dir, name), "utf8")) as { jobs?: Record<string, { steps?: { run?: string }[] }> };
    for (const job of Object.values(workflow.jobs ?? {})) {
      for (const step of job.steps ?? []) {
        if (step.run) commands.push(...commandsIn(step.run, () => `.github/workflows/${name}`));
      }
    }
  }
  return commands;
}

export function documentedCommands(root: string): DocumentedCommand[] {
  return [...readmeCommands(root), ...workflowCommands(root)];
}

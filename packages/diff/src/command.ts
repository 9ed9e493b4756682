/** `slipway diff`: the rendered trees of two revisions compared, as text, markdown or JSON. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { SlipwayError } from "@slipway/core";
import { diffTrees, totals, type TreeDiff } from "./diff";
import { repositoryRoot } from "./git";
import { GitHubClient } from "./github";
import { formatMarkdown, GITHUB_COMMENT_LIMIT } from "./markdown";
import { formatJson, formatText } from "./text";
import { loadTreeFromDir, loadTreeFromGit } from "./tree";

/** What the CLI hands every command. */
export interface CommandIo {
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly color: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/** Wrong flags or arguments: exit code 2 with the usage text. */
export class UsageError extends SlipwayError {}

export const DIFF_USAGE = `Usage: slipway diff [--base REF] [--head REF] [--output text|markdown|json] [--max-comment-chars N]
                    [--comment-on-pr NUMBER] [--exit-code]

Compares the rendered trees (clusters/) of two git revisions, grouped cluster → environment →
app → resource, with field-level changes and risky changes flagged first.

  --base REF               revision to compare from (default: HEAD)
  --head REF               revision to compare to (default: the working tree)
  --output FORMAT          text (default), markdown (split into comment-sized parts) or json
  --json                   same as --output json
  --max-comment-chars N    markdown part size limit (default: ${GITHUB_COMMENT_LIMIT}, GitHub's comment limit)
  --comment-on-pr NUMBER   post the markdown as comments on that pull request, updating the
                           comments of earlier runs in place (GITHUB_TOKEN, GITHUB_REPOSITORY,
                           GITHUB_API_URL are read from the environment)
  --exit-code              exit 1 when the rendered trees differ
  -h, --help               show this help
`;

const OPTIONS = {
  base: { type: "string" },
  head: { type: "string" },
  output: { type: "string", short: "o" },
  json: { type: "boolean" },
  "max-comment-chars": { type: "string" },
  "comment-on-pr": { type: "string" },
  "exit-code": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} satisfies ParseArgsConfig["options"];

export async function runDiffCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(DIFF_USAGE, io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    if (values.help) {
      io.stdout(DIFF_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``, { hint: "use --base and --head to choose revisions" });
    const output = values.json ? "json" : (values.output ?? "text");
    if (!["text", "markdown", "json"].includes(output)) throw new UsageError(`unknown output format \`${output}\``, { expected: "text | markdown | json", received: output });
    const maxChars = positiveInt(values["max-comment-chars"] ?? String(GITHUB_COMMENT_LIMIT), "--max-comment-chars", 1000);
    const pr = values["comment-on-pr"] === undefined ? undefined : positiveInt(values["comment-on-pr"], "--comment-on-pr", 1);

    const root = repositoryRoot(io.cwd);
    const diff = diffRevisions(root, values.base ?? "HEAD", values.head);
    if (pr !== undefined) {
      const parts = formatMarkdown(diff, { maxChars });
      const client = GitHubClient.fromEnvironment(io.env, root);
      const result = await client.syncDiffComments(pr, parts.map((body, i) => ({ part: i + 1, body })));
      io.stdout(`Diff posted on #${pr} in ${parts.length} comment${parts.length === 1 ? "" : "s"}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted.\n`);
    } else if (output === "markdown") io.stdout(formatMarkdown(diff, { maxChars }).join("\n"));
    else if (output === "json") io.stdout(formatJson(diff));
    else io.stdout(formatText(diff, { color: io.color }));
    const t = totals(diff);
    return values["exit-code"] && t.added + t.changed + t.removed > 0 ? 1 : 0;
  });
}

/** The diff between the rendered trees of `base` and `head` (the working tree when absent). */
export function diffRevisions(root: string, base: string, head?: string): TreeDiff {
  const before = loadTreeFromGit(root, base);
  const after = head === undefined ? loadTreeFromDir(root) : loadTreeFromGit(root, head);
  return diffTrees(before, after);
}

// ---- shared command plumbing (also used by @slipway/promote) ---------------------------------

/** parseArgs with errors turned into UsageErrors. */
export function parse<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

export function positiveInt(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}`, { received: value });
  return n;
}

/** Runs a command body: SlipwayErrors become messages and exit codes (2 for usage, 1 otherwise). */
export async function runCommand(usage: string, io: CommandIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.format()}\n\n${usage}`);
      return 2;
    }
    if (error instanceof SlipwayError) {
      io.stderr(`error: ${error.format()}\n`);
      return 1;
    }
    throw error;
  }
}

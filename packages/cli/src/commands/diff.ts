/** `slipway diff`: the rendered trees of two revisions compared, as text, markdown or JSON. */
import { parseArgs } from "node:util";
import { diffRevisions, formatJson, formatMarkdown, formatText, GitHubClient, GITHUB_COMMENT_LIMIT, totals } from "@slipway/diff";
import { noPositionals, outputFormat, positiveInt } from "../args";
import { findFleetCheckout } from "../checkout";
import { ExitCode, type CommandStatus } from "../exit-codes";
import type { CommandIO } from "../io";

export const diffHelp = `Usage: slipway diff [--base REF] [--head REF] [--output text|markdown|json] [--max-comment-chars N]
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

Exit codes: 0 compared (with --exit-code: no difference), 1 a failure (an unknown revision, the
GitHub API) or, with --exit-code, differences; 2 usage error.
`;

export async function diffCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      base: { type: "string" },
      head: { type: "string" },
      output: { type: "string", short: "o" },
      json: { type: "boolean" },
      "max-comment-chars": { type: "string" },
      "comment-on-pr": { type: "string" },
      "exit-code": { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  noPositionals(positionals, "use --base and --head to choose revisions");
  const output = outputFormat(values, ["text", "markdown", "json"]);
  const maxChars = positiveInt(values["max-comment-chars"] ?? String(GITHUB_COMMENT_LIMIT), "--max-comment-chars", 1000);
  const pr = values["comment-on-pr"] === undefined ? undefined : positiveInt(values["comment-on-pr"], "--comment-on-pr", 1);

  const root = findFleetCheckout(io.cwd);
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
  return values["exit-code"] && t.added + t.changed + t.removed > 0 ? ExitCode.failure : ExitCode.ok;
}

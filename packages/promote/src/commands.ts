/** `slipway release`, `slipway promote` and `slipway status`: parse, plan, apply, report. */
import { formatText, parse, repositoryRoot, runCommand, totals, UsageError, type CommandIo } from "@slipway/diff";
import { applyPlan, type ApplyResult, type RenderStep } from "./apply";
import { loadReleaseChain } from "./chain";
import { parseImageReference, shortDigest } from "./lock-file";
import { planPromotion, planRelease, type Plan } from "./plan";
import { renderWithSlipway } from "./render-step";
import { computeStatus, formatStatusJson, formatStatusMarkdown, formatStatusText } from "./status";

/** What tests (and other embedders) may replace. */
export interface PromoteDependencies {
  /** @default the real `renderFleet` of @slipway/render */
  readonly render?: RenderStep;
}

const SHARED_FLAGS = `  --dry-run          show what would change (release table and rendered diff); commit nothing
  --open-pr          push the branch and open or update a pull request (GITHUB_TOKEN; GITHUB_REPOSITORY
                     or the origin remote; GITHUB_API_URL)
  --base BRANCH      branch the pull request targets (default: the current branch)
  --remote NAME      remote to push to (default: origin)
  --json             machine-readable result
  -h, --help         show this help`;

export const PROMOTE_USAGE = `Usage: slipway promote <app[@tag|@digest]>... --to <env> [--from <env>] [options]
       slipway promote --all --to <env> [options]

Copies each app's release from the previous environment in the chain (dev → staging → prod)
into environments/<env>/releases.yaml, re-renders, and commits on branch promote/<env>/<apps>.
Refuses unknown apps or environments, skipping a stage, a release the previous environment
does not run, and a dirty working tree; promoting what is already there does nothing.

  --to ENV           environment to promote into
  --from ENV         assert the environment promoted from (refused unless it is the previous one)
  --all              every app the previous environment runs
${SHARED_FLAGS}
`;

export const RELEASE_USAGE = `Usage: slipway release <app> --env <env> --image <repository>:<tag>@sha256:<digest> --commit <sha> [options]

Records a new build of an app in the first environment of the chain (environments/<env>/releases.yaml),
re-renders, and commits on branch release/<env>/<app>. Recording the release already there does nothing.

  --env ENV          environment the build enters (the first of the chain, e.g. dev)
  --image REF        the image by tag and digest
  --commit SHA       the app repository's commit the image was built from
${SHARED_FLAGS}
`;

export const STATUS_USAGE = `Usage: slipway status [--output text|markdown|json]

Apps × environments: the release each environment runs, what is promotable from the previous
environment, and where the rendered tree drifts from the lock files.

  --output FORMAT    text (default), markdown or json
  --json             same as --output json
  -h, --help         show this help
`;

const APPLY_OPTIONS = {
  "dry-run": { type: "boolean" },
  "open-pr": { type: "boolean" },
  base: { type: "string" },
  remote: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runPromoteCommand(argv: string[], io: CommandIo, deps: PromoteDependencies = {}): Promise<number> {
  return runCommand(PROMOTE_USAGE, io, async () => {
    const { values, positionals } = parse(argv, { ...APPLY_OPTIONS, to: { type: "string" }, from: { type: "string" }, all: { type: "boolean" } });
    if (values.help) return help(io, PROMOTE_USAGE);
    if (!values.to) throw new UsageError("missing --to <env>", { hint: "say which environment to promote into, e.g. `--to staging`" });
    if (!values.all && positionals.length === 0) throw new UsageError("name the apps to promote, or pass --all");
    const root = repositoryRoot(io.cwd);
    const chain = await loadReleaseChain(root);
    const plan = planPromotion(chain, { apps: positionals, all: values.all ?? false, to: values.to, ...(values.from ? { from: values.from } : {}) });
    const result = await applyPlan({ root, plan, render: deps.render ?? renderWithSlipway, env: io.env, dryRun: values["dry-run"] ?? false, openPr: values["open-pr"] ?? false, ...pick(values) });
    report(io, result, values.json ?? false, values["dry-run"] ?? false);
    return 0;
  });
}

export async function runReleaseCommand(argv: string[], io: CommandIo, deps: PromoteDependencies = {}): Promise<number> {
  return runCommand(RELEASE_USAGE, io, async () => {
    const { values, positionals } = parse(argv, { ...APPLY_OPTIONS, env: { type: "string" }, image: { type: "string" }, commit: { type: "string" } });
    if (values.help) return help(io, RELEASE_USAGE);
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `one app per release, received ${positionals.join(", ")}` : "name the app the build belongs to");
    for (const flag of ["env", "image", "commit"] as const) if (!values[flag]) throw new UsageError(`missing --${flag}`);
    const image = parseImageReference(values.image!);
    const root = repositoryRoot(io.cwd);
    const chain = await loadReleaseChain(root);
    const plan = planRelease(chain, { app: positionals[0]!, env: values.env!, image, commit: values.commit! });
    const result = await applyPlan({ root, plan, render: deps.render ?? renderWithSlipway, env: io.env, dryRun: values["dry-run"] ?? false, openPr: values["open-pr"] ?? false, ...pick(values) });
    report(io, result, values.json ?? false, values["dry-run"] ?? false);
    return 0;
  });
}

export async function runStatusCommand(argv: string[], io: CommandIo): Promise<number> {
  return runCommand(STATUS_USAGE, io, async () => {
    const { values, positionals } = parse(argv, { output: { type: "string", short: "o" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } });
    if (values.help) return help(io, STATUS_USAGE);
    if (positionals.length) throw new UsageError(`unexpected argument \`${positionals[0]}\``);
    const output = values.json ? "json" : (values.output ?? "text");
    if (!["text", "markdown", "json"].includes(output)) throw new UsageError(`unknown output format \`${output}\``, { expected: "text | markdown | json" });
    const root = repositoryRoot(io.cwd);
    const status = computeStatus(root, await loadReleaseChain(root));
    io.stdout(output === "json" ? formatStatusJson(status) : output === "markdown" ? formatStatusMarkdown(status) : formatStatusText(status));
    return 0;
  });
}

function help(io: CommandIo, usage: string): number {
  io.stdout(usage);
  return 0;
}

function pick(values: { base?: string; remote?: string }): { base?: string; remote?: string } {
  return { ...(values.base ? { base: values.base } : {}), ...(values.remote ? { remote: values.remote } : {}) };
}

function report(io: CommandIo, result: ApplyResult, json: boolean, dryRun: boolean): void {
  const { plan } = result;
  if (json) {
    io.stdout(
      JSON.stringify(
        {
          action: plan.action,
          target: plan.target.name,
          source: plan.source?.name ?? null,
          dryRun,
          noop: result.noop,
          moves: plan.moves.map((m) => ({ app: m.app, before: m.before ?? null, after: m.after })),
          unchanged: plan.unchanged,
          branch: result.noop ? null : plan.branch,
          commit: result.commit ?? null,
          files: result.files,
          diff: result.diff ? totals(result.diff) : null,
          pullRequest: result.pullRequest ?? null,
        },
        null,
        2,
      ) + "\n",
    );
    return;
  }
  const where = plan.action === "promote" ? `${plan.target.name} from ${plan.source!.name}` : plan.target.name;
  if (result.noop) {
    io.stdout(`Nothing to ${plan.action}: ${plan.target.name} already runs ${plan.unchanged.map((a) => `${a} ${plan.target.releases[a]!.tag}`).join(", ")}.\n`);
    return;
  }
  const lines = [dryRun ? `Would ${plan.action} to ${where}:` : `${plan.action === "promote" ? "Promoted" : "Released"} to ${where}:`];
  const width = Math.max(...plan.moves.map((m) => m.app.length));
  for (const m of plan.moves) lines.push(`  ${m.app.padEnd(width)}  ${m.before ? m.before.tag : "(new)"} → ${m.after.tag}  ${shortDigest(m.after.digest)}  commit ${m.after.commit.slice(0, 12)}`);
  if (plan.unchanged.length) lines.push(`  already in ${plan.target.name}: ${plan.unchanged.join(", ")}`);
  const t = totals(result.diff!);
  lines.push(`Rendered: ${t.added} to add, ${t.changed} to change, ${t.removed} to delete (${result.files.length} files).`);
  if (dryRun) {
    lines.push(`Dry run: nothing committed. Without --dry-run this commits on branch ${plan.branch}.`, "", formatText(result.diff!, { color: io.color }).trimEnd());
  } else {
    lines.push(`Committed ${result.commit!.slice(0, 12)} on branch ${plan.branch}.`);
    if (result.pullRequest) lines.push(`${result.pullRequest.created ? "Opened" : "Updated"} pull request #${result.pullRequest.number}: ${result.pullRequest.url}`);
    else lines.push(`Review it with \`git switch ${plan.branch}\`; push it or re-run with --open-pr to propose it.`);
  }
  io.stdout(lines.join("\n") + "\n");
}

export type { Plan };

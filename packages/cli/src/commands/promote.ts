/** `slipway release` and `slipway promote`: parse, plan, apply, report. */
import { parseArgs } from "node:util";
import { UsageError } from "@slipway/core";
import { formatText, totals } from "@slipway/diff";
import { addonGateScope, applyPlan, argocdConnection, checkAddonGate, checkHealthGate, describeAddonMove, loadReleaseChain, parseImageReference, planAddonRollback, planPromotion, planRelease, planRollback, PromotionError, renderWithSlipway, runGitIdentity, shortDigest, type ApplyResult, type Plan, type RenderStep } from "@slipway/promote";
import { findFleetCheckout } from "../checkout";
import { ExitCode, type CommandStatus } from "../exit-codes";
import type { CommandIO } from "../io";

/** What tests may replace. */
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
  -h, --help         show this help

Exit codes: 0 done (or nothing to do), 1 refused or failed (nothing changed), 2 usage error (an
unknown option, environment or app).`;

export const promoteHelp = `Usage: slipway promote <app[@tag|@digest]>... --to <env> [--from <env>] [options]
       slipway promote --all --to <env> [options]
       slipway promote --addon <addon>... --to <env> [options]

Copies each app's release — its image and its definition (the fleet commit of apps/<t>/<a>/app.ts
it runs) — from the previous environment in the chain (dev → staging → prod) into
environments/<env>/releases.yaml, re-renders, and commits on branch promote/<env>/<apps>.
Refuses unknown apps or environments, skipping a stage, a release the previous environment
does not run, and a dirty working tree; promoting what is already there does nothing.

Health gate: when the previous environment sets \`promotion: { soak }\`, each app's Argo CD
Applications there must be Synced and Healthy on every cluster, their last sync finished at
least the soak ago (ARGOCD_SERVER[_<ENV>] and ARGOCD_AUTH_TOKEN[_<ENV>] say which Argo CD to ask).

Add-ons: \`--addon NAME\` pins the previous environment's definition of addons/<addon>.ts (its
version and values) on the next rollout step of <env>'s clusters (sync.rollout.steps, in order;
all its clusters without a rollout): run it again, once that step is healthy, for the next one.
The gate asks about the add-on's Applications where the definition ran before (the previous
environment for the first step, the earlier steps for a later one), when that environment sets
\`promotion: { soak }\`.

  --to ENV           environment to promote into
  --from ENV         assert the environment promoted from (refused unless it is the previous one)
  --all              every app the previous environment runs
  --addon NAME       promote an add-on's definition (repeatable) instead of apps
  --override REASON  promote although the health gate refuses; who and why go in the commit and PR
${SHARED_FLAGS}
`;

export const rollbackHelp = `Usage: slipway rollback <app> --env <env> [options]
       slipway rollback --addon <addon> --env <env> [options]

Restores the release the environment ran before its current one (image and pinned definition),
read from the git history of environments/<env>/releases.yaml, re-renders, and commits on branch
rollback/<env>/<app>; the pull request shows the rendered diff. Refuses an app the environment
does not run, and a lock file history with no earlier release.

With --addon, restores the add-on pins (version and definition, cluster by cluster) the
environment's lock file held before its last change of that add-on.

  --env ENV          environment to roll back
  --addon NAME       roll back an add-on's pins instead of an app
${SHARED_FLAGS}
`;

export const releaseHelp = `Usage: slipway release <app> --env <env> --image <repository>:<tag>@sha256:<digest> --commit <sha> [options]

Records a new build of an app in the first environment of the chain (environments/<env>/releases.yaml),
re-renders, and commits on branch release/<env>/<app>. Recording the release already there does nothing.
It works from the last commit (HEAD) and refuses a dirty working tree: commit a new app first.

  --env ENV          environment the build enters (the first of the chain, e.g. dev)
  --image REF        the image by tag and digest
  --commit SHA       the app repository's commit the image was built from
${SHARED_FLAGS}
`;

const APPLY_OPTIONS = {
  "dry-run": { type: "boolean" },
  "open-pr": { type: "boolean" },
  base: { type: "string" },
  remote: { type: "string" },
  json: { type: "boolean" },
} as const;

export async function promoteCommand(argv: string[], io: CommandIO, deps: PromoteDependencies = {}): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...APPLY_OPTIONS, to: { type: "string" }, from: { type: "string" }, all: { type: "boolean" }, override: { type: "string" }, addon: { type: "string", multiple: true } }, allowPositionals: true, strict: true });
  if (!values.to) throw new UsageError("missing --to <env>", { hint: "say which environment to promote into, e.g. `--to staging`" });
  const addons = values.addon ?? [];
  if (!values.all && positionals.length === 0 && addons.length === 0) throw new UsageError("name the apps to promote, or pass --all (or --addon <addon>)");
  if (values.override !== undefined && values.override.trim() === "") throw new UsageError("--override needs a reason", { hint: "say why the gate is skipped: `--override \"hotfix for INC-123, staging is down\"`" });
  const root = findFleetCheckout(io.cwd);
  const planned = planPromotion(await loadReleaseChain(root), { apps: positionals, all: values.all ?? false, to: values.to, ...(values.from ? { from: values.from } : {}), ...(addons.length ? { addons } : {}) });
  const plan = await gate(io, root, planned, values.override);
  await apply(io, root, plan, values, deps);
  return ExitCode.ok;
}

/** Asks Argo CD about the environment the releases leave, if it has a soak time; refuses unless healthy or overridden. */
async function gate(io: CommandIO, root: string, plan: Plan, override: string | undefined): Promise<Plan> {
  const addonScope = addonGateScope(plan);
  const gating = addonScope ? addonScope.environment : plan.moves.length > 0 ? plan.source : undefined;
  if (!gating || gating.soakSeconds === undefined) return plan;
  const connection = argocdConnection(io.env, gating.name);
  const result = addonScope ? await checkAddonGate(plan, connection) : await checkHealthGate(plan, connection);
  if (result.passed) return { ...plan, gate: result };
  if (override === undefined) {
    const what = addonScope ? `add-on ${[...addonScope.byAddon.keys()].join(", ")}` : plan.moves.map((m) => m.app).join(", ");
    throw new PromotionError(`the health gate of ${gating.name} refuses: ${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}`, {
      environment: gating.name,
      expected: `every Application of ${what} in ${gating.name} Synced and Healthy, soaked`,
      received: result.problems.join("; "),
      hint: `wait for ${gating.name} to be healthy (and the soak to pass), or skip the gate on purpose: \`--override "<reason>"\`, which the pull request records`,
    });
  }
  return { ...plan, gate: result, override: { by: runGitIdentity(root, io.env), reason: override.trim() } };
}

export async function rollbackCommand(argv: string[], io: CommandIO, deps: PromoteDependencies = {}): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...APPLY_OPTIONS, env: { type: "string" }, addon: { type: "string" } }, allowPositionals: true, strict: true });
  if (values.addon !== undefined && positionals.length > 0) throw new UsageError("roll back an app or an add-on (--addon), not both");
  if (values.addon === undefined && positionals.length !== 1) throw new UsageError(positionals.length ? `one app per rollback, received ${positionals.join(", ")}` : "name the app to roll back (or --addon <addon>)");
  if (!values.env) throw new UsageError("missing --env <env>", { hint: "say which environment to roll back, e.g. `--env prod`" });
  const root = findFleetCheckout(io.cwd);
  const chain = await loadReleaseChain(root);
  const plan = values.addon !== undefined ? planAddonRollback(root, chain, { addon: values.addon, env: values.env }) : planRollback(root, chain, { app: positionals[0]!, env: values.env });
  await apply(io, root, plan, values, deps);
  return ExitCode.ok;
}

export async function releaseCommand(argv: string[], io: CommandIO, deps: PromoteDependencies = {}): Promise<CommandStatus> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...APPLY_OPTIONS, env: { type: "string" }, image: { type: "string" }, commit: { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one app per release, received ${positionals.join(", ")}` : "name the app the build belongs to");
  for (const flag of ["env", "image", "commit"] as const) if (!values[flag]) throw new UsageError(`missing --${flag}`);
  const image = parseImageReference(values.image!);
  const root = findFleetCheckout(io.cwd);
  const plan = planRelease(await loadReleaseChain(root), { app: positionals[0]!, env: values.env!, image, commit: values.commit! });
  await apply(io, root, plan, values, deps);
  return ExitCode.ok;
}

interface ApplyFlags {
  readonly "dry-run"?: boolean;
  readonly "open-pr"?: boolean;
  readonly base?: string;
  readonly remote?: string;
  readonly json?: boolean;
}

async function apply(io: CommandIO, root: string, plan: Plan, flags: ApplyFlags, deps: PromoteDependencies): Promise<void> {
  const dryRun = flags["dry-run"] ?? false;
  const result = await applyPlan({
    root,
    plan,
    render: deps.render ?? renderWithSlipway,
    env: io.env,
    dryRun,
    openPr: flags["open-pr"] ?? false,
    ...(flags.base ? { base: flags.base } : {}),
    ...(flags.remote ? { remote: flags.remote } : {}),
  });
  io.stdout(flags.json ? reportJson(result, dryRun) : reportText(result, dryRun, io.color));
}

function reportJson(result: ApplyResult, dryRun: boolean): string {
  const { plan } = result;
  const json = {
    action: plan.action,
    target: plan.target.name,
    source: plan.source?.name ?? null,
    dryRun,
    noop: result.noop,
    moves: plan.moves.map((m) => ({ app: m.app, before: m.before ?? null, after: m.after })),
    addonMoves: (plan.addonMoves ?? []).map((m) => ({ addon: m.addon, cluster: m.cluster, step: m.step, steps: m.steps, before: m.before, after: m.after })),
    unchangedAddons: plan.unchangedAddons ?? [],
    gate: plan.gate ?? null,
    override: plan.override ?? null,
    unchanged: plan.unchanged,
    branch: result.noop ? null : plan.branch,
    commit: result.commit ?? null,
    files: result.files,
    diff: result.diff ? totals(result.diff) : null,
    pullRequest: result.pullRequest ?? null,
  };
  return JSON.stringify(json, null, 2) + "\n";
}

function reportText(result: ApplyResult, dryRun: boolean, color: boolean): string {
  const { plan } = result;
  if (result.noop) {
    const already = [...plan.unchanged.map((a) => `${a} ${plan.target.releases[a]!.tag}`), ...(plan.unchangedAddons ?? []).map((a) => `add-on ${a} on every cluster`)];
    return `Nothing to ${plan.action}: ${plan.target.name} already runs ${already.join(", ")}.\n`;
  }
  const where = plan.action === "promote" ? `${plan.target.name} from ${plan.source!.name}` : plan.target.name;
  const done = { promote: "Promoted to", release: "Released to", rollback: "Rolled back" }[plan.action];
  const lines = [dryRun ? `Would ${plan.action} ${plan.action === "rollback" ? "" : "to "}${where}:` : `${done} ${where}:`];
  const width = Math.max(0, ...plan.moves.map((m) => m.app.length));
  for (const m of plan.moves) {
    const definition = m.after.definition ? `  definition ${m.after.definition.slice(0, 12)}` : "";
    lines.push(`  ${m.app.padEnd(width)}  ${m.before ? m.before.tag : "(new)"} → ${m.after.tag}  ${shortDigest(m.after.digest)}  commit ${m.after.commit.slice(0, 12)}${definition}`);
  }
  for (const m of plan.addonMoves ?? []) lines.push(`  add-on ${describeAddonMove(m)}  definition ${m.after.definition.slice(0, 12)}`);
  const later = (plan.addonMoves ?? []).filter((m) => m.step < m.steps && !m.pinOnly);
  if (later.length) lines.push(`  next rollout step: \`slipway promote --addon ${[...new Set(later.map((m) => m.addon))].join(" --addon ")} --to ${plan.target.name}\` once this is merged and healthy`);
  if (plan.override) lines.push(`  health gate overridden by ${plan.override.by}: ${plan.override.reason}`, ...(plan.gate?.problems ?? []).map((p) => `    ${p}`));
  else if (plan.gate) lines.push(`  health gate: ${plan.gate.summary}`);
  if (plan.unchanged.length || plan.unchangedAddons?.length) lines.push(`  already in ${plan.target.name}: ${[...plan.unchanged, ...(plan.unchangedAddons ?? [])].join(", ")}`);
  const t = totals(result.diff!);
  lines.push(`Rendered: ${t.added} to add, ${t.changed} to change, ${t.removed} to delete (${result.files.length} files).`);
  if (dryRun) {
    lines.push(`Dry run: nothing committed. Without --dry-run this commits on branch ${plan.branch}.`, "", formatText(result.diff!, { color }).trimEnd());
  } else {
    lines.push(`Committed ${result.commit!.slice(0, 12)} on branch ${plan.branch}.`);
    if (result.pullRequest) lines.push(`${result.pullRequest.created ? "Opened" : "Updated"} pull request #${result.pullRequest.number}: ${result.pullRequest.url}`);
    else lines.push(`Review it with \`git switch ${plan.branch}\`; push it or re-run with --open-pr to propose it.`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Carries out a plan without touching the working tree: a temporary git worktree at HEAD gets
 * the new lock files and a fresh render; the result is committed on the plan's branch (and
 * pushed, and proposed as a pull request). A refusal or failure leaves the checkout as it was.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffTrees, GitHubClient, loadTreeFromDir, loadTreeFromGit, runGit, type TreeDiff } from "@slipway/diff";
import { PromotionError } from "./errors";
import { writeAddonPins, writeReleases } from "./lock-file";
import { commitMessage, openPullRequest, type OpenedPullRequest } from "./pull-request";
import type { Plan } from "./plan";

/** Re-renders the fleet rooted at `root` in place (`slipway render`). */
export type RenderStep = (root: string) => Promise<void>;

export interface ApplyOptions {
  /** Repository root. */
  readonly root: string;
  readonly plan: Plan;
  readonly render: RenderStep;
  /** Show what would change; commit nothing. */
  readonly dryRun?: boolean;
  /** Push the branch and open (or update) a pull request. */
  readonly openPr?: boolean;
  /** Branch the pull request targets. @default the current branch, else `main` */
  readonly base?: string;
  /** @default origin */
  readonly remote?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface ApplyResult {
  readonly plan: Plan;
  /** Nothing to do: every app already runs that release. */
  readonly noop: boolean;
  readonly diff?: TreeDiff;
  /** Repository-relative paths the change touches. */
  readonly files: readonly string[];
  readonly commit?: string;
  readonly pushed: boolean;
  readonly pullRequest?: OpenedPullRequest;
}

const FALLBACK_IDENTITY = { GIT_AUTHOR_NAME: "slipway", GIT_AUTHOR_EMAIL: "slipway@users.noreply.github.com", GIT_COMMITTER_NAME: "slipway", GIT_COMMITTER_EMAIL: "slipway@users.noreply.github.com" };

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { root, plan } = options;
  if (plan.moves.length === 0 && !plan.addonMoves?.length) return { plan, noop: true, files: [], pushed: false };
  // One writer per checkout: branches, worktrees and pushes of two runs would interleave.
  const { withWriteLock } = await import("@slipway/render");
  return withWriteLock(root, plan.action, () => applyLocked(options));
}

async function applyLocked(options: ApplyOptions): Promise<ApplyResult> {
  const { root, plan } = options;

  // Every check first, so a refusal changes nothing.
  const head = runGit(root, ["rev-parse", "--verify", "--quiet", "HEAD"], { allowFailure: true }).stdout.trim();
  if (!head) throw new PromotionError("the repository has no commit yet", { hint: "commit the fleet first" });
  if (!options.dryRun) {
    const dirty = runGit(root, ["status", "--porcelain", "--untracked-files=normal"]).stdout.split("\n").filter(Boolean);
    if (dirty.length > 0) {
      throw new PromotionError(`the working tree has uncommitted changes, so ${plan.action} will not run`, {
        received: dirty.slice(0, 10).map((l) => l.slice(3)).join(", ") + (dirty.length > 10 ? `, and ${dirty.length - 10} more` : ""),
        hint: `commit or discard them first (\`git status\`), or use --dry-run to preview`,
      });
    }
    const current = runGit(root, ["symbolic-ref", "--short", "-q", "HEAD"], { allowFailure: true }).stdout.trim();
    if (current === plan.branch) throw new PromotionError(`you are on \`${plan.branch}\`, the branch ${plan.action} writes`, { hint: "switch to the base branch (e.g. `git switch main`) and run it again" });
  }
  const client = options.openPr && !options.dryRun ? GitHubClient.fromEnvironment(options.env, root) : undefined;
  const remote = options.remote ?? "origin";
  if (client && runGit(root, ["remote", "get-url", remote], { allowFailure: true }).status !== 0) {
    throw new PromotionError(`no git remote \`${remote}\` to push the branch to`, { hint: "add it (`git remote add origin …`) or pass --remote" });
  }
  const base = options.base ?? (runGit(root, ["symbolic-ref", "--short", "-q", "HEAD"], { allowFailure: true }).stdout.trim() || "main");

  const scratch = mkdtempSync(join(tmpdir(), `slipway-${plan.action}-`));
  const tree = join(scratch, "tree");
  runGit(root, ["worktree", "add", "--quiet", "--detach", tree, head]);
  let diff: TreeDiff;
  let files: string[];
  let commit: string | undefined;
  try {
    // Fleet modules import @slipway/*: let them resolve from the worktree as from the checkout.
    if (existsSync(join(root, "node_modules"))) symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir");
    if (plan.moves.length > 0) writeReleases(tree, plan.target.name, plan.target.releasesFile, Object.fromEntries(plan.moves.map((m) => [m.app, m.after])));
    writeAddonPins(tree, plan.target.name, plan.target.releasesFile, (plan.addonMoves ?? []).map((m) => ({ addon: m.addon, cluster: m.cluster, pin: m.after })));
    await options.render(tree);
    const paths = ["environments", "clusters"].filter((p) => existsSync(join(tree, p)));
    runGit(tree, ["add", "-A", "--", ...paths]);
    files = runGit(tree, ["diff", "--cached", "--name-only", "-z"]).stdout.split("\0").filter(Boolean).sort();
    diff = diffTrees({ ...loadTreeFromGit(root, head), label: base }, loadTreeFromDir(tree, plan.branch));
    if (!options.dryRun) {
      const configured = runGit(root, ["config", "user.email"], { allowFailure: true }).stdout.trim();
      runGit(tree, ["commit", "--quiet", "--no-verify", "-F", "-"], { input: commitMessage(plan), env: configured ? {} : FALLBACK_IDENTITY });
      commit = runGit(tree, ["rev-parse", "HEAD"]).stdout.trim();
      runGit(root, ["branch", "--force", plan.branch, commit]);
    }
  } finally {
    runGit(root, ["worktree", "remove", "--force", tree], { allowFailure: true });
    rmSync(scratch, { recursive: true, force: true });
    runGit(root, ["worktree", "prune"], { allowFailure: true });
  }
  if (!client || !commit) return { plan, noop: false, diff, files, ...(commit ? { commit } : {}), pushed: false };

  // Asked before anything is pushed, so a token or repository the API refuses leaves no branch behind.
  const existing = await client.findOpenPullRequest(plan.branch, base);
  const push = pushAuthentication(options.env);
  const previous = remoteBranchHead(root, remote, plan.branch, push);
  if (previous) refuseForeignCommits(root, remote, plan, previous, push);
  // The lease names what the remote held a moment ago: a reviewer's push since then is never overwritten.
  runGit(root, ["push", "--quiet", `--force-with-lease=refs/heads/${plan.branch}:${previous ?? ""}`, remote, `${commit}:refs/heads/${plan.branch}`], { env: push });
  try {
    const pullRequest = await openPullRequest(client, plan, diff, base, existing);
    return { plan, noop: false, diff, files, commit, pushed: true, pullRequest };
  } catch (error) {
    // No pull request for what was pushed: put the remote branch back as it was.
    const restore = previous ? `${previous}:refs/heads/${plan.branch}` : `:refs/heads/${plan.branch}`;
    runGit(root, ["push", "--quiet", `--force-with-lease=refs/heads/${plan.branch}:${commit}`, remote, restore], { env: push, allowFailure: true });
    throw error;
  }
}

/**
 * Git reads GITHUB_TOKEN for its push from the environment (`GIT_CONFIG_*`), never from the
 * command line or `.git/config`: the token stays out of error messages and off the disk.
 */
function pushAuthentication(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!env.GITHUB_TOKEN) return {};
  const basic = Buffer.from(`x-access-token:${env.GITHUB_TOKEN}`).toString("base64");
  return { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.extraHeader", GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

function remoteBranchHead(root: string, remote: string, branch: string, env: NodeJS.ProcessEnv): string | undefined {
  const line = runGit(root, ["ls-remote", "--heads", remote, `refs/heads/${branch}`], { env }).stdout.trim();
  return line ? line.split(/\s/)[0] : undefined;
}

/**
 * The remote branch may be replaced only while every commit on it beyond the base was written
 * by slipway: a commit pushed there by a person (a reviewer's fix-up) is never overwritten.
 */
function refuseForeignCommits(root: string, remote: string, plan: Plan, previous: string, env: NodeJS.ProcessEnv): void {
  runGit(root, ["fetch", "--quiet", "--no-tags", remote, `+refs/heads/${plan.branch}:refs/slipway/remote-head`], { env });
  try {
    const mine = `Written by slipway ${plan.action}.`;
    const messages = runGit(root, ["log", "--format=%H%x00%B%x01", previous, "--not", "HEAD"]).stdout.split("\x01").map((m) => m.trim()).filter(Boolean);
    const foreign = messages.filter((m) => !m.includes(mine)).map((m) => m.split("\0")[0]!.slice(0, 12));
    if (foreign.length > 0) {
      throw new PromotionError(`the remote branch \`${plan.branch}\` has commits slipway did not write (${foreign.join(", ")}), so it is not overwritten`, {
        hint: `merge or close its pull request first, or delete the branch (\`git push ${remote} --delete ${plan.branch}\`) if those commits are not needed`,
      });
    }
  } finally {
    runGit(root, ["update-ref", "-d", "refs/slipway/remote-head"], { allowFailure: true });
  }
}

/**
 * Rollback: the release an environment ran before its current one, read from the history of its
 * lock file (`git log -- environments/<env>/releases.yaml`), planned like any other move.
 */
import { ReleaseSchema, unknownName, type Release } from "@slipway/core";
import { runGit } from "@slipway/diff";
import { parse } from "yaml";
import { environmentNamed, type ReleaseChain } from "./chain";
import { PromotionError } from "./errors";
import { describeRelease, sameRelease } from "./lock-file";
import type { Plan } from "./plan";

export interface RollbackRequest {
  readonly app: string;
  readonly env: string;
}

/** The releases of `app` the lock file held, newest first, one per change. */
export function releaseHistory(root: string, releasesFile: string, app: string): { commit: string; release?: Release }[] {
  const commits = runGit(root, ["log", "--format=%H", "HEAD", "--", releasesFile], { allowFailure: true }).stdout.split("\n").filter(Boolean);
  const out: { commit: string; release?: Release }[] = [];
  for (const commit of commits) {
    const text = runGit(root, ["show", `${commit}:${releasesFile}`], { allowFailure: true });
    if (text.status !== 0) continue;
    let entry: unknown;
    try {
      entry = (parse(text.stdout) as { apps?: Record<string, unknown> } | null)?.apps?.[app];
    } catch {
      continue;
    }
    const parsed = entry === undefined ? undefined : ReleaseSchema.safeParse(entry);
    const release = parsed?.success ? parsed.data : undefined;
    if (parsed && !parsed.success) continue;
    if (out.length > 0 && (out.at(-1)!.release === undefined ? release === undefined : sameRelease(out.at(-1)!.release, release))) continue;
    out.push({ commit, ...(release ? { release } : {}) });
  }
  return out;
}

export function planRollback(root: string, chain: ReleaseChain, request: RollbackRequest): Plan {
  const target = environmentNamed(chain, request.env);
  if (!target) {
    const names = chain.environments.map((e) => e.name);
    throw unknownName("environment", request.env, names, { flag: "--env", expected: names.join(" → ") });
  }
  const current = target.releases[request.app];
  if (!current) {
    throw new PromotionError(`${target.name} runs no release of \`${request.app}\`, so there is nothing to roll back`, { file: target.releasesFile, app: request.app, hint: `\`slipway status\` shows what runs where` });
  }
  const history = releaseHistory(root, target.releasesFile, request.app);
  // The newest entry is what runs now; the one before it is what ran before.
  const index = history.findIndex((h) => h.release && sameRelease(h.release, current));
  const previous = history.slice(index < 0 ? 0 : index + 1).find((h) => h.release && !sameRelease(h.release, current));
  if (!previous?.release) {
    throw new PromotionError(`${target.name} has run no other release of \`${request.app}\` than ${describeRelease(current)}`, {
      file: target.releasesFile, app: request.app, hint: "the history of the lock file has nothing to restore; promote or release the build you want instead",
    });
  }
  return {
    action: "rollback",
    target,
    moves: [{ app: request.app, before: current, after: previous.release }],
    unchanged: [],
    branch: `rollback/${target.name}/${request.app}`,
  };
}

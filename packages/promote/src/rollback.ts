/**
 * Rollback: the release an environment ran before its current one, read from the history of its
 * lock file (`git log -- environments/<env>/releases.yaml`), planned like any other move.
 */
import { AddonPinSchema, ReleaseSchema, unknownName, type AddonPin, type Release } from "@slipway/core";
import * as z from "zod";
import { runGit } from "@slipway/diff";
import { parse } from "yaml";
import { environmentNamed, type ReleaseChain } from "./chain";
import { PromotionError } from "./errors";
import { describeRelease, sameRelease } from "./lock-file";
import type { Plan } from "./plan";
import type { AddonMove } from "./addon-plan";

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

export interface AddonRollbackRequest {
  readonly addon: string;
  readonly env: string;
}

type ClusterPins = Readonly<Record<string, AddonPin>>;

/** The pins of `addon` the lock file held (`addons.<addon>`, by cluster), newest first, one per change. */
function addonPinHistory(root: string, releasesFile: string, addon: string): { commit: string; pins: ClusterPins }[] {
  const commits = runGit(root, ["log", "--format=%H", "HEAD", "--", releasesFile], { allowFailure: true }).stdout.split("\n").filter(Boolean);
  const out: { commit: string; pins: ClusterPins }[] = [];
  for (const commit of commits) {
    const text = runGit(root, ["show", `${commit}:${releasesFile}`], { allowFailure: true });
    if (text.status !== 0) continue;
    let entry: unknown;
    try {
      entry = (parse(text.stdout) as { addons?: Record<string, unknown> } | null)?.addons?.[addon] ?? {};
    } catch {
      continue;
    }
    const parsed = z.record(z.string(), AddonPinSchema).safeParse(entry);
    if (!parsed.success) continue;
    if (out.length > 0 && JSON.stringify(out.at(-1)!.pins) === JSON.stringify(parsed.data)) continue;
    out.push({ commit, pins: parsed.data });
  }
  return out;
}

/** Restores the add-on pins an environment had before its last change of them, cluster by cluster. */
export function planAddonRollback(root: string, chain: ReleaseChain, request: AddonRollbackRequest): Plan {
  const target = environmentNamed(chain, request.env);
  if (!target) {
    const names = chain.environments.map((e) => e.name);
    throw unknownName("environment", request.env, names, { flag: "--env", expected: names.join(" → ") });
  }
  if (!chain.addons.has(request.addon)) {
    const known = [...chain.addons].sort();
    throw unknownName("add-on", request.addon, known, { flag: "--addon", expected: known.join(", ") });
  }
  const current = target.addonPins[request.addon] ?? {};
  if (Object.keys(current).length === 0) {
    throw new PromotionError(`${target.name} pins no definition of add-on \`${request.addon}\`, so there is nothing to roll back`, {
      file: target.releasesFile, hint: target.promotesFrom ? "its clusters render addons/" + request.addon + ".ts from the working tree: revert the edit there" : `${target.name} renders add-ons from the working tree: revert the addons/${request.addon}.ts commit`,
    });
  }
  const history = addonPinHistory(root, target.releasesFile, request.addon);
  const index = history.findIndex((h) => JSON.stringify(h.pins) === JSON.stringify(current));
  const previous = history[index < 0 ? 0 : index + 1];
  if (!previous) {
    throw new PromotionError(`${target.name} has pinned add-on \`${request.addon}\` no other way than now`, { file: target.releasesFile, hint: "the history of the lock file has nothing to restore; promote the definition you want instead" });
  }
  const steps = target.waves.map((wave) => wave.filter((c) => target.addons[request.addon]?.[c])).filter((wave) => wave.length > 0);
  const moves: AddonMove[] = [];
  for (const [cluster, pin] of Object.entries(current).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = previous.pins[cluster];
    if (before && JSON.stringify(before) === JSON.stringify(pin)) continue;
    if (!before) {
      throw new PromotionError(`before ${previous.commit.slice(0, 12)}, ${cluster} rendered add-on \`${request.addon}\` from the working tree, which a rollback cannot pin`, {
        file: target.releasesFile, field: `addons.${request.addon}.${cluster}`, hint: `promote the definition you want (\`slipway promote --addon ${request.addon} --to ${target.name}\`), or edit the entry by hand`,
      });
    }
    const step = steps.findIndex((wave) => wave.includes(cluster));
    moves.push({ addon: request.addon, cluster, before: target.addons[request.addon]![cluster]!, after: before, step: step + 1, steps: steps.length });
  }
  return { action: "rollback", target, moves: [], unchanged: [], addonMoves: moves, unchangedAddons: [], branch: `rollback/${target.name}/addon-${request.addon}` };
}

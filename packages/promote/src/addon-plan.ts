/**
 * Add-on promotion: what `slipway promote --addon <name> --to <env>` changes. An add-on's
 * definition (`addons/<addon>.ts`: version and values) is pinned per cluster in the lock file of
 * the environment that governs the cluster; the first environment renders the working tree. A
 * promotion copies the previous environment's definition (addonOrigin) to the target's clusters one rollout
 * step at a time: the first step (`sync.rollout.steps` of the target's environment.ts, in order;
 * one step of every cluster without a rollout) whose clusters do not run it yet; clusters that
 * already render it from the working tree are pinned at it, all at once. Pure functions of the
 * chain: every refusal happens before anything is touched.
 */
import { unknownName, type AddonPin } from "@slipway/core";
import type { ChainEnvironment, ReleaseChain } from "./chain";
import { PromotionError } from "./errors";
import type { Plan } from "./plan";

/** What one cluster renders of an add-on. */
export interface AddonRevision {
  readonly version: string;
  /** The pinned fleet commit; absent: the working tree. */
  readonly commit?: string;
  /** Hash of the pinned part (version and values): equal definitions at two commits have equal digests. */
  readonly digest: string;
}

export interface AddonMove {
  readonly addon: string;
  readonly cluster: string;
  /** What the cluster renders now. */
  readonly before: AddonRevision;
  /** Its lock entry after the move. */
  readonly after: AddonPin;
  /** Which rollout step of the target the cluster is in (1-based), and how many there are. */
  readonly step: number;
  readonly steps: number;
  /** The cluster renders that definition already, from the working tree: the move only pins it. */
  readonly pinOnly?: boolean;
}

/** The clusters of `env` running `addon`, in rollout order, each step kept. */
function stepsRunning(env: ChainEnvironment, addon: string): string[][] {
  return env.waves.map((wave) => wave.filter((cluster) => env.addons[addon]?.[cluster])).filter((wave) => wave.length > 0);
}

/**
 * Where `target` gets `addon` from: the previous environment of the chain, or, where no cluster of
 * it runs the add-on, the nearest one before it that does (velero runs in prod only: prod takes
 * it from the working tree, as the first environment would).
 */
export function addonOrigin(chain: ReleaseChain, target: ChainEnvironment, addon: string): ChainEnvironment | undefined {
  for (let env = chain.environments.find((e) => e.name === target.promotesFrom); env; env = chain.environments.find((e) => e.name === env!.promotesFrom)) {
    if (Object.keys(env.addons[addon] ?? {}).length > 0) return env;
  }
  return undefined;
}

/** The one definition `source` runs of `addon` on all its clusters (the working tree's if none runs it); refuses a source still rolling it out. */
function sourceRevision(chain: ReleaseChain, source: ChainEnvironment | undefined, addon: string): AddonRevision {
  const byCluster = Object.entries(source?.addons[addon] ?? {});
  if (!source || byCluster.length === 0) {
    if (!chain.head) throw new PromotionError("the fleet has no commit yet, so the add-on's definition cannot be pinned", { hint: "commit the fleet first (`git commit`): promotion pins definitions at a fleet commit" });
    return { ...chain.workingAddons.get(addon)!, commit: chain.head };
  }
  const digests = new Set(byCluster.map(([, r]) => r.digest));
  if (digests.size > 1) {
    throw new PromotionError(`${source.name} is still rolling out \`${addon}\`: its clusters run different definitions`, {
      environment: source.name, file: source.releasesFile,
      received: byCluster.map(([cluster, r]) => `${cluster} ${r.version}${r.commit ? ` @ ${r.commit.slice(0, 12)}` : " (working tree)"}`).join(", "),
      hint: `finish the rollout in ${source.name} first: \`slipway promote --addon ${addon} --to ${source.name}\``,
    });
  }
  const revision = byCluster[0]![1];
  if (revision.commit) return revision;
  if (!chain.head) throw new PromotionError("the fleet has no commit yet, so the add-on's definition cannot be pinned", { hint: "commit the fleet first (`git commit`): promotion pins definitions at a fleet commit" });
  return { ...revision, commit: chain.head };
}

export interface AddonPromotionRequest {
  readonly addons: readonly string[];
  readonly to: string;
}

/** The next rollout step of each add-on in `target`, as moves (an add-on every step runs already is unchanged). */
export function planAddonMoves(chain: ReleaseChain, target: ChainEnvironment, addons: readonly string[]): { moves: AddonMove[]; unchanged: string[] } {
  const moves: AddonMove[] = [];
  const unchanged: string[] = [];
  for (const addon of [...new Set(addons)].sort()) {
    if (!chain.addons.has(addon)) {
      const known = [...chain.addons].sort();
      throw unknownName("add-on", addon, known, { flag: "--addon", expected: known.join(", "), hint: "add-ons are the files addons/<addon>.ts" });
    }
    const origin = addonOrigin(chain, target, addon);
    const from = sourceRevision(chain, origin, addon);
    const promotedFrom = origin?.name ?? chain.environments[0]!.name;
    const steps = stepsRunning(target, addon);
    if (steps.length === 0) {
      throw new PromotionError(`no cluster of ${target.name} runs add-on \`${addon}\``, { environment: target.name, hint: `switch it on for a cluster of ${target.name} first, or promote it to the environment that runs it` });
    }
    const index = steps.findIndex((step) => step.some((cluster) => target.addons[addon]![cluster]!.digest !== from.digest));
    if (index < 0) {
      // Every cluster renders that definition already. Those that follow the working tree get
      // pinned at it now (the lock file changes, the rendered tree does not), so that the next
      // edit of addons/<addon>.ts stops at the first environment instead of reaching them.
      const unpinned = steps.flatMap((step, i) => step.filter((cluster) => !target.addons[addon]![cluster]!.commit).map((cluster) => ({ cluster, step: i + 1 })));
      if (unpinned.length === 0) unchanged.push(addon);
      for (const { cluster, step } of unpinned) {
        moves.push({ addon, cluster, before: target.addons[addon]![cluster]!, after: { version: from.version, definition: from.commit!, promotedFrom }, step, steps: steps.length, pinOnly: true });
      }
      continue;
    }
    for (const cluster of steps[index]!) {
      const before = target.addons[addon]![cluster]!;
      if (before.digest === from.digest) continue;
      moves.push({ addon, cluster, before, after: { version: from.version, definition: from.commit!, promotedFrom }, step: index + 1, steps: steps.length });
    }
  }
  return { moves, unchanged };
}

/** `cert-manager v1.18.2 → v1.19.0 on prod-use1 (step 1 of 2)`. */
export function describeAddonMove(move: AddonMove): string {
  if (move.pinOnly) return `${move.addon} ${move.after.version} pinned on ${move.cluster} (what it runs already: no rendered change)`;
  const step = move.steps > 1 ? ` (step ${move.step} of ${move.steps})` : "";
  return `${move.addon} ${move.before.version} → ${move.after.version} on ${move.cluster}${step}`;
}

export function planAddonPromotion(chain: ReleaseChain, request: AddonPromotionRequest, target: ChainEnvironment, source: ChainEnvironment): Plan {
  if (request.addons.length === 0) throw new PromotionError("no add-on to promote", { hint: "name it: `slipway promote --addon cert-manager --to staging`" });
  const { moves, unchanged } = planAddonMoves(chain, target, request.addons);
  return {
    action: "promote",
    target,
    source,
    moves: [],
    unchanged: [],
    addonMoves: moves,
    unchangedAddons: unchanged,
    branch: `promote/${target.name}/addon-${[...new Set(request.addons)].sort().join("+")}`,
  };
}

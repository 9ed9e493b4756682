/**
 * Deciding what a promotion or a release changes: pure functions of the chain, so every
 * refusal happens before anything is touched.
 */
import { unknownName, type Release, type UsageError } from "@slipway/core";
import { environmentNamed, type ChainEnvironment, type ReleaseChain } from "./chain";
import { PromotionError } from "./errors";
import { describeRelease, sameRelease, type ImageReference } from "./lock-file";
import { planAddonPromotion, type AddonMove } from "./addon-plan";

export interface ReleaseMove {
  readonly app: string;
  /** What the target runs now. */
  readonly before?: Release;
  /** What it will run. */
  readonly after: Release;
}

export interface Plan {
  readonly action: "promote" | "release" | "rollback";
  readonly target: ChainEnvironment;
  /** The environment releases are copied from (promotion only). */
  readonly source?: ChainEnvironment;
  /** Apps whose release changes, sorted. */
  readonly moves: readonly ReleaseMove[];
  /** Apps asked for that already run that release, sorted. */
  readonly unchanged: readonly string[];
  readonly branch: string;
  /** What the health gate found (promotion out of an environment with `promotion.soak`). */
  readonly gate?: GateResult;
  /** Who skipped the health gate, and why (`--override`). */
  readonly override?: { readonly by: string; readonly reason: string };
  /** Add-on pins the plan writes, cluster by cluster (`promote --addon`, `rollback --addon`). */
  readonly addonMoves?: readonly AddonMove[];
  /** Add-ons asked for that every cluster of the target already runs, sorted. */
  readonly unchangedAddons?: readonly string[];
}

export interface GateResult {
  readonly passed: boolean;
  /** One line for the pull request when it passed. */
  readonly summary: string;
  readonly problems: readonly string[];
}

export interface PromotionRequest {
  /** App names, each optionally pinned to the release it must be: `checkout@2.15.0` or `checkout@sha256:…`. */
  readonly apps: readonly string[];
  readonly all?: boolean;
  readonly to: string;
  /** If given, must be the target's `promotesFrom` (refuses skipping a stage). */
  readonly from?: string;
  /** Add-ons to promote (their next rollout step in the target) instead of apps. */
  readonly addons?: readonly string[];
}

/** `--to`, `--from` or `--env` naming no environment: a usage error, listing the chain. */
function unknownEnvironment(chain: ReleaseChain, name: string, flag: string): UsageError {
  const names = chain.environments.map((e) => e.name);
  return unknownName("environment", name, names, { flag, expected: names.join(" → "), hint: "environments are the folders environments/<env>/ holding an environment.ts" });
}

function checkKnownApp(chain: ReleaseChain, app: string): void {
  const known = new Set([...chain.apps.keys(), ...chain.environments.flatMap((e) => Object.keys(e.releases))]);
  if (!known.has(app)) throw unknownName("app", app, [...known].sort(), { expected: [...known].sort().join(", "), hint: "apps are the folders apps/<tenant>/<app>/ holding an app.ts" });
}

export function planPromotion(chain: ReleaseChain, request: PromotionRequest): Plan {
  const target = environmentNamed(chain, request.to);
  if (!target) throw unknownEnvironment(chain, request.to, "--to");
  if (!target.promotesFrom) {
    throw new PromotionError(`\`${target.name}\` is the first environment of the chain: nothing is promoted into it`, {
      file: target.file,
      hint: `new builds enter ${target.name} with \`slipway release <app> --env ${target.name} --image <repository>:<tag>@sha256:<digest> --commit <sha>\``,
    });
  }
  const source = environmentNamed(chain, target.promotesFrom)!;
  if (request.from !== undefined && request.from !== source.name) {
    if (!environmentNamed(chain, request.from)) throw unknownEnvironment(chain, request.from, "--from");
    throw new PromotionError(`\`${target.name}\` is promoted from \`${source.name}\`, not \`${request.from}\`: releases cannot skip a stage`, {
      expected: chain.environments.map((e) => e.name).join(" → "),
      received: `${request.from} → ${target.name}`,
      hint: `promote to ${source.name} first, then from ${source.name} to ${target.name}`,
    });
  }
  if (request.addons?.length) {
    if (request.all || request.apps.length > 0) throw new PromotionError("promote apps or add-ons, not both at once", { hint: "run `slipway promote --addon <name> --to <env>` on its own" });
    return planAddonPromotion(chain, { addons: request.addons, to: request.to }, target, source);
  }
  if (request.all && request.apps.length > 0) throw new PromotionError("pass app names or --all, not both", { hint: "`slipway promote --all --to staging` promotes every app the previous environment runs" });
  if (!request.all && request.apps.length === 0) throw new PromotionError("no app to promote", { hint: "name the apps (`slipway promote checkout ledger --to staging`) or pass --all" });

  const asked = request.all ? Object.keys(source.releases).sort().map((app) => ({ app, pin: undefined })) : request.apps.map(parsePin);
  const seen = new Set<string>();
  const moves: ReleaseMove[] = [];
  const unchanged: string[] = [];
  for (const { app, pin } of asked) {
    if (seen.has(app)) continue;
    seen.add(app);
    checkKnownApp(chain, app);
    const release = source.releases[app];
    if (!release) {
      const runsIt = chain.environments.filter((e) => e.releases[app]).map((e) => e.name);
      throw new PromotionError(`\`${app}\` is not in ${source.name} yet, so it cannot be promoted to ${target.name}`, {
        file: source.releasesFile,
        app,
        expected: `a release of ${app} in ${source.releasesFile}`,
        received: runsIt.length ? `releases only in ${runsIt.join(", ")}` : "no release anywhere",
        hint: source.promotesFrom
          ? `promote it to ${source.name} first: \`slipway promote ${app} --to ${source.name}\` (releases move ${chain.environments.map((e) => e.name).join(" → ")}, one step at a time)`
          : `record a build first: \`slipway release ${app} --env ${source.name} --image … --commit …\``,
      });
    }
    if (pin && release.tag !== pin && release.digest !== pin && !(pin.length >= 7 && release.digest.startsWith(`sha256:${pin}`))) {
      throw new PromotionError(`${source.name} does not run ${app} ${pin}: it runs ${describeRelease(release)}`, {
        app,
        environment: source.name,
        expected: `${app}@${pin} in ${source.releasesFile}`,
        received: `${release.tag} ${release.digest}`,
        hint: `promote the release ${source.name} runs (\`${app}@${release.tag}\`), or get ${pin} into ${source.name} first`,
      });
    }
    const definition = carriedDefinition(chain, source, target, app);
    const after: Release = { image: release.image, tag: release.tag, digest: release.digest, commit: release.commit, promotedFrom: source.name, ...(definition ? { definition } : {}) };
    const before = target.releases[app];
    // An entry written before definitions were pinned, with the same image and the same
    // definition (both follow the working tree): nothing to promote; the next real move pins it.
    const unpinnedSame = !!before && !before.definition && sameRelease({ ...before, definition: undefined }, { ...after, definition: undefined }) && target.definitions[app]?.digest === source.definitions[app]?.digest;
    if (sameRelease(before, after) || unpinnedSame) unchanged.push(app);
    else moves.push({ app, ...(before ? { before } : {}), after });
  }
  moves.sort((a, b) => (a.app < b.app ? -1 : 1));
  unchanged.sort();
  const names = request.all ? "all" : [...seen].sort().join("+");
  return { action: "promote", target, source, moves, unchanged, branch: `promote/${target.name}/${names}` };
}

/**
 * The definition `app` gets in `target` when promoted from `source`: the commit `source` pins;
 * or, where `source` follows the working tree (the first environment), the fleet's last commit —
 * unless `target` already pins a commit with that same definition (promotion stays idempotent).
 */
function carriedDefinition(chain: ReleaseChain, source: ChainEnvironment, target: ChainEnvironment, app: string): string | undefined {
  const from = source.definitions[app];
  if (!from) return undefined;
  if (from.commit) return from.commit;
  const there = target.definitions[app];
  if (there?.commit && there.digest === from.digest) return there.commit;
  if (!chain.head) throw new PromotionError("the fleet has no commit yet, so the app's definition cannot be pinned", { app, hint: "commit the fleet first (`git commit`): promotion pins definitions at a fleet commit" });
  return chain.head;
}

function parsePin(spec: string): { app: string; pin?: string } {
  const at = spec.indexOf("@");
  return at < 0 ? { app: spec } : { app: spec.slice(0, at), pin: spec.slice(at + 1) };
}

export interface ReleaseRequest {
  readonly app: string;
  readonly env: string;
  readonly image: ImageReference;
  readonly commit: string;
}

export function planRelease(chain: ReleaseChain, request: ReleaseRequest): Plan {
  const target = environmentNamed(chain, request.env);
  if (!target) throw unknownEnvironment(chain, request.env, "--env");
  if (target.promotesFrom) {
    const first = chain.environments[0]!.name;
    throw new PromotionError(`new builds enter the chain at \`${first}\`, not \`${target.name}\``, {
      expected: first,
      received: target.name,
      hint: `record the build in ${first} (\`--env ${first}\`), then \`slipway promote ${request.app} --to …\` one step at a time`,
    });
  }
  checkKnownApp(chain, request.app);
  if (!/^[0-9a-f]{7,40}$/.test(request.commit)) {
    throw new PromotionError("the source commit is not a git commit hash", { received: request.commit, expected: "7 to 40 lower-case hex digits", hint: "pass the app repository's commit, e.g. `--commit $GITHUB_SHA`" });
  }
  const after: Release = { ...request.image, commit: request.commit };
  const before = target.releases[request.app];
  const same = sameRelease(before, after);
  return {
    action: "release",
    target,
    moves: same ? [] : [{ app: request.app, ...(before ? { before } : {}), after }],
    unchanged: same ? [request.app] : [],
    branch: `release/${target.name}/${request.app}`,
  };
}

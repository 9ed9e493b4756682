/**
 * The health gate: before a release leaves an environment with `promotion.soak`, its Argo CD
 * Applications there must be Synced and Healthy on every cluster of that environment, and their
 * last sync must have finished at least the soak time ago. Asked of Argo CD's REST API
 * (`GET /api/v1/applications?selector=…`, the call the `argocd app list -l` CLI makes), with the
 * Applications named as render names them: `<cluster>-<env>-<app>`.
 */
import type { Release } from "@slipway/core";
import { runGit } from "@slipway/diff";
import type { ChainEnvironment } from "./chain";
import { PromotionError } from "./errors";
import type { GateResult, Plan } from "./plan";

export interface ArgocdConnection {
  /** Base URL, e.g. `https://argocd.example.com`. */
  readonly url: string;
  readonly token?: string;
}

/** The Argo CD that manages `environment`: `ARGOCD_SERVER_<ENV>` / `ARGOCD_AUTH_TOKEN_<ENV>`, else `ARGOCD_SERVER` / `ARGOCD_AUTH_TOKEN`. */
export function argocdConnection(env: NodeJS.ProcessEnv, environment: string): ArgocdConnection | undefined {
  const suffix = environment.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  const server = env[`ARGOCD_SERVER_${suffix}`] || env.ARGOCD_SERVER;
  if (!server) return undefined;
  const token = env[`ARGOCD_AUTH_TOKEN_${suffix}`] || env.ARGOCD_AUTH_TOKEN;
  // Like the argocd CLI, a bare host:port means HTTPS.
  const url = (/^https?:\/\//.test(server) ? server : `https://${server}`).replace(/\/+$/, "");
  return { url, ...(token ? { token } : {}) };
}

/** The fields of an Argo CD Application the gate reads (argoproj.io/v1alpha1 ApplicationStatus). */
interface ApplicationItem {
  metadata?: { name?: string };
  status?: {
    sync?: { status?: string };
    health?: { status?: string };
    operationState?: { phase?: string; finishedAt?: string };
    reconciledAt?: string;
    summary?: { images?: string[] };
  };
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.max(0, Math.floor(seconds))}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/**
 * The Applications matching `selector`, and Argo CD's clock: the response's `Date` header, so the
 * soak is measured against the clock that wrote `finishedAt`, not the machine running promote.
 */
async function applicationsOf(connection: ArgocdConnection, selector: string): Promise<{ items: ApplicationItem[]; now?: number }> {
  const response = await fetch(`${connection.url}/api/v1/applications?selector=${encodeURIComponent(selector)}`, {
    headers: { accept: "application/json", ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}) },
    signal: AbortSignal.timeout(20_000),
  });
  if (response.status === 401 || response.status === 403) throw new Error(`Argo CD at ${connection.url} refused the token (HTTP ${response.status}): set ARGOCD_AUTH_TOKEN to a token that may read the Applications`);
  if (!response.ok) throw new Error(`Argo CD at ${connection.url} answered HTTP ${response.status}`);
  const body = (await response.json()) as { items?: ApplicationItem[] | null };
  const date = Date.parse(response.headers.get("date") ?? "");
  return { items: body.items ?? [], ...(Number.isNaN(date) ? {} : { now: date }) };
}

function noConnection(environment: string): GateResult {
  return { passed: false, summary: "", problems: [`no Argo CD to ask about ${environment}: set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN (or ARGOCD_SERVER_${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")} and ARGOCD_AUTH_TOKEN_…)`] };
}

/**
 * Asks Argo CD about every app `plan` moves, on every cluster of the environment it leaves.
 * Without `now`, a sync's age is measured by Argo CD's clock (its answer's `Date`), else by this
 * machine's when the answer arrives: a slow request must not make a release look younger.
 */
export async function checkHealthGate(plan: Plan, connection: ArgocdConnection | undefined, now?: number): Promise<GateResult> {
  const source = plan.source!;
  const soak = source.soakSeconds ?? 0;
  if (!connection) return noConnection(source.name);
  const problems: string[] = [];
  let checked = 0;
  for (const move of plan.moves) {
    let answer: Awaited<ReturnType<typeof applicationsOf>>;
    try {
      answer = await applicationsOf(connection, `slipway.dev/environment=${source.name},slipway.dev/app=${move.app}`);
    } catch (error) {
      problems.push(`could not ask Argo CD about ${move.app}: ${(error as Error).message}`);
      continue;
    }
    for (const cluster of source.clusters) {
      const name = `${cluster}-${source.name}-${move.app}`;
      const item = answer.items.find((i) => i.metadata?.name === name);
      checked++;
      problems.push(...applicationProblems(name, item, source.name, move.after, soak, now ?? answer.now ?? Date.now()));
    }
  }
  return {
    passed: problems.length === 0,
    summary: `${checked} Application${checked === 1 ? "" : "s"} in ${source.name} (${source.clusters.join(", ")}) Synced and Healthy${soak ? `, each for at least ${duration(soak)} since its last sync` : ""}, asked of ${connection.url}.`,
    problems,
  };
}

/**
 * Where an add-on step's definition ran before it: the previous environment's clusters for the
 * first rollout step, the earlier steps' clusters of the target for a later one.
 */
export function addonGateScope(plan: Plan): { environment: ChainEnvironment; byAddon: Map<string, string[]> } | undefined {
  // A move that only pins what a cluster runs already changes nothing there: nothing to gate.
  // Nor does a first step whose definition no earlier environment ran (taken from the working tree).
  const moves = (plan.addonMoves ?? []).filter((m) => !m.pinOnly && (m.step > 1 || Object.keys(plan.source!.addons[m.addon] ?? {}).length > 0));
  if (moves.length === 0) return undefined;
  const later = moves.some((m) => m.step > 1);
  if (later && moves.some((m) => m.step === 1)) {
    throw new PromotionError(`the add-ons are at different rollout steps of ${plan.target.name}, so no one health gate covers them`, {
      environment: plan.target.name,
      received: moves.map((m) => `${m.addon} on ${m.cluster} (step ${m.step} of ${m.steps})`).join(", "),
      hint: "promote them one command each: `slipway promote --addon <addon> --to " + plan.target.name + "`",
    });
  }
  const environment = later ? plan.target : plan.source!;
  const byAddon = new Map<string, string[]>();
  for (const m of moves) {
    if (byAddon.has(m.addon)) continue;
    const clusters = later
      ? plan.target.waves.slice(0, plan.target.waves.findIndex((wave) => wave.includes(m.cluster))).flat().filter((c) => plan.target.addons[m.addon]?.[c])
      : plan.source!.waves.flat().filter((c) => plan.source!.addons[m.addon]?.[c]);
    byAddon.set(m.addon, clusters);
  }
  return { environment, byAddon };
}

/** Asks Argo CD about each add-on `plan` moves, on the clusters that ran its definition first (addonGateScope). */
export async function checkAddonGate(plan: Plan, connection: ArgocdConnection | undefined, now?: number): Promise<GateResult> {
  const scope = addonGateScope(plan)!;
  const soak = scope.environment.soakSeconds ?? 0;
  if (!connection) return noConnection(scope.environment.name);
  const problems: string[] = [];
  const names: string[] = [];
  for (const [addon, clusters] of scope.byAddon) {
    let answer: Awaited<ReturnType<typeof applicationsOf>>;
    try {
      answer = await applicationsOf(connection, `slipway.dev/addon=${addon}`);
    } catch (error) {
      problems.push(`could not ask Argo CD about ${addon}: ${(error as Error).message}`);
      continue;
    }
    for (const cluster of clusters) {
      const name = `${cluster}-addon-${addon}`;
      names.push(name);
      problems.push(...applicationProblems(name, answer.items.find((i) => i.metadata?.name === name), scope.environment.name, undefined, soak, now ?? answer.now ?? Date.now()));
    }
  }
  return {
    passed: problems.length === 0,
    summary: `${names.length} add-on Application${names.length === 1 ? "" : "s"} in ${scope.environment.name} (${names.join(", ")}) Synced and Healthy${soak ? `, each for at least ${duration(soak)} since its last sync` : ""}, asked of ${connection.url}.`,
    problems,
  };
}

function applicationProblems(name: string, item: ApplicationItem | undefined, environment: string, release: Release | undefined, soak: number, now: number): string[] {
  if (!item) return [`${name}: Argo CD has no such Application`];
  const status = item.status ?? {};
  const out: string[] = [];
  const sync = status.sync?.status ?? "Unknown";
  const health = status.health?.status ?? "Unknown";
  if (sync !== "Synced") out.push(`${name} is ${sync}, not Synced`);
  if (health !== "Healthy") out.push(`${name} is ${health}, not Healthy`);
  const images = status.summary?.images ?? [];
  if (release && images.length > 0 && !images.some((image) => image.includes(release.digest) || image === `${release.image}:${release.tag}`)) {
    out.push(`${name} runs ${images.join(", ")}, not ${release.tag} (${release.digest.slice(0, 19)}…)`);
  }
  if (soak > 0) {
    const finished = status.operationState?.finishedAt;
    const at = finished ? Date.parse(finished) : NaN;
    if (Number.isNaN(at)) out.push(`${name} has no finished sync to measure the ${duration(soak)} soak of ${environment} from`);
    else if ((now - at) / 1000 < soak) out.push(`${name} last synced ${duration((now - at) / 1000)} ago, less than the ${duration(soak)} soak of ${environment}`);
    else if (status.operationState?.phase && status.operationState.phase !== "Succeeded") out.push(`${name}'s last sync ${status.operationState.phase}`);
  }
  return out;
}

/** Who is skipping the gate: the CI actor (GITHUB_ACTOR), else git's user.name, else the login. */
export function runGitIdentity(root: string, env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_ACTOR) return `@${env.GITHUB_ACTOR}`;
  const name = runGit(root, ["config", "user.name"], { allowFailure: true }).stdout.trim();
  const email = runGit(root, ["config", "user.email"], { allowFailure: true }).stdout.trim();
  if (name) return email ? `${name} <${email}>` : name;
  return env.USER || env.USERNAME || "unknown";
}

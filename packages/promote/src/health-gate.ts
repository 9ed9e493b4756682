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

async function applicationsOf(connection: ArgocdConnection, environment: string, app: string): Promise<ApplicationItem[]> {
  const selector = `slipway.dev/environment=${environment},slipway.dev/app=${app}`;
  const response = await fetch(`${connection.url}/api/v1/applications?selector=${encodeURIComponent(selector)}`, {
    headers: { accept: "application/json", ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}) },
    signal: AbortSignal.timeout(20_000),
  });
  if (response.status === 401 || response.status === 403) throw new Error(`Argo CD at ${connection.url} refused the token (HTTP ${response.status}): set ARGOCD_AUTH_TOKEN to a token that may read the Applications`);
  if (!response.ok) throw new Error(`Argo CD at ${connection.url} answered HTTP ${response.status}`);
  const body = (await response.json()) as { items?: ApplicationItem[] | null };
  return body.items ?? [];
}

/**
 * Asks Argo CD about every app `plan` moves, on every cluster of the environment it leaves.
 * Without `now`, a sync's age is measured when Argo CD's answer arrives: the answer describes
 * that moment, and a slow request must not make a release look younger than it is.
 */
export async function checkHealthGate(plan: Plan, connection: ArgocdConnection | undefined, now?: number): Promise<GateResult> {
  const source = plan.source!;
  const soak = source.soakSeconds ?? 0;
  if (!connection) {
    return { passed: false, summary: "", problems: [`no Argo CD to ask about ${source.name}: set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN (or ARGOCD_SERVER_${source.name.toUpperCase().replace(/[^A-Z0-9]/g, "_")} and ARGOCD_AUTH_TOKEN_…)`] };
  }
  const problems: string[] = [];
  let checked = 0;
  for (const move of plan.moves) {
    let items: ApplicationItem[];
    try {
      items = await applicationsOf(connection, source.name, move.app);
    } catch (error) {
      problems.push(`could not ask Argo CD about ${move.app}: ${(error as Error).message}`);
      continue;
    }
    const answeredAt = now ?? Date.now();
    for (const cluster of source.clusters) {
      const name = `${cluster}-${source.name}-${move.app}`;
      const item = items.find((i) => i.metadata?.name === name);
      checked++;
      problems.push(...applicationProblems(name, item, source, move.after, soak, answeredAt));
    }
  }
  return {
    passed: problems.length === 0,
    summary: `${checked} Application${checked === 1 ? "" : "s"} in ${source.name} (${source.clusters.join(", ")}) Synced and Healthy${soak ? `, each for at least ${duration(soak)} since its last sync` : ""}, asked of ${connection.url}.`,
    problems,
  };
}

function applicationProblems(name: string, item: ApplicationItem | undefined, source: ChainEnvironment, release: Release, soak: number, now: number): string[] {
  if (!item) return [`${name}: Argo CD has no such Application`];
  const status = item.status ?? {};
  const out: string[] = [];
  const sync = status.sync?.status ?? "Unknown";
  const health = status.health?.status ?? "Unknown";
  if (sync !== "Synced") out.push(`${name} is ${sync}, not Synced`);
  if (health !== "Healthy") out.push(`${name} is ${health}, not Healthy`);
  const images = status.summary?.images ?? [];
  if (images.length > 0 && !images.some((image) => image.includes(release.digest) || image === `${release.image}:${release.tag}`)) {
    out.push(`${name} runs ${images.join(", ")}, not ${release.tag} (${release.digest.slice(0, 19)}…)`);
  }
  if (soak > 0) {
    const finished = status.operationState?.finishedAt;
    const at = finished ? Date.parse(finished) : NaN;
    if (Number.isNaN(at)) out.push(`${name} has no finished sync to measure the ${duration(soak)} soak of ${source.name} from`);
    else if ((now - at) / 1000 < soak) out.push(`${name} last synced ${duration((now - at) / 1000)} ago, less than the ${duration(soak)} soak of ${source.name}`);
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

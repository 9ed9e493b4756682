/**
 * A loopback server answering `GET /api/v1/applications?selector=…` as Argo CD's API server does
 * (argoproj.io/v1alpha1 Application items; `selector` is a label selector `k=v,k2=v2`), for the
 * health gate of `slipway promote`.
 *
 * Its clock is fixed: every response says `Date: <NOW>` and each Application's last sync finished
 * `finishedMinutesAgo` before NOW. The gate measures soak against Argo CD's clock (the `Date`
 * header), so what it reports does not depend on how long the test machine takes.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeApplication {
  /** `<cluster>-<env>-<app>` or `<cluster>-addon-<addon>`, as render names them. */
  name: string;
  sync: string;
  health: string;
  finishedMinutesAgo: number;
  images?: string[];
}

export interface FakeArgocd {
  readonly url: string;
  applications: FakeApplication[];
  readonly requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** The instant the fake Argo CD says it is. */
export const ARGOCD_NOW = Date.parse("2026-06-01T12:00:00Z");
export const ARGOCD_TOKEN = "argocd-token";

/** The labels render puts on the Application (clusters are named `<name>-<region>`). */
function labelsOf(name: string): Record<string, string> {
  const addon = /^([^-]+-[^-]+)-addon-(.+)$/.exec(name);
  if (addon) return { "slipway.dev/cluster": addon[1]!, "slipway.dev/addon": addon[2]! };
  const [cluster, region, env, ...app] = name.split("-");
  return { "slipway.dev/cluster": `${cluster}-${region}`, "slipway.dev/environment": env!, "slipway.dev/app": app.join("-") };
}

export async function startFakeArgocd(): Promise<FakeArgocd> {
  const state = { applications: [] as FakeApplication[], requests: [] as { url: string; headers: IncomingHttpHeaders }[] };
  const server: Server = createServer((req, res) => {
    state.requests.push({ url: req.url ?? "", headers: req.headers });
    const url = new URL(req.url ?? "/", "http://localhost");
    const date = new Date(ARGOCD_NOW).toUTCString();
    if (req.headers.authorization !== `Bearer ${ARGOCD_TOKEN}`) {
      res.writeHead(401, { "content-type": "application/json", date }).end(JSON.stringify({ error: "invalid session", code: 16 }));
      return;
    }
    if (req.method !== "GET" || url.pathname !== "/api/v1/applications") {
      res.writeHead(404, { date }).end();
      return;
    }
    const wanted = (url.searchParams.get("selector") ?? "").split(",").filter(Boolean).map((term) => term.split("="));
    const items = state.applications
      .map((a) => ({ a, labels: labelsOf(a.name) }))
      .filter(({ labels }) => wanted.every(([k, v]) => labels[k!] === v))
      .map(({ a, labels }) => ({
        metadata: { name: a.name, namespace: "argocd", labels },
        spec: {},
        status: {
          sync: { status: a.sync, revision: "0".repeat(40) },
          health: { status: a.health },
          reconciledAt: new Date(ARGOCD_NOW).toISOString(),
          operationState: { phase: "Succeeded", finishedAt: new Date(ARGOCD_NOW - a.finishedMinutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, "Z") },
          summary: a.images ? { images: a.images } : {},
        },
      }));
    res.writeHead(200, { "content-type": "application/json", date }).end(JSON.stringify({ metadata: { resourceVersion: "1" }, items }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get applications() { return state.applications; },
    set applications(value) { state.applications = value; },
    requests: state.requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

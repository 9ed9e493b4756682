/**
 * Test helpers shared by the diff and promote suites (`@slipway/diff/testing`): throw-away git
 * repositories with a bare remote (from @slipway/testing), and a loopback server that records
 * GitHub API calls.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// The temporary repositories moved to @slipway/testing, with the fixture fleet; re-exported for these suites.
export { createTempRepo, type TempRepo } from "@slipway/testing";

export interface RecordedCall {
  readonly method: string;
  /** Path and query, e.g. `/repos/acme/fleet/pulls?state=open`. */
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

export interface FakeGitHub {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** Comments per issue number, as the fake stores them. */
  readonly comments: Map<number, { id: number; body: string }[]>;
  readonly pulls: { number: number; head: string; base: string; title: string; body: string; state: string }[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server implementing the pull request and issue comment endpoints Slipway
 * uses, with state, so in-place updates can be observed. Every call is recorded.
 */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const calls: RecordedCall[] = [];
  const comments = new Map<number, { id: number; body: string }[]>();
  const pulls: FakeGitHub["pulls"] = [];
  let nextId = 1000;
  const handle = (req: IncomingMessage, body: unknown, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, value?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(value === undefined ? "" : JSON.stringify(value));
    };
    if (!req.headers.authorization?.startsWith("Bearer ")) return send(401, { message: "Requires authentication" });
    const input = (body ?? {}) as Record<string, string>;
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/[^/]+\/[^/]+\/pulls$/.exec(url.pathname))) {
      if (req.method === "GET") {
        const head = url.searchParams.get("head")?.split(":")[1];
        return send(200, pulls.filter((p) => p.state === "open" && (!head || p.head === head)).map(view));
      }
      if (req.method === "POST") {
        const pull = { number: pulls.length + 1, head: input.head!, base: input.base!, title: input.title!, body: input.body!, state: "open" };
        pulls.push(pull);
        return send(201, view(pull));
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(url.pathname)) && req.method === "PATCH") {
      const pull = pulls.find((p) => p.number === Number(m![1]));
      if (!pull) return send(404, { message: "Not Found" });
      Object.assign(pull, input);
      return send(200, view(pull));
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const list = comments.get(Number(m[1])) ?? [];
      comments.set(Number(m[1]), list);
      if (req.method === "GET") {
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        return send(200, list.slice((page - 1) * perPage, page * perPage));
      }
      if (req.method === "POST") {
        const comment = { id: nextId++, body: input.body! };
        list.push(comment);
        return send(201, comment);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname))) {
      for (const list of comments.values()) {
        const i = list.findIndex((c) => c.id === Number(m![1]));
        if (i < 0) continue;
        if (req.method === "PATCH") {
          list[i]!.body = input.body!;
          return send(200, list[i]);
        }
        if (req.method === "DELETE") {
          list.splice(i, 1);
          return send(204);
        }
      }
      return send(404, { message: "Not Found" });
    }
    return send(404, { message: "Not Found" });
  };
  const view = (p: FakeGitHub["pulls"][number]) => ({ number: p.number, html_url: `https://github.example/pull/${p.number}`, title: p.title, body: p.body, head: { ref: p.head }, base: { ref: p.base } });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body: unknown = text ? JSON.parse(text) : undefined;
      calls.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    comments,
    pulls,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

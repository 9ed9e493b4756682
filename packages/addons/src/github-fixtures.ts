/**
 * A loopback stand-in for the GitHub API calls `slipway addons check-sources` makes, serving the
 * upstream listings recorded in `fixtures/upstream/` (see its README). Trees are the recorded
 * entries; a blob's text is written from the facts recorded about it (its documents' kinds and,
 * for CRDs, names, groups and versions; whether it is a template), never upstream's content.
 * Tests only (the CLI's tests point GITHUB_API_URL at it).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";

interface DocumentFact {
  readonly apiVersion?: string | null;
  readonly kind?: string | null;
  readonly name?: string;
  readonly group?: string;
  readonly names?: { kind: string; plural: string };
  readonly scope?: string;
  readonly versions?: { name: string; served: boolean; storage: boolean }[];
  readonly incomplete?: boolean;
}

interface BlobFact {
  readonly template?: boolean;
  readonly text?: boolean;
  readonly unparsable?: boolean;
  readonly documents?: DocumentFact[];
}

interface TreeFixture {
  readonly repository: string;
  readonly ref: string;
  readonly tree: { path: string; mode: string; type: string; sha: string; size?: number }[];
  readonly blobs: Record<string, BlobFact>;
}

interface ReleaseFixture {
  readonly repository: string;
  readonly ref: string;
  readonly release: { tag_name: string; assets: { id: number; name: string; content_type: string; documents: DocumentFact[] }[] };
}

export const FIXTURES_DIR = join(import.meta.dirname, "..", "fixtures", "upstream");

/** A YAML text standing for a recorded file: its documents as minimal objects with the recorded fields. */
export function textOf(fact: BlobFact): string {
  if (fact.text) return "recorded as a non-manifest file\n";
  if (fact.unparsable) return "key: [unclosed\n";
  const docs = (fact.documents ?? []).map((d) => {
    if (d.kind !== "CustomResourceDefinition" || d.incomplete) return stringify({ apiVersion: d.apiVersion, kind: d.kind, ...(d.name ? { metadata: { name: d.name } } : {}) });
    return stringify({
      apiVersion: d.apiVersion,
      kind: d.kind,
      metadata: { name: d.name },
      spec: { group: d.group, names: d.names, scope: d.scope, versions: d.versions },
    });
  });
  // A recorded template is one whose text holds `{{`: so does its stand-in.
  return `${fact.template ? "# {{- if .Values.crds.enabled }}\n" : ""}${docs.join("---\n")}`;
}

export interface FakeGitHub {
  readonly url: string;
  /** Every request: method, path with query, headers. */
  readonly requests: { path: string; headers: IncomingHttpHeaders }[];
  /** Answer the next requests with this status (e.g. 403 with an exhausted rate limit). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(dir: string = FIXTURES_DIR): Promise<FakeGitHub> {
  const trees = new Map<string, TreeFixture>();
  const releases = new Map<string, ReleaseFixture>();
  const blobs = new Map<string, BlobFact>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const data = JSON.parse(readFileSync(join(dir, name), "utf8")) as TreeFixture | ReleaseFixture;
    if ("tree" in data) {
      trees.set(`${data.repository}@${data.ref}`, data);
      for (const [sha, fact] of Object.entries(data.blobs)) blobs.set(`${data.repository}#${sha}`, fact);
    } else releases.set(`${data.repository}@${data.ref}`, data);
  }
  const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  let failure: number | undefined;
  let base = "";
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ path, headers: req.headers });
    const send = (status: number, body: string, type = "application/json", extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, ...extra });
      res.end(body);
    };
    if (failure !== undefined) return send(failure, JSON.stringify({ message: "API rate limit exceeded" }), "application/json", { "x-ratelimit-remaining": "0" });
    const url = new URL(path, "http://localhost");
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/git\/trees\/(.+)$/.exec(url.pathname))) {
      const tree = trees.get(`${m[1]}@${decodeURIComponent(m[2]!)}`);
      if (!tree || url.searchParams.get("recursive") !== "1") return send(404, JSON.stringify({ message: "Not Found" }));
      return send(200, JSON.stringify({ sha: "0".repeat(40), truncated: false, tree: tree.tree }));
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/git\/blobs\/([0-9a-f]{40})$/.exec(url.pathname))) {
      const fact = blobs.get(`${m[1]}#${m[2]}`);
      if (!fact) return send(404, JSON.stringify({ message: "Not Found" }));
      return send(200, textOf(fact), "application/vnd.github.raw");
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/releases\/tags\/(.+)$/.exec(url.pathname))) {
      const release = releases.get(`${m[1]}@${decodeURIComponent(m[2]!)}`);
      if (!release) return send(404, JSON.stringify({ message: "Not Found" }));
      const assets = release.release.assets.map((a) => ({
        id: a.id, name: a.name, content_type: a.content_type,
        url: `${base}/repos/${m![1]}/releases/assets/${a.id}`,
        browser_download_url: `https://github.com/${m![1]}/releases/download/${release.release.tag_name}/${a.name}`,
      }));
      return send(200, JSON.stringify({ tag_name: release.release.tag_name, assets }));
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/releases\/assets\/(\d+)$/.exec(url.pathname))) {
      // GitHub redirects an asset download to its storage: so does this, to the same server.
      return send(302, "", "text/plain", { location: `${base}/storage/${m[1]}/${m[2]}` });
    }
    if ((m = /^\/storage\/([^/]+\/[^/]+)\/(\d+)$/.exec(url.pathname))) {
      for (const release of releases.values()) {
        if (release.repository !== m[1]) continue;
        const asset = release.release.assets.find((a) => a.id === Number(m![2]));
        if (asset) return send(200, textOf({ documents: asset.documents }), "application/octet-stream");
      }
      return send(404, "Not Found", "text/plain");
    }
    send(404, JSON.stringify({ message: "Not Found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    failWith: (status) => {
      failure = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

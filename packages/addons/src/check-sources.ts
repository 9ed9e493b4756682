/**
 * `slipway addons check-sources`: proves, against GitHub, that each add-on's CRD source resolves at
 * the pinned tag to plain CustomResourceDefinition documents only, holding every CRD the add-on
 * requires. Version bumps are when upstream moves or templates files; this is the check that
 * notices before a cluster does.
 *
 * For an upstream directory: the tree of the tag (`GET /repos/{o}/{r}/git/trees/{tag}?recursive=1`),
 * the files Argo CD's directory source would read from the path (manifest extensions, hidden
 * directories skipped, `directory.include` matched as Argo CD matches it, recursion as configured),
 * and each file's blob. For a release asset: the release of the tag, the asset by name, its bytes,
 * and the kustomization in this repository that must name exactly that asset's download URL.
 *
 * Pure of process state: the API address, token and `fetch` are passed in (the CLI reads
 * GITHUB_API_URL and GITHUB_TOKEN); nothing is written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { crdKustomizationPath, requireAddon, upstreamTag } from "./describe";
import type { AnyAddonModule, CrdRef, CrdSource } from "./types";

export type SourceProblemCode =
  | "ref-not-found"
  | "path-not-found"
  | "matches-nothing"
  | "template"
  | "not-a-crd"
  | "missing-crd"
  | "release-not-found"
  | "asset-not-found"
  | "kustomization"
  | "github";

export interface SourceProblem {
  readonly code: SourceProblemCode;
  readonly message: string;
  /** The upstream file (or asset) the problem is in, when there is one. */
  readonly file?: string;
}

export interface SourceCheck {
  readonly addon: string;
  readonly version: string;
  /** Where the CRDs come from, for people: `owner/repo path@tag (include …)` or `owner/repo release tag: asset`. */
  readonly source: string;
  /** Files (or the asset) the source resolves to. */
  readonly files: readonly string[];
  /** CRDs found, as `name` → served versions. */
  readonly crds: Readonly<Record<string, readonly string[]>>;
  readonly problems: readonly SourceProblem[];
}

export interface CheckSourcesOptions {
  /** GitHub's API, e.g. `https://api.github.com` (GITHUB_API_URL). */
  readonly apiUrl: string;
  /** Sent as a bearer token when set (GITHUB_TOKEN): 5,000 requests an hour instead of 60. */
  readonly token?: string;
  /** This repository's root, where release-asset kustomizations live. */
  readonly root: string;
  readonly fetch?: typeof fetch;
  /** Requests under way at once. @default 4 */
  readonly concurrency?: number;
}

/** A fleet's choice of an add-on: which version it pins. */
export interface SourceTarget {
  readonly addon: string;
  readonly version: string;
}

/** The files Argo CD's directory source reads (`^.*\.(yaml|yml|json|jsonnet)$`). */
const MANIFEST = /\.(ya?ml|json|jsonnet)$/;

/**
 * A `directory.include` glob as Argo CD matches it: gobwas/glob compiled without separators, so
 * `*` and `?` also match `/`; `[…]`/`[!…]` classes, `{a,b}` alternatives, `\` escapes.
 */
export function includeMatcher(pattern: string): RegExp {
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) out += escape(pattern[++i]!);
    else if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) {
        out += "\\[";
        continue;
      }
      const body = pattern.slice(i + 1, end);
      out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === "{") {
      depth++;
      out += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      out += ")";
    } else if (c === "," && depth > 0) out += "|";
    else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

function escape(c: string): string {
  return /[.+^${}()|[\]\\/*?]/.test(c) ? `\\${c}` : c;
}

function repoOf(url: string): { owner: string; repo: string } {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  if (!m) throw new Error(`not a GitHub repository URL: ${url}`);
  return { owner: m[1]!, repo: m[2]! };
}

class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The few GitHub API calls the check makes; 404 is `undefined`, any other failure throws. */
function client(options: CheckSourcesOptions) {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiUrl.replace(/\/+$/, "");
  const headers = (accept: string) => ({
    accept,
    "x-github-api-version": "2022-11-28",
    "user-agent": "slipway-addons-check-sources",
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  async function get(path: string, accept: string): Promise<Response | undefined> {
    const response = await doFetch(`${base}${path}`, { headers: headers(accept), redirect: "follow" });
    if (response.status === 404) return undefined;
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      const limited = response.headers.get("x-ratelimit-remaining") === "0";
      throw new GitHubError(
        response.status,
        `GitHub answered ${response.status} for ${path}${limited ? " (rate limit exhausted: set GITHUB_TOKEN)" : ""}${body ? `: ${body.slice(0, 200)}` : ""}`,
      );
    }
    return response;
  }
  return {
    json: async <T>(path: string): Promise<T | undefined> => {
      const r = await get(path, "application/vnd.github+json");
      return r ? ((await r.json()) as T) : undefined;
    },
    raw: async (path: string, accept = "application/vnd.github.raw+json"): Promise<string | undefined> => {
      const r = await get(path, accept);
      return r ? await r.text() : undefined;
    },
  };
}

interface TreeEntry {
  readonly path: string;
  readonly type: "blob" | "tree" | "commit";
  readonly sha: string;
}

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
      }
    }),
  );
  return out;
}

/** The CRDs of one file's text, and what is wrong with it. */
function readDocuments(text: string, file: string, problems: SourceProblem[], crds: Map<string, string[]>): void {
  if (text.includes("{{")) {
    problems.push({ code: "template", file, message: `${file} is a template (it holds \`{{ … }}\` placeholders), not plain YAML: Argo CD would apply it as it is` });
    return;
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      problems.push({ code: "not-a-crd", file, message: `${file} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}` });
      return;
    }
    const o = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: { group?: string; names?: { plural?: string }; versions?: { name: string; served?: boolean }[] } } | null;
    if (o === null || o === undefined) continue;
    if (o.apiVersion !== "apiextensions.k8s.io/v1" || o.kind !== "CustomResourceDefinition") {
      problems.push({ code: "not-a-crd", file, message: `${file} holds a ${o.apiVersion ?? "?"} ${o.kind ?? "?"}, not a CustomResourceDefinition: Argo CD would apply it to the cluster` });
      continue;
    }
    const name = o.metadata?.name ?? "";
    const expected = `${o.spec?.names?.plural}.${o.spec?.group}`;
    if (name !== expected || !o.spec?.versions) {
      problems.push({ code: "not-a-crd", file, message: `${file}: CustomResourceDefinition \`${name}\` is incomplete (its name must be \`${expected}\`, its versions listed)` });
      continue;
    }
    crds.set(name, o.spec.versions.filter((v) => v.served !== false).map((v) => v.name));
  }
}

function missingRequired(required: readonly CrdRef[], crds: ReadonlyMap<string, readonly string[]>, where: string): SourceProblem[] {
  const out: SourceProblem[] = [];
  for (const need of required) {
    const served = crds.get(need.name);
    const lacking = need.versions.filter((v) => !served?.includes(v));
    if (lacking.length > 0) {
      out.push({
        code: "missing-crd",
        message: served
          ? `${where} has CRD ${need.name}, but it does not serve ${lacking.join(", ")} (serves ${served.join(", ") || "nothing"}); the add-on needs ${need.kind} ${lacking.join(", ")}`
          : `${where} has no CRD ${need.name} (${need.kind} ${need.versions.join(", ")}), which the add-on needs`,
      });
    }
  }
  return out;
}

type Api = ReturnType<typeof client>;

async function checkDirectory(api: Api, source: Extract<CrdSource, { from: "upstream" }>, tag: string, required: readonly CrdRef[], concurrency: number) {
  const { owner, repo } = repoOf(source.repoURL);
  const problems: SourceProblem[] = [];
  const crds = new Map<string, string[]>();
  const include = source.include ?? "*.yaml";
  const describe = `${owner}/${repo} ${source.path}@${tag}${source.recurse ? " (recursive)" : ""} include ${include}`;
  const tree = await api.json<{ tree: TreeEntry[]; truncated?: boolean }>(`/repos/${owner}/${repo}/git/trees/${encodeURIComponent(tag)}?recursive=1`);
  if (!tree) return { describe, files: [], crds, problems: [{ code: "ref-not-found" as const, message: `${owner}/${repo} has no tag ${tag}` }] };
  if (tree.truncated) problems.push({ code: "github", message: `the tree of ${owner}/${repo}@${tag} is too large for one listing (truncated); the check cannot see every file` });
  const dir = source.path.replace(/\/+$/, "");
  const inDir = tree.tree.filter((e) => e.path.startsWith(`${dir}/`));
  if (!tree.tree.some((e) => e.path === dir && e.type === "tree")) {
    return { describe, files: [], crds, problems: [...problems, { code: "path-not-found" as const, message: `${source.path} is not a directory of ${owner}/${repo} at ${tag}` }] };
  }
  const match = includeMatcher(include);
  const files = inDir
    .filter((e) => e.type === "blob")
    .map((e) => ({ ...e, rel: e.path.slice(dir.length + 1) }))
    .filter((e) => (source.recurse ? true : !e.rel.includes("/")))
    // Argo CD skips hidden directories (and reads only manifest extensions).
    .filter((e) => !e.rel.split("/").slice(0, -1).some((segment) => segment.startsWith(".")))
    .filter((e) => MANIFEST.test(e.rel) && match.test(e.rel))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  if (files.length === 0) {
    const present = inDir.filter((e) => e.type === "blob").map((e) => e.path.slice(dir.length + 1));
    problems.push({
      code: "matches-nothing",
      message: `include \`${include}\` matches no file in ${source.path} at ${tag}${source.recurse ? "" : " (not recursive)"}; the directory holds: ${present.slice(0, 12).join(", ") || "nothing"}${present.length > 12 ? ", …" : ""}`,
    });
    return { describe, files: [], crds, problems };
  }
  const texts = await pool(files, concurrency, (f) => api.raw(`/repos/${owner}/${repo}/git/blobs/${f.sha}`));
  files.forEach((f, i) => readDocuments(texts[i] ?? "", f.path, problems, crds));
  problems.push(...missingRequired(required, crds, `${source.path}@${tag}`));
  return { describe, files: files.map((f) => f.path), crds, problems };
}

async function checkReleaseAsset(api: Api, source: Extract<CrdSource, { from: "release-asset" }>, tag: string, required: readonly CrdRef[], root: string) {
  const { owner, repo } = repoOf(source.repoURL);
  const describe = `${owner}/${repo} release ${tag}: ${source.asset}`;
  const problems: SourceProblem[] = [];
  const crds = new Map<string, string[]>();
  const release = await api.json<{ assets: { id: number; name: string; browser_download_url: string }[] }>(`/repos/${owner}/${repo}/releases/tags/${encodeURIComponent(tag)}`);
  if (!release) return { describe, files: [], crds, problems: [{ code: "release-not-found" as const, message: `${owner}/${repo} has no release for tag ${tag}` }] };
  const asset = release.assets.find((a) => a.name === source.asset);
  if (!asset) {
    return {
      describe, files: [], crds,
      problems: [{ code: "asset-not-found" as const, message: `release ${tag} of ${owner}/${repo} has no asset ${source.asset}; it has: ${release.assets.map((a) => a.name).join(", ") || "none"}` }],
    };
  }
  const text = await api.raw(`/repos/${owner}/${repo}/releases/assets/${asset.id}`, "application/octet-stream");
  readDocuments(text ?? "", source.asset, problems, crds);
  problems.push(...missingRequired(required, crds, `${source.asset} of ${tag}`));
  // The kustomization Argo CD reads must fetch exactly this asset.
  const dir = crdKustomizationPath(source.path, tag);
  const file = `${dir}/kustomization.yaml`;
  let resources: unknown;
  try {
    resources = (parse(readFileSync(join(root, file), "utf8")) as { resources?: unknown } | null)?.resources;
  } catch {
    problems.push({ code: "kustomization", file, message: `${file} is missing or unreadable: the CRD Application of ${tag} reads it (copy the previous version's directory and change the tag in its URL)` });
    return { describe, files: [asset.browser_download_url], crds, problems };
  }
  if (!Array.isArray(resources) || resources.length !== 1 || resources[0] !== asset.browser_download_url) {
    problems.push({ code: "kustomization", file, message: `${file} must list exactly one resource, ${asset.browser_download_url}; it lists ${JSON.stringify(resources ?? [])}` });
  }
  return { describe, files: [asset.browser_download_url], crds, problems };
}

/** Checks the CRD source of one add-on at one version. */
export async function checkSource(module: AnyAddonModule, version: string, options: CheckSourcesOptions): Promise<SourceCheck | undefined> {
  if (!module.crds) return undefined;
  const tag = upstreamTag(module, version);
  const api = client(options);
  const { source, required } = module.crds;
  try {
    const r = source.from === "upstream" ? await checkDirectory(api, source, tag, required, options.concurrency ?? 4) : await checkReleaseAsset(api, source, tag, required, options.root);
    return { addon: module.name, version, source: r.describe, files: r.files, crds: Object.fromEntries([...r.crds].sort(([a], [b]) => (a < b ? -1 : 1))), problems: r.problems };
  } catch (error) {
    if (!(error instanceof GitHubError) && !(error instanceof TypeError)) throw error;
    return { addon: module.name, version, source: `${source.repoURL}@${tag}`, files: [], crds: {}, problems: [{ code: "github", message: (error as Error).message }] };
  }
}

/** Checks every target that has a CRD source, in add-on order. */
export async function checkSources(targets: readonly SourceTarget[], options: CheckSourcesOptions): Promise<SourceCheck[]> {
  const out: SourceCheck[] = [];
  for (const t of [...targets].sort((a, b) => (a.addon < b.addon ? -1 : a.addon > b.addon ? 1 : 0))) {
    const check = await checkSource(requireAddon(t.addon), t.version, options);
    if (check) out.push(check);
  }
  return out;
}

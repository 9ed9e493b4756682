/**
 * The handful of GitHub REST calls Slipway makes: pull requests and their comments. Plain
 * `fetch`; `GITHUB_API_URL` points it elsewhere (GitHub Enterprise, or a test server).
 */
import { SlipwayError } from "@slipway/core";
import { runGit } from "./git";
import { PART_MARKER_PATTERN } from "./markdown";

/** A GitHub API call failed, or the token / repository is missing. */
export class GitHubApiError extends SlipwayError {}

export interface PullRequest {
  readonly number: number;
  readonly html_url: string;
  readonly title?: string;
  readonly body?: string | null;
}

export interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
}

export interface GitHubClientOptions {
  /** @default https://api.github.com */
  readonly apiUrl?: string;
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
}

export class GitHubClient {
  readonly apiUrl: string;
  readonly repository: string;
  readonly #token: string;

  constructor(options: GitHubClientOptions) {
    this.apiUrl = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
    this.repository = options.repository;
    this.#token = options.token;
  }

  /**
   * From the environment as GitHub Actions sets it: `GITHUB_TOKEN`, `GITHUB_API_URL`, and
   * `GITHUB_REPOSITORY` (else the repository the `origin` remote of `cwd` points at).
   */
  static fromEnvironment(env: NodeJS.ProcessEnv, cwd: string): GitHubClient {
    const token = env.GITHUB_TOKEN;
    if (!token) {
      throw new GitHubApiError("GITHUB_TOKEN is not set", { hint: "export a token with `pull-requests: write` (in Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`)" });
    }
    const repository = env.GITHUB_REPOSITORY || repositoryFromRemote(cwd);
    if (!repository) {
      throw new GitHubApiError("cannot tell which GitHub repository to use", { hint: "set GITHUB_REPOSITORY=owner/name, or add an `origin` remote on GitHub" });
    }
    return new GitHubClient({ apiUrl: env.GITHUB_API_URL || undefined, token, repository });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.apiUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: "application/vnd.github+json",
          authorization: `Bearer ${this.#token}`,
          "x-github-api-version": "2022-11-28",
          "user-agent": "slipway",
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new GitHubApiError(`cannot reach the GitHub API at ${this.apiUrl}: ${(error as Error).message}`, { hint: "check GITHUB_API_URL and the network" });
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the raw text
      }
      throw new GitHubApiError(`GitHub API ${method} ${path} failed with ${response.status}: ${message}`, {
        hint: response.status === 401 || response.status === 403 ? "the token needs `contents: write` and `pull-requests: write` on this repository" : undefined,
      });
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Every page of a list endpoint. */
  async list<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const items = await this.request<T[]>("GET", `${path}${path.includes("?") ? "&" : "?"}per_page=100&page=${page}`);
      out.push(...items);
      if (items.length < 100) return out;
    }
  }

  async findOpenPullRequest(head: string, base: string): Promise<PullRequest | undefined> {
    const owner = this.repository.split("/")[0]!;
    const query = `state=open&head=${encodeURIComponent(`${owner}:${head}`)}&base=${encodeURIComponent(base)}`;
    const pulls = await this.request<PullRequest[]>("GET", `/repos/${this.repository}/pulls?${query}`);
    return pulls[0];
  }

  createPullRequest(input: { title: string; head: string; base: string; body: string }): Promise<PullRequest> {
    return this.request<PullRequest>("POST", `/repos/${this.repository}/pulls`, { ...input, maintainer_can_modify: true });
  }

  updatePullRequest(number: number, input: { title?: string; body?: string }): Promise<PullRequest> {
    return this.request<PullRequest>("PATCH", `/repos/${this.repository}/pulls/${number}`, input);
  }

  /**
   * Makes the diff comments on an issue or pull request exactly `parts`, updating the comments
   * of earlier runs in place (found by their part marker), creating missing ones, and deleting
   * parts a shorter diff no longer needs.
   */
  async syncDiffComments(number: number, parts: readonly { part: number; body: string }[]): Promise<{ created: number; updated: number; deleted: number; unchanged: number }> {
    const comments = await this.list<IssueComment>(`/repos/${this.repository}/issues/${number}/comments`);
    const existing = new Map<number, IssueComment>();
    const stale: IssueComment[] = [];
    for (const comment of comments) {
      const match = PART_MARKER_PATTERN.exec(comment.body ?? "");
      if (!match) continue;
      const part = Number(match[1]);
      if (existing.has(part) || !parts.some((p) => p.part === part)) stale.push(comment);
      else existing.set(part, comment);
    }
    const result = { created: 0, updated: 0, deleted: 0, unchanged: 0 };
    for (const { part, body } of parts) {
      const comment = existing.get(part);
      if (!comment) {
        await this.request("POST", `/repos/${this.repository}/issues/${number}/comments`, { body });
        result.created++;
      } else if (comment.body !== body) {
        await this.request("PATCH", `/repos/${this.repository}/issues/comments/${comment.id}`, { body });
        result.updated++;
      } else result.unchanged++;
    }
    for (const comment of stale) {
      await this.request("DELETE", `/repos/${this.repository}/issues/comments/${comment.id}`);
      result.deleted++;
    }
    return result;
  }
}

/** `owner/name` from the origin remote's URL, if it is a GitHub-style URL. */
export function repositoryFromRemote(cwd: string): string | undefined {
  const result = runGit(cwd, ["remote", "get-url", "origin"], { allowFailure: true });
  return result.status === 0 ? parseRepositoryUrl(result.stdout.trim()) : undefined;
}

export function parseRepositoryUrl(url: string): string | undefined {
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@/\s]+@[^:/\s]+:)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

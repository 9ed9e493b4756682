/**
 * What the tree on disk holds for each rendered file — the same bytes, other bytes, or nothing —
 * decided once per file. Files that arrive while synthesis is still running (a chunk finished by
 * a worker) are compared, and staged when they differ, in small batches between chunks; files
 * compared later are read on demand.
 */
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { sha256, type RenderedFile } from "./files";
import { readTreeFile, type Staging } from "./tree";

export type TreeState = "same" | "differs" | "missing";

/** Files compared (and staged) per batch: small enough to keep worker replies flowing. */
export const STAGE_BATCH = 64;

export class EarlyComparison {
  private readonly queue: RenderedFile[] = [];
  private readonly known = new Map<string, { content: string; state: TreeState }>();
  /** sha256 of files known to be on disk with that content (confirmed by stat): compared without reading them. */
  private readonly vouched = new Map<string, string>();
  /** Directories of `clusters/` by whether they exist (nothing under `clusters/` changes while comparing). */
  private readonly directories = new Map<string, boolean>();

  constructor(
    private readonly root: string,
    private readonly staging: Staging | undefined,
  ) {}

  enqueue(files: readonly RenderedFile[]): void {
    for (const file of files) this.queue.push(file);
  }

  /** Compares (and stages) up to `limit` queued files; false when the queue was empty. */
  compareSome(limit: number): boolean {
    if (this.queue.length === 0) return false;
    for (let n = 0; n < limit && this.queue.length > 0; n++) {
      const file = this.queue.pop()!;
      const path = `${file.cluster}/${file.path}`;
      const state = this.compare(path, file.content);
      this.known.set(path, { content: file.content, state });
      if (state !== "same") this.staging?.stage(path, file.content);
    }
    return true;
  }

  /** Records that the tree holds `content` at `clusters/<path>` (a file read earlier in this render). */
  remember(path: string, content: string): void {
    this.known.set(path, { content, state: "same" });
  }

  /** Records that the tree holds, at `clusters/<path>`, bytes hashing to `sha` (their stats say so). */
  vouch(path: string, sha: string): void {
    this.vouched.set(path, sha);
  }

  /** The tree's state for `clusters/<path>` against `content`. */
  result(path: string, content: string): TreeState {
    const known = this.known.get(path);
    return known && known.content === content ? known.state : this.compare(path, content);
  }

  private compare(path: string, content: string): TreeState {
    const vouched = this.vouched.get(path);
    if (vouched !== undefined) return sha256(content) === vouched ? "same" : "differs";
    // A new app directory holds only new files: one stat instead of a failed read per file.
    const dir = dirname(path);
    let present = this.directories.get(dir);
    if (present === undefined) this.directories.set(dir, (present = statSync(join(this.root, "clusters", dir), { throwIfNoEntry: false })?.isDirectory() ?? false));
    if (!present) return "missing";
    const current = readTreeFile(this.root, path);
    return current === undefined ? "missing" : current === content ? "same" : "differs";
  }
}

/**
 * The fleet's definition sources as of a git commit, for the definitions an environment's lock
 * file pins (`definition: <commit>` in releases.yaml). They are written out of git into a scratch
 * directory and compiled there by the one loader (definition-modules.ts), exactly as the working
 * tree's are: only where the files come from differs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DefinitionError } from "@slipway/core";

/** Files a definition can be made of; everything else (rendered YAML, docs) is left in git. */
const SOURCE_FILE = /\.(?:[cm]?[jt]s|json)$/;
/** Trees that never hold fleet definitions: packages resolve from the checkout's node_modules. */
const SKIPPED = /^(?:clusters|packages|node_modules|\.github|\.slipway)\//;

function git(root: string, args: readonly string[], input?: string): { status: number; stdout: Buffer; stderr: string } {
  const result = spawnSync("git", args, { cwd: root, input, env: { ...process.env, LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" }, maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new DefinitionError(`could not run git: ${result.error.message}`, { hint: "pinned definitions are read from git: install git" });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr.toString("utf8").trim() };
}

/** The full hash of `commit`, or why it cannot be read. */
export function resolveCommit(root: string, commit: string, file: string): string {
  const found = git(root, ["rev-parse", "--verify", "--quiet", `${commit}^{commit}`]);
  if (found.status !== 0) {
    throw new DefinitionError(`pins definitions at fleet commit ${commit}, which this clone does not have`, {
      file,
      field: "definition",
      hint: "fetch the fleet's history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout); a commit that was never pushed cannot be pinned",
    });
  }
  return found.stdout.toString("utf8").trim();
}

/** Whether `path` exists in `commit`. */
export function existsAt(root: string, commit: string, path: string): boolean {
  return git(root, ["cat-file", "-e", `${commit}:${path}`]).status === 0;
}

/**
 * Writes the definition sources of `commit` into a new scratch directory (with the checkout's
 * `node_modules` linked in, so packages resolve as from the checkout) and returns it.
 */
export function materializeCommit(root: string, commit: string, nodeModules: string | undefined): string {
  const listing = git(root, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  if (listing.status !== 0) throw new DefinitionError(`could not list fleet commit ${commit}: ${listing.stderr}`);
  const blobs = listing.stdout.toString("utf8").split("\0").filter(Boolean).flatMap((line) => {
    const tab = line.indexOf("\t");
    const [, type, id] = line.slice(0, tab).split(" ");
    const path = line.slice(tab + 1);
    return type === "blob" && SOURCE_FILE.test(path) && !SKIPPED.test(path) ? [{ id: id!, path }] : [];
  });
  const dir = mkdtempSync(join(tmpdir(), `slipway-fleet-${commit.slice(0, 12)}-`));
  try {
    // One `cat-file --batch` for every blob: `<id> blob <size>\n<content>\n` each.
    const batch = git(root, ["cat-file", "--batch"], blobs.map((b) => b.id).join("\n") + "\n");
    let at = 0;
    for (const { path } of blobs) {
      const end = batch.stdout.indexOf(0x0a, at);
      const size = Number(batch.stdout.subarray(at, end).toString("utf8").split(" ")[2]);
      const content = batch.stdout.subarray(end + 1, end + 1 + size);
      at = end + 1 + size + 1;
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    if (nodeModules && !existsSync(join(dir, "node_modules"))) symlinkSync(nodeModules, join(dir, "node_modules"), "dir");
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

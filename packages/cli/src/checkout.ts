/** The fleet root of a command that reads or writes git revisions (diff, release, promote). */
import { realpathSync } from "node:fs";
import { GitError, repositoryRoot } from "@slipway/diff";
import { findFleetRoot } from "./root";

/**
 * The fleet root, which must also be the top level of its git checkout: revisions are read by
 * their paths from the top of the repository (`clusters/…`), and release and promote render in a
 * worktree of the whole repository. A fleet in a subdirectory of a larger repository would
 * compare or render the wrong tree, so it is refused rather than half supported.
 */
export function findFleetCheckout(cwd: string): string {
  const root = findFleetRoot(cwd);
  const top = repositoryRoot(root);
  if (realpathSync(top) !== realpathSync(root)) {
    throw new GitError("the fleet is not at the top level of its git repository", {
      expected: `environments/ and clusters/ in ${top}`,
      received: `a fleet in ${root}`,
      hint: "slipway diff, release and promote read revisions from the repository's top level: make the fleet its own repository",
    });
  }
  return root;
}

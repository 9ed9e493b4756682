/**
 * Test helpers for render's suites: copies of the fixture fleet of @slipway/testing, its tree
 * rendered once per test file. The product's tests never read the repository's example fleet
 * (users change it all day; `slipway render --check` and `slipway validate` check it).
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { fixtureFleetCopies, removeFleet, type FleetCopies } from "@slipway/testing";
import { renderFleet } from "./render";

export { editFile, fingerprint, FIXTURE_FLEET, removeFleet } from "@slipway/testing";

/** The workspace root: where the packages (and the `slipway` binary) are. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * A maker of fixture-fleet copies that already hold the rendered tree (rendered once, before the
 * calling file's tests, by this process's renderFleet), removed after the file's tests.
 * `.template` is that first render: what any render of the fixture must reproduce byte for byte.
 */
export function renderedFleetCopies(prefix = ""): FleetCopies {
  return fixtureFleetCopies(prefix, { prepare: (root) => renderFleet({ root, mode: "write" }) });
}

const EXAMPLE_FLEET_DIRS = ["apps", "environments", "addons", "clusters"];
let counter = 0;

/**
 * A copy of the repository's example fleet, in its git-ignored work directory.
 * @deprecated Only packages/cli/src/main.test.ts still uses it; new tests use the fixture fleet.
 */
export function copyExampleFleet(label: string): string {
  const dir = join(REPO_ROOT, ".slipway", "test-fleets", `${label}-${process.pid}-${Date.now()}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const name of EXAMPLE_FLEET_DIRS) {
    if (existsSync(join(REPO_ROOT, name))) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  }
  for (const name of readdirSync(REPO_ROOT)) {
    if (/^slipway\.config\.[cm]?[jt]s$/.test(name)) cpSync(join(REPO_ROOT, name), join(dir, name));
  }
  return dir;
}

/**
 * A maker of example-fleet copies, removed after the calling test file's tests.
 * @deprecated Only packages/cli/src/main.test.ts still uses it; new tests use `renderedFleetCopies`.
 */
export function exampleFleetCopies(prefix = ""): (label: string) => string {
  const made: string[] = [];
  afterAll(() => made.forEach(removeFleet));
  return (label) => {
    const dir = copyExampleFleet(`${prefix}${label}`);
    made.push(dir);
    return dir;
  };
}

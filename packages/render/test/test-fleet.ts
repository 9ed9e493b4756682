/**
 * Test helpers for render's suites: copies of the fixture fleet of @slipway/testing, its tree
 * rendered once per test file. The product's tests never read the repository's example fleet
 * (users change it all day; `slipway render --check` and `slipway validate` check it).
 */
import { fileURLToPath } from "node:url";
import { fixtureFleetCopies, type FleetCopies } from "@slipway/testing";
import { renderFleet } from "../src/render";

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

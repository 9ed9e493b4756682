/** Test support shared by the product's test suites (`@slipway/testing`). */
export { copyFixtureFleet, editFile, fingerprint, FIXTURE_FLEET, fixtureFleetCopies, fixtureFleetRepo, removeFleet } from "./fleet";
export type { FixtureFleetRepoOptions, FleetCopies, FleetCopiesOptions } from "./fleet";
export { enableObservability } from "./observability";
export { createTempRepo, git } from "./repo";
export type { TempRepo } from "./repo";

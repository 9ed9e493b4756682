export { validateChanged, type ClusterChange, type ScopedReport } from "./changed";
export { clusterValidateOptions, environmentPolicy, FleetIndexError, findRenderedClusters, mergeReports, validateCluster, validateFleet, type FleetCluster } from "./fleet";
export { API_LIFECYCLE, FIELD_SINCE, SCHEMA_MINOR, type ApiLifecycle } from "./lifecycle";
export { formatReport, OUTPUT_FORMATS, type OutputFormat } from "./output/format";
export { DEFAULT_TRUSTED_REGISTRIES, PLATFORM_POLICY, POLICY_PRESETS } from "./policy";
export { RULES, RULES_BY_ID, type RuleInfo } from "./rules";
export { parseKubernetesVersion, validateManifests } from "./validate";
export type * from "./types";
export { isTemplate as isSchemaTemplate, templateProblem as schemaTemplateProblem } from "./schema/location";

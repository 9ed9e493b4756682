export { definitionFiles, loadFleet } from "./load";
export { renderFleet, type RenderOptions, type RenderResult } from "./render";
export { parseShard, renderShard, shardClusters, type Shard, type ShardResult } from "./shard";
export type { Fleet, FleetApp, LoadedEnvironment, Sourced } from "./fleet";
export { RESERVED_CLUSTER_DIRS } from "./fleet";
export type { RenderUnit, RenderFilter, KubeObject } from "./units";
export { planAppInstances, type AppInstance } from "./plan";
export type { Producer } from "./producers";
export { collectFiles, emitYaml, fileName, header, unitFiles, type RenderedFile } from "./files";
export { WORK_DIR } from "./tree";
export { withWriteLock } from "./lock";
// The producers (and the construct libraries behind them) are a separate entry point,
// `@slipway/render/producers`, so importing the pipeline stays cheap.

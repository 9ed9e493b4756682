export { definitionFiles, loadFleet } from "./load";
export { renderFleet, type RenderOptions, type RenderResult } from "./render";
export type { RenderUnit } from "@slipway/core";
export { parseShard, renderShard, shardClusters, type Shard, type ShardResult } from "./shard";
export type { Producer } from "./producers";
export { collectFiles, emitYaml, fileName, header, unitFiles, type RenderedFile } from "./files";
export { WORK_DIR } from "./tree";
export { withWriteLock } from "./lock";
// The producers (and the construct libraries behind them) are a separate entry point,
// `@slipway/render/producers`, so importing the pipeline stays cheap.

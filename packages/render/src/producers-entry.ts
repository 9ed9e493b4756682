/** `@slipway/render/producers`: the producers, for tools that synthesize units themselves (benchmarks). */
export { producers, produceUnits, type Producer } from "./producers";

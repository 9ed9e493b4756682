/** `@slipway/render/producers`: the producers, for tools that synthesize units themselves (benchmarks). */
export { producers, produceUnits, type Producer } from "./producers";
export { produceAppUnit } from "./produce-apps";
export { planFleetAddons } from "./produce-addons";
export { produceTenantUnits } from "./produce-tenants";
export { produceArgocdUnits } from "./produce-argocd";

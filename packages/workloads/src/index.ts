export * from "./context";
export * from "./synthesize";
export { produceAppUnit } from "./fleet-units";
export { ALB_INGRESS_CLASS } from "./web-service";
export { SECRET_STORE_REF } from "./config";
export { IRSA_ROLE_ANNOTATION } from "./identity";
export { isAutoscaled, needsDisruptionBudget } from "./scaling";
export { RUN_AS_ID } from "./pod-spec";

export * from "./context";
export * from "./synthesize";
export { ALB_INGRESS_CLASS } from "./web-service";
export { SECRETS_MANAGER_STORE } from "./config";
export { IRSA_ROLE_ANNOTATION } from "./identity";
export { isAutoscaled, needsDisruptionBudget } from "./scaling";
export { RUN_AS_ID } from "./pod-spec";

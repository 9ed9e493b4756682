/**
 * One app instance → plain Kubernetes objects. Each instance gets its own cdk8s App and Chart:
 * one App for a whole fleet makes synthesis quadratic in the number of constructs.
 */
import type { KubeObject } from "@slipway/core";
import { App, Chart } from "cdk8s";
import type { Construct } from "constructs";
import { addAlerts } from "./alerts";
import { addConfig, addExternalSecrets } from "./config";
import type { AppInstanceContext } from "./context";
import { addBatchJob } from "./batch-job";
import { addCronJob } from "./cron-job";
import { addDeployment } from "./deployment";
import { addServiceAccount } from "./identity";
import { addMetricsMonitor } from "./metrics";
import { addNetworkPolicies } from "./network-policies";
import { addAutoscaler, addDisruptionBudget } from "./scaling";
import { addSparkApplication } from "./spark-application";
import { addIngress, addService } from "./web-service";
import { applyPatches } from "./patches";
import { addHeadlessService, addStatefulSet } from "./stateful-service";
import { addPreStop } from "./shutdown";


/** Adds every construct an app of this kind needs to `scope`. */
export function addApp(scope: Construct, ctx: AppInstanceContext): void {
  // A Spark driver talks to the API server (it creates its executors): its token is mounted.
  addServiceAccount(scope, ctx, ctx.app.kind === "spark-application" ? true : ctx.app.automountServiceAccountToken);
  addConfig(scope, ctx);
  addExternalSecrets(scope, ctx);
  switch (ctx.app.kind) {
    case "web-service":
      addDeployment(scope, ctx);
      addService(scope, ctx);
      addIngress(scope, ctx);
      addAutoscaler(scope, ctx);
      addDisruptionBudget(scope, ctx);
      break;
    case "worker":
      addDeployment(scope, ctx);
      addAutoscaler(scope, ctx);
      addDisruptionBudget(scope, ctx);
      break;
    case "cron-job":
      addCronJob(scope, ctx);
      break;
    case "batch-job":
      addBatchJob(scope, ctx);
      break;
    case "spark-application":
      addSparkApplication(scope, ctx);
      break;
    case "stateful-service":
      addStatefulSet(scope, ctx);
      addHeadlessService(scope, ctx);
      addDisruptionBudget(scope, ctx);
      break;
  }
  addNetworkPolicies(scope, ctx);
  addMetricsMonitor(scope, ctx);
  addAlerts(scope, ctx);
}

export function synthesizeApp(ctx: AppInstanceContext): KubeObject[] {
  const chart = new Chart(new App(), ctx.app.name, { disableResourceNameHashes: true });
  addApp(chart, ctx);
  // Fields cdk8s-plus-28's Kubernetes 1.28 types cannot carry are set on the plain objects; the
  // app's own patches come last, so validate sees (and judges) exactly what is applied.
  return applyPatches(addPreStop(chart.toJson(), ctx), ctx);
}

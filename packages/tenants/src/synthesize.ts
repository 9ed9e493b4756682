/** One tenant in one environment on one cluster → plain objects (one cdk8s App each, so cost stays linear). */
import { App, Chart } from "cdk8s";
import type { KubeObject } from "@slipway/core";
import type { TenantInstanceContext } from "./context";
import { addAlerting } from "./alerting";
import { addLimitRange } from "./limit-range";
import { addNamespace } from "./namespace";
import { addNetworkPolicies } from "./network-policies";
import { addRbac } from "./rbac";
import { addResourceQuota } from "./resource-quota";
import { addSecretStore } from "./secret-store";

export function synthesizeTenant(ctx: TenantInstanceContext): KubeObject[] {
  const chart = new Chart(new App(), `${ctx.tenant.name}-${ctx.environment.name}`, { disableResourceNameHashes: true });
  addNamespace(chart, ctx);
  addRbac(chart, ctx);
  addResourceQuota(chart, ctx);
  addLimitRange(chart, ctx);
  addNetworkPolicies(chart, ctx);
  addSecretStore(chart, ctx);
  addAlerting(chart, ctx);
  return chart.toJson();
}

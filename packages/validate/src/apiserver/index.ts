/**
 * The API server's own validation of the built-in kinds, beyond their schemas: one module
 * per upstream validation package, dispatched by kind. Each finding's rule ID, JSON path and
 * the upstream rule it mirrors are listed in the README ("API-server rules").
 */
import { containersOf, isObj, type Obj, type PodTemplate } from "../objects";
import type { Sink } from "../semantic";
import { checkApps } from "./apps";
import { checkBatch } from "./batch";
import { checkCore, checkFinalizers } from "./core";
import { checkNetworking } from "./networking";
import { checkPodSpec } from "./pod";
import { checkPolicy } from "./policy";
import { checkRbac } from "./rbac";

/**
 * The served versions these rules are written for; a custom resource of the same kind name,
 * and a removed beta version (reported as such, with other field shapes), are not checked.
 */
const BUILTIN_VERSIONS = new Set(["v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v1", "autoscaling/v2", "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1"]);

export function checkApiServer(o: Obj, kind: string, minor: number, t: PodTemplate | undefined, sink: Sink): void {
  if (typeof o.apiVersion !== "string" || !BUILTIN_VERSIONS.has(o.apiVersion)) return;
  const meta = o.metadata;
  if (isObj(meta) && meta.finalizers !== undefined) checkFinalizers(meta.finalizers, ["metadata", "finalizers"], sink);
  if (t) checkPodSpec(kind, t, containersOf(t), minor, sink, kind === "StatefulSet" && isObj(o.spec) && Array.isArray(o.spec.volumeClaimTemplates) ? o.spec.volumeClaimTemplates : []);
  checkApps(kind, o, sink);
  checkBatch(kind, o, sink);
  checkCore(kind, o, sink);
  checkNetworking(kind, o, sink);
  checkPolicy(kind, o, sink);
  checkRbac(kind, o, sink);
}

/**
 * Workload rules of pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec,
 * ValidateRollingUpdateDeployment, ValidateStatefulSetSpec, ValidateDaemonSetSpec,
 * ValidateRollingUpdateDaemonSet, ValidateReplicaSetSpec.
 */
import { checkBound, checkLabelSelector, emptySelector, int, intOrPercent, isZero, obj, str, type Obj, type Sink } from "./util";

const WORKLOADS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"]);

export function checkApps(kind: string, o: Obj, sink: Sink): void {
  if (!WORKLOADS.has(kind)) return;
  const spec = obj(o.spec);
  if (!spec) return;
  if (obj(spec.selector) && emptySelector(spec.selector)) sink.add("SW-SEM-SELECTOR", ["spec", "selector"], `a ${kind} needs a non-empty selector (matchLabels or matchExpressions)`);
  checkLabelSelector(spec.selector, ["spec", "selector"], sink);
  for (const k of ["replicas", "minReadySeconds", "revisionHistoryLimit"]) checkBound(spec, k, 0, ["spec"], sink);
  if (kind === "Deployment") deployment(spec, sink);
  else if (kind === "DaemonSet") daemonSet(spec, sink);
  else if (kind === "StatefulSet") statefulSet(spec, sink);
}

function percentOver100(v: unknown): boolean {
  const p = intOrPercent(v).percent;
  return p !== undefined && p > 100;
}

function deployment(spec: Obj, sink: Sink): void {
  const strategy = obj(spec.strategy);
  const type = str(strategy?.type) ?? "RollingUpdate";
  const ru = obj(strategy?.rollingUpdate);
  if (type === "Recreate" && ru) sink.add("SW-SEM-ROLLOUT", ["spec", "strategy", "rollingUpdate"], "rollingUpdate may not be set when the strategy type is Recreate");
  if (type === "RollingUpdate" && ru) {
    // Defaults are 25% each: only an explicit 0 on both sides stalls the rollout.
    const surge = ru.maxSurge ?? "25%";
    const unavailable = ru.maxUnavailable ?? "25%";
    if (isZero(surge) && isZero(unavailable)) sink.add("SW-SEM-ROLLOUT", ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "maxUnavailable and maxSurge may not both be 0: the rollout could never replace a pod");
    if (percentOver100(unavailable)) sink.add("SW-SEM-ROLLOUT", ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "maxUnavailable may not be more than 100%");
    for (const k of ["maxSurge", "maxUnavailable"]) {
      const n = intOrPercent(ru[k]).int;
      if (n !== undefined && n < 0) sink.add("SW-SEM-BOUNDS", ["spec", "strategy", "rollingUpdate", k], `${k} is ${n}; it must be ≥ 0`);
    }
  }
  const pds = int(spec.progressDeadlineSeconds);
  const mrs = int(spec.minReadySeconds) ?? 0;
  if (pds !== undefined && pds <= mrs) sink.add("SW-SEM-BOUNDS", ["spec", "progressDeadlineSeconds"], `progressDeadlineSeconds (${pds}) must be greater than minReadySeconds (${mrs})`);
}

function daemonSet(spec: Obj, sink: Sink): void {
  const strategy = obj(spec.updateStrategy);
  const type = str(strategy?.type) ?? "RollingUpdate";
  const ru = obj(strategy?.rollingUpdate);
  if (type === "OnDelete" && ru) sink.add("SW-SEM-ROLLOUT", ["spec", "updateStrategy", "rollingUpdate"], "rollingUpdate may not be set when the update strategy type is OnDelete");
  if (type === "RollingUpdate" && ru) {
    const surge = ru.maxSurge ?? 0;
    const unavailable = ru.maxUnavailable ?? 1;
    if (isZero(surge) && isZero(unavailable)) sink.add("SW-SEM-ROLLOUT", ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], "maxUnavailable and maxSurge may not both be 0");
    if (percentOver100(unavailable)) sink.add("SW-SEM-ROLLOUT", ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], "maxUnavailable may not be more than 100%");
  }
}

function statefulSet(spec: Obj, sink: Sink): void {
  const strategy = obj(spec.updateStrategy);
  const type = str(strategy?.type) ?? "RollingUpdate";
  const ru = obj(strategy?.rollingUpdate);
  if (type === "OnDelete" && ru) sink.add("SW-SEM-ROLLOUT", ["spec", "updateStrategy", "rollingUpdate"], "rollingUpdate may not be set when the update strategy type is OnDelete");
  if (ru) {
    checkBound(ru, "partition", 0, ["spec", "updateStrategy", "rollingUpdate"], sink);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null && isZero(ru.maxUnavailable)) sink.add("SW-SEM-ROLLOUT", ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], "maxUnavailable must be greater than 0");
  }
  const ordinals = obj(spec.ordinals);
  if (ordinals) checkBound(ordinals, "start", 0, ["spec", "ordinals"], sink);
}

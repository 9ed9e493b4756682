/**
 * PodDisruptionBudget (pkg/apis/policy/validation/validation.go: ValidatePodDisruptionBudgetSpec),
 * HorizontalPodAutoscaler (pkg/apis/autoscaling/validation/validation.go:
 * ValidateHorizontalPodAutoscalerSpec, validateMetrics, validateBehavior) and
 * StorageClass (pkg/apis/storage/validation/validation.go: ValidateStorageClass).
 */
import { qualifiedNameProblem } from "../names";
import { arr, checkLabelSelector, int, intOrPercent, obj, present, str, type Obj, type Path, type Sink } from "./util";

export function checkPolicy(kind: string, o: Obj, sink: Sink): void {
  if (kind === "PodDisruptionBudget") pdb(obj(o.spec), sink);
  else if (kind === "HorizontalPodAutoscaler") hpa(o, sink);
  else if (kind === "StorageClass") storageClass(o, sink);
}

function pdb(spec: Obj | undefined, sink: Sink): void {
  if (!spec) return;
  const both = spec.minAvailable !== undefined && spec.minAvailable !== null && spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (both) sink.add("SW-SEM-PDB", ["spec", "maxUnavailable"], "minAvailable and maxUnavailable cannot both be set");
  for (const k of ["minAvailable", "maxUnavailable"]) {
    const v = intOrPercent(spec[k]);
    if (v.int !== undefined && v.int < 0) sink.add("SW-SEM-PDB", ["spec", k], `${k} is ${v.int}; it must be ≥ 0`);
    if (v.percent !== undefined && v.percent > 100) sink.add("SW-SEM-PDB", ["spec", k], `${k} may not be more than 100%`);
  }
  checkLabelSelector(spec.selector, ["spec", "selector"], sink);
}

const METRIC_SOURCES: Record<string, string> = { Object: "object", Pods: "pods", Resource: "resource", ContainerResource: "containerResource", External: "external" };

function hpa(o: Obj, sink: Sink): void {
  const spec = obj(o.spec);
  if (!spec) return;
  const min = int(spec.minReplicas);
  const max = int(spec.maxReplicas);
  // minReplicas 0 needs the HPAScaleToZero alpha gate, off on every EKS version.
  if (min !== undefined && min < 1) sink.add("SW-SEM-HPA", ["spec", "minReplicas"], `minReplicas is ${min}; it must be ≥ 1`);
  if (max !== undefined && max < 1) sink.add("SW-SEM-HPA", ["spec", "maxReplicas"], `maxReplicas is ${max}; it must be ≥ 1`);
  if (min !== undefined && max !== undefined && max >= 1 && min > max) sink.add("SW-SEM-HPA", ["spec", "maxReplicas"], `maxReplicas (${max}) must be ≥ minReplicas (${min})`);
  const ref = obj(spec.scaleTargetRef);
  if (ref) {
    for (const k of ["kind", "name"]) {
      const v = str(ref[k]);
      if (v !== undefined && (v === "" || /[/%]/.test(v))) sink.add("SW-SEM-HPA", ["spec", "scaleTargetRef", k], `scaleTargetRef.${k} "${v}" may not be empty or contain '/' or '%'`);
    }
  }
  if (o.apiVersion !== "autoscaling/v2") return;
  arr(spec.metrics).forEach((m, i) => {
    const metric = obj(m);
    if (!metric) return;
    const at: Path = ["spec", "metrics", i];
    const type = str(metric.type);
    const field = type !== undefined ? METRIC_SOURCES[type] : undefined;
    const sources = present(metric, Object.values(METRIC_SOURCES));
    if (field === undefined) return; // the schema's enum reports it
    if (!metric[field]) sink.add("SW-SEM-HPA", [...at, field], `a metric of type ${type as string} needs ${field}`);
    for (const other of sources) if (other !== field) sink.add("SW-SEM-HPA", [...at, other], `${other} may not be set on a metric of type ${type as string}`);
    const target = obj(obj(metric[field])?.target);
    if (!target) return;
    const tt = str(target.type);
    const valueField = tt === "Utilization" ? "averageUtilization" : tt === "Value" ? "value" : tt === "AverageValue" ? "averageValue" : undefined;
    if (valueField && (target[valueField] === undefined || target[valueField] === null)) sink.add("SW-SEM-HPA", [...at, field, "target", valueField], `a target of type ${tt as string} needs ${valueField}`);
    if (tt === "Utilization" && type !== "Resource" && type !== "ContainerResource") sink.add("SW-SEM-HPA", [...at, field, "target", "type"], `Utilization targets are for Resource and ContainerResource metrics, not ${type as string}`);
    const u = int(target.averageUtilization);
    if (u !== undefined && u < 1) sink.add("SW-SEM-HPA", [...at, field, "target", "averageUtilization"], `averageUtilization is ${u}; it must be ≥ 1`);
  });
  const behavior = obj(spec.behavior);
  for (const dir of ["scaleUp", "scaleDown"]) {
    const rules = obj(behavior?.[dir]);
    if (!rules) continue;
    const at: Path = ["spec", "behavior", dir];
    const sw = int(rules.stabilizationWindowSeconds);
    if (sw !== undefined && (sw < 0 || sw > 3600)) sink.add("SW-SEM-HPA", [...at, "stabilizationWindowSeconds"], `stabilizationWindowSeconds ${sw} is outside 0–3600`);
    const policies = arr(rules.policies);
    if (rules.policies !== undefined && policies.length === 0 && rules.selectPolicy !== "Disabled") sink.add("SW-SEM-HPA", [...at, "policies"], "policies needs at least one policy");
    policies.forEach((p, j) => {
      const pol = obj(p);
      if (!pol) return;
      const v = int(pol.value);
      if (v !== undefined && v < 1) sink.add("SW-SEM-HPA", [...at, "policies", j, "value"], `value is ${v}; it must be ≥ 1`);
      const ps = int(pol.periodSeconds);
      if (ps !== undefined && (ps < 1 || ps > 1800)) sink.add("SW-SEM-HPA", [...at, "policies", j, "periodSeconds"], `periodSeconds ${ps} is outside 1–1800`);
    });
  }
}

const RECLAIM = new Set(["Delete", "Retain"]);
const BINDING = new Set(["Immediate", "WaitForFirstConsumer"]);

function storageClass(o: Obj, sink: Sink): void {
  const prov = str(o.provisioner);
  if (prov !== undefined) {
    // validateProvisioner: IsQualifiedName of the lower-cased name.
    const p = prov === "" ? "provisioner is required" : qualifiedNameProblem(prov.toLowerCase());
    if (p) sink.add("SW-SEM-STORAGECLASS", ["provisioner"], p.replace(/^key/, "provisioner"));
  }
  const params = obj(o.parameters);
  if (params) {
    const keys = Object.keys(params);
    const size = keys.reduce((n, k) => n + k.length + (typeof params[k] === "string" ? (params[k] as string).length : 0), 0);
    if (keys.length > 512) sink.add("SW-SEM-STORAGECLASS", ["parameters"], `at most 512 parameters, not ${keys.length}`);
    if (size > 256 * 1024) sink.add("SW-SEM-STORAGECLASS", ["parameters"], `parameters total ${size} bytes; at most 256 KiB`);
  }
  const rp = str(o.reclaimPolicy);
  if (rp !== undefined && !RECLAIM.has(rp)) sink.add("SW-SEM-STORAGECLASS", ["reclaimPolicy"], `reclaimPolicy "${rp}" is not one of Delete, Retain`);
  const bm = str(o.volumeBindingMode);
  if (bm !== undefined && !BINDING.has(bm)) sink.add("SW-SEM-STORAGECLASS", ["volumeBindingMode"], `volumeBindingMode "${bm}" is not one of Immediate, WaitForFirstConsumer`);
  arr(o.allowedTopologies).forEach((t, i) => {
    const exprs = arr(obj(t)?.matchLabelExpressions);
    if (exprs.length === 0) sink.add("SW-SEM-STORAGECLASS", ["allowedTopologies", i], "a topology term needs at least one matchLabelExpressions entry");
    exprs.forEach((e, j) => {
      if (arr(obj(e)?.values).length === 0) sink.add("SW-SEM-STORAGECLASS", ["allowedTopologies", i, "matchLabelExpressions", j, "values"], "values needs at least one value");
    });
  });
}

/**
 * Alert series come from something that is scraped (SW-X-ALERT-SERIES): every series selector of
 * every PrometheusRule names a `job` that a ServiceMonitor or PodMonitor of the set produces, in
 * the namespace the selector names. prometheus-operator v0.85.0 semantics, compared with its CRDs
 * and Documentation/api-reference/api.md:
 *
 * - a monitor's `namespaceSelector` absent or empty: its own namespace; `any: true`: every
 *   namespace; `matchNames`: those;
 * - the job is the Service's name (ServiceMonitor) or `<namespace>/<PodMonitor name>`, or with
 *   `jobLabel` the value of that label of the Service (of the pod); the target's namespace is its
 *   `namespace` label, unless the endpoint has `honorLabels` (the exporter's own labels win, as for
 *   kube-state-metrics, whose `namespace` is the described object's);
 * - a ServiceMonitor's endpoint `port` names a Service port; a PodMonitor's a container port;
 * - a Prometheus selects a monitor through `serviceMonitorSelector`/`podMonitorSelector` (absent:
 *   none; `{}`: all) and the matching namespace selector (absent: its own namespace; `{}`: all).
 *   When the set holds no Prometheus (files validated on their own), it is outside the set and the
 *   monitors are taken as selected.
 */
import { asArr, asObj, containersOf, isObj, selectorMatches, str, type Obj } from "./objects";
import { seriesSelectors } from "./promql";
import type { CrossItem } from "./cross";

interface Target {
  readonly job: string;
  readonly namespace: string;
  readonly honorLabels: boolean;
}

type NsLabels = (ns: string) => Record<string, unknown>;
const nsOf = (o: Obj): string => str(asObj(o.metadata).namespace) ?? "default";
const labelsOf = (o: Obj): Record<string, unknown> => asObj(asObj(o.metadata).labels);

/** The namespaces a monitor discovers targets in, among those the set has objects in. */
function monitorNamespaces(monitor: Obj, all: Iterable<string>): string[] {
  const sel = asObj(asObj(monitor.spec).namespaceSelector);
  if (sel.any === true) return [...all];
  const names = asArr(sel.matchNames).map(String);
  return names.length ? names : [nsOf(monitor)];
}

/** Items grouped by a key (namespace, job): a monitor looks only at its own namespaces, so the check stays linear in the apps. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/** Whether some Prometheus of the set selects the monitor (true when the set holds none). */
function selectedByPrometheus(monitor: Obj, prometheuses: readonly Obj[], nsLabels: NsLabels): boolean {
  if (prometheuses.length === 0) return true;
  const isPod = monitor.kind === "PodMonitor";
  return prometheuses.some((p) => {
    const spec = asObj(p.spec);
    const selector = spec[isPod ? "podMonitorSelector" : "serviceMonitorSelector"];
    const nsSelector = spec[isPod ? "podMonitorNamespaceSelector" : "serviceMonitorNamespaceSelector"];
    if (!isObj(selector) || !selectorMatches(selector, labelsOf(monitor))) return false;
    return isObj(nsSelector) ? selectorMatches(nsSelector, nsLabels(nsOf(monitor))) : nsOf(monitor) === nsOf(p);
  });
}

function scrapeTargets(items: readonly CrossItem[], nsLabels: NsLabels): Target[] {
  const services = groupBy(items.map((i) => i.obj).filter((o) => o.kind === "Service"), nsOf);
  const pods = groupBy(items.flatMap((i) => (i.template && i.obj.kind !== "PodTemplate" ? [{ obj: i.obj, t: i.template }] : [])), (p) => nsOf(p.obj));
  const prometheuses = items.map((i) => i.obj).filter((o) => o.kind === "Prometheus" && String(o.apiVersion).startsWith("monitoring.coreos.com/"));
  const targets: Target[] = [];
  for (const { obj: m } of items) {
    if ((m.kind !== "ServiceMonitor" && m.kind !== "PodMonitor") || !String(m.apiVersion).startsWith("monitoring.coreos.com/")) continue;
    if (!selectedByPrometheus(m, prometheuses, nsLabels)) continue;
    const spec = asObj(m.spec);
    const jobLabel = str(spec.jobLabel);
    if (m.kind === "ServiceMonitor") {
      const endpoints = asArr(spec.endpoints).map(asObj);
      for (const svc of monitorNamespaces(m, services.keys()).flatMap((ns) => services.get(ns) ?? [])) {
        const ns = nsOf(svc);
        if (!selectorMatches(spec.selector, labelsOf(svc))) continue;
        const ports = asArr(asObj(svc.spec).ports).map(asObj);
        for (const e of endpoints) {
          if (!ports.some((p) => (e.port !== undefined && p.name === e.port) || (e.targetPort !== undefined && p.targetPort === e.targetPort))) continue;
          const name = str(asObj(svc.metadata).name) ?? "";
          targets.push({ job: (jobLabel && str(labelsOf(svc)[jobLabel])) || name, namespace: ns, honorLabels: e.honorLabels === true });
        }
      }
    } else {
      const endpoints = asArr(spec.podMetricsEndpoints).map(asObj);
      const fallback = `${nsOf(m)}/${str(asObj(m.metadata).name) ?? ""}`;
      for (const { obj, t } of monitorNamespaces(m, pods.keys()).flatMap((ns) => pods.get(ns) ?? [])) {
        const ns = nsOf(obj);
        if (!selectorMatches(spec.selector, t.labels)) continue;
        const portNames = new Set(containersOf(t).flatMap(({ c }) => asArr(c.ports).map((p) => str(asObj(p).name))));
        for (const e of endpoints) {
          if (e.port !== undefined && !portNames.has(str(e.port))) continue;
          targets.push({ job: (jobLabel && str(t.labels[jobLabel])) || fallback, namespace: ns, honorLabels: e.honorLabels === true });
        }
      }
    }
  }
  return targets;
}

export function checkAlertSeries(items: readonly CrossItem[], nsLabels: NsLabels): void {
  const rules = items.filter((i) => i.obj.kind === "PrometheusRule" && String(i.obj.apiVersion).startsWith("monitoring.coreos.com/"));
  if (rules.length === 0) return;
  const byJob = groupBy(scrapeTargets(items, nsLabels), (t) => t.job);
  for (const { obj, sink } of rules) {
    asArr(asObj(obj.spec).groups).forEach((g, gi) => {
      asArr(asObj(g).rules).forEach((r, ri) => {
        const rule = asObj(r);
        const expr = str(rule.expr);
        if (!expr) return;
        const name = str(rule.alert) ?? str(rule.record) ?? `rule ${ri}`;
        const problems: string[] = [];
        for (const s of seriesSelectors(expr)) {
          const job = s.matchers.find((m) => m.name === "job" && m.op === "=")?.value;
          if (job === undefined) {
            problems.push(`series \`${s.text}\` names no job, so nothing shows which scrape target its series come from`);
            continue;
          }
          const targets = byJob.get(job) ?? [];
          if (targets.length === 0) {
            problems.push(`series \`${s.text}\` reads job "${job}", which no ServiceMonitor or PodMonitor selected by a Prometheus scrapes`);
            continue;
          }
          const ns = s.matchers.find((m) => m.name === "namespace" && m.op === "=")?.value;
          if (ns !== undefined && !targets.some((t) => t.honorLabels || t.namespace === ns)) {
            problems.push(`series \`${s.text}\` reads job "${job}" in namespace ${ns}, but that job is scraped only in ${[...new Set(targets.map((t) => t.namespace))].sort().join(", ")}`);
          }
        }
        // One finding per rule (a finding is one per path), naming each series that is not scraped.
        if (problems.length) sink.add("SW-X-ALERT-SERIES", ["spec", "groups", gi, "rules", ri, "expr"], `${name}: ${problems.join("; ")}`);
      });
    });
  }
}

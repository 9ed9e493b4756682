/**
 * Cross-object checks over one closed set of objects (a cluster's rendered tree, or the
 * files given with --cross-object): references resolve, selectors select, namespaces
 * exist and belong to the right tenant, and network access is allowed on both sides.
 */
import { Labels } from "./conventions";
import { checkGoldenPathCross } from "./cross-golden-path";
import { asArr, asObj, containersOf, isObj, mapSelects, selectorMatches, str, type Obj, type PodTemplate } from "./objects";
import type { PathSeg } from "./path";
import { checkAlertSeries } from "./scrape";
import type { Sink } from "./semantic";

export interface CrossItem {
  readonly obj: Obj;
  readonly namespaced: boolean | undefined;
  readonly sink: Sink;
  /** `podTemplateOf(obj)`. */
  readonly template: PodTemplate | undefined;
}

/**
 * Objects by kind, namespace and name, as nested maps: lookups hash the three short
 * strings the object already holds instead of building a composite key per object.
 */
class ObjectIndex<T> {
  private readonly byKind = new Map<string, Map<string, Map<string, T>>>();

  set(kind: string, ns: string, name: string, value: T): void {
    let byNs = this.byKind.get(kind);
    if (byNs === undefined) {
      byNs = new Map();
      this.byKind.set(kind, byNs);
    }
    let byName = byNs.get(ns);
    if (byName === undefined) {
      byName = new Map();
      byNs.set(ns, byName);
    }
    byName.set(name, value);
  }

  get(kind: string, ns: string, name: string): T | undefined {
    return this.byKind.get(kind)?.get(ns)?.get(name);
  }

  has(kind: string, ns: string, name: string): boolean {
    return this.byKind.get(kind)?.get(ns)?.has(name) ?? false;
  }
}

/** Namespaces that exist in every cluster or are created outside the rendered tree. */
const ALWAYS_THERE = new Set(["default", "kube-system", "kube-public", "kube-node-lease", "argocd"]);

interface Workload {
  item: CrossItem;
  t: PodTemplate;
  ns: string;
}

/**
 * The workloads of each namespace, also by each `key=value` label of their pod templates, so a
 * selector's candidates are found without scanning its namespace: a namespace with k apps has
 * about k Services, PDBs and policies, and scanning its k workloads for each made the
 * cross-object checks grow with k² instead of k.
 */
class WorkloadIndex {
  private readonly byNs = new Map<string, { all: Workload[]; byLabel: Map<string, Map<unknown, Workload[]>> }>();
  private static readonly NONE: readonly Workload[] = [];

  add(w: Workload): void {
    let ns = this.byNs.get(w.ns);
    if (!ns) this.byNs.set(w.ns, (ns = { all: [], byLabel: new Map() }));
    ns.all.push(w);
  }

  namespaces(): IterableIterator<string> {
    return this.byNs.keys();
  }

  /**
   * The workloads of `ns` a selector requiring the labels `required` (a Service's selector, a
   * LabelSelector's matchLabels) can match, in the namespace's order: those carrying its first
   * required label, or all when it requires none. A superset: callers still match each one.
   */
  candidates(ns: string, required: unknown): readonly Workload[] {
    const index = this.byNs.get(ns);
    if (!index) return WorkloadIndex.NONE;
    if (isObj(required)) {
      for (const key in required) {
        if (!Object.prototype.hasOwnProperty.call(required, key)) continue;
        // Built on first use, per label key: selectors use few keys.
        let byValue = index.byLabel.get(key);
        if (!byValue) {
          index.byLabel.set(key, (byValue = new Map()));
          for (const w of index.all) {
            if (!Object.prototype.hasOwnProperty.call(w.t.labels, key)) continue;
            const value = w.t.labels[key];
            const list = byValue.get(value);
            if (list) list.push(w);
            else byValue.set(value, [w]);
          }
        }
        return byValue.get(required[key]) ?? WorkloadIndex.NONE;
      }
    }
    return index.all;
  }
}

/** The labels a LabelSelector requires outright (its matchLabels), when it is one. */
function requiredLabels(selector: unknown): unknown {
  return isObj(selector) ? selector.matchLabels : undefined;
}

export function checkCrossObject(items: readonly CrossItem[]): void {
  const byKey = new ObjectIndex<CrossItem>();
  const namespaces = new Map<string, Obj>();
  const workloads: Workload[] = [];
  const nsOf = (o: Obj): string => str(asObj(o.metadata).namespace) ?? "default";
  for (const it of items) {
    const kind = str(it.obj.kind) ?? "";
    const name = str(asObj(it.obj.metadata).name) ?? "";
    if (kind === "Namespace") namespaces.set(name, asObj(asObj(it.obj.metadata).labels));
    byKey.set(kind, it.namespaced === false ? "" : nsOf(it.obj), name, it);
    const t = it.template;
    if (t && kind !== "Pod" && kind !== "PodTemplate") workloads.push({ item: it, t, ns: nsOf(it.obj) });
    else if (t && kind === "Pod") workloads.push({ item: it, t, ns: nsOf(it.obj) });
  }
  /** Namespace → names of the Secrets that exist or will. */
  const secretNames = new Map<string, Set<string>>();
  const addSecret = (ns: string, name: string): void => {
    let names = secretNames.get(ns);
    if (names === undefined) {
      names = new Set();
      secretNames.set(ns, names);
    }
    names.add(name);
  };
  for (const it of items) {
    if (it.obj.kind === "Secret") addSecret(nsOf(it.obj), str(asObj(it.obj.metadata).name) ?? "");
    if (it.obj.kind === "ExternalSecret") {
      const target = str(asObj(asObj(it.obj.spec).target).name) ?? str(asObj(it.obj.metadata).name);
      if (target) addSecret(nsOf(it.obj), target);
    }
    // cert-manager writes the issued key pair into spec.secretName, in the Certificate's namespace.
    if (it.obj.kind === "Certificate" && String(it.obj.apiVersion ?? "").startsWith("cert-manager.io/")) {
      const target = str(asObj(it.obj.spec).secretName);
      if (target) addSecret(nsOf(it.obj), target);
    }
  }
  const has = (kind: string, ns: string, name: string): boolean => byKey.has(kind, ns, name);
  const workloadIndex = new WorkloadIndex();
  for (const w of workloads) workloadIndex.add(w);

  for (const it of items) {
    const o = it.obj;
    const kind = str(o.kind) ?? "";
    const meta = asObj(o.metadata);
    const ns = nsOf(o);
    const spec = asObj(o.spec);

    if (it.namespaced !== false && kind !== "Namespace") {
      const nsLabels = namespaces.get(ns);
      const tenant = str(asObj(meta.labels)[Labels.tenant]);
      if (!nsLabels && !ALWAYS_THERE.has(ns)) {
        it.sink.add("SW-X-NAMESPACE", ["metadata", "namespace"], `namespace "${ns}" is not created by any object in this set`);
      } else if (nsLabels && tenant !== undefined) {
        const owner = str(nsLabels[Labels.tenant]);
        if (owner !== undefined && owner !== tenant) it.sink.add("SW-X-NAMESPACE", ["metadata", "namespace"], `namespace "${ns}" belongs to tenant "${owner}", not to "${tenant}"`);
        else if (owner === undefined && !ns.startsWith(`${tenant}-`)) it.sink.add("SW-X-NAMESPACE", ["metadata", "namespace"], `namespace "${ns}" is not a namespace of tenant "${tenant}" (<tenant>-<env>, labelled ${Labels.tenant})`);
      }
    }

    if (kind === "Service" && spec.type !== "ExternalName" && isObj(spec.selector) && Object.keys(spec.selector).length > 0) {
      const sel = spec.selector;
      if (!workloadIndex.candidates(ns, sel).some((w) => mapSelects(sel, w.t.labels))) it.sink.add("SW-X-SERVICE-SELECTOR", ["spec", "selector"], `selector ${JSON.stringify(sel)} matches no pod template in namespace ${ns}`);
    }
    if (kind === "PodDisruptionBudget") {
      if (!workloadIndex.candidates(ns, requiredLabels(spec.selector)).some((w) => selectorMatches(spec.selector, w.t.labels))) it.sink.add("SW-X-PDB-TARGET", ["spec", "selector"], `selector matches no workload in namespace ${ns}`);
    }
    if (kind === "HorizontalPodAutoscaler") {
      const ref = asObj(spec.scaleTargetRef);
      const tk = str(ref.kind);
      const tn = str(ref.name);
      if (tk && tn && !has(tk, ns, tn)) it.sink.add("SW-X-SCALE-TARGET", ["spec", "scaleTargetRef", "name"], `${tk} ${ns}/${tn} does not exist`);
    }
    if (kind === "Ingress") checkIngress(o, ns, byKey, it.sink);

    const t = it.template;
    if (t && kind !== "PodTemplate") {
      const missing = (refKind: string, name: string): boolean => (refKind === "Secret" ? secretNames.get(ns)?.has(name) !== true : !has(refKind, ns, name));
      for (const r of missingPodReferences(t, missing)) {
        it.sink.add("SW-X-REFERENCE", r.path, `${r.kind} ${ns}/${r.name} does not exist${r.kind === "Secret" ? " (no Secret, ExternalSecret or cert-manager Certificate creates it)" : ""}`);
      }
    }
  }
  checkNetworkPolicies(items, workloadIndex, namespaces, nsOf);
  checkAlertSeries(items, (ns) => ({ "kubernetes.io/metadata.name": ns, ...(namespaces.get(ns) ?? {}) }));
  checkGoldenPathCross(items, {
    selectedBy: (ns, selector) => workloadIndex.candidates(ns, selector).filter((w) => mapSelects(selector, w.t.labels)),
    workloads,
    namespaceLabels: namespaces,
  });
}

interface Ref {
  kind: string;
  name: string;
  path: PathSeg[];
}

/** References of a pod template to objects that `missing` says do not exist (paths only for those). */
function missingPodReferences(t: PodTemplate, missing: (kind: string, name: string) => boolean): Ref[] {
  const out: Ref[] = [];
  const spec = t.spec;
  const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount);
  if (sa && sa !== "default" && missing("ServiceAccount", sa)) out.push({ kind: "ServiceAccount", name: sa, path: [...t.specPath, spec.serviceAccountName ? "serviceAccountName" : "serviceAccount"] });
  asArr(spec.imagePullSecrets).forEach((s, i) => {
    const n = str(asObj(s).name);
    if (n && missing("Secret", n)) out.push({ kind: "Secret", name: n, path: [...t.specPath, "imagePullSecrets", i, "name"] });
  });
  asArr(spec.volumes).forEach((v, i) => {
    const vol = asObj(v);
    const base = (): PathSeg[] => [...t.specPath, "volumes", i];
    const cm = asObj(vol.configMap);
    if (str(cm.name) && cm.optional !== true && missing("ConfigMap", cm.name as string)) out.push({ kind: "ConfigMap", name: cm.name as string, path: [...base(), "configMap", "name"] });
    const sec = asObj(vol.secret);
    if (str(sec.secretName) && sec.optional !== true && missing("Secret", sec.secretName as string)) out.push({ kind: "Secret", name: sec.secretName as string, path: [...base(), "secret", "secretName"] });
    const pvc = str(asObj(vol.persistentVolumeClaim).claimName);
    if (pvc && missing("PersistentVolumeClaim", pvc)) out.push({ kind: "PersistentVolumeClaim", name: pvc, path: [...base(), "persistentVolumeClaim", "claimName"] });
    asArr(asObj(vol.projected).sources).forEach((s, j) => {
      const src = asObj(s);
      const pcm = asObj(src.configMap);
      if (str(pcm.name) && pcm.optional !== true && missing("ConfigMap", pcm.name as string)) out.push({ kind: "ConfigMap", name: pcm.name as string, path: [...base(), "projected", "sources", j, "configMap", "name"] });
      const ps = asObj(src.secret);
      if (str(ps.name) && ps.optional !== true && missing("Secret", ps.name as string)) out.push({ kind: "Secret", name: ps.name as string, path: [...base(), "projected", "sources", j, "secret", "name"] });
    });
  });
  for (const { c, path } of containersOf(t)) {
    asArr(c.env).forEach((e, i) => {
      const from = asObj(asObj(e).valueFrom);
      const cm = asObj(from.configMapKeyRef);
      if (str(cm.name) && cm.optional !== true && missing("ConfigMap", cm.name as string)) out.push({ kind: "ConfigMap", name: cm.name as string, path: [...path, "env", i, "valueFrom", "configMapKeyRef", "name"] });
      const s = asObj(from.secretKeyRef);
      if (str(s.name) && s.optional !== true && missing("Secret", s.name as string)) out.push({ kind: "Secret", name: s.name as string, path: [...path, "env", i, "valueFrom", "secretKeyRef", "name"] });
    });
    asArr(c.envFrom).forEach((e, i) => {
      const ef = asObj(e);
      const cm = asObj(ef.configMapRef);
      if (str(cm.name) && cm.optional !== true && missing("ConfigMap", cm.name as string)) out.push({ kind: "ConfigMap", name: cm.name as string, path: [...path, "envFrom", i, "configMapRef", "name"] });
      const s = asObj(ef.secretRef);
      if (str(s.name) && s.optional !== true && missing("Secret", s.name as string)) out.push({ kind: "Secret", name: s.name as string, path: [...path, "envFrom", i, "secretRef", "name"] });
    });
  }
  return out;
}

function checkIngress(o: Obj, ns: string, byKey: ObjectIndex<CrossItem>, sink: Sink): void {
  const spec = asObj(o.spec);
  const backends: { b: Obj; path: PathSeg[] }[] = [];
  if (isObj(spec.defaultBackend)) backends.push({ b: spec.defaultBackend, path: ["spec", "defaultBackend"] });
  asArr(spec.rules).forEach((r, i) => {
    asArr(asObj(asObj(r).http).paths).forEach((p, j) => {
      backends.push({ b: asObj(asObj(p).backend), path: ["spec", "rules", i, "http", "paths", j, "backend"] });
    });
  });
  for (const { b, path } of backends) {
    const svc = asObj(b.service);
    const name = str(svc.name);
    if (!name) continue;
    const target = byKey.get("Service", ns, name);
    if (!target) {
      sink.add("SW-X-INGRESS-BACKEND", [...path, "service", "name"], `Service ${ns}/${name} does not exist`);
      continue;
    }
    const port = asObj(svc.port);
    const ports = asArr(asObj(target.obj.spec).ports).map(asObj);
    if (port.number !== undefined && !ports.some((p) => p.port === port.number)) {
      sink.add("SW-X-INGRESS-BACKEND", [...path, "service", "port", "number"], `Service ${ns}/${name} has no port ${String(port.number)} (ports: ${ports.map((p) => String(p.port)).join(", ")})`);
    } else if (port.name !== undefined && !ports.some((p) => p.name === port.name)) {
      sink.add("SW-X-INGRESS-BACKEND", [...path, "service", "port", "name"], `Service ${ns}/${name} has no port named "${String(port.name)}"`);
    }
  }
}

interface Policy {
  item: CrossItem;
  ns: string;
  spec: Obj;
  types: string[];
}

/** Namespace labels as a namespaceSelector sees them: the automatic name label, then the Namespace's own. */
type NsLabels = (ns: string) => Record<string, unknown>;

/** Pods of `w` are selected by a NetworkPolicy peer (podSelector and/or namespaceSelector). */
function peerSelects(peer: Obj, policyNs: string, w: Workload, nsLabels: NsLabels): boolean {
  if (isObj(peer.ipBlock)) return false;
  const nsSel = peer.namespaceSelector;
  const podSel = peer.podSelector;
  if (nsSel === undefined) {
    if (w.ns !== policyNs) return false;
  } else if (!selectorMatches(nsSel, nsLabels(w.ns))) {
    return false;
  }
  return podSel === undefined || selectorMatches(podSel, w.t.labels);
}

function policyTypes(spec: Obj): string[] {
  const t = asArr(spec.policyTypes).map(String);
  if (t.length > 0) return t;
  return spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

/** A workload with the policies that isolate it, per direction (computed once). */
interface Isolation {
  ingress: Policy[];
  egress: Policy[];
  /** Some policy has a rule with no peers: every peer is allowed in that direction. */
  all: { ingress: boolean; egress: boolean };
  /** Namespaces some policy admits entirely (a peer with no namespaceSelector and an empty podSelector). */
  sameNs: { ingress: Set<string>; egress: Set<string> };
  /** `allows` results per peer, per direction: each pair is decided once. */
  memo: { ingress: Map<Workload, boolean>; egress: Map<Workload, boolean> };
}

/** A selector that selects everything (what `selectorMatches` returns true for on any labels). */
function selectsAll(selector: unknown): boolean {
  if (!isObj(selector)) return true;
  const ml = selector.matchLabels;
  if (isObj(ml)) for (const k in ml) if (Object.prototype.hasOwnProperty.call(ml, k)) return false;
  const ex = selector.matchExpressions;
  return !Array.isArray(ex) || ex.length === 0;
}

/** What a policy admits wholesale in one direction, whatever the peer's labels. */
function wildcards(p: Policy, dir: "ingress" | "egress"): { all: boolean; sameNs: boolean } {
  let all = false;
  let sameNs = false;
  for (const rule of asArr(p.spec[dir])) {
    const peers = asArr(asObj(rule)[dir === "ingress" ? "from" : "to"]);
    if (peers.length === 0) all = true;
    for (const pe of peers) {
      const peer = asObj(pe);
      if (!isObj(peer.ipBlock) && peer.namespaceSelector === undefined && (peer.podSelector === undefined || selectsAll(peer.podSelector))) sameNs = true;
    }
  }
  return { all, sameNs };
}

/**
 * App-to-app access is declared on both sides: when a policy lets workload A send to
 * workload B (egress) and B is ingress-isolated, some policy of B must admit A, and the
 * reverse for ingress rules naming A while A is egress-isolated. ipBlock peers and
 * rules with no peers (allow all) are not app-to-app declarations and are skipped.
 *
 * Linear in practice: the workloads a selector can match are looked up by label (see
 * WorkloadIndex), which policies select which workload is computed once, and whether a
 * workload admits a peer is decided once per pair.
 */
function checkNetworkPolicies(items: readonly CrossItem[], workloadIndex: WorkloadIndex, namespaces: Map<string, Obj>, nsOf: (o: Obj) => string): void {
  const policiesByNs = new Map<string, Policy[]>();
  for (const item of items) {
    if (item.obj.kind !== "NetworkPolicy") continue;
    const spec = asObj(item.obj.spec);
    const p: Policy = { item, ns: nsOf(item.obj), spec, types: policyTypes(spec) };
    const list = policiesByNs.get(p.ns) ?? [];
    list.push(p);
    policiesByNs.set(p.ns, list);
  }
  if (policiesByNs.size === 0) return;
  const allNs = [...new Set([...workloadIndex.namespaces(), ...namespaces.keys()])];
  const nsLabelCache = new Map<string, Record<string, unknown>>();
  const nsLabels: NsLabels = (ns) => {
    let l = nsLabelCache.get(ns);
    if (!l) {
      l = { "kubernetes.io/metadata.name": ns, ...(namespaces.get(ns) ?? {}) };
      nsLabelCache.set(ns, l);
    }
    return l;
  };
  /** Workloads a peer selects: candidate namespaces first, so the check stays near-linear. */
  const peerTargets = (peer: Obj, policyNs: string): Workload[] => {
    if (isObj(peer.ipBlock)) return [];
    const nss = peer.namespaceSelector === undefined ? [policyNs] : allNs.filter((ns) => selectorMatches(peer.namespaceSelector, nsLabels(ns)));
    return nss.flatMap((ns) => workloadIndex.candidates(ns, requiredLabels(peer.podSelector)).filter((w) => peer.podSelector === undefined || selectorMatches(peer.podSelector, w.t.labels)));
  };
  // Which policies select each workload (same namespace, podSelector), in policy order.
  const isolation = new Map<Workload, Isolation>();
  const sourcesOf = new Map<Policy, Workload[]>();
  for (const [ns, policies] of policiesByNs) {
    for (const p of policies) {
      const workloads = workloadIndex.candidates(ns, requiredLabels(p.spec.podSelector));
      const sources: Workload[] = [];
      const ingress = p.types.includes("Ingress");
      const egress = p.types.includes("Egress");
      const wild: { ingress?: { all: boolean; sameNs: boolean }; egress?: { all: boolean; sameNs: boolean } } = {};
      for (const w of workloads) {
        if (!selectorMatches(p.spec.podSelector, w.t.labels)) continue;
        sources.push(w);
        if (!ingress && !egress) continue;
        let iso = isolation.get(w);
        if (!iso) {
          iso = { ingress: [], egress: [], all: { ingress: false, egress: false }, sameNs: { ingress: new Set(), egress: new Set() }, memo: { ingress: new Map(), egress: new Map() } };
          isolation.set(w, iso);
        }
        if (ingress) {
          iso.ingress.push(p);
          wild.ingress ??= wildcards(p, "ingress");
          if (wild.ingress.all) iso.all.ingress = true;
          if (wild.ingress.sameNs) iso.sameNs.ingress.add(p.ns);
        }
        if (egress) {
          iso.egress.push(p);
          wild.egress ??= wildcards(p, "egress");
          if (wild.egress.all) iso.all.egress = true;
          if (wild.egress.sameNs) iso.sameNs.egress.add(p.ns);
        }
      }
      sourcesOf.set(p, sources);
    }
  }
  /** `allows(w, peer, dir)` is true for every peer in namespace `ns`, without looking at the peer. */
  const admitsNamespace = (w: Workload, ns: string, dir: "ingress" | "egress"): boolean => {
    const iso = isolation.get(w);
    return !iso || iso[dir].length === 0 || iso.all[dir] || iso.sameNs[dir].has(ns);
  };
  const allows = (w: Workload, peer: Workload, dir: "ingress" | "egress"): boolean => {
    const iso = isolation.get(w);
    const mine = iso?.[dir];
    if (!iso || !mine || mine.length === 0) return true; // not isolated in that direction
    if (iso.all[dir] || iso.sameNs[dir].has(peer.ns)) return true; // an allow-all or whole-namespace rule
    const memo = iso.memo[dir];
    const hit = memo.get(peer);
    if (hit !== undefined) return hit;
    const ok = mine.some((p) =>
      asArr(p.spec[dir]).some((rule) => {
        const peers = asArr(asObj(rule)[dir === "ingress" ? "from" : "to"]);
        return peers.length === 0 || peers.some((pe) => peerSelects(asObj(pe), p.ns, peer, nsLabels));
      }),
    );
    memo.set(peer, ok);
    return ok;
  };
  for (const policies of policiesByNs.values()) {
    for (const p of policies) {
      const sources = sourcesOf.get(p) ?? [];
      if (sources.length === 0) continue;
      for (const dir of ["egress", "ingress"] as const) {
        if (!p.types.includes(dir === "ingress" ? "Ingress" : "Egress")) continue;
        asArr(p.spec[dir]).forEach((rule, ri) => {
          asArr(asObj(rule)[dir === "ingress" ? "from" : "to"]).forEach((pe, pi) => {
            const targets = peerTargets(asObj(pe), p.ns);
            // Sources are all in p.ns: when every target admits that whole namespace (no
            // isolation, an allow-all rule, or a whole-namespace peer), no pair can fail.
            const opposite = dir === "egress" ? "ingress" : "egress";
            if (targets.every((t) => admitsNamespace(t, p.ns, opposite))) return;
            for (const s of sources) {
              for (const t of targets) {
                if (t === s) continue;
                if (!allows(t, s, dir === "egress" ? "ingress" : "egress")) {
                  const tName = `${t.ns}/${String(asObj(t.item.obj.metadata).name)}`;
                  const sName = `${s.ns}/${String(asObj(s.item.obj.metadata).name)}`;
                  p.item.sink.add("SW-X-NETPOL-ACCESS", ["spec", dir, ri, dir === "ingress" ? "from" : "to", pi], dir === "egress" ? `allows egress to ${tName}, but no NetworkPolicy of ${tName} admits ingress from ${sName}` : `admits ingress from ${tName}, but ${tName}'s egress policies do not allow traffic to ${sName}`);
                  return;
                }
              }
            }
          });
        });
      }
    }
  }
}

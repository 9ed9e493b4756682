/**
 * Ingress and NetworkPolicy rules of pkg/apis/networking/validation/validation.go:
 * ValidateIngressSpec (rules, hosts, paths, backends, TLS), ValidateNetworkPolicySpec
 * (ports and endPort, peers, ipBlock), ValidateIngressClass's controller.
 */
import { dns1123SubdomainProblem } from "../names";
import { arr, cidr4, checkLabelSelector, checkPortNumber, int, isCidr, isIPv4, obj, present, str, type Obj, type Path, type Sink } from "./util";

export function checkNetworking(kind: string, o: Obj, sink: Sink): void {
  if (kind === "Ingress") ingress(obj(o.spec), sink);
  else if (kind === "NetworkPolicy") networkPolicy(obj(o.spec), sink);
}

/** A host of an Ingress rule or TLS entry: a DNS subdomain, optionally `*.` first, not an IP. */
function hostProblem(host: string): string | undefined {
  if (isIPv4(host) || host.includes(":")) return `host "${host}" must be a DNS name, not an IP address`;
  const bare = host.startsWith("*.") ? host.slice(2) : host;
  if (bare.includes("*")) return `host "${host}": a wildcard is allowed only as the whole first label ("*.example.com")`;
  const p = dns1123SubdomainProblem(bare);
  return p ? `host ${p}` : undefined;
}

function backend(b: unknown, path: Path, sink: Sink): void {
  const be = obj(b);
  if (!be) return;
  const kinds = present(be, ["service", "resource"]);
  if (kinds.length !== 1) sink.add("SW-SEM-INGRESS", path, kinds.length === 0 ? "a backend needs service or resource" : "a backend may not have both service and resource");
  const svc = obj(be.service);
  const port = obj(svc?.port);
  if (svc && port) {
    const set = present(port, ["name", "number"]);
    if (set.length !== 1) sink.add("SW-SEM-INGRESS", [...path, "service", "port"], set.length === 0 ? "service.port needs name or number" : "service.port may not have both name and number");
    checkPortNumber(port.number, () => [...path, "service", "port", "number"], sink);
  } else if (svc && !port) {
    sink.add("SW-SEM-INGRESS", [...path, "service", "port"], "service.port is required");
  }
}

function ingress(spec: Obj | undefined, sink: Sink): void {
  if (!spec) return;
  const rules = arr(spec.rules);
  if (rules.length === 0 && !obj(spec.defaultBackend)) sink.add("SW-SEM-INGRESS", ["spec"], "an Ingress needs defaultBackend or rules");
  backend(spec.defaultBackend, ["spec", "defaultBackend"], sink);
  rules.forEach((r, i) => {
    const rule = obj(r);
    if (!rule) return;
    const host = str(rule.host);
    if (host !== undefined && host !== "") {
      const p = hostProblem(host);
      if (p) sink.add("SW-SEM-INGRESS", ["spec", "rules", i, "host"], p);
    }
    arr(obj(rule.http)?.paths).forEach((x, j) => {
      const hp = obj(x);
      if (!hp) return;
      const at: Path = ["spec", "rules", i, "http", "paths", j];
      const type = str(hp.pathType);
      const path = str(hp.path);
      if (path !== undefined && path !== "" && !path.startsWith("/")) sink.add("SW-SEM-INGRESS", [...at, "path"], `path "${path}" must begin with '/'`);
      else if ((type === "Exact" || type === "Prefix") && path !== undefined) {
        if (path === "") sink.add("SW-SEM-INGRESS", [...at, "path"], `a ${type} path may not be empty`);
        else if (path.includes("//")) sink.add("SW-SEM-INGRESS", [...at, "path"], `path "${path}" may not contain '//'`);
        else if (path.split("/").some((seg) => seg === "." || seg === "..")) sink.add("SW-SEM-INGRESS", [...at, "path"], `path "${path}" may not contain '.' or '..' segments`);
      }
      backend(hp.backend, [...at, "backend"], sink);
    });
  });
  arr(spec.tls).forEach((t, i) => {
    arr(obj(t)?.hosts).forEach((h, j) => {
      if (typeof h !== "string") return;
      const p = hostProblem(h);
      if (p) sink.add("SW-SEM-INGRESS", ["spec", "tls", i, "hosts", j], p);
    });
  });
}

function networkPolicy(spec: Obj | undefined, sink: Sink): void {
  if (!spec) return;
  checkLabelSelector(spec.podSelector, ["spec", "podSelector"], sink);
  for (const dir of ["ingress", "egress"] as const) {
    arr(spec[dir]).forEach((r, i) => {
      const rule = obj(r);
      if (!rule) return;
      arr(rule.ports).forEach((x, j) => {
        const port = obj(x);
        if (!port) return;
        const at: Path = ["spec", dir, i, "ports", j];
        if (typeof port.port === "number") checkPortNumber(port.port, () => [...at, "port"], sink);
        const end = int(port.endPort);
        if (end === undefined) return;
        if (typeof port.port !== "number") sink.add("SW-SEM-NETPOL", [...at, "endPort"], typeof port.port === "string" ? "endPort may not be used with a named port" : "endPort needs a numeric port");
        else if (end < port.port) sink.add("SW-SEM-NETPOL", [...at, "endPort"], `endPort ${end} must be ≥ port ${port.port}`);
        checkPortNumber(end, () => [...at, "endPort"], sink, "endPort");
      });
      arr(rule[dir === "ingress" ? "from" : "to"]).forEach((x, j) => {
        const peer = obj(x);
        if (!peer) return;
        const at: Path = ["spec", dir, i, dir === "ingress" ? "from" : "to", j];
        const kinds = present(peer, ["podSelector", "namespaceSelector", "ipBlock"]);
        if (kinds.length === 0) sink.add("SW-SEM-NETPOL", at, "a peer needs podSelector, namespaceSelector or ipBlock");
        else if (kinds.includes("ipBlock") && kinds.length > 1) sink.add("SW-SEM-NETPOL", at, "ipBlock may not be combined with podSelector or namespaceSelector in one peer");
        checkLabelSelector(peer.podSelector, [...at, "podSelector"], sink);
        checkLabelSelector(peer.namespaceSelector, [...at, "namespaceSelector"], sink);
        const ip = obj(peer.ipBlock);
        if (ip) ipBlock(ip, [...at, "ipBlock"], sink);
      });
    });
  }
}

function ipBlock(ip: Obj, at: Path, sink: Sink): void {
  const c = str(ip.cidr);
  if (c === undefined) return;
  if (!isCidr(c)) {
    sink.add("SW-SEM-NETPOL", [...at, "cidr"], `"${c}" is not a CIDR`);
    return;
  }
  const outer = cidr4(c);
  arr(ip.except).forEach((e, k) => {
    if (typeof e !== "string") return;
    if (!isCidr(e)) {
      sink.add("SW-SEM-NETPOL", [...at, "except", k], `"${e}" is not a CIDR`);
      return;
    }
    const inner = cidr4(e);
    if (outer && inner) {
      const [on, ol] = outer;
      const [inn, il] = inner;
      const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
      if (il <= ol || ((inn & mask(ol)) >>> 0) !== ((on & mask(ol)) >>> 0)) sink.add("SW-SEM-NETPOL", [...at, "except", k], `"${e}" must be a strict subset of cidr "${c}"`);
    }
  });
}

/**
 * What a generator actually grants, runs and registers, read back from its synthesized objects,
 * in the vocabulary of {@link UpstreamFacts}: the tests compare the two.
 */
import type { KubeObject } from "@slipway/core";
import { atoms, type Grant, type Rule, type UpstreamFacts } from "./facts";

type Obj = KubeObject & { rules?: Rule[]; roleRef?: { kind: string; name: string }; subjects?: { kind: string; name: string; namespace?: string }[] };

/** Effective permissions of each ServiceAccount (by name) of the add-on's namespace(s), as atoms. */
export function grantedAtoms(objects: readonly KubeObject[], ownNamespace: string): Map<string, Set<string>> {
  const objs = objects as Obj[];
  const clusterRoles = new Map(objs.filter((o) => o.kind === "ClusterRole").map((o) => [o.metadata.name, o.rules ?? []]));
  const roles = new Map(objs.filter((o) => o.kind === "Role").map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o.rules ?? []]));
  const grants = new Map<string, Grant[]>();
  for (const b of objs.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding")) {
    const scope = b.kind === "ClusterRoleBinding" ? "cluster" : `ns:${b.metadata.namespace}`;
    const ref = b.roleRef!;
    const grant: Grant =
      ref.kind === "Role"
        ? roles.has(`${b.metadata.namespace}/${ref.name}`)
          ? { scope, rules: roles.get(`${b.metadata.namespace}/${ref.name}`)! }
          : { scope, builtinRole: ref.name }
        : clusterRoles.has(ref.name)
          ? { scope, rules: clusterRoles.get(ref.name)! }
          : { scope, builtinRole: ref.name };
    for (const s of b.subjects ?? []) {
      if (s.kind !== "ServiceAccount") continue;
      const list = grants.get(s.name) ?? grants.set(s.name, []).get(s.name)!;
      list.push(grant);
    }
  }
  return new Map([...grants].map(([sa, g]) => [sa, atoms(g, ownNamespace)]));
}

/** Upstream's permissions per ServiceAccount, with our recorded extras added and omissions removed. */
export function expectedAtoms(facts: UpstreamFacts, ownNamespace: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const accounts = new Set([...Object.keys(facts.rbac), ...Object.keys(facts.extra ?? {})]);
  for (const sa of accounts) {
    const set = atoms(facts.rbac[sa] ?? [], ownNamespace);
    for (const d of facts.extra?.[sa] ?? []) for (const a of atoms(d.grants, ownNamespace)) set.add(a);
    for (const d of facts.omitted?.[sa] ?? []) for (const a of atoms(d.grants, ownNamespace)) set.delete(a);
    if (set.size > 0) out.set(sa, set);
  }
  return out;
}

export interface RenderedContainer {
  readonly workload: string;
  readonly name: string;
  readonly image: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
}

/** Every container (init containers included) of every workload. */
export function containersOf(objects: readonly KubeObject[]): RenderedContainer[] {
  const out: RenderedContainer[] = [];
  for (const o of objects) {
    if (o.kind !== "Deployment" && o.kind !== "DaemonSet" && o.kind !== "StatefulSet") continue;
    const spec = (o.spec as { template: { spec: { containers: unknown[]; initContainers?: unknown[] } } }).template.spec;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers] as { name: string; image: string; args?: string[]; command?: string[]; env?: { name: string }[] }[]) {
      out.push({ workload: o.metadata.name, name: c.name, image: c.image, args: [...(c.command ?? []).slice(1), ...(c.args ?? [])], env: (c.env ?? []).map((e) => e.name) });
    }
  }
  return out;
}

/** Flag names (without dashes) a container is started with; subcommands and values are not flags. */
export function flagNames(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith("-")).map((a) => a.replace(/^--?/, "").split("=")[0]!);
}

export interface RenderedWebhook {
  readonly type: "mutating" | "validating";
  readonly name: string;
  readonly path: string;
  readonly failurePolicy: string;
  readonly service: string;
}

export function webhooksOf(objects: readonly KubeObject[]): RenderedWebhook[] {
  const out: RenderedWebhook[] = [];
  for (const o of objects) {
    if (o.kind !== "MutatingWebhookConfiguration" && o.kind !== "ValidatingWebhookConfiguration") continue;
    for (const w of (o as { webhooks?: { name: string; failurePolicy?: string; clientConfig: { service?: { name: string; path?: string } } }[] }).webhooks ?? []) {
      out.push({
        type: o.kind === "MutatingWebhookConfiguration" ? "mutating" : "validating",
        name: w.name,
        path: w.clientConfig.service?.path ?? "",
        failurePolicy: w.failurePolicy ?? "Fail",
        service: w.clientConfig.service?.name ?? "",
      });
    }
  }
  return out;
}

/**
 * Facts recorded from each add-on's upstream release at the pinned version — the flags its
 * binaries define, the permissions its own manifests grant each ServiceAccount, its webhooks —
 * so the tests can hold every generator to them. Facts only (names, verbs, paths): read from
 * upstream's sources and manifests at the tag named in `compared`, written down here by hand.
 *
 * Permissions are compared as atoms, `<scope> <group>/<resource>[:<name>] <verb>`, per
 * ServiceAccount: scope `cluster` for ClusterRoleBindings, `ns:<namespace>` for RoleBindings
 * (`ns:.` is the add-on's own namespace), and `<scope> role:<name>` for a binding to a role
 * Kubernetes ships (cluster-admin, view, system:auth-delegator, …).
 */
import type { k8s } from "cdk8s-plus-28";

export type Rule = k8s.PolicyRule;

/** What one ServiceAccount is granted. */
export interface Grant {
  /** `cluster`, or `ns:<namespace>` (`ns:.`: the add-on's namespace). */
  readonly scope: string;
  readonly rules?: readonly Rule[];
  /** A binding to a ClusterRole Kubernetes ships, by name. */
  readonly builtinRole?: string;
}

/** A deliberate difference from upstream, with its reason (also in packages/addons/README.md). */
export interface Difference {
  readonly grants: readonly Grant[];
  readonly why: string;
}

export interface WebhookFact {
  readonly type: "mutating" | "validating";
  readonly name: string;
  readonly path: string;
  readonly failurePolicy: "Fail" | "Ignore";
}

export interface UpstreamFacts {
  readonly addon: string;
  /** The upstream version these facts were read at. */
  readonly version: string;
  /** Upstream files compared, as `path@tag` (or `repository:path@tag` when not the add-on's own repository). */
  readonly compared: readonly string[];
  /** Image repository (without tag) of each container, by container name. */
  readonly images: Readonly<Record<string, string>>;
  /** Flags each container's binary defines at that version (names without `--`), by container name. */
  readonly flags: Readonly<Record<string, readonly string[]>>;
  /** Environment variables the binary reads, by container name, where upstream configures it through env. */
  readonly env?: Readonly<Record<string, readonly string[]>>;
  /** Permissions upstream's manifests grant, by ServiceAccount (our names). */
  readonly rbac: Readonly<Record<string, readonly Grant[]>>;
  /** Permissions we grant beyond upstream, by ServiceAccount, each with its reason. */
  readonly extra?: Readonly<Record<string, readonly Difference[]>>;
  /** Upstream permissions we do not grant, by ServiceAccount, each with its reason. */
  readonly omitted?: Readonly<Record<string, readonly Difference[]>>;
  /** Admission webhooks upstream registers by default. */
  readonly webhooks?: readonly WebhookFact[];
}

export function r(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Rule {
  return { apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) };
}

export const cluster = (...rules: Rule[]): Grant => ({ scope: "cluster", rules });
export const own = (...rules: Rule[]): Grant => ({ scope: "ns:.", rules });
export const inNamespace = (namespace: string, ...rules: Rule[]): Grant => ({ scope: `ns:${namespace}`, rules });
export const builtin = (name: string, scope = "cluster"): Grant => ({ scope, builtinRole: name });

/** Expands grants into atoms. */
export function atoms(grants: readonly Grant[], ownNamespace: string): Set<string> {
  const out = new Set<string>();
  for (const g of grants) {
    const scope = g.scope === "ns:." ? `ns:${ownNamespace}` : g.scope;
    if (g.builtinRole) out.add(`${scope} role:${g.builtinRole}`);
    for (const rule of g.rules ?? []) {
      for (const group of rule.apiGroups ?? [""]) {
        for (const resource of rule.resources ?? []) {
          for (const verb of rule.verbs) {
            const names = rule.resourceNames?.length ? rule.resourceNames : [undefined];
            for (const name of names) out.add(`${scope} ${group === "" ? "core" : group}/${resource}${name ? `:${name}` : ""} ${verb}`);
          }
        }
      }
      // cdk8s spells the field nonResourceUrLs; synthesized JSON has the API's nonResourceURLs.
      const urls = rule.nonResourceUrLs ?? (rule as { nonResourceURLs?: string[] }).nonResourceURLs ?? [];
      for (const url of urls) for (const verb of rule.verbs) out.add(`${scope} url:${url} ${verb}`);
    }
  }
  return out;
}

/** The add-on's own namespace, with Pod Security Admission labels. */
import { k8s } from "cdk8s-plus-28";
import type { Construct } from "constructs";
import type { AddonContext } from "../types";
import { meta } from "./meta";

export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/**
 * Add-on namespaces enforce `restricted` unless the add-on needs more (node agents reading host
 * logs); the reason is written on the namespace so reviewers see why.
 */
export function addNamespace(scope: Construct, ctx: AddonContext, level: PodSecurityLevel = "restricted", reason?: string, labels: Record<string, string> = {}): void {
  const base = meta(ctx, ctx.namespace, { namespace: null, wave: "foundation" });
  new k8s.KubeNamespace(scope, "namespace", {
    metadata: {
      ...base,
      labels: {
        ...base.labels,
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        ...labels,
      },
      annotations: { ...base.annotations, ...(reason ? { "slipway.dev/pod-security-reason": reason } : {}) },
    },
  });
}

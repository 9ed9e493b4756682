/**
 * A webhook's serving certificate, issued by cert-manager from a self-signed Issuer local to the
 * add-on's namespace: renewed before it expires, its key rotated on every renewal, and its CA
 * injected into the webhook configurations by cert-manager's CA injector.
 */
import { ApiObject } from "cdk8s";
import type { Construct } from "constructs";
import type { AddonContext } from "../types";
import { meta, SKIP_DRY_RUN } from "./meta";

export interface WebhookCertificate {
  /** Name of the Issuer. */
  readonly issuer: string;
  /** Name of the Certificate. */
  readonly certificate: string;
  /** The Secret the webhook mounts. */
  readonly secretName: string;
  /** The Service the webhook configurations call. */
  readonly service: string;
  readonly namespace: string;
  /** Also set the subject's common name to the Service's DNS name (for servers that check it). */
  readonly commonName?: boolean;
}

/** Adds the Issuer and Certificate; returns the annotation that has the CA injected into a webhook configuration. */
export function addWebhookCertificate(scope: Construct, ctx: AddonContext, cert: WebhookCertificate): Record<string, string> {
  const host = `${cert.service}.${cert.namespace}.svc`;
  new ApiObject(scope, "issuer", {
    apiVersion: "cert-manager.io/v1", kind: "Issuer",
    metadata: meta(ctx, cert.issuer, { wave: "foundation", annotations: SKIP_DRY_RUN }),
    spec: { selfSigned: {} },
  });
  new ApiObject(scope, "certificate", {
    apiVersion: "cert-manager.io/v1", kind: "Certificate",
    metadata: meta(ctx, cert.certificate, { wave: "foundation", annotations: SKIP_DRY_RUN }),
    spec: {
      secretName: cert.secretName,
      ...(cert.commonName ? { commonName: host } : {}),
      dnsNames: [host, `${host}.cluster.local`],
      issuerRef: { kind: "Issuer", name: cert.issuer },
      duration: "8760h",
      renewBefore: "720h",
      privateKey: { rotationPolicy: "Always", algorithm: "ECDSA", size: 256 },
    },
  });
  return { "cert-manager.io/inject-ca-from": `${cert.namespace}/${cert.certificate}` };
}

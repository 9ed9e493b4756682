/**
 * A Kubernetes object as render writes it: plain JSON with apiVersion, kind and metadata. The one
 * type every producer (apps, tenants, add-ons, Argo CD) returns and render, diff and validate read.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

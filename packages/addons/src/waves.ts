/**
 * Sync ordering, documented in one place.
 *
 * Between add-ons (the wave of each add-on's Argo CD Application):
 * - an add-on's CRDs are an Application of their own that the bootstrap applies, and waits for,
 *   before any add-on Application exists (see @slipway/argocd, "Bootstrap order"); the wave
 *   numbers below document the order of the add-on Applications, which Argo CD does not enforce
 *   between Applications of an ApplicationSet;
 * - `core` add-ons need nothing else (cert-manager, karpenter, ...);
 * - `dependent` add-ons use another add-on's CRDs or webhooks (the load balancer controller's and
 *   external-secrets' webhook certificates come from cert-manager; kyverno policies must not block
 *   the core add-ons while they start);
 * - `observers` reach into every other add-on's namespace (monitoring's ServiceMonitors).
 *
 * Inside one add-on (the `argocd.argoproj.io/sync-wave` annotation on each object):
 * namespaces, ServiceAccounts, RBAC and config → controllers and their Services →
 * admission webhooks and APIServices (their backends are up by then) → configuration
 * custom resources (validated by those webhooks).
 */
export const AddonWave = { core: 10, dependent: 20, observers: 30 } as const;

export const ResourceWave = { foundation: -1, controller: 0, admission: 1, configuration: 2 } as const;
export type ResourceWaveName = keyof typeof ResourceWave;

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

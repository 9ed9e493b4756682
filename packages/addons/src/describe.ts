/** What Argo CD needs to sync an add-on: namespace, wave, CRD source, apply mode. */
import { FleetConsistencyError, closest, type AddonChoice } from "@slipway/core";
import { addonNames, findAddon } from "./registry";
import { SELF_REPO, type AddonDescription, type AnyAddonModule } from "./types";

export function upstreamTag(module: AnyAddonModule, version: string): string {
  return module.tag ? module.tag(version) : `v${version.replace(/^v/, "")}`;
}

export function requireAddon(name: string, location: { file?: string; field?: string } = {}): AnyAddonModule {
  const module = findAddon(name);
  if (module) return module;
  const guess = closest(name, addonNames());
  throw new FleetConsistencyError(`unknown add-on \`${name}\``, {
    ...location,
    expected: addonNames().join(" | "),
    received: name,
    hint: guess ? `did you mean \`${guess}\`?` : "use one of the add-ons of @slipway/addons, or add a module for it to packages/addons",
  });
}

/**
 * Describes one add-on for the Argo CD library. Sync waves: namespaces and CRDs → controllers →
 * configuration (see waves.ts); the CRD source, if any, syncs at `syncWave - 1`, always
 * server-side applied.
 */
export function describeAddon(name: string, choice: AddonChoice): AddonDescription {
  const module = requireAddon(name);
  const tag = upstreamTag(module, choice.version);
  const source = module.crds?.source;
  return {
    name: module.name,
    namespace: module.namespace,
    syncWave: module.syncWave,
    ...(source
      ? {
          crds:
            source.from === "upstream"
              ? { repoURL: source.repoURL, path: source.path, targetRevision: tag, ...(source.include ? { include: source.include } : {}), ...(source.recurse ? { recurse: true } : {}) }
              : { repoURL: SELF_REPO, path: crdKustomizationPath(source.path, tag), targetRevision: "HEAD", kustomize: true },
        }
      : {}),
    serverSideApply: module.serverSideApply,
  };
}

/** This repository's directory holding the kustomization of a release-asset CRD source at a tag. */
export function crdKustomizationPath(path: string, tag: string): string {
  return path.replace("{version}", tag);
}

/** Fleet-wide settings (read by `slipway render` and `slipway argocd preview`). */
import type { FleetSettingsInput } from "@slipway/core";

export default {
  repository: {
    // This repository as Argo CD clones it; every generated Application and ApplicationSet reads from it.
    url: "https://github.com/acme/fleet.git",
    // The branch Argo CD follows.
    revision: "main",
  },
  argocd: {
    // Namespace Argo CD runs in, on each cluster (in-cluster topology) or on the hub.
    namespace: "argocd",
  },
} satisfies FleetSettingsInput;

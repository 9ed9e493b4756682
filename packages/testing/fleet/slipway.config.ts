/** Fleet-wide settings of the fixture fleet (read by `slipway render` and `slipway argocd preview`). */
import type { FleetSettingsInput } from "@slipway/core";

export default {
  repository: {
    url: "https://github.com/fixture/fleet.git",
    revision: "main",
  },
  argocd: {
    namespace: "argocd",
  },
} satisfies FleetSettingsInput;

import type { RenderStep } from "./apply";

/** The real render (`@slipway/render`), loaded on first use so commands that never render stay light. */
export const renderWithSlipway: RenderStep = async (root) => {
  const { renderFleet } = await import("@slipway/render");
  await renderFleet({ root, mode: "write" });
};

export { applyPlan, type ApplyOptions, type ApplyResult, type RenderStep } from "./apply";
export { environmentNamed, loadReleaseChain, type ChainEnvironment, type ReleaseChain } from "./chain";
export { PromotionError } from "./errors";
export { describeRelease, parseImageReference, sameRelease, shortDigest, writeReleases, type ImageReference } from "./lock-file";
export { planPromotion, planRelease, type Plan, type PromotionRequest, type ReleaseMove, type ReleaseRequest } from "./plan";
export { commitMessage, commitTitle, openPullRequest, pullRequestParts, releaseTable, type OpenedPullRequest } from "./pull-request";
export { renderWithSlipway } from "./render-step";
export { computeStatus, formatStatusJson, formatStatusMarkdown, formatStatusText, type FleetStatus, type StatusCell } from "./status";

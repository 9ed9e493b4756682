export { diffTrees, diffRevisions, compareResources, totals, environmentLabel, riskLines, type RiskLine, type TreeDiff, type ResourceDiff, type ResourceStatus, type SummaryRow } from "./diff";
export { diffObjects, deepEqual, formatPath, isSecretLikeName, isSensitivePath, listKey, maskValue, MASK, type FieldChange, type PathSegment } from "./field-diff";
export { GitError, readTreeAt, repositoryRoot, resolveRevision, runGit, type GitResult } from "./git";
export { GitHubApiError, GitHubClient, parseRepositoryUrl, repositoryFromRemote, type GitHubClientOptions, type IssueComment, type PullRequest } from "./github";
export { formatMarkdown, GITHUB_COMMENT_LIMIT, PART_MARKER, PART_MARKER_PATTERN, type MarkdownOptions } from "./markdown";
export { assessRisks, images, isPublic, type RiskFlag, type RiskOptions, type RiskRule } from "./risk";
export { formatJson, formatText, type TextOptions } from "./text";
export { buildTree, CLUSTER_WIDE, CLUSTERS_DIR, compare, loadTreeFromDir, loadTreeFromGit, RenderedTreeError, resourceKey, type RenderedResource, type RenderedTree, type ResourceRef } from "./tree";
export { changeLines, inlineValue, lineDiff, yamlText } from "./values";

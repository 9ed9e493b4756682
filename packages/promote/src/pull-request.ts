/** The promotion pull request: title, release table, and the rendered diff (split if large). */
import { formatMarkdown, GITHUB_COMMENT_LIMIT, type GitHubClient, type PullRequest, type TreeDiff } from "@slipway/diff";
import type { Plan } from "./plan";
import { shortDigest } from "./lock-file";
import { describeAddonMove } from "./addon-plan";

export function commitTitle(plan: Plan): string {
  const apps = [...plan.moves.map((m) => `${m.app} ${m.after.tag}`), ...addonTitles(plan)].join(", ");
  return plan.action === "promote" ? `promote(${plan.target.name}): ${apps} from ${plan.source!.name}` : plan.action === "rollback" ? `rollback(${plan.target.name}): ${apps}` : `release(${plan.target.name}): ${apps}`;
}

export function commitMessage(plan: Plan): string {
  const lines = plan.moves.map((m) => `- ${m.app}: ${m.before ? `${m.before.tag} → ` : ""}${m.after.tag} ${m.after.digest} (commit ${m.after.commit}${m.after.definition ? `, definition ${m.after.definition}` : ""})`);
  lines.push(...(plan.addonMoves ?? []).map((m) => `- add-on ${describeAddonMove(m)} (definition ${m.after.definition})`));
  const override = plan.override ? `\n\nHealth gate overridden by ${plan.override.by}: ${plan.override.reason}` : "";
  return `${commitTitle(plan)}\n\n${lines.join("\n")}${override}\n\nWritten by slipway ${plan.action}.\n`;
}

/** `1a2b3c4d5e6f`, or `working tree` for an environment that follows it. */
function definitionText(definition: string | undefined): string {
  return definition ? `\`${definition.slice(0, 12)}\`` : "working tree";
}

/** `metrics-server v0.8.1 on prod-use1`, one per add-on (its clusters joined). */
function addonTitles(plan: Plan): string[] {
  const byAddon = new Map<string, { version: string; clusters: string[] }>();
  for (const m of plan.addonMoves ?? []) (byAddon.get(m.addon) ?? byAddon.set(m.addon, { version: m.after.version, clusters: [] }).get(m.addon)!).clusters.push(m.cluster);
  return [...byAddon].map(([addon, { version, clusters }]) => `${addon} ${version} on ${clusters.join("+")}`);
}

/** Markdown table of the add-on pins a plan writes, cluster by cluster. */
export function addonTable(plan: Plan): string {
  const moves = plan.addonMoves ?? [];
  if (moves.length === 0) return "";
  const head = `| add-on | cluster | rollout step | version now | version after | definition now | definition after |\n|---|---|---|---|---|---|---|\n`;
  const rows = moves.map((m) => `| \`${m.addon}\` | \`${m.cluster}\` | ${m.step} of ${m.steps} | \`${m.before.version}\` | **\`${m.after.version}\`** | ${definitionText(m.before.commit)} | **${definitionText(m.after.definition)}** |\n`);
  const later = moves.filter((m) => m.step < m.steps && !m.pinOnly);
  const next = later.length ? `\nThe next rollout step gets it from the next \`slipway promote --addon ${[...new Set(later.map((m) => m.addon))].join(" --addon ")} --to ${plan.target.name}\`, once this one is merged and healthy.\n` : "";
  return head + rows.join("") + next;
}

/** Markdown table of the releases a plan moves: image and definition, before and after. */
export function releaseTable(plan: Plan): string {
  if (plan.moves.length === 0) return addonTable(plan);
  const head = `| app | ${plan.target.name} now | ${plan.target.name} after | digest | source commit | definition now | definition after |\n|---|---|---|---|---|---|---|\n`;
  const rows = plan.moves.map((m) => {
    const changed = m.before?.definition !== m.after.definition;
    const after = changed ? `**${definitionText(m.after.definition)}**` : definitionText(m.after.definition);
    return `| \`${m.app}\` | ${m.before ? `\`${m.before.tag}\`` : "—"} | **\`${m.after.tag}\`** | \`${shortDigest(m.after.digest)}\` | \`${m.after.commit.slice(0, 12)}\` | ${m.before ? definitionText(m.before.definition) : "—"} | ${after} |\n`;
  });
  return head + rows.join("") + (plan.addonMoves?.length ? `\n${addonTable(plan)}` : "");
}

/** What the pull request says about the health gate. */
export function gateSection(plan: Plan): string {
  if (plan.override) return `> [!WARNING]\n> **Health gate overridden** by ${plan.override.by}: ${plan.override.reason}\n${plan.gate ? `>\n> The gate said: ${plan.gate.problems.join("; ")}\n` : ""}\n`;
  if (plan.gate) return `Health gate: ${plan.gate.summary}\n\n`;
  return "";
}

export function pullRequestParts(plan: Plan, diff: TreeDiff): { title: string; body: string; comments: string[] } {
  const intro =
    plan.action === "promote" && plan.moves.length === 0
      ? `## Promote add-ons to \`${plan.target.name}\` from \`${plan.source!.name}\`\n\nAdd-on definitions (version and values of \`addons/<addon>.ts\`) pinned in \`${plan.target.releasesFile}\` for one rollout step of clusters, then re-rendered. Written by \`slipway promote\`.\n\n${gateSection(plan)}`
      : plan.action === "rollback" && plan.moves.length === 0
      ? `## Roll back add-ons in \`${plan.target.name}\`\n\nThe previous add-on pins of ${plan.target.name} restored from the history of \`${plan.target.releasesFile}\`, then re-rendered. Written by \`slipway rollback\`.\n\n`
      : plan.action === "promote"
      ? `## Promote to \`${plan.target.name}\` from \`${plan.source!.name}\`\n\nReleases (image and app definition) copied from \`${plan.source!.releasesFile}\` to \`${plan.target.releasesFile}\`, then re-rendered. Written by \`slipway promote\`.\n\n${gateSection(plan)}`
      : plan.action === "rollback"
      ? `## Roll back \`${plan.target.name}\`\n\nThe previous release of ${plan.target.name} restored from the history of \`${plan.target.releasesFile}\`, then re-rendered. Written by \`slipway rollback\`.\n\n`
      : `## Release into \`${plan.target.name}\`\n\nA new build recorded in \`${plan.target.releasesFile}\`, then re-rendered. Written by \`slipway release\`.\n\n`;
  const already = [...plan.unchanged, ...(plan.unchangedAddons ?? [])];
  const lead = intro + releaseTable(plan) + (already.length ? `\nAlready in ${plan.target.name}: ${already.map((a) => `\`${a}\``).join(", ")}.\n` : "") + "\n";
  const parts = formatMarkdown(diff, { maxChars: GITHUB_COMMENT_LIMIT - lead.length - 100 });
  return { title: commitTitle(plan), body: lead + parts[0]!, comments: parts.slice(1) };
}

export interface OpenedPullRequest {
  readonly number: number;
  readonly url: string;
  readonly created: boolean;
  readonly comments: number;
}

/** Opens the pull request, or updates the open one for the same branch; extra diff parts go in comments. */
export async function openPullRequest(client: GitHubClient, plan: Plan, diff: TreeDiff, base: string, existing: PullRequest | undefined): Promise<OpenedPullRequest> {
  const { title, body, comments } = pullRequestParts(plan, diff);
  const pull = existing ? await client.updatePullRequest(existing.number, { title, body }) : await client.createPullRequest({ title, head: plan.branch, base, body });
  await client.syncDiffComments(pull.number, comments.map((c, i) => ({ part: i + 2, body: c })));
  return { number: pull.number, url: pull.html_url, created: !existing, comments: comments.length };
}

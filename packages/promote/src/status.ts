/**
 * `slipway status`: apps × environments — which release runs where, what is promotable, and
 * where the rendered tree drifts from the lock files.
 */
import { images, loadTreeFromDir } from "@slipway/diff";
import type { Release } from "@slipway/core";
import type { ReleaseChain } from "./chain";
import { sameRelease, shortDigest } from "./lock-file";
import { addonOrigin, planAddonMoves } from "./addon-plan";

export interface StatusCell {
  readonly release?: Release;
  /** The definition revision it renders: the pinned fleet commit, or `working-tree` (the first environment). */
  readonly definition?: string;
  /** The previous environment runs a different release — another image, or another definition — that can be promoted here. */
  readonly promotable?: Release;
  /** What promoting would change: `image`, `definition`, or both. */
  readonly promotableChanges?: readonly ("image" | "definition")[];
  /** Problems: the rendered tree disagrees with the lock file, or the app is here but not upstream. */
  readonly drift: readonly string[];
}

/** What one cluster renders of an add-on. */
export interface AddonStatusCell {
  readonly version: string;
  /** The pinned fleet commit, or `working-tree`. */
  readonly definition: string;
}

export interface AddonStatus {
  /** cells[addon][env][cluster], the clusters in rollout order */
  readonly cells: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, AddonStatusCell>>>>>>;
  /** What `slipway promote --addon` would move next, one line per add-on and environment. */
  readonly promotable: readonly { readonly addon: string; readonly env: string; readonly version: string; readonly clusters: readonly string[]; readonly step: number; readonly steps: number; readonly pinOnly: boolean }[];
  /** An environment whose clusters run different definitions of an add-on: it is rolling out. */
  readonly rollingOut: readonly { readonly addon: string; readonly env: string }[];
}

export interface FleetStatus {
  readonly environments: readonly string[];
  readonly apps: readonly string[];
  /** cells[app][env] */
  readonly cells: Readonly<Record<string, Readonly<Record<string, StatusCell>>>>;
  /** The fleet's last commit: what the first environment's working-tree definitions are, and what promoting them pins. */
  readonly head?: string;
  readonly addons: AddonStatus;
}

export function computeStatus(root: string, chain: ReleaseChain): FleetStatus {
  const environments = chain.environments.map((e) => e.name);
  const apps = [...new Set([...chain.apps.keys(), ...chain.environments.flatMap((e) => Object.keys(e.releases))])].sort();
  const rendered = renderedImages(root);
  const cells: Record<string, Record<string, StatusCell>> = {};
  for (const app of apps) {
    cells[app] = {};
    for (const env of chain.environments) {
      const release = env.releases[app];
      const upstream = env.promotesFrom ? chain.environments.find((e) => e.name === env.promotesFrom)!.releases[app] : undefined;
      const drift: string[] = [];
      if (release && env.promotesFrom && !upstream) drift.push(`runs a release ${env.promotesFrom} does not have`);
      if (release) {
        const expected = `${release.image}:${release.tag}@${release.digest}`;
        const seen = [...(rendered.get(`${env.name}/${app}`) ?? [])].filter((image) => image.startsWith(`${release.image}:`) || image.startsWith(`${release.image}@`));
        const wrong = seen.filter((image) => image !== expected);
        if (wrong.length > 0) drift.push(`rendered image ${wrong[0]} is not the locked release: run \`slipway render\``);
      }
      const source = env.promotesFrom ? chain.environments.find((e) => e.name === env.promotesFrom)! : undefined;
      const changes: ("image" | "definition")[] = [];
      if (upstream && (!release || upstream.digest !== release.digest || upstream.tag !== release.tag)) changes.push("image");
      const here = env.definitions[app];
      const there = source?.definitions[app];
      if (upstream && there && (!here || here.digest !== there.digest)) changes.push("definition");
      if (upstream && release && changes.length === 0 && !sameRelease({ ...upstream, promotedFrom: undefined, definition: undefined }, { ...release, promotedFrom: undefined, definition: undefined })) changes.push("image");
      cells[app][env.name] = {
        ...(release ? { release } : {}),
        ...(release ? { definition: here?.commit ?? "working-tree" } : {}),
        ...(changes.length > 0 ? { promotable: upstream!, promotableChanges: changes } : {}),
        drift,
      };
    }
  }
  return { environments, apps, cells, ...(chain.head ? { head: chain.head } : {}), addons: addonStatus(chain) };
}

function addonStatus(chain: ReleaseChain): AddonStatus {
  const cells: Record<string, Record<string, Record<string, AddonStatusCell>>> = {};
  const promotable: AddonStatus["promotable"][number][] = [];
  const rollingOut: AddonStatus["rollingOut"][number][] = [];
  for (const addon of [...chain.addons].sort()) {
    cells[addon] = {};
    for (const env of chain.environments) {
      const byCluster = env.addons[addon] ?? {};
      const clusters = env.waves.flat().filter((c) => byCluster[c]);
      if (clusters.length === 0) continue;
      cells[addon][env.name] = Object.fromEntries(clusters.map((c) => [c, { version: byCluster[c]!.version, definition: byCluster[c]!.commit ?? "working-tree" }]));
      if (new Set(clusters.map((c) => byCluster[c]!.digest)).size > 1) rollingOut.push({ addon, env: env.name });
      if (!env.promotesFrom) continue;
      const origin = addonOrigin(chain, env, addon);
      if (origin && new Set(Object.values(origin.addons[addon]!).map((r) => r.digest)).size > 1) continue;
      const { moves } = planAddonMoves(chain, env, [addon]);
      if (moves.length > 0) promotable.push({ addon, env: env.name, version: moves[0]!.after.version, clusters: moves.map((m) => m.cluster), step: moves[0]!.step, steps: moves[0]!.steps, pinOnly: moves.every((m) => m.pinOnly) });
    }
  }
  return { cells, promotable, rollingOut };
}

function addonCellText(byCluster: Readonly<Record<string, AddonStatusCell>> | undefined, markdown: boolean): string {
  if (!byCluster) return "—";
  const code = (s: string) => (markdown ? `\`${s}\`` : s);
  return Object.entries(byCluster).map(([cluster, cell]) => `${cluster} ${code(cell.version)} def ${code(cell.definition === "working-tree" ? "tree" : cell.definition.slice(0, 7))}`).join(", ");
}

/** The add-ons × environments table (each cell: the environment's clusters in rollout order), or nothing for a fleet without add-ons. */
function addonSection(status: FleetStatus, markdown: boolean): string {
  const names = Object.keys(status.addons.cells);
  if (names.length === 0) return "";
  const notes = [
    ...status.addons.promotable.map((p) => p.pinOnly
      ? `unpinned: add-on ${p.addon} on ${p.clusters.join(", ")} follows the working tree, so an edit of its definition reaches ${p.env} directly: slipway promote --addon ${p.addon} --to ${p.env} pins it`
      : `promotable: add-on ${p.addon} ${p.version} → ${p.env} on ${p.clusters.join(", ")}${p.steps > 1 ? ` (rollout step ${p.step} of ${p.steps})` : ""}: slipway promote --addon ${p.addon} --to ${p.env}`),
    ...status.addons.rollingOut.map((r) => `rolling out: add-on ${r.addon} in ${r.env} (its clusters run different definitions)`),
  ];
  const legendText = notes.map((n) => (markdown ? `- ${n}` : `  ${n}`)).join("\n") + (notes.length ? "\n" : "");
  if (markdown) {
    const head = `| add-on | ${status.environments.join(" | ")} |\n|---|${status.environments.map(() => "---").join("|")}|\n`;
    const rows = names.map((addon) => `| \`${addon}\` | ${status.environments.map((env) => addonCellText(status.addons.cells[addon]![env], true)).join(" | ")} |\n`);
    return `\n${head}${rows.join("")}\n${legendText}`;
  }
  const rows = [["add-on", ...status.environments], ...names.map((addon) => [addon, ...status.environments.map((env) => addonCellText(status.addons.cells[addon]![env], false))])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `\n${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")}\n${legendText}`;
}

/** Container images per `<env>/<app>` across every cluster's rendered tree. */
function renderedImages(root: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const resource of loadTreeFromDir(root).resources.values()) {
    if (!resource.environment) continue;
    const key = `${resource.environment}/${resource.group}`;
    for (const image of images(resource.object).values()) (out.get(key) ?? out.set(key, new Set()).get(key)!).add(image);
  }
  return out;
}

function cellText(cell: StatusCell | undefined, markdown: boolean): string {
  if (!cell) return "";
  const code = (s: string) => (markdown ? `\`${s}\`` : s);
  let text = cell.release ? `${code(cell.release.tag)} ${code(cell.release.digest.slice(7, 14))} def ${code(cell.definition === "working-tree" ? "tree" : cell.definition!.slice(0, 7))}` : "—";
  if (cell.promotable) text += ` ⇐ ${cell.promotableChanges!.includes("image") ? code(cell.promotable.tag) : ""}${cell.promotableChanges!.includes("definition") ? `${cell.promotableChanges!.includes("image") ? "+" : ""}def` : ""}`;
  if (cell.drift.length) text += " ⚠";
  return text;
}

export function formatStatusText(status: FleetStatus): string {
  const rows = [["app", ...status.environments], ...status.apps.map((app) => [app, ...status.environments.map((env) => cellText(status.cells[app]![env], false))])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  return `${lines.join("\n")}\n${definitionNote(status)}\n${legend(status, false)}${addonSection(status, false)}`;
}

export function formatStatusMarkdown(status: FleetStatus): string {
  const head = `| app | ${status.environments.join(" | ")} |\n|---|${status.environments.map(() => "---").join("|")}|\n`;
  const rows = status.apps.map((app) => `| \`${app}\` | ${status.environments.map((env) => cellText(status.cells[app]![env], true)).join(" | ")} |\n`);
  return `${head}${rows.join("")}\n${definitionNote(status)}\n\n${legend(status, true)}${addonSection(status, true)}`;
}

/** How to read the `def` column: in the first environment, the working tree is HEAD's definition once committed, which is what promoting it pins. */
function definitionNote(status: FleetStatus): string {
  return `def: the fleet commit whose app definition the environment renders (tree: the working tree${status.head ? `, which promotion pins at HEAD ${status.head.slice(0, 12)}` : ""}).`;
}

function legend(status: FleetStatus, markdown: boolean): string {
  const notes: string[] = [];
  for (const app of status.apps) {
    for (const env of status.environments) {
      const cell = status.cells[app]![env]!;
      if (cell.promotable) notes.push(`promotable: ${app} ${cell.promotable.tag} (${shortDigest(cell.promotable.digest)}) → ${env}, changing its ${cell.promotableChanges!.join(" and ")}: slipway promote ${app} --to ${env}`);
      for (const d of cell.drift) notes.push(`drift: ${app} in ${env} ${d}`);
    }
  }
  if (notes.length === 0) return markdown ? "Every environment runs what its lock file says; nothing to promote.\n" : "Nothing to promote, no drift.\n";
  return notes.map((n) => (markdown ? `- ${n}` : `  ${n}`)).join("\n") + "\n";
}

export function formatStatusJson(status: FleetStatus): string {
  return JSON.stringify(status, null, 2) + "\n";
}

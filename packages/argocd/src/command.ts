/** `slipway argocd preview`: list the Applications each cluster's Argo CD would create, and what is wrong with them. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { previewCluster, renderedClusters, type ClusterPreview, type PreviewApplication } from "./preview";

export interface ArgocdCommandIO {
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly color: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export const argocdHelp = `Usage: slipway argocd preview [--cluster C] [--json]

Evaluates the ApplicationSets rendered under clusters/<cluster>/argocd/ against the rendered
tree on disk and lists every Application Argo CD would create: name, project, source path and
destination (and, for a progressive rollout, the RollingSync step that syncs it). Exits 1 if an
Application would point at a missing or empty directory, if two would share a name, if a
generator path matches nothing, if an Application (or an object it deploys) falls outside its
AppProject, or if an Application of a progressive rollout matches none of its RollingSync steps.

Options:
  --cluster C     only this cluster (default: every rendered cluster)
  --json          machine-readable output
  -h, --help      show this help

Exit codes: 0 ok, 1 problems found, 2 usage error.`;

function findRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "environments")) && existsSync(join(dir, "clusters"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function destinationText(app: PreviewApplication): string {
  const d = app.destination;
  return `${d.name ?? d.server ?? "?"}${d.namespace ? `/${d.namespace}` : ""}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

export async function runArgocdCommand(argv: string[], io: ArgocdCommandIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h" || sub === "help" || rest.includes("--help") || rest.includes("-h")) {
    io.stdout(argocdHelp);
    return 0;
  }
  if (sub !== "preview") {
    io.stderr(`slipway argocd: ${sub ? `unknown subcommand \`${sub}\`` : "missing subcommand"}\n\n${argocdHelp}`);
    return 2;
  }
  let values: { cluster?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: { cluster: { type: "string" }, json: { type: "boolean", default: false } }, strict: true, allowPositionals: false }));
  } catch (error) {
    io.stderr(`slipway argocd preview: ${(error as Error).message}\n\n${argocdHelp}`);
    return 2;
  }
  const root = findRoot(io.cwd);
  if (!root) {
    io.stderr("slipway argocd preview: not inside a Slipway fleet repository (no `environments/` and `clusters/` here or above); run it from the repository root");
    return 2;
  }
  const known = renderedClusters(root);
  if (values.cluster !== undefined && !known.includes(values.cluster)) {
    io.stderr(`slipway argocd preview: unknown cluster \`${values.cluster}\`\n  expected: ${known.join(" | ") || "a rendered cluster"}\n  fix: pass a cluster under clusters/ (run \`npx slipway render\` first)`);
    return 2;
  }
  const clusters = values.cluster !== undefined ? [values.cluster] : known;
  const previews: (ClusterPreview & { cluster: string })[] = clusters.map((cluster) => ({ cluster, ...previewCluster(root, cluster) }));
  const problems = previews.flatMap((p) => p.problems);

  if (values.json) {
    io.stdout(JSON.stringify({ clusters: previews, problems: problems.length }, null, 2));
    return problems.length ? 1 : 0;
  }
  const paint = (code: number) => (text: string) => (io.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const [red, green, bold, dim] = [paint(31), paint(32), paint(1), paint(2)];
  const lines: string[] = [];
  for (const p of previews) {
    lines.push(bold(`${p.cluster}: ${p.applications.length} Application${p.applications.length === 1 ? "" : "s"}`));
    if (p.applications.length) {
      // The rollout step column appears only where a RollingSync set generates Applications.
      const steps = p.applications.some((a) => a.rolloutStep !== undefined);
      const rows = [["NAME", "PROJECT", "WAVE", ...(steps ? ["STEP"] : []), "SOURCE", "DESTINATION"], ...p.applications.map((a) => [
        a.name,
        a.project,
        a.syncWave ?? "",
        ...(steps ? [a.rolloutStep === undefined ? "" : String(a.rolloutStep)] : []),
        a.source.local ? a.source.path : `${a.source.repoURL}//${a.source.path}@${a.source.targetRevision ?? "HEAD"}`,
        destinationText(a),
      ])];
      const [head, ...body] = table(rows);
      lines.push(dim(`  ${head}`), ...body.map((r) => `  ${r}`));
    }
    lines.push("");
  }
  io.stdout(lines.join("\n"));
  if (problems.length === 0) {
    io.stdout(green(`No problems in ${previews.length} cluster${previews.length === 1 ? "" : "s"}.`));
    return 0;
  }
  io.stderr(red(`${problems.length} problem${problems.length === 1 ? "" : "s"}:`));
  for (const pr of problems) {
    io.stderr([`${pr.file ? `${pr.file}: ` : ""}${pr.message} (cluster ${pr.cluster}) [${pr.code}]`, ...(pr.hint ? [`  fix: ${pr.hint}`] : [])].join("\n"));
  }
  return 1;
}

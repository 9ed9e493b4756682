/** `slipway argocd preview`: the Applications each cluster's Argo CD would create, and what is wrong with them. */
import { parseArgs } from "node:util";
import { UsageError, unknownName } from "@slipway/core";
import { previewCluster, renderedClusters, type ClusterPreview, type PreviewApplication } from "@slipway/argocd";
import { ExitCode, type CommandStatus } from "../exit-codes";
import { paint, type CommandIO } from "../io";
import { findFleetRoot } from "../root";

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

Exit codes: 0 ok, 1 problems found, 2 usage error (an unknown option or cluster).`;

function destinationText(app: PreviewApplication): string {
  const d = app.destination;
  return `${d.name ?? d.server ?? "?"}${d.namespace ? `/${d.namespace}` : ""}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

export async function argocdCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const [sub, ...rest] = argv;
  if (sub !== "preview") throw sub === undefined ? new UsageError("missing subcommand", { expected: "preview" }) : unknownName("subcommand", sub, ["preview"]);
  const { values } = parseArgs({ args: rest, options: { cluster: { type: "string" }, json: { type: "boolean", default: false } }, strict: true, allowPositionals: false });
  const root = findFleetRoot(io.cwd);
  const known = renderedClusters(root);
  if (values.cluster !== undefined && !known.includes(values.cluster)) {
    throw unknownName("rendered cluster", values.cluster, known, { flag: "--cluster", hint: "preview reads the rendered tree: a rendered cluster has a clusters/<cluster>/rendered.json (`npx slipway render` writes it)" });
  }
  const clusters = values.cluster !== undefined ? [values.cluster] : known;
  const previews: (ClusterPreview & { cluster: string })[] = clusters.map((cluster) => ({ cluster, ...previewCluster(root, cluster) }));
  const problems = previews.flatMap((p) => p.problems);

  if (values.json) {
    io.stdout(JSON.stringify({ clusters: previews, problems: problems.length }, null, 2));
    return problems.length ? ExitCode.failure : ExitCode.ok;
  }
  const { red, green, bold, dim } = paint(io);
  const lines: string[] = [];
  for (const p of previews) {
    lines.push(bold(`${p.cluster}: ${p.applications.length} Application${p.applications.length === 1 ? "" : "s"}`));
    if (p.applications.length) {
      // The rollout step column appears only where a RollingSync set generates Applications.
      const steps = p.applications.some((a) => a.rolloutStep !== undefined);
      const rows = [["NAME", "PROJECT", "WAVE", ...(steps ? ["STEP"] : []), "ON REMOVAL", "SOURCE", "DESTINATION"], ...p.applications.map((a) => [
        a.name,
        a.project,
        a.syncWave ?? "",
        ...(steps ? [a.rolloutStep === undefined ? "" : String(a.rolloutStep)] : []),
        a.onRemoval === "cascade" ? "deletes workloads" : a.onRemoval ?? "",
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
    return ExitCode.ok;
  }
  io.stderr(red(`${problems.length} problem${problems.length === 1 ? "" : "s"}:`));
  for (const pr of problems) {
    io.stderr([`${pr.file ? `${pr.file}: ` : ""}${pr.message} (cluster ${pr.cluster}) [${pr.code}]`, ...(pr.hint ? [`  fix: ${pr.hint}`] : [])].join("\n"));
  }
  return ExitCode.failure;
}

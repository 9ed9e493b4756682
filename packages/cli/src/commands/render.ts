/** `slipway render`: render the fleet into clusters/, or check that the committed tree is current. */
import { parseArgs } from "node:util";
import { UsageError } from "@slipway/core";
import { parseShard, renderFleet, renderShard } from "@slipway/render";
import { ExitCode, type CommandStatus } from "../exit-codes";
import { checkNameFilter } from "../fleet-names";
import { paint, type CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const renderHelp = `Usage: slipway render [--check | --repair] [--cluster C] [--env E] [--app A] [--shard K/N] [--json]

Renders apps, tenants, add-ons and Argo CD objects into plain YAML under clusters/<cluster>/.
Only changed files are rewritten; files render no longer produces are deleted; the swap is atomic.
Units whose inputs did not change are carried over from the last render (cache in .slipway/).

Options:
  --check         write nothing and use no cache; exit 1 listing every file that differs from what
                  render produces, and every file under clusters/ that render does not own
  --repair        re-render every file from the definitions (no cache, a damaged journal discarded)
                  and delete every file under clusters/ that render does not own
  --cluster C     only this cluster (clusters/<C>/cluster.ts)
  --env E         only this environment (environments/<E>/environment.ts)
  --app A         only this app (apps/<tenant>/<A>/app.ts)
  --shard K/N     only shard K of N (1 ≤ K ≤ N), for a CI matrix: the clusters are split into N
                  shards balanced by app instances, deterministically; each shard renders (or
                  checks) all of its clusters, index and README included, and writes nothing
                  else, so the union of the N shards' clusters/ directories is the single render
  --json          machine-readable summary
  -h, --help      show this help

Exit codes: 0 rendered (or --check: up to date), 1 the fleet does not render (or --check: differences),
2 usage error (an unknown option, cluster, environment or app).`;

export async function renderCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      repair: { type: "boolean", default: false },
      cluster: { type: "string" },
      env: { type: "string" },
      app: { type: "string" },
      shard: { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.check && values.repair) throw new UsageError("--check and --repair exclude each other", { hint: "--check only reads; --repair rewrites the tree" });
  const mode = values.check ? "check" : values.repair ? "repair" : "write";
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (shard && (values.cluster || values.env || values.app)) throw new UsageError("--shard renders whole clusters: it does not combine with --cluster, --env or --app", { field: "--shard", hint: "pass either --shard or the filters" });
  const root = findFleetRoot(io.cwd);
  const filter = { cluster: values.cluster, env: values.env, app: values.app };
  checkNameFilter(root, filter);
  const started = performance.now();
  const sharded = shard ? await renderShard({ root, mode }, shard) : undefined;
  const result = sharded ?? (await renderFleet({ root, mode, filter }));
  if (shard && sharded && !values.json) io.stderr(`shard ${shard.index}/${shard.count}: ${sharded.clusters.length > 0 ? sharded.clusters.join(", ") : "no cluster (more shards than clusters)"}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const c = paint(io);
  if (values.json) {
    io.stdout(JSON.stringify({ mode, ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}), ...result, seconds: Number(seconds) }, null, 2));
  } else if (values.check) {
    if (result.differences.length === 0) io.stdout(c.green(`clusters/ is up to date (${result.objects} objects checked in ${seconds}s)`));
    else {
      io.stdout(c.red(`clusters/ differs from what render produces in ${result.differences.length} file(s):`));
      for (const line of result.differences) io.stdout(`  ${line}`);
      io.stdout("Run `npx slipway render` and commit the result (a file edited or added by hand is put right by `npx slipway render --repair`).");
    }
  } else {
    for (const path of result.written) io.stdout(`${c.green("wrote  ")} ${path}`);
    for (const path of result.deleted) io.stdout(`${c.red("deleted")} ${path}`);
    io.stdout(`rendered ${result.objects} objects: ${result.written.length} written, ${result.deleted.length} deleted, ${result.unchanged} unchanged (${seconds}s)`);
  }
  return values.check && result.differences.length > 0 ? ExitCode.failure : ExitCode.ok;
}

/** `slipway addons check-sources`: every add-on's CRD source checked against GitHub at the tag the fleet pins. */
import { parseArgs } from "node:util";
import { UsageError, unknownName } from "@slipway/core";
import { ExitCode, type CommandStatus } from "../exit-codes";
import { paint, type CommandIO } from "../io";
import { findFleetRoot } from "../root";

export const addonsHelp = `Usage: slipway addons check-sources [--addon NAME] [--json]

For each add-on the fleet pins in addons/*.ts that has CRDs, asks the GitHub API for the pinned
tag and reads the add-on's CRD source as Argo CD will: the files of the source directory in the
tag's tree (recursively if the source says so, hidden directories skipped, manifest extensions
only) that its directory.include matches, and each file's content; or, for a release asset, the
release of the tag, the asset, and this repository's kustomization that fetches it. Fails when a
tag, path, release or asset is not there, an include matches nothing, a file is a template or
holds anything but CustomResourceDefinitions, a CRD (or version) the add-on needs is missing, or
the kustomization does not name the pinned asset.

Environment:
  GITHUB_API_URL  the API to ask (default https://api.github.com)
  GITHUB_TOKEN    sent as a bearer token when set; without one GitHub allows 60 requests an
                  hour, which one run of the whole fleet exceeds

Options:
  --addon NAME    only this add-on (repeatable)
  --json          machine-readable output
  -h, --help      show this help

Exit codes: 0 every source resolves to the CRDs it must, 1 a source does not (or GitHub could
not be asked), 2 usage error (an unknown option, subcommand or add-on).`;

export async function addonsCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const [sub, ...rest] = argv;
  if (sub !== "check-sources") throw sub === undefined ? new UsageError("missing subcommand", { expected: "check-sources" }) : unknownName("subcommand", sub, ["check-sources"]);
  const { values } = parseArgs({ args: rest, options: { addon: { type: "string", multiple: true }, json: { type: "boolean", default: false } }, strict: true, allowPositionals: false });
  const root = findFleetRoot(io.cwd);
  const [{ loadFleet }, { checkSources }] = await Promise.all([import("@slipway/render"), import("@slipway/addons")]);
  const fleet = await loadFleet(root);
  const pinned = [...fleet.addons.values()].map((a) => ({ addon: a.def.addon, version: a.def.version }));
  const known = pinned.map((p) => p.addon).sort();
  for (const name of values.addon ?? []) {
    if (!known.includes(name)) throw unknownName("add-on", name, known, { flag: "--addon", hint: "check-sources checks the add-ons the fleet pins in addons/*.ts" });
  }
  const targets = values.addon ? pinned.filter((p) => values.addon!.includes(p.addon)) : pinned;
  const checks = await checkSources(targets, {
    apiUrl: io.env.GITHUB_API_URL || "https://api.github.com",
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    root,
  });
  const failed = checks.filter((c) => c.problems.length > 0);

  if (values.json) {
    io.stdout(JSON.stringify({ checks, problems: failed.reduce((n, c) => n + c.problems.length, 0) }, null, 2));
    return failed.length ? ExitCode.failure : ExitCode.ok;
  }
  const { red, green, dim } = paint(io);
  for (const c of checks) {
    const crds = Object.keys(c.crds).length;
    io.stdout(`${c.problems.length ? red("✗") : green("✓")} ${c.addon} ${c.version}: ${c.source} ${dim(`(${c.files.length} file${c.files.length === 1 ? "" : "s"}, ${crds} CRD${crds === 1 ? "" : "s"})`)}`);
  }
  if (failed.length === 0) {
    io.stdout(green(`Every CRD source resolves to the CRDs its add-on needs (${checks.length} checked).`));
    return ExitCode.ok;
  }
  for (const c of failed) {
    io.stderr(`${c.addon} ${c.version}:`);
    for (const p of c.problems) io.stderr(`  [${p.code}] ${p.message}`);
  }
  io.stderr(red(`${failed.length} of ${checks.length} CRD sources do not resolve to the CRDs their add-on needs.`));
  return ExitCode.failure;
}

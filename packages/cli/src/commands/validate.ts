/**
 * `slipway validate [PATH…|-]`: the rendered fleet (no PATH), or files, directories and stdin
 * (PATHs relative to where it runs), formatted as asked; exit 1 when there are error findings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "@slipway/core";
import { isSchemaTemplate, schemaTemplateProblem, DEFAULT_TRUSTED_REGISTRIES, environmentPolicy, formatReport, OUTPUT_FORMATS, parseKubernetesVersion, POLICY_PRESETS, validateChanged, validateFleet, validateManifests, type ManifestText, type ValidateOptions } from "@slipway/validate";
import { outputFormat } from "../args";
import { fleetChangesSince } from "../changed-scope";
import { ExitCode, type CommandStatus } from "../exit-codes";
import type { CommandIO } from "../io";
import { findFleetRoot, locateFleetRoot } from "../root";

export const validateHelp = `Usage: slipway validate [options] [PATH…|-]

Validates Kubernetes manifests: schemas of the target Kubernetes version (strict), API
removals and deprecations, API-server semantics, and — with a policy — the platform's
guardrails. PATH is a file or a directory (searched recursively for *.yaml, *.yml and
*.json manifests), relative to the current directory; '-' reads stdin. With no PATH, validates
the rendered fleet of the repository slipway runs in (from any of its directories): every
clusters/<cluster>/rendered.json, each cluster against its Kubernetes version, each file with
its environment's policy, plus cross-object checks.

Options:
  --kubernetes-version X.Y   target Kubernetes version (default: the cluster's in fleet
                             mode, else 1.33, the bundled schemas' version)
  --strict / --no-strict     unknown fields and duplicate YAML keys are errors (default: strict)
  --skip KIND,…              kinds not validated (Kind or apiVersion/Kind, e.g. apps/v1/Deployment)
  --reject KIND,…            kinds that are an error wherever they appear
  --ignore-missing-schemas   skip kinds with no schema instead of failing them
  --schema-location LOC      extra schemas (repeatable): a directory or file of JSON schemas
                             or CRD YAML, a kubeconform file-name template such as
                             'dir/{{ .ResourceKind }}{{ .KindSuffix }}.json' or
                             'dir/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json',
                             or 'default' (the bundled schemas); read offline
  --policy ENV               run the guardrails on PATHs with environment ENV's policy
                             (from clusters/*/rendered.json if present, else a preset:
                             ${Object.keys(POLICY_PRESETS).join(", ")})
  --trusted-registries P,…   image prefixes allowed with --policy (default: ${DEFAULT_TRUSTED_REGISTRIES.join(", ")})
  --cross-object             run the cross-object checks over the PATHs as one set
  --changed-from REF         fleet mode, for pull requests: validate only the rendered files
                             that differ from git revision REF (and the working tree's new
                             files), with what their cross-object checks need read beside them;
                             each reported object gets the findings a whole-fleet run gives it.
                             A cluster whose Kubernetes version or policies changed, or that is
                             new, is validated whole (see packages/validate/README.md)
  --summary                  print a summary line and the list of exemptions
  -o, --output FORMAT        ${OUTPUT_FORMATS.join(" | ")} (default: pretty)
  -h, --help                 show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found (or no rendered fleet), 2 usage error.
Rules and exemptions: packages/validate/README.md.
`;

const list = (values: readonly string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);

/** `--strict=true|false` (kubeconform's spelling) as the flags parseArgs knows. */
const strictSpelling = (arg: string): string => (arg === "--strict=true" ? "--strict" : arg === "--strict=false" ? "--no-strict" : arg);

const MANIFEST_EXT = /\.(ya?ml|json)$/;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

function collectFiles(path: string, out: string[]): void {
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry.startsWith(".") || SKIP_DIRS.has(entry)) continue;
    const child = join(path, entry);
    if (statSync(child).isDirectory()) collectFiles(child, out);
    else if (MANIFEST_EXT.test(entry) && entry !== "rendered.json") out.push(child);
  }
}

async function readSources(paths: readonly string[], io: CommandIO): Promise<ManifestText[]> {
  const sources: ManifestText[] = [];
  for (const p of paths) {
    if (p === "-") {
      sources.push({ file: "<stdin>", text: await io.readStdin(), requireObjects: true });
      continue;
    }
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) throw new UsageError("no such file or directory", { file: p });
    const files: string[] = [];
    collectFiles(abs, files);
    for (const f of files) {
      const rel = relative(io.cwd, f);
      sources.push({ file: rel.startsWith("..") ? f : rel, text: readFileSync(f, "utf8") });
    }
  }
  return sources;
}

export async function validateCommand(argv: string[], io: CommandIO): Promise<CommandStatus> {
  const { values, positionals: paths } = parseArgs({
    args: argv.map(strictSpelling),
    options: {
      "kubernetes-version": { type: "string" },
      strict: { type: "boolean" },
      "no-strict": { type: "boolean" },
      skip: { type: "string", multiple: true },
      reject: { type: "string", multiple: true },
      "ignore-missing-schemas": { type: "boolean" },
      "schema-location": { type: "string", multiple: true },
      policy: { type: "string" },
      "trusted-registries": { type: "string" },
      "cross-object": { type: "boolean" },
      "changed-from": { type: "string" },
      summary: { type: "boolean" },
      output: { type: "string", short: "o" },
    },
    allowPositionals: true,
    strict: true,
  });
  const output = outputFormat(values, OUTPUT_FORMATS);
  if (values.strict && values["no-strict"]) throw new UsageError("--strict and --no-strict contradict each other", { hint: "pass one of them" });
  const kubernetesVersion = values["kubernetes-version"];
  if (kubernetesVersion !== undefined) parseKubernetesVersion(kubernetesVersion);
  const schemaLocations = (values["schema-location"] ?? []).map((p) => (p === "default" || isAbsolute(p) ? p : resolve(io.cwd, p)));
  for (const [i, location] of schemaLocations.entries()) {
    const given = (values["schema-location"] ?? [])[i] as string;
    if (/^https?:\/\//.test(given)) throw new UsageError("--schema-location is read offline: an http(s) location is not fetched", { received: given, hint: "download the schemas and pass their directory, a file, or a file-name template such as 'schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json'" });
    if (location === "default") continue;
    if (isSchemaTemplate(location)) {
      const problem = schemaTemplateProblem(given);
      if (problem) throw new UsageError(`--schema-location template: ${problem}`, { received: given });
      continue;
    }
    if (!existsSync(location)) throw new UsageError("--schema-location does not exist", { received: given });
  }
  const options: Omit<ValidateOptions, "policy"> = {
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(values["no-strict"] ? { strict: false } : {}),
    ...(values.skip ? { skip: list(values.skip) } : {}),
    ...(values.reject ? { reject: list(values.reject) } : {}),
    ...(values["ignore-missing-schemas"] ? { ignoreMissingSchemas: true } : {}),
    schemaLocations,
  };

  let report;
  const changedFrom = values["changed-from"];
  if (changedFrom !== undefined && paths.length > 0) throw new UsageError("--changed-from validates the rendered fleet, not PATHs", { field: "--changed-from", received: paths.join(" "), hint: "drop the PATHs, or drop --changed-from to validate those files" });
  if (changedFrom !== undefined) {
    const root = findFleetRoot(io.cwd);
    if (values.policy) io.stderr("slipway validate: --policy is ignored in fleet mode; each file uses its environment's policy from rendered.json");
    const scoped = validateChanged(root, fleetChangesSince(root, changedFrom), options);
    report = scoped.report;
    const whole = scoped.whole.map((w) => `${w.cluster} whole (${w.reason})`);
    io.stderr(`slipway validate: changes since ${changedFrom}: ${scoped.files} file(s) validated, ${scoped.contextFiles} read for their cross-object checks${whole.length ? `; ${whole.join("; ")}` : ""}`);
  } else if (paths.length === 0) {
    const root = findFleetRoot(io.cwd);
    if (values.policy) io.stderr("slipway validate: --policy is ignored in fleet mode; each file uses its environment's policy from rendered.json");
    report = validateFleet(root, options);
  } else {
    const sources = await readSources(paths, io);
    let policy = values.policy === undefined ? undefined : environmentPolicy(values.policy, locateFleetRoot(io.cwd));
    const trusted = values["trusted-registries"];
    if (policy && trusted !== undefined) policy = { ...policy, trustedRegistries: list([trusted]) };
    report = validateManifests(sources, { ...options, ...(values["cross-object"] ? { crossObject: true } : {}), ...(policy ? { policy } : {}) });
  }
  io.stdout(formatReport(report, output, { color: io.color, summary: values.summary ?? false }));
  return report.summary.errors > 0 ? ExitCode.failure : ExitCode.ok;
}

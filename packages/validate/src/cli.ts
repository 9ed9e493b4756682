/**
 * `slipway validate [PATH…|-]`: flag parsing, reading files / directories / stdin or the
 * rendered fleet, formatting, and the exit code (0 ok, 1 error findings, 2 usage).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { FleetIndexError, findRenderedClusters, mergeReports, toGuardrailPolicy, validateCluster } from "./fleet";
import { formatReport, OUTPUT_FORMATS, type OutputFormat } from "./output/format";
import { DEFAULT_TRUSTED_REGISTRIES, POLICY_PRESETS } from "./policy";
import type { GuardrailPolicy, ManifestText, ValidateOptions } from "./types";
import { parseKubernetesVersion, validateManifests, ValidateUsageError } from "./validate";

export interface CommandIo {
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly color: boolean;
}

export const HELP = `Usage: slipway validate [options] [PATH…|-]

Validates Kubernetes manifests: schemas of the target Kubernetes version (strict), API
removals and deprecations, API-server semantics, and — with a policy — the platform's
guardrails. PATH is a file or a directory (searched recursively for *.yaml, *.yml and
*.json manifests); '-' reads stdin. With no PATH, validates the rendered fleet: every
clusters/<cluster>/rendered.json under the current directory, each cluster against its
Kubernetes version, each file with its environment's policy, plus cross-object checks.

Options:
  --kubernetes-version X.Y   target Kubernetes version (default: the cluster's in fleet
                             mode, else 1.33, the bundled schemas' version)
  --strict / --no-strict     unknown fields and duplicate YAML keys are errors (default: strict)
  --skip KIND,…              kinds not validated (Kind or apiVersion/Kind, e.g. apps/v1/Deployment)
  --reject KIND,…            kinds that are an error wherever they appear
  --ignore-missing-schemas   skip kinds with no schema instead of failing them
  --schema-location DIR      extra JSON schemas or CRD YAML files (repeatable)
  --policy ENV               run the guardrails on PATHs with environment ENV's policy
                             (from clusters/*/rendered.json if present, else a preset:
                             ${Object.keys(POLICY_PRESETS).join(", ")})
  --trusted-registries P,…   image prefixes allowed with --policy (default: ${DEFAULT_TRUSTED_REGISTRIES.join(", ")})
  --cross-object             run the cross-object checks over the PATHs as one set
  --summary                  print a summary line and the list of exemptions
  -o, --output FORMAT        ${OUTPUT_FORMATS.join(" | ")} (default: pretty)
  -h, --help                 show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.
Rules and exemptions: packages/validate/README.md.
`;

interface Parsed {
  paths: string[];
  options: ValidateOptions & { schemaLocations: string[] };
  output: OutputFormat;
  summary: boolean;
  help: boolean;
  policy?: string;
  trustedRegistries?: string[];
}

const list = (v: string): string[] => v.split(",").map((s) => s.trim()).filter(Boolean);

function parseArgs(argv: readonly string[]): Parsed {
  const out: Parsed = { paths: [], options: { schemaLocations: [] }, output: "pretty", summary: false, help: false };
  const opts: { -readonly [K in keyof ValidateOptions]: ValidateOptions[K] } & { schemaLocations: string[] } = out.options;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-" || !arg.startsWith("-")) {
      out.paths.push(arg);
      continue;
    }
    if (arg === "--") {
      out.paths.push(...argv.slice(i + 1));
      break;
    }
    let name = arg.replace(/^--?/, "");
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    if (name === "o") name = "output";
    if (name === "h") name = "help";
    const take = (): string => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined) throw new ValidateUsageError(`--${name} needs a value`);
      i++;
      return next;
    };
    switch (name) {
      case "help":
        out.help = true;
        break;
      case "kubernetes-version":
        opts.kubernetesVersion = take();
        parseKubernetesVersion(opts.kubernetesVersion);
        break;
      case "strict":
        if (value !== undefined && !["true", "false"].includes(value)) throw new ValidateUsageError(`--strict=${value}: expected true or false`);
        opts.strict = value !== "false";
        break;
      case "no-strict":
        opts.strict = false;
        break;
      case "skip":
        opts.skip = [...(opts.skip ?? []), ...list(take())];
        break;
      case "reject":
        opts.reject = [...(opts.reject ?? []), ...list(take())];
        break;
      case "ignore-missing-schemas":
        opts.ignoreMissingSchemas = true;
        break;
      case "schema-location":
        opts.schemaLocations.push(take());
        break;
      case "summary":
        out.summary = true;
        break;
      case "cross-object":
        opts.crossObject = true;
        break;
      case "output": {
        const f = take();
        if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw new ValidateUsageError(`--output ${f}: expected one of ${OUTPUT_FORMATS.join(", ")}`);
        out.output = f as OutputFormat;
        break;
      }
      case "policy":
        out.policy = take();
        break;
      case "trusted-registries":
        out.trustedRegistries = list(take());
        break;
      default:
        throw new ValidateUsageError(`unknown option ${arg}; see slipway validate --help`);
    }
  }
  return out;
}

const MANIFEST_EXT = /\.(ya?ml|json)$/;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

function collectFiles(path: string, out: string[]): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry.startsWith(".") || SKIP_DIRS.has(entry)) continue;
      const child = join(path, entry);
      if (statSync(child).isDirectory()) collectFiles(child, out);
      else if (MANIFEST_EXT.test(entry) && entry !== "rendered.json") out.push(child);
    }
  } else {
    out.push(path);
  }
}

function resolvePolicy(name: string, cwd: string, trusted: string[] | undefined): GuardrailPolicy {
  let policy: GuardrailPolicy | undefined;
  for (const c of findRenderedClusters(cwd)) {
    try {
      const idx = JSON.parse(readFileSync(c.indexPath, "utf8")) as { environments?: Record<string, Parameters<typeof toGuardrailPolicy>[0]> };
      const env = idx.environments?.[name];
      if (env) {
        policy = toGuardrailPolicy(env);
        break;
      }
    } catch {
      // An unreadable index is reported by fleet mode; presets still apply here.
    }
  }
  policy ??= POLICY_PRESETS[name];
  if (!policy) throw new ValidateUsageError(`--policy ${name}: unknown environment; expected one of ${Object.keys(POLICY_PRESETS).join(", ")} or an environment of clusters/*/rendered.json`);
  return trusted ? { ...policy, trustedRegistries: trusted } : policy;
}

export async function runValidateCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: Parsed;
  try {
    args = parseArgs(argv);
    if (args.help) {
      io.stdout(HELP);
      return 0;
    }
    args.options.schemaLocations = args.options.schemaLocations.map((p) => (isAbsolute(p) ? p : resolve(io.cwd, p)));
    for (const loc of args.options.schemaLocations) if (!existsSync(loc)) throw new ValidateUsageError(`--schema-location ${loc} does not exist`);
  } catch (e) {
    if (e instanceof ValidateUsageError) {
      io.stderr(`slipway validate: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    let report;
    if (args.paths.length === 0) {
      const clusters = findRenderedClusters(io.cwd);
      if (clusters.length === 0) {
        io.stderr(`slipway validate: no rendered fleet under ${io.cwd} (no clusters/*/rendered.json). Run \`slipway render\` first, or pass files: slipway validate PATH…\n`);
        return 1;
      }
      if (args.policy) io.stderr("slipway validate: --policy is ignored in fleet mode; each file uses its environment's policy from rendered.json\n");
      const { crossObject: _c, ...opts } = args.options;
      report = mergeReports(clusters.map((c) => validateCluster(io.cwd, c, opts)));
    } else {
      const sources: ManifestText[] = [];
      for (const p of args.paths) {
        if (p === "-") {
          sources.push({ file: "<stdin>", text: await io.readStdin() });
          continue;
        }
        const abs = isAbsolute(p) ? p : resolve(io.cwd, p);
        if (!existsSync(abs)) throw new ValidateUsageError(`${p}: no such file or directory`);
        const files: string[] = [];
        collectFiles(abs, files);
        for (const f of files) {
          const rel = relative(io.cwd, f);
          sources.push({ file: rel.startsWith("..") ? f : rel, text: readFileSync(f, "utf8") });
        }
      }
      const policy = args.policy ? resolvePolicy(args.policy, io.cwd, args.trustedRegistries) : undefined;
      report = validateManifests(sources, { ...args.options, ...(policy ? { policy } : {}) });
    }
    io.stdout(formatReport(report, args.output, { color: io.color, summary: args.summary }));
    return report.summary.errors > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof ValidateUsageError) {
      io.stderr(`slipway validate: ${e.message}\n`);
      return 2;
    }
    if (e instanceof FleetIndexError) {
      io.stderr(`slipway validate: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

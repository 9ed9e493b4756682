/**
 * Evaluates the ApplicationSet generators Slipway uses — git directories and lists — against a
 * repository checked out on disk, the way the ApplicationSet controller would.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export type Params = Record<string, unknown>;

export interface GeneratorEvaluation {
  readonly params: Params[];
  /** Messages about the generator itself (a path that matches nothing, an unsupported kind). */
  readonly problems: string[];
}

const GLOB_META = /[*?[]/;

/** Go `path.Match` for one path segment: `*` and `?` never cross `/`; `[...]` character classes. */
function segmentRegex(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 1);
      if (end < 0) return /$^/; // malformed: matches nothing, like path.Match's ErrBadPattern
      let body = segment.slice(i + 1, end);
      if (body.startsWith("^") || body.startsWith("!")) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else if (c === "\\" && i + 1 < segment.length) out += `\\${segment[++i]}`;
    else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

function splitPattern(pattern: string): string[] {
  return pattern.replace(/^\/+/, "").replace(/\/+$/, "").split("/").filter((s) => s !== "");
}

/** Whether `path` matches `pattern` as a whole (same number of segments, each matching). */
export function matchPath(pattern: string, path: string): boolean {
  const p = splitPattern(pattern);
  const s = path.split("/");
  return p.length === s.length && p.every((seg, i) => segmentRegex(seg).test(s[i]!));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Directories below `root` matching `pattern`, skipping those whose name starts with `.`. */
export function expandDirectories(root: string, pattern: string): string[] {
  let current = [""];
  for (const segment of splitPattern(pattern)) {
    const next: string[] = [];
    for (const dir of current) {
      const abs = join(root, dir);
      if (!GLOB_META.test(segment)) {
        const candidate = dir ? `${dir}/${segment}` : segment;
        if (isDirectory(join(root, candidate))) next.push(candidate);
        continue;
      }
      if (!existsSync(abs)) continue;
      const re = segmentRegex(segment);
      for (const entry of readdirSync(abs, { withFileTypes: true })) {
        if (entry.isDirectory() && !entry.name.startsWith(".") && re.test(entry.name)) next.push(dir ? `${dir}/${entry.name}` : entry.name);
      }
    }
    current = next;
  }
  return current.filter((d) => d !== "").sort();
}

function directoryParams(path: string): Params {
  const segments = path.split("/");
  const basename = segments[segments.length - 1]!;
  return { path: { path, basename, basenameNormalized: basename.replace(/[^a-zA-Z0-9.-]/g, "-"), segments } };
}

interface GitGenerator {
  repoURL?: string;
  revision?: string;
  directories?: { path: string; exclude?: boolean }[];
  files?: unknown[];
}

/**
 * One generator entry of an ApplicationSet. `isLocal` says whether a repository URL is this
 * repository (only this repository's directories can be evaluated).
 */
export function evaluateGenerator(root: string, generator: Record<string, unknown>, isLocal: (repoURL: string) => boolean): GeneratorEvaluation {
  const kinds = Object.keys(generator).filter((k) => k !== "selector" && k !== "values");
  if (kinds.length !== 1) return { params: [], problems: [`a generator must have exactly one kind, found ${kinds.join(", ") || "none"}`] };
  if (generator.selector) return { params: [], problems: ["generator selectors are not evaluated by the preview"] };
  const kind = kinds[0]!;
  if (kind === "list") {
    const list = generator.list as { elements?: unknown[]; elementsYaml?: string };
    if (list.elementsYaml) return { params: [], problems: ["list generator `elementsYaml` is not evaluated by the preview"] };
    const elements = list.elements ?? [];
    const bad = elements.filter((e) => !e || typeof e !== "object" || Array.isArray(e));
    if (bad.length) return { params: [], problems: ["list generator elements must be objects"] };
    return { params: elements as Params[], problems: [] };
  }
  if (kind === "git") {
    const git = generator.git as GitGenerator;
    if (git.files?.length) return { params: [], problems: ["git file generators are not evaluated by the preview"] };
    if (!git.repoURL || !isLocal(git.repoURL)) return { params: [], problems: [`git generator reads ${git.repoURL ?? "no repository"}, not this repository`] };
    const directories = git.directories ?? [];
    const excludes = directories.filter((d) => d.exclude).map((d) => d.path);
    const problems: string[] = [];
    const found = new Set<string>();
    for (const include of directories.filter((d) => !d.exclude)) {
      const matches = expandDirectories(root, include.path);
      if (matches.length === 0) problems.push(`generator path \`${include.path}\` matches no directory`);
      for (const m of matches) found.add(m);
    }
    // Exclude rules win over include rules, whatever their order.
    const kept = [...found].filter((d) => !excludes.some((e) => matchPath(e, d))).sort();
    return { params: kept.map(directoryParams), problems };
  }
  return { params: [], problems: [`\`${kind}\` generators are not evaluated by the preview`] };
}

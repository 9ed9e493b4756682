/**
 * YAML → objects, with line numbers. Documents are read with YAML 1.1 scalars, as kubectl
 * and Argo CD read them (`yes`, `on`, `0755`), minus timestamps and base-60 numbers which
 * those tools do not resolve. Duplicate keys are reported, not silently resolved.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type ScalarTag, type Tags } from "yaml";
import { fastYamlParser } from "./fast-yaml";
import { formatPath, type PathSeg } from "./path";

export interface ParsedDoc {
  readonly value: unknown;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** 1-based line of the node at `path`, or of its deepest existing ancestor. */
  locate(path: readonly PathSeg[]): number;
}

export interface ParseProblem {
  readonly rule: "SW-YAML-PARSE" | "SW-YAML-DUPKEY";
  readonly line: number;
  readonly message: string;
  /** The field the problem is at (a duplicated key's path in its document). */
  readonly path?: readonly PathSeg[];
}

export interface ParsedFile {
  readonly docs: ParsedDoc[];
  readonly problems: ParseProblem[];
}

// A YAML 1.1 float needs a digit: `.` and `._` stay strings, as in go-yaml.
const needsDigit = (re: RegExp): RegExp => new RegExp(`^(?=.*[0-9])${re.source.replace(/^\^/, "")}`, re.flags);

const customTags = (tags: Tags): Tags =>
  tags
    .filter((t) => typeof t === "string" || (t.tag !== "tag:yaml.org,2002:timestamp" && !("format" in t && t.format === "TIME")))
    .map((t): Tags[number] => (typeof t !== "string" && !("collection" in t && t.collection) && t.test instanceof RegExp && t.test.test(".") ? ({ ...t, test: needsDigit(t.test) } as ScalarTag) : t));

const OPTIONS = { version: "1.1", customTags, prettyErrors: false } as const;

function locator(doc: Document, lc: LineCounter): (path: readonly PathSeg[]) => number {
  return (path) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        offset = (pair.key as { range?: number[] } | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === "number") {
        const item: unknown = node.items[seg];
        if (!item) break;
        offset = (item as { range?: number[] }).range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return lc.linePos(offset).line;
  };
}

const fast = fastYamlParser(OPTIONS);

/** The JSON path of a node from its ancestors as `visit` gives them (pairs give keys, sequences indices). */
function nodePath(ancestors: readonly unknown[], node: unknown): PathSeg[] {
  const out: PathSeg[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const a = chain[i];
    const child = chain[i + 1];
    if (isPair(a)) out.push(String(isScalar(a.key) ? a.key.value : a.key));
    else if (isSeq(a)) out.push(a.items.indexOf(child as never));
  }
  return out;
}

/** Every repeated key of the document's mappings: the key, its path, where it repeats, and where it first was. */
function duplicateKeys(doc: Document, lc: LineCounter): ParseProblem[] {
  const out: ParseProblem[] = [];
  const line = (node: unknown): number => lc.linePos((node as { range?: number[] } | null)?.range?.[0] ?? 0).line;
  visit(doc, {
    Map(_, map, ancestors) {
      const first = new Map<unknown, unknown>();
      for (const pair of map.items) {
        const key: unknown = isScalar(pair.key) ? pair.key.value : pair.key;
        const seen = first.get(key);
        if (seen === undefined) {
          first.set(key, pair.key);
          continue;
        }
        const path = [...nodePath(ancestors, map), String(key)];
        out.push({ rule: "SW-YAML-DUPKEY", line: line(pair.key), path, message: `duplicate key ${JSON.stringify(String(key))} (${formatPath(path)}) at line ${line(pair.key)} (first at line ${line(seen)}); YAML readers disagree on which one wins` });
      }
    },
  });
  return out;
}

/**
 * Documents and problems of a YAML text. Rendered files take the fast path (values only;
 * the full parse that gives field lines runs only if a finding needs one); anything the
 * fast path does not handle, and every text with a problem, gets the full parser.
 */
export function parseYaml(text: string): ParsedFile {
  const docs = fast(text);
  if (!docs) return parseYamlFull(text);
  let full: ParsedFile | undefined;
  return {
    docs: docs.map((d, k) => ({
      value: d.value,
      line: d.line,
      locate: (path) => {
        full ??= parseYamlFull(text);
        return full.docs[k]?.locate(path) ?? d.line;
      },
    })),
    problems: [],
  };
}

/** The `yaml` package's parse, with a syntax tree for line numbers. */
export function parseYamlFull(text: string): ParsedFile {
  const lc = new LineCounter();
  const docs: ParsedDoc[] = [];
  const problems: ParseProblem[] = [];
  for (const doc of parseAllDocuments(text, { ...OPTIONS, lineCounter: lc })) {
    let parseErrors = 0;
    for (const e of doc.errors) {
      // The first syntax error of a document is the real one; the rest are its echoes.
      if (e.code !== "DUPLICATE_KEY" && parseErrors++ > 0) continue;
      const line = e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line;
      const message = e.message.split("\n")[0] ?? e.message;
      if (e.code !== "DUPLICATE_KEY") problems.push({ rule: "SW-YAML-PARSE", line, message });
    }
    if (doc.errors.some((e) => e.code === "DUPLICATE_KEY")) problems.push(...duplicateKeys(doc, lc));
    if (doc.errors.some((e) => e.code !== "DUPLICATE_KEY")) continue;
    if (doc.contents === null) continue; // empty document (`---` at the end, comments only)
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    // `---`, a comment, `---`: an empty document (kubectl and Helm write them), not a null object.
    if (value === null && isScalar(doc.contents) && (doc.contents.source === undefined || doc.contents.source === "")) continue;
    const start = doc.contents.range?.[0] ?? 0;
    docs.push({ value, line: lc.linePos(start).line, locate: locator(doc, lc) });
  }
  return { docs, problems };
}


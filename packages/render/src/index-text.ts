/**
 * A cluster's `rendered.json` as render writes it (`JSON.stringify(index, null, 2)`, `files`
 * last, sorted by path), read and rewritten in parts. JSON.stringify lays out each entry from its
 * own key and value alone, so an app instance's entries — neighbours under `<env>/<app>/` — can
 * be replaced in the text, and the result is byte for byte what stringifying the updated index
 * would give. An edit to one app then costs its own entries, not the parse and stringify of
 * every cluster's thousands.
 */
import type { RenderedFileEntry, RenderedIndex } from "@slipway/core";

const FILES_OPEN = '\n  "files": {';
const FILES_CLOSE = "\n  }\n}\n";
/** An entry's first line; its fields are indented deeper, so this never matches inside one. */
const ENTRY_START = '\n    "';
const ENTRY_END = "\n    }";

/** The text of entries (in any order) as they stand in the index: from the newline before the first path to the last entry's closing brace. */
export function entriesText(entries: readonly (readonly [string, RenderedFileEntry])[]): string {
  if (entries.length === 0) throw new Error("an entry list in the index text needs at least one entry");
  // `{` + FILES_OPEN + entries + FILES_CLOSE without its final newline.
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = JSON.stringify({ files: Object.fromEntries(sorted) }, null, 2);
  return text.slice(1 + FILES_OPEN.length, text.length - (FILES_CLOSE.length - 1));
}

/** The text before the first entry: what `head` (the index without files) is written as. */
function headText(head: Omit<RenderedIndex, "files">): string {
  const text = JSON.stringify({ ...head, files: { "": null } }, null, 2);
  return text.slice(0, text.indexOf(FILES_OPEN) + FILES_OPEN.length);
}

/** Where one app instance's entries stand in the index text: `text.slice(start, end)` is their `entriesText`. */
export interface EntryBlock {
  readonly start: number;
  readonly end: number;
  readonly entries: [string, RenderedFileEntry][];
}

export class IndexText {
  private constructor(
    readonly text: string,
    /** Just past `"files": {`. */
    private readonly filesStart: number,
    /** At the newline that closes `files`. */
    private readonly filesEnd: number,
  ) {}

  /** The text read in parts, or `undefined` if it is not laid out as render writes it (or has no files). */
  static of(text: string): IndexText | undefined {
    const open = text.indexOf(FILES_OPEN);
    if (open === -1 || !text.endsWith(FILES_CLOSE) || !text.startsWith(ENTRY_START, open + FILES_OPEN.length)) return undefined;
    return new IndexText(text, open + FILES_OPEN.length, text.length - FILES_CLOSE.length);
  }

  /** Whether the text before the files is `head`'s. */
  hasHead(head: Omit<RenderedIndex, "files">): boolean {
    const expected = headText(head);
    return expected.length === this.filesStart && this.text.startsWith(expected);
  }

  /** The entries whose paths start with `prefix` (a directory, ending in `/`), or `undefined` when there are none. */
  block(prefix: string): EntryBlock | undefined {
    const key = ENTRY_START + JSON.stringify(prefix).slice(1, -1);
    const start = this.text.indexOf(key, this.filesStart);
    if (start === -1 || start >= this.filesEnd) return undefined;
    // Sorted by path: every path with the prefix follows the first one, until one does not.
    let last = start;
    for (let next = this.text.indexOf(ENTRY_START, last + 1); next !== -1 && next < this.filesEnd && this.text.startsWith(key, next); next = this.text.indexOf(ENTRY_START, next + 1)) last = next;
    const end = this.text.indexOf(ENTRY_END, last) + ENTRY_END.length;
    const entries = Object.entries(JSON.parse(`{${this.text.slice(start, end)}}`) as Record<string, RenderedFileEntry>);
    return { start, end, entries };
  }

  /** The text with each block replaced by its entries' text (blocks in any order, not overlapping). */
  splice(replacements: readonly { readonly block: EntryBlock; readonly entries: readonly (readonly [string, RenderedFileEntry])[] }[]): string {
    const ordered = [...replacements].sort((a, b) => a.block.start - b.block.start);
    let out = "";
    let at = 0;
    for (const { block, entries } of ordered) {
      out += this.text.slice(at, block.start) + entriesText(entries);
      at = block.end;
    }
    return out + this.text.slice(at);
  }
}

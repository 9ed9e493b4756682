import { UsageError } from "./errors";
import { closest } from "./zod-errors";

export interface UnknownNameOptions {
  /** The flag the name was given with, so the suggestion can be pasted: `--cluster`. */
  readonly flag?: string;
  /** How the known names read as `expected:` (default: joined by ` | `). */
  readonly expected?: string;
  /** The fix when no known name is close: where such names come from. */
  readonly hint?: string;
}

/**
 * A name that does not exist (`--cluster nope`, an unknown app): a UsageError listing the known
 * names and, when one is within two edits, asking whether that one was meant.
 */
export function unknownName(kind: string, name: string, known: readonly string[], options: UnknownNameOptions = {}): UsageError {
  const near = closest(name, known);
  const suggestion = near === undefined ? undefined : `did you mean \`${options.flag ? `${options.flag} ` : ""}${near}\`?`;
  return new UsageError(`unknown ${kind} \`${name}\``, {
    expected: options.expected ?? (known.length > 0 ? known.join(" | ") : "(none defined yet)"),
    received: name,
    ...(suggestion || options.hint ? { hint: suggestion ?? options.hint } : {}),
  });
}

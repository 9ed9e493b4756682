/** Turns zod issues into DefinitionErrors that name the file, the field, expected, received and a fix. */
import type { z } from "zod";
import { DefinitionError, type ErrorLocation } from "./errors";

type Issue = z.core.$ZodIssue;

export function parseDefinition<S extends z.ZodType>(
  schema: S,
  input: unknown,
  location: ErrorLocation & { file: string },
  fieldPrefix: (string | number)[] = [],
): z.output<S> {
  // Interpreted, not compiled: zod compiles an object schema into a function on its first parse,
  // which costs more than a render's few parses of it gain (a one-app edit parses each schema once).
  const result = schema.safeParse(input, { reportInput: true, jitless: true });
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => issueToError(issue, schema, location, fieldPrefix));
  if (errors.length === 1) throw errors[0];
  throw new DefinitionErrors(errors);
}

/** Several problems in one definition, all reported at once. */
export class DefinitionErrors extends DefinitionError {
  readonly errors: readonly DefinitionError[];
  constructor(errors: readonly DefinitionError[]) {
    super(`${errors.length} problems`, errors[0]?.details ?? {});
    this.errors = errors;
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join("\n\n");
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function issueToError(issue: Issue, schema: z.ZodType, location: ErrorLocation & { file: string }, prefix: (string | number)[]): DefinitionError {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  const field = formatPath(path) || "(top level)";
  const input = (issue as { input?: unknown }).input;
  const base = { ...location, field };
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, issue.path);
      const suggestions = issue.keys.map((k) => {
        const close = closest(k, known);
        return close ? `\`${k}\` → did you mean \`${close}\`?` : `remove \`${k}\``;
      });
      return new DefinitionError(`unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `\`${k}\``).join(", ")}`, {
        ...base,
        expected: known.length ? `one of ${known.map((k) => `\`${k}\``).join(", ")}` : "no extra fields",
        received: issue.keys.join(", "),
        hint: suggestions.join("; "),
      });
    }
    case "invalid_type":
      return new DefinitionError(input === undefined ? "required field is missing" : "wrong type", {
        ...base,
        expected: issue.expected,
        received: describe(input),
        hint: input === undefined ? `add \`${field}\`` : `give \`${field}\` a ${issue.expected}`,
      });
    case "invalid_value":
      return new DefinitionError("value is not one of the allowed values", {
        ...base,
        expected: issue.values.map((v) => JSON.stringify(v)).join(" | "),
        received: describe(input),
        hint: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      });
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (options && discriminator) {
        return new DefinitionError(`\`${discriminator}\` selects the variant and is not one of the known ones`, {
          ...base,
          expected: options.map((o) => JSON.stringify(o)).join(" | "),
          received: describe(input && typeof input === "object" ? (input as Record<string, unknown>)[discriminator] : input),
          hint: `set \`${discriminator}\` to one of ${options.map((o) => JSON.stringify(o)).join(", ")}`,
        });
      }
      const variants = issue.errors.map((errs) => errs.map((e) => e.message).join("; "));
      return new DefinitionError("value matches none of the accepted forms", {
        ...base,
        expected: variants.map((v, i) => `(${i + 1}) ${v}`).join(" or "),
        received: describe(input),
        hint: "use one of the accepted forms listed above",
      });
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const what = issue.origin === "array" ? "items" : issue.origin === "string" ? "characters" : "";
      const relation = issue.code === "too_small" ? (issue.inclusive ? "at least" : "more than") : issue.inclusive ? "at most" : "less than";
      // A schema's own message explains the bound better than the bound itself.
      const explained = /^Too (small|big)\b/.test(issue.message) ? undefined : issue.message;
      return new DefinitionError(issue.code === "too_small" ? "value is too small" : "value is too large", {
        ...base,
        expected: `${relation} ${String(bound)}${what ? ` ${what}` : ""}`,
        received: describe(input),
        hint: explained ?? `change \`${field}\` to ${relation} ${String(bound)}${what ? ` ${what}` : ""}`,
      });
    }
    case "invalid_format": {
      const rule = issue.message.replace(/^Invalid string: /, "");
      return new DefinitionError(`value ${rule}`, {
        ...base,
        expected: rule.replace(/^must (be|match) /, ""),
        received: describe(input),
        hint: `change \`${field}\` so it ${rule.replace(/^must be /, "is ").replace(/^must match /, "matches ").replace(/^must /, "")}`,
      });
    }
    case "invalid_key": {
      const rule = issue.issues.map((i) => i.message.replace(/^Invalid string: /, "")).join("; ");
      return new DefinitionError(`key \`${String(input)}\` ${rule}`, {
        ...base,
        expected: rule.replace(/^must (be|match) /, ""),
        received: describe(input),
        hint: `rename the key \`${String(input)}\``,
      });
    }
    default:
      return new DefinitionError(issue.message, { ...base, received: input === undefined ? undefined : describe(input), hint: hintFromMessage(issue.message) });
  }
}

function hintFromMessage(message: string): string | undefined {
  const code = /`[^`]+`/.exec(message);
  return code ? `see ${code[0]} in the message above` : undefined;
}

/** Walks a schema along a path to list the keys an object at that path accepts. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  for (const step of path) {
    node = unwrap(node);
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (def.type === "object") node = (def.shape as Record<string, unknown>)[String(step)];
    else if (def.type === "array") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else return [];
  }
  node = unwrap(node);
  const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return def?.type === "object" ? Object.keys(def.shape as object).sort() : [];
}

function unwrap(node: unknown): unknown {
  for (;;) {
    const def = (node as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return node;
    if (["optional", "default", "prefault", "nullable", "readonly", "catch"].includes(def.type as string)) node = def.innerType;
    else if (def.type === "pipe") node = def.in;
    else return node;
  }
}

/** The known word within edit distance 2 of `word`, if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** Checks of command-line values that several commands share; each failure is a UsageError. */
import { UsageError } from "@slipway/core";

/** `--output F` (or `--json`, which means `--output json`), one of `formats`; the first is the default. */
export function outputFormat<F extends string>(values: { output?: string; json?: boolean }, formats: readonly F[]): F {
  const output = values.json ? "json" : (values.output ?? formats[0]!);
  if (!(formats as readonly string[]).includes(output)) {
    throw new UsageError(`unknown output format \`${output}\``, { expected: formats.join(" | "), received: output });
  }
  return output as F;
}

/** A whole number of at least `min`, given as `flag`. */
export function positiveInt(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}`, { received: value });
  return n;
}

/** Refuses arguments a command does not take. */
export function noPositionals(positionals: readonly string[], hint?: string): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument \`${positionals[0]}\``, hint ? { hint } : {});
}

/**
 * Every error a user can cause is one of these classes. Each carries where it happened
 * (file, field path, app / environment / cluster) and how to fix it; only the CLI turns
 * them into exit codes.
 */

export interface ErrorLocation {
  /** Repository-relative path of the file at fault. */
  readonly file?: string;
  /** Dotted field path inside that file's definition, e.g. `scaling.min`. */
  readonly field?: string;
  readonly app?: string;
  readonly environment?: string;
  readonly cluster?: string;
}

export interface ErrorDetails extends ErrorLocation {
  readonly expected?: string;
  readonly received?: string;
  readonly hint?: string;
}

export class SlipwayError extends Error {
  readonly details: ErrorDetails;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** One self-contained paragraph: where, what, expected/received, and the fix. */
  format(): string {
    const d = this.details;
    const where = [d.file, d.field].filter(Boolean).join(": ");
    const context = [
      d.cluster && `cluster ${d.cluster}`,
      d.environment && `environment ${d.environment}`,
      d.app && `app ${d.app}`,
    ].filter(Boolean);
    const lines = [`${where ? `${where}: ` : ""}${this.message}${context.length ? ` (${context.join(", ")})` : ""}`];
    if (d.expected !== undefined) lines.push(`  expected: ${d.expected}`);
    if (d.received !== undefined) lines.push(`  received: ${d.received}`);
    if (d.hint) lines.push(`  fix: ${d.hint}`);
    return lines.join("\n");
  }
}

/**
 * The command line (or a caller of a library function) asked for something that cannot be: an
 * unknown flag, a missing argument, a cluster, environment or app that does not exist. The CLI
 * exits 2 and prints the command's usage after the message.
 */
export class UsageError extends SlipwayError {}

/** A definition (app.ts, tenant.ts, cluster.ts, environment.ts, releases.yaml, add-ons) is malformed. */
export class DefinitionError extends SlipwayError {}

/** Definitions are each valid but contradict one another (unknown tenant, duplicate app, ...). */
export class FleetConsistencyError extends SlipwayError {}

/** Values could not be layered or violate an environment's policy. */
export class PolicyError extends SlipwayError {}

/** Two resources would be written to the same path, or a path is unsafe. */
export class RenderCollisionError extends SlipwayError {}

/** Several errors found in one pass, reported together so the user can fix them in one go. */
export class AggregateSlipwayError extends SlipwayError {
  readonly errors: readonly SlipwayError[];
  constructor(errors: readonly SlipwayError[]) {
    super(`${errors.length} problem${errors.length === 1 ? "" : "s"} found`);
    this.errors = errors;
  }
  override format(): string {
    return this.errors.map((e) => e.format()).join("\n\n");
  }
}

/** Throws the one error, or all of them together, if any were collected. */
export function throwIfAny(errors: readonly SlipwayError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateSlipwayError(errors);
}

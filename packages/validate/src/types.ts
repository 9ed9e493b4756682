/**
 * The validator's public data types: what goes in (manifest sources, options, policy)
 * and what comes out (findings, report). Every stage speaks in these.
 */

export type Severity = "error" | "warning";

/** A YAML or JSON text to validate; `file` is only used to name findings. */
export interface ManifestText {
  readonly file: string;
  readonly text: string;
  /** A text with no object in it is an error (stdin: an empty pipe is a mistake, not a pass). */
  readonly requireObjects?: boolean;
  /** See `ManifestObject.context`. */
  readonly context?: boolean;
}

/** An object that was parsed elsewhere (render keeps objects in memory). */
export interface ManifestObject {
  readonly file: string;
  /** 1-based line of the object in `file`, when known. */
  readonly line?: number;
  readonly object: unknown;
  /**
   * Context only: the object takes part in the checks over the whole set (cross-object,
   * guardrails over several objects, duplicates, its CRD schema) exactly as it would otherwise,
   * but is not checked itself, and its findings, its file and the object are left out of the
   * report. For validating some objects of a set with what the checks of those objects need.
   */
  readonly context?: boolean;
}

export type ManifestSource = ManifestText | ManifestObject;

/** Guardrail policy of one environment (same shape as the rendered index's policy). */
export interface GuardrailPolicy {
  /** `strict`: guardrail findings are errors; `relaxed`: warnings. */
  readonly guardrails: "strict" | "relaxed";
  readonly minReplicas: number;
  readonly requirePdb: boolean;
  readonly requireDigest: boolean;
  /** Image reference prefixes; `*` matches any run of characters. Empty: no allow-list. */
  readonly trustedRegistries: readonly string[];
  /**
   * Objects that belong to no environment (add-ons, Argo CD): replicas, PDB, digest and
   * registry rules are not applied (see README, "Policy").
   */
  readonly platform?: boolean;
}

export interface ValidateOptions {
  /** `major.minor`; defaults to the version of the bundled Kubernetes schemas. */
  readonly kubernetesVersion?: string;
  /** Unknown fields and duplicate YAML keys are errors (default true). */
  readonly strict?: boolean;
  /** Kinds (`Kind` or `apiVersion/Kind`) not validated at all. */
  readonly skip?: readonly string[];
  /** Kinds (`Kind` or `apiVersion/Kind`) that are an error wherever they appear. */
  readonly reject?: readonly string[];
  /** A kind with no schema is skipped instead of being an error. */
  readonly ignoreMissingSchemas?: boolean;
  /** Extra schemas: directories or files of JSON schemas or CRD YAML. Read once, cached. */
  readonly schemaLocations?: readonly string[];
  /**
   * Guardrail policy: one for every object, or a function choosing per object
   * (fleet mode passes the policy of each file's environment). Absent: no guardrails.
   */
  readonly policy?: GuardrailPolicy | ((source: ObjectRef) => GuardrailPolicy | undefined);
  /** Run the cross-object checks over all sources as one closed set (fleet mode: on). */
  readonly crossObject?: boolean;
}

/** Where an object is: enough to name it in a finding. */
export interface ObjectRef {
  readonly file: string;
  /** 1-based line where the object starts. */
  readonly line: number;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  /** 1-based line of the offending field (or of the object when the field is absent). */
  readonly line: number;
  readonly object: { readonly apiVersion?: string; readonly kind?: string; readonly namespace?: string; readonly name?: string };
  /** Dotted path inside the object, e.g. `spec.template.spec.containers[0].image`; empty for the whole object. */
  readonly path: string;
  readonly message: string;
  readonly hint: string;
}

export interface Exemption {
  readonly rule: string;
  readonly reason: string;
  readonly file: string;
  readonly line: number;
  readonly object: Finding["object"];
}

export interface ValidatedObject extends ObjectRef {
  /** Not validated: `--skip`, or no schema with `--ignore-missing-schemas`. */
  readonly skipped: boolean;
}

export interface ValidationReport {
  readonly findings: readonly Finding[];
  /** Every object seen, in input order (JUnit reports one test case per object). */
  readonly objects: readonly ValidatedObject[];
  /** Guardrail findings that an `exempt.slipway.dev/<RULE>` annotation suppressed. */
  readonly exemptions: readonly Exemption[];
  readonly summary: {
    readonly files: number;
    readonly objects: number;
    /** Objects with no error finding. */
    readonly valid: number;
    readonly errors: number;
    readonly warnings: number;
    /** Objects not validated (`--skip`, or no schema with `--ignore-missing-schemas`). */
    readonly skipped: number;
    readonly kubernetesVersion: string;
  };
}

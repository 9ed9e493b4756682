/**
 * kubeconform's `-schema-location` forms, read offline:
 *   - a file-name template: `{{ .NormalizedKubernetesVersion }}`, `{{ .StrictSuffix }}`,
 *     `{{ .ResourceKind }}`, `{{ .ResourceAPIVersion }}`, `{{ .Group }}`, `{{ .KindSuffix }}`
 *     (e.g. `schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json`, the `kind-group-version` form,
 *     or the CRDs-catalog `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json` form);
 *   - a directory, which kubeconform reads as `DIR/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`
 *     (and slipway also scans for schema and CRD files);
 *   - `default`: kubeconform's published schemas, which here are the bundled ones.
 * The template values are kubeconform's: the kind lower-cased, the version part of the
 * apiVersion, its group part (`v1` for the core group, as kubeconform has it), the kind
 * suffix `-<first label of the group>-<version>`, and `v<major.minor.patch>` or `master`.
 */

export const TEMPLATE_FIELDS = ["NormalizedKubernetesVersion", "StrictSuffix", "ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix"] as const;

const FIELD = /\{\{-?\s*\.([A-Za-z]+)\s*-?\}\}/g;

export const isTemplate = (location: string): boolean => location.includes("{{");

/** What is wrong with a template (an unknown field, an unclosed action), or undefined. */
export function templateProblem(location: string): string | undefined {
  const rest = location.replace(FIELD, (m, name: string) => ((TEMPLATE_FIELDS as readonly string[]).includes(name) ? "" : m));
  const unknown = [...rest.matchAll(FIELD)].map((m) => m[1]);
  if (unknown.length > 0) return `unknown template field${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `.${u}`).join(", ")}; known: ${TEMPLATE_FIELDS.map((f) => `.${f}`).join(", ")}`;
  if (rest.includes("{{") || rest.includes("}}")) return "a template action is not closed, or is not a plain field like {{ .ResourceKind }}";
  return undefined;
}

export interface TemplateValues {
  readonly kind: string;
  readonly apiVersion: string;
  /** `v1.33.0`, or `master`. */
  readonly normalizedVersion: string;
  readonly strict: boolean;
}

export function renderTemplate(location: string, v: TemplateValues): string {
  const parts = v.apiVersion.split("/");
  const group = parts[0] as string;
  const version = parts[parts.length - 1] as string;
  const kindSuffix = `-${(group.split(".")[0] as string).toLowerCase()}${parts.length > 1 ? `-${version.toLowerCase()}` : ""}`;
  const values: Record<string, string> = {
    NormalizedKubernetesVersion: v.normalizedVersion,
    StrictSuffix: v.strict ? "-strict" : "",
    ResourceKind: v.kind.toLowerCase(),
    ResourceAPIVersion: version,
    Group: group,
    KindSuffix: kindSuffix,
  };
  return location.replace(FIELD, (_, name: string) => values[name] ?? "");
}

/** kubeconform's reading of a location that is neither a template nor a `.json` file. */
export function directoryTemplate(dir: string): string {
  return `${dir.replace(/\/+$/, "")}/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
}

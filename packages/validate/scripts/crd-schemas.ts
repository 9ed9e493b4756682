/**
 * Upstream CRD YAML → the compact schema data validate ships (`schemas/crds/`).
 *
 *   npx tsx packages/validate/scripts/crd-schemas.ts --addon karpenter --version 1.6.3 \
 *     --source aws/karpenter-provider-aws@v1.6.3:pkg/apis/crds  <crd.yaml>…
 *
 * For every CustomResourceDefinition in the files, one JSON file per version at
 * `schemas/crds/<group>/<kind lower-cased>_<version>.json`: the version's flags (served,
 * storage, deprecated), the CRD's scope and subresources, and its openAPIV3Schema with only
 * the facts validation uses (types, properties, required, enums, patterns, formats, bounds,
 * defaults, list types, int-or-string, preserve-unknown-fields, embedded resources and the
 * `x-kubernetes-validations` CEL rules). Descriptions, examples and titles are dropped.
 * Files the add-on wrote before are removed first, so a version bump also drops kinds and
 * versions upstream no longer has. `schemas/crds/index.json` records, per add-on, the
 * version and upstream source the data came from. Pure data out: the script is the only writer.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Schema keywords kept; everything else (description, example, title, x-kubernetes-list-map-keys' prose…) goes. */
const KEEP = new Set([
  "type", "properties", "items", "required", "enum", "pattern", "format", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
  "minProperties", "maxProperties", "additionalProperties", "nullable", "default", "uniqueItems",
  "anyOf", "oneOf", "allOf", "not", "multipleOf",
  "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
  "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-validations",
]);
/** Keywords whose value is a map of names to schemas, or a schema / list of schemas. */
const SCHEMA_MAPS = new Set(["properties"]);
const SCHEMA_ONE = new Set(["items", "additionalProperties", "not"]);
const SCHEMA_LIST = new Set(["anyOf", "oneOf", "allOf"]);
const RULE_KEYS = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"];

export function compactSchema(s: unknown): unknown {
  if (!isObj(s)) return s;
  const out: Json = {};
  for (const k of Object.keys(s).sort()) {
    if (!KEEP.has(k)) continue;
    const v = s[k];
    if (SCHEMA_MAPS.has(k) && isObj(v)) {
      const props: Json = {};
      for (const p of Object.keys(v).sort()) props[p] = compactSchema(v[p]);
      out[k] = props;
    } else if (SCHEMA_ONE.has(k)) {
      out[k] = typeof v === "boolean" ? v : compactSchema(v);
    } else if (SCHEMA_LIST.has(k) && Array.isArray(v)) {
      out[k] = v.map(compactSchema);
    } else if (k === "x-kubernetes-validations" && Array.isArray(v)) {
      out[k] = v.filter(isObj).map((r) => Object.fromEntries(RULE_KEYS.filter((rk) => r[rk] !== undefined).map((rk) => [rk, r[rk]])));
    } else {
      out[k] = v;
    }
  }
  return out;
}

export interface CrdVersionData {
  readonly addon: string;
  readonly addonVersion: string;
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated?: boolean;
  readonly deprecationWarning?: string;
  readonly subresources: { readonly status: boolean; readonly scale: boolean };
  /** Absent for a version that is not served (nothing can be written with it). */
  readonly schema?: unknown;
}

/** The files one CRD document becomes: `[path relative to schemas/crds, data]`. */
export function crdFiles(doc: unknown, addon: string, addonVersion: string, source: string): [string, CrdVersionData][] {
  if (!isObj(doc) || doc.kind !== "CustomResourceDefinition" || !isObj(doc.spec)) return [];
  const spec = doc.spec;
  const names = isObj(spec.names) ? spec.names : {};
  const group = String(spec.group);
  const kind = String(names.kind);
  const out: [string, CrdVersionData][] = [];
  for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isObj(v)) continue;
    const sub = isObj(v.subresources) ? v.subresources : {};
    const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const served = v.served !== false;
    const data: CrdVersionData = {
      addon,
      addonVersion,
      source,
      group,
      kind,
      version: String(v.name),
      scope: spec.scope === "Cluster" ? "Cluster" : "Namespaced",
      served,
      storage: v.storage === true,
      ...(v.deprecated === true ? { deprecated: true } : {}),
      ...(typeof v.deprecationWarning === "string" ? { deprecationWarning: v.deprecationWarning } : {}),
      subresources: { status: sub.status !== undefined, scale: sub.scale !== undefined },
      ...(served && schema !== undefined ? { schema: compactSchema(schema) } : {}),
    };
    out.push([`${group}/${kind.toLowerCase()}_${data.version}.json`, data]);
  }
  return out;
}

export interface CrdIndex {
  [addon: string]: { version: string; source: string; files: string[] };
}

function main(argv: string[]): void {
  const args: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith("--")) args[a.slice(2)] = argv[++i] ?? "";
    else files.push(a);
  }
  const { addon, version, source } = args;
  if (!addon || !version || !source || files.length === 0) {
    console.error("usage: crd-schemas.ts --addon NAME --version V --source owner/repo@tag:path CRD.yaml…");
    process.exit(2);
  }
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "schemas", "crds");
  const indexPath = join(root, "index.json");
  const index: CrdIndex = existsSync(indexPath) ? (JSON.parse(readFileSync(indexPath, "utf8")) as CrdIndex) : {};
  for (const old of index[addon]?.files ?? []) rmSync(join(root, old), { force: true });
  const written: string[] = [];
  for (const f of files) {
    for (const d of parseAllDocuments(readFileSync(f, "utf8"))) {
      for (const [rel, data] of crdFiles(d.toJS(), addon, version, source)) {
        const path = join(root, rel);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify(data)}\n`);
        written.push(rel);
      }
    }
  }
  index[addon] = { version, source, files: written.sort() };
  const sorted: CrdIndex = {};
  for (const k of Object.keys(index).sort()) sorted[k] = index[k] as CrdIndex[string];
  writeFileSync(indexPath, `${JSON.stringify(sorted, null, 2)}\n`);
  // Directories left empty by a bump.
  for (const g of readdirSync(root, { withFileTypes: true })) if (g.isDirectory() && readdirSync(join(root, g.name)).length === 0) rmSync(join(root, g.name), { recursive: true });
  console.log(`${addon} ${version}: ${written.length} schema files`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));

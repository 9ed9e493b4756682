/**
 * The upstream CRD schemas validate ships: `schemas/crds/<group>/<kind>_<version>.json`,
 * written by `scripts/crd-schemas.ts` from the CRD YAML of each add-on at the version
 * `addons/` pins (see the README, "Schemas"). A file is read and compiled the first time its
 * kind is validated. A version the add-on does not serve (`served: false`, or one it no longer
 * has) is answered with what it serves instead, so that it is reported, not missing.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ANY, type SchemaNode } from "./ir";
import { jsonSchemaToNode } from "./json-schema";
import type { KindSchema } from "./registry";
import { objectMeta } from "./registry";

export const CRD_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "schemas", "crds");

interface CrdVersionFile {
  readonly addon: string;
  readonly addonVersion: string;
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly served: boolean;
  readonly deprecated?: boolean;
  readonly deprecationWarning?: string;
  readonly subresources: { readonly status: boolean; readonly scale: boolean };
  readonly schema?: Record<string, unknown>;
}

const groupFiles = new Map<string, readonly string[]>();

/** File names in `schemas/crds/<group>/` (cached; none for a group we do not ship). */
function filesOf(group: string): readonly string[] {
  let files = groupFiles.get(group);
  if (files === undefined) {
    const dir = join(CRD_DIR, group);
    files = group !== "" && !group.includes("..") && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
    groupFiles.set(group, files);
  }
  return files;
}

function read(group: string, file: string): CrdVersionFile {
  return JSON.parse(readFileSync(join(CRD_DIR, group, file), "utf8")) as CrdVersionFile;
}

const describe = (d: CrdVersionFile): string => `${d.addon} ${d.addonVersion}`;

/** The schema of `apiVersion` `kind` from the shipped upstream CRDs, if its group is one of theirs. */
export function vendoredCrd(apiVersion: string, kind: string): KindSchema | undefined {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const files = filesOf(group);
  if (files.length === 0) return undefined;
  const prefix = `${kind.toLowerCase()}_`;
  const file = `${prefix}${version}.json`;
  if (files.includes(file)) {
    const d = read(group, file);
    if (d.kind === kind) return toKindSchema(d, files, prefix);
  }
  // A kind the add-on has, in a version it does not: reported as not served.
  const others = files.filter((f) => f.startsWith(prefix)).map((f) => read(group, f)).filter((d) => d.kind === kind);
  const first = others[0];
  if (!first) return undefined;
  const served = others.filter((d) => d.served).map((d) => `${group}/${d.version}`);
  return { node: ANY, namespaced: first.scope === "Namespaced", source: first.source, unserved: `${describe(first)} does not have ${apiVersion} ${kind}; it serves ${served.join(", ") || "no version of it"}` };
}

function toKindSchema(d: CrdVersionFile, files: readonly string[], prefix: string): KindSchema {
  const node: SchemaNode = d.schema ? jsonSchemaToNode(d.schema, { objectMeta: objectMeta(), statusSubresource: d.subresources.status }) : ANY;
  const base = { node, namespaced: d.scope === "Namespaced", source: `${describe(d)} (${d.source})` };
  if (!d.served) {
    const served = files.filter((f) => f.startsWith(prefix)).map((f) => read(d.group, f)).filter((x) => x.kind === d.kind && x.served).map((x) => `${d.group}/${x.version}`);
    return { ...base, unserved: `${describe(d)} has ${d.group}/${d.version} ${d.kind} with served: false; it serves ${served.join(", ") || "no version of it"}` };
  }
  if (d.deprecated) return { ...base, deprecation: d.deprecationWarning ?? `${d.group}/${d.version} ${d.kind} is deprecated in ${describe(d)}` };
  return base;
}

/**
 * Where a kind's schema comes from, in order: CRDs among the validated objects and
 * `--schema-location` files and templates; the add-ons' upstream CRDs shipped in
 * `schemas/crds/` (crds.ts: the add-on version decides); the `kubernetes-models` family of npm
 * packages (built-in kinds, Argo CD, and any `@kubernetes-models/*` package that is installed);
 * Slipway's own CRD in `src/schemas/`.
 * Every lookup is cached, and compiled validators are loaded on first use.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { compileFunction } from "node:vm";
import { parseAllDocuments } from "yaml";
import { FIELD_SINCE } from "../lifecycle";
import { findPackageDir, loadDtsKind } from "./dts";
import { deref, type SchemaNode } from "./ir";
import { vendoredCrd } from "./crds";
import { jsonSchemaToNode } from "./json-schema";
import { directoryTemplate, isTemplate, renderTemplate } from "./location";
import { passModelOrigin, registerModelValidator, type FormatTable } from "./model-checks";

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; keyword: string; params: Record<string, unknown>; message?: string }> | null;
}

export interface KindSchema {
  readonly node: SchemaNode;
  /**
   * The package's own compiled validator (integer vs number, int32 ranges, formats). Its
   * checks are folded into `node` (model-checks.ts): it runs only on an object for which
   * the schema checker sets `modelRejects`, to report its errors.
   */
  readonly compiled?: CompiledValidator;
  readonly namespaced?: boolean;
  /** Where the schema came from, for messages and `--summary`. */
  readonly source: string;
  /** The apiVersion is not served (a CRD version with `served: false`, or gone): why, and what to use. */
  readonly unserved?: string;
  /** A served CRD version marked deprecated: its warning. */
  readonly deprecation?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** kubernetes-models style packages, probed in order; uninstalled ones are skipped. */
const MODEL_PACKAGES = [
  "kubernetes-models",
  "@kubernetes-models/argo-cd",
  "@kubernetes-models/cert-manager",
  "@kubernetes-models/prometheus-operator",
  "@kubernetes-models/external-secrets",
  "@kubernetes-models/karpenter",
];

let packageDirs: { name: string; dir: string }[] | undefined;
function modelPackages(): { name: string; dir: string }[] {
  if (!packageDirs) {
    packageDirs = [];
    for (const name of MODEL_PACKAGES) {
      const dir = findPackageDir(name, here);
      if (dir) packageDirs.push({ name, dir });
    }
  }
  return packageDirs;
}

let objectMetaNode: SchemaNode | undefined;
/** ObjectMeta, used for `metadata` of custom resources. */
export function objectMeta(): SchemaNode {
  if (!objectMetaNode) {
    // Through the ConfigMap kind, so that the model validator's checks are folded into it
    // before any custom resource's checker is compiled with it.
    const cm = modelPackages().some((p) => p.name === "kubernetes-models") ? loadBuiltin("v1", "ConfigMap") : undefined;
    const node = cm ? deref(cm.node) : undefined;
    const meta = node?.t === "object" ? node.props.get("metadata")?.node : undefined;
    if (node && meta) passModelOrigin(node, meta, "metadata");
    objectMetaNode = meta ?? { t: "any" };
  }
  return objectMetaNode;
}

/** Kinds that are not namespaced among the built-in APIs (the rest are). */
const CLUSTER_SCOPED = new Set([
  "Namespace", "Node", "PersistentVolume", "ComponentStatus", "ClusterRole", "ClusterRoleBinding",
  "CustomResourceDefinition", "APIService", "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment",
  "PriorityClass", "RuntimeClass", "IngressClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "FlowSchema", "PriorityLevelConfiguration",
  "CertificateSigningRequest", "PodSecurityPolicy", "TokenReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
  "SubjectAccessReview", "SelfSubjectReview",
]);

const builtinCache = new Map<string, KindSchema | null>();

function loadBuiltin(apiVersion: string, kind: string): KindSchema | undefined {
  const key = `${apiVersion}/${kind}`;
  const hit = builtinCache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let found: KindSchema | undefined = vendoredCrd(apiVersion, kind);
  for (const pkg of found ? [] : modelPackages()) {
    const k = loadDtsKind(pkg.dir, apiVersion, kind, FIELD_SINCE);
    if (!k) continue;
    let compiled: CompiledValidator | undefined;
    if (k.compiledModule) {
      const modPath = k.compiledModule;
      const fn = (loadSchemaModule(modPath) as { validate: CompiledValidator }).validate;
      const wrapper: CompiledValidator = (data: unknown) => {
        const ok = fn(data);
        wrapper.errors = fn.errors ?? null;
        return ok;
      };
      compiled = wrapper;
      registerModelValidator(k.node, wrapper, modelFormats(modPath));
    }
    found = {
      node: k.node,
      ...(compiled ? { compiled } : {}),
      namespaced: pkg.name === "kubernetes-models" ? !CLUSTER_SCOPED.has(kind) : customScope(key, kind),
      source: pkg.name,
    };
    break;
  }
  if (!found) found = authoredSchemas().get(key);
  builtinCache.set(key, found ?? null);
  return found;
}

/**
 * Loads one of the model packages' generated validator modules (plain CommonJS) and its
 * `_schemas` siblings by compiling them directly, without going through the module loader
 * and its hooks (the TypeScript loader the CLI registers), which cost more than the code:
 * a Deployment's validator is some hundred modules. Anything else they require (the
 * `@kubernetes-models/validate` runtime) comes from Node's `require`.
 */
const schemaModules = new Map<string, { exports: Record<string, unknown> }>();
const packageDirCache = new Map<string, string>();
function loadSchemaModule(path: string): unknown {
  const hit = schemaModules.get(path);
  if (hit) return hit.exports;
  const mod = { exports: {} as Record<string, unknown> };
  schemaModules.set(path, mod); // a cycle sees the partial exports, as with Node
  const dir = dirname(path);
  const req = (spec: string): unknown => {
    if (spec.startsWith("./") && spec.endsWith(".js")) return loadSchemaModule(join(dir, spec));
    const m = /^(@kubernetes-models\/[a-z0-9-]+)\/_schemas\/([A-Za-z0-9]+)$/.exec(spec);
    let pkgDir: string | undefined;
    if (m) {
      const key = `${m[1] as string}\0${dir}`;
      pkgDir = packageDirCache.get(key);
      if (pkgDir === undefined) {
        pkgDir = findPackageDir(m[1] as string, dir);
        if (pkgDir !== undefined) packageDirCache.set(key, pkgDir);
      }
    }
    if (m && pkgDir) return loadSchemaModule(join(pkgDir, "_schemas", `${m[2] as string}.js`));
    return createRequire(path)(spec);
  };
  try {
    const fn = compileFunction(readFileSync(path, "utf8"), ["exports", "require", "module", "__filename", "__dirname"], { filename: path }) as (...args: unknown[]) => void;
    fn(mod.exports, req, mod, path, dir);
  } catch (e) {
    schemaModules.delete(path);
    throw e;
  }
  return mod.exports;
}

/** The `formats` the compiled validator at `modulePath` uses (from `@kubernetes-models/validate`). */
function modelFormats(modulePath: string): FormatTable {
  const runtime = createRequire(modulePath)("@kubernetes-models/validate") as { formats?: FormatTable };
  return runtime.formats ?? {};
}

/**
 * Scope of a custom kind served by a model package (its type declarations do not say): the
 * `scope` of our authored CRD for the same kind when there is one, else the `Cluster…` naming
 * convention (ClusterIssuer, ClusterSecretStore, ClusterPolicy).
 */
function customScope(key: string, kind: string): boolean {
  return authoredSchemas().get(key)?.namespaced ?? !/^Cluster[A-Z]/.test(kind);
}

/** Registers every CRD version of `doc` (a parsed CustomResourceDefinition) into `into`. */
export function addCrd(doc: unknown, source: string, into: Map<string, KindSchema>): boolean {
  if (!isRecord(doc) || doc.kind !== "CustomResourceDefinition" || !isRecord(doc.spec)) return false;
  const spec = doc.spec;
  const group = spec.group;
  const kind = isRecord(spec.names) ? spec.names.kind : undefined;
  if (typeof group !== "string" || typeof kind !== "string") return false;
  const namespaced = spec.scope !== "Cluster";
  const versions = Array.isArray(spec.versions) ? spec.versions : typeof spec.version === "string" ? [{ name: spec.version }] : [];
  const served = versions.filter((v): v is Record<string, unknown> => isRecord(v) && v.served !== false).map((v) => `${group}/${String(v.name)}`);
  for (const v of versions) {
    if (!isRecord(v) || typeof v.name !== "string") continue;
    const schema = isRecord(v.schema) ? v.schema.openAPIV3Schema : isRecord(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
    const statusSubresource = isRecord(v.subresources) ? v.subresources.status !== undefined : isRecord(spec.subresources) && spec.subresources.status !== undefined;
    const node: SchemaNode = isRecord(schema) ? jsonSchemaToNode(schema, { objectMeta: objectMeta(), statusSubresource }) : { t: "any" };
    into.set(`${group}/${v.name}/${kind}`, {
      node,
      namespaced,
      source,
      ...(v.served === false ? { unserved: `its CRD (${source}) has served: false for ${group}/${v.name}; served: ${served.join(", ") || "none"}` } : {}),
      ...(v.deprecated === true ? { deprecation: typeof v.deprecationWarning === "string" ? v.deprecationWarning : `${group}/${v.name} ${kind} is deprecated by its CRD (${source})` } : {}),
    });
  }
  return true;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const parseDocs = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS() as unknown);

let authored: Map<string, KindSchema> | undefined;
/** The CRD schemas in `src/schemas/*.yaml`: Slipway's own kinds. */
export function authoredSchemas(): Map<string, KindSchema> {
  if (!authored) {
    authored = new Map();
    const dir = join(here, "..", "schemas");
    for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
      if (f.endsWith(".yaml")) loadSchemaFile(join(dir, f), authored, `slipway:${f}`, cachedParseDocs);
    }
  }
  return authored;
}

/**
 * `parseDocs` for our own schema files, through a JSON cache: parsing their YAML (anchors,
 * flow style) costs more at start-up than all the rest of a small run. The cache lives in
 * the gitignored `.slipway/cache/validate/` of the install root, one file per content hash
 * of the YAML text and `yaml` version; it is used only when a JSON round trip is exact.
 */
function cachedParseDocs(text: string): unknown[] {
  const dir = cacheDir();
  if (!dir) return parseDocs(text);
  const file = join(dir, `schema-${createHash("sha256").update(`${yamlVersion()}\0${text}`).digest("hex").slice(0, 32)}.json`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown[];
  } catch {
    // not cached yet (or unreadable): parse and try to cache
  }
  const docs = parseDocs(text);
  try {
    const json = JSON.stringify(docs);
    if (isDeepStrictEqual(JSON.parse(json), docs)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, json);
      renameSync(tmp, file);
    }
  } catch {
    // a read-only tree: no cache
  }
  return docs;
}

let cacheDirPath: string | null | undefined;
function cacheDir(): string | undefined {
  if (cacheDirPath === undefined) {
    const yamlDir = findPackageDir("yaml", here);
    cacheDirPath = yamlDir ? join(dirname(dirname(yamlDir)), ".slipway", "cache", "validate") : null;
  }
  return cacheDirPath ?? undefined;
}

let yamlVersionText: string | undefined;
function yamlVersion(): string {
  if (yamlVersionText === undefined) {
    const dir = findPackageDir("yaml", here);
    try {
      yamlVersionText = dir ? String((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version) : "?";
    } catch {
      yamlVersionText = "?";
    }
  }
  return yamlVersionText;
}

/** A JSON schema file (kubeconform layout) or a YAML/JSON file of CRDs. */
export function loadSchemaFile(path: string, into: Map<string, KindSchema>, source = path, docsOf: (text: string) => unknown[] = parseDocs): void {
  const text = readFileSync(path, "utf8");
  const docs = docsOf(text);
  let crds = 0;
  for (const doc of docs) {
    const list = isRecord(doc) && doc.kind === "List" && Array.isArray(doc.items) ? doc.items : [doc];
    for (const d of list) if (addCrd(d, source, into)) crds++;
  }
  if (crds > 0 || docs.length !== 1) return;
  const schema = docs[0];
  if (!isRecord(schema)) return;
  for (const [apiVersion, kind] of gvkOfJsonSchema(schema, path)) {
    into.set(`${apiVersion}/${kind}`, { node: jsonSchemaToNode(schema, { objectMeta: objectMeta() }), source });
  }
}

function gvkOfJsonSchema(schema: Record<string, unknown>, path: string): [string, string][] {
  const gvk = schema["x-kubernetes-group-version-kind"];
  if (Array.isArray(gvk)) {
    return gvk.filter(isRecord).map((g) => [g.group ? `${String(g.group)}/${String(g.version)}` : String(g.version), String(g.kind)]);
  }
  const props = isRecord(schema.properties) ? schema.properties : {};
  const enumOf = (p: unknown): string[] => (isRecord(p) && Array.isArray(p.enum) ? p.enum.map(String) : []);
  const avs = enumOf(props.apiVersion);
  const kinds = enumOf(props.kind);
  if (avs.length > 0 && kinds.length > 0) return avs.flatMap((av) => kinds.map((k): [string, string] => [av, k]));
  // kubeconform file names: <kind>-<group>-<version>.json and <kind>-<version>.json (kind-group-version),
  // <group>/<kind>_<version>.json (the CRDs-catalog layout) and <kind>_<version>.json (group unknown: any).
  const stem = basename(path, extname(path)).toLowerCase();
  const underscore = /^([a-z0-9]+)_([a-z0-9]+)$/.exec(stem);
  if (underscore) {
    const dirGroup = basename(dirname(path));
    const [, kind, version] = underscore as unknown as [string, string, string];
    return [[dirGroup.includes(".") ? `${dirGroup}/${version}` : `~/${version}`, `~${kind}`]];
  }
  const parts = stem.split("-");
  if (parts.length >= 2) {
    const kind = parts[0] as string;
    const version = parts[parts.length - 1] as string;
    const group = parts.slice(1, -1).join("-");
    return [[group ? `${group}/${version}` : version, `~${kind}`]];
  }
  return [];
}

const locationCache = new Map<string, Map<string, KindSchema>>();

/** Schemas of the locations that are directories or files: read once per set of locations. */
function loadLocations(locations: readonly string[]): Map<string, KindSchema> {
  const key = locations.join("\0");
  let m = locationCache.get(key);
  if (m) return m;
  m = new Map();
  const visit = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) visit(join(p, f));
    } else if (/\.(json|ya?ml)$/.test(p)) {
      loadSchemaFile(p, m!);
    }
  };
  for (const loc of locations) {
    if (loc === "default" || isTemplate(loc)) continue;
    if (!existsSync(loc)) throw new Error(`schema location ${loc} does not exist`);
    visit(loc);
  }
  locationCache.set(key, m);
  return m;
}

/** Schemas read through a template, by rendered path (undefined: no such file). */
const templateFiles = new Map<string, Map<string, KindSchema> | null>();

function templateFile(path: string): Map<string, KindSchema> | undefined {
  let hit = templateFiles.get(path);
  if (hit === undefined) {
    hit = null;
    if (existsSync(path) && statSync(path).isFile()) {
      hit = new Map();
      loadSchemaFile(path, hit);
    }
    templateFiles.set(path, hit);
  }
  return hit ?? undefined;
}

export interface RegistryOptions {
  /** `major.minor` or `major.minor.patch` as given, for `{{ .NormalizedKubernetesVersion }}`. */
  readonly kubernetesVersion?: string;
  readonly strict?: boolean;
}

/** Schema lookup for one validation run: its extra schemas first, then the shared ones. */
export class SchemaRegistry {
  private readonly extra: Map<string, KindSchema>;
  private readonly templates: string[];
  private readonly versions: string[];
  private readonly strict: boolean;
  constructor(locations: readonly string[] = [], options: RegistryOptions = {}) {
    this.extra = new Map(loadLocations(locations));
    this.templates = locations.flatMap((l) => (isTemplate(l) ? [l] : l !== "default" && existsSync(l) && statSync(l).isDirectory() ? [directoryTemplate(l)] : []));
    const v = options.kubernetesVersion?.trim().replace(/^v/, "");
    this.versions = v === undefined ? ["master"] : [`v${/^\d+\.\d+$/.test(v) ? `${v}.0` : v}`, "master"];
    this.strict = options.strict ?? true;
  }

  /** apiVersion → kind → schema: the objects of one run repeat a handful of kinds. */
  private readonly found = new Map<string, Map<string, KindSchema | undefined>>();

  /** Adds the CRDs found among the objects being validated. */
  addCrdObject(doc: unknown, source: string): void {
    if (addCrd(doc, source, this.extra)) this.found.clear();
  }

  lookup(apiVersion: string, kind: string): KindSchema | undefined {
    let kinds = this.found.get(apiVersion);
    if (!kinds) {
      kinds = new Map();
      this.found.set(apiVersion, kinds);
    } else if (kinds.has(kind)) {
      return kinds.get(kind);
    }
    const schema = fromMap(this.extra, apiVersion, kind) ?? this.fromTemplates(apiVersion, kind) ?? loadBuiltin(apiVersion, kind);
    kinds.set(kind, schema);
    return schema;
  }

  /** The first template that names an existing file holding this kind's schema (kubeconform's order). */
  private fromTemplates(apiVersion: string, kind: string): KindSchema | undefined {
    for (const t of this.templates) {
      for (const normalizedVersion of this.versions) {
        const file = templateFile(renderTemplate(t, { kind, apiVersion, normalizedVersion, strict: this.strict }));
        if (!file) continue;
        // A file found by the template is this kind's schema whatever its own name says, as in kubeconform.
        const s = fromMap(file, apiVersion, kind) ?? (file.size === 1 ? [...file.values()][0] : undefined);
        if (s) return s;
      }
    }
    return undefined;
  }
}

function fromMap(m: Map<string, KindSchema>, apiVersion: string, kind: string): KindSchema | undefined {
  if (m.size === 0) return undefined;
  const lower = kind.toLowerCase();
  const version = apiVersion.slice(apiVersion.indexOf("/") + 1);
  return m.get(`${apiVersion}/${kind}`) ?? m.get(`${apiVersion}/~${lower}`) ?? m.get(`~/${version}/~${lower}`);
}

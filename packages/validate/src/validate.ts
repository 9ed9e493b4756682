/**
 * `validateManifests`: the whole check pipeline over in-memory sources, pure and
 * synchronous. Stages per object: type meta → --skip/--reject → API lifecycle → schema
 * (strict walker + the package's compiled validator) → semantics → guardrails; then
 * over the set: guardrails needing several objects, duplicates, cross-object checks.
 */
import { UsageError } from "@slipway/core";
import { Annotations } from "./conventions";
import { checkCrossObject, type CrossItem } from "./cross";
import { checkGuardrails, checkGuardrailSet, type GuardrailItem } from "./guardrails";
import { lifecycleOf, NEWEST_MINOR, OLDEST_MINOR, SCHEMA_MINOR } from "./lifecycle";
import { asObj, groupOf, isObj, podTemplateOf, str, type Obj, type PodTemplate } from "./objects";
import { parseYaml, type ParsedFile } from "./parse";
import { formatPath, pointerToPath, type PathSeg } from "./path";
import { RULES_BY_ID, severityOf } from "./rules";
import { checkNode, type CheckContext } from "./schema/check";
import { SchemaRegistry, type CompiledValidator, type KindSchema } from "./schema/registry";
import { checkSemantics, type Sink } from "./semantic";
import type { Exemption, Finding, GuardrailPolicy, ManifestSource, ManifestText, ObjectRef, ValidatedObject, ValidateOptions, ValidationReport } from "./types";

/** `1.31`, `v1.31`, `1.31.4` → 31. An unsupported version is a UsageError (the caller asked for it). */
export function parseKubernetesVersion(v: string): number {
  const m = /^v?1\.(\d+)(\.\d+)?$/.exec(v.trim());
  const minor = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(minor) || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
    throw new UsageError(`Kubernetes version \`${v}\` is not supported`, {
      expected: `1.${OLDEST_MINOR} … 1.${NEWEST_MINOR} (major.minor, e.g. 1.31)`,
      received: v,
    });
  }
  return minor;
}

interface RawFinding {
  rule: string;
  path: PathSeg[];
  message: string;
  hint?: string;
}

/**
 * One object under validation. It is its own sink (findings are kept with their object
 * until the end, where exemptions and lines are applied), and the guardrail-set and
 * cross-object checks take it as it is: no per-object wrappers.
 */
class Item implements Sink, GuardrailItem, CrossItem {
  namespaced: boolean | undefined = undefined;
  policy: GuardrailPolicy | undefined = undefined;
  findings: RawFinding[] = [];
  /** rule and path of each finding, once the object has one. */
  seen: Set<string> | undefined = undefined;
  skipped = false;
  /** Context only (see ManifestObject.context): prepared for the set-level checks, never reported. */
  context = false;
  locate: ((path: readonly PathSeg[]) => number) | undefined = undefined;
  /** The pod template inside the object, found once for every check that needs it. */
  readonly template: PodTemplate | undefined;

  constructor(
    readonly file: string,
    readonly sourceIndex: number,
    readonly docIndex: number,
    readonly line: number,
    readonly obj: Obj,
    readonly base: readonly PathSeg[],
    readonly ref: ObjectRef,
  ) {
    this.template = podTemplateOf(obj);
  }

  get sink(): Sink {
    return this;
  }

  add(rule: string, path: readonly PathSeg[], message: string, hint?: string): void {
    const full = this.base.length > 0 ? [...this.base, ...path] : [...path];
    const k = `${rule}\0${formatPath(full)}`;
    this.seen ??= new Set();
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.findings.push({ rule, path: full, message, ...(hint !== undefined ? { hint } : {}) });
  }
}

const isText = (s: ManifestSource): s is ManifestText => "text" in s;

function kindMatches(list: ReadonlySet<string>, apiVersion: string, kind: string): boolean {
  return list.size > 0 && (list.has(kind) || list.has(`${apiVersion}/${kind}`));
}

export function validateManifests(sources: readonly ManifestSource[], options: ValidateOptions = {}): ValidationReport {
  const minor = options.kubernetesVersion ? parseKubernetesVersion(options.kubernetesVersion) : SCHEMA_MINOR;
  const strict = options.strict ?? true;
  const skip = new Set(options.skip ?? []);
  const reject = new Set(options.reject ?? []);
  const registry = new SchemaRegistry(options.schemaLocations ?? [], { ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}), strict });
  const findings: Finding[] = [];
  const exemptions: Exemption[] = [];
  /** rule, file, line, name, kind of each exemption: one entry per object and rule. */
  const exempted = new Set<string>();
  const items: Item[] = [];
  const files = new Set<string>();
  let skipped = 0;

  const fileFinding = (file: string, line: number, rule: string, message: string, path: readonly PathSeg[] = []): void => {
    const info = RULES_BY_ID.get(rule);
    findings.push({ rule, severity: info ? severityOf(info, undefined) : "error", file, line, object: {}, path: formatPath(path), message, hint: info?.hint ?? "" });
  };

  // CRDs first, wherever they are, so custom resources in the same run validate against them.
  const parsed: (ParsedFile | undefined)[] = sources.map((s) => (isText(s) && /kind:\s*["']?CustomResourceDefinition/.test(s.text) ? parseYaml(s.text) : undefined));
  parsed.forEach((p, i) => {
    if (!p) return;
    for (const d of p.docs) registry.addCrdObject(d.value, (sources[i] as ManifestSource).file);
  });
  sources.forEach((s) => {
    if (!isText(s) && isObj(s.object) && s.object.kind === "CustomResourceDefinition") registry.addCrdObject(s.object, s.file);
  });

  const ctx: CheckContext = { strict, minor, sink: { add: () => undefined }, modelRejects: false };

  for (let sourceIndex = 0; sourceIndex < sources.length; sourceIndex++) {
    const source = sources[sourceIndex] as ManifestSource;
    if (source.context) {
      addContext(source, sourceIndex);
      continue;
    }
    files.add(source.file);
    if (!isText(source)) {
      checkDocument(source.file, sourceIndex, 0, source.line ?? 1, source.object, undefined);
      continue;
    }
    const pf = parsed[sourceIndex] ?? parseYaml(source.text);
    parsed[sourceIndex] = undefined;
    for (const pr of pf.problems) {
      if (pr.rule === "SW-YAML-DUPKEY" && !strict) continue;
      fileFinding(source.file, pr.line, pr.rule, pr.message, pr.path);
    }
    if (source.requireObjects && pf.docs.length === 0 && pf.problems.length === 0) {
      fileFinding(source.file, 1, "SW-YAML-EMPTY", `${source.file} has no Kubernetes object: the input is ${source.text.trim() === "" ? "empty" : "only comments and document separators"}`);
    }
    for (let docIndex = 0; docIndex < pf.docs.length; docIndex++) {
      const doc = pf.docs[docIndex] as ParsedFile["docs"][number];
      checkDocument(source.file, sourceIndex, docIndex, doc.line, doc.value, doc.locate);
    }
  }

  /** A context source's objects, as checkDocument would keep them, prepared but not checked. */
  function addContext(source: ManifestSource, sourceIndex: number): void {
    const docs = isText(source) ? (parsed[sourceIndex] ?? parseYaml(source.text)).docs.map((d) => ({ value: d.value, line: d.line })) : [{ value: source.object, line: source.line ?? 1 }];
    parsed[sourceIndex] = undefined;
    docs.forEach(({ value, line }, docIndex) => {
      if (!isObj(value)) return;
      const kind = str(value.kind);
      const objects: { obj: Obj; base: PathSeg[] }[] = [];
      if (kind !== undefined && /List$/.test(kind) && Array.isArray(value.items) && !value.spec) value.items.forEach((it, i) => isObj(it) && objects.push({ obj: it, base: ["items", i] }));
      else objects.push({ obj: value, base: [] });
      for (const { obj, base } of objects) {
        const item = makeItem(source.file, sourceIndex, docIndex, line, obj, base);
        item.context = true;
        prepareContext(item);
        items.push(item);
      }
    });
  }

  /**
   * What checkItem leaves on an item for the set-level checks (skipped, namespaced, policy),
   * decided the same way, without the checks themselves.
   */
  function prepareContext(item: Item): void {
    const apiVersion = item.obj.apiVersion;
    const kind = item.obj.kind;
    if (typeof apiVersion !== "string" || apiVersion === "" || typeof kind !== "string" || kind === "") return;
    if (kindMatches(skip, apiVersion, kind)) {
      item.skipped = true;
      return;
    }
    if (kindMatches(reject, apiVersion, kind)) return;
    const life = lifecycleOf(apiVersion, kind);
    const removed = life?.removed !== undefined && minor >= life.removed;
    const schema = removed ? undefined : registry.lookup(apiVersion, kind);
    if (!schema && !removed && options.ignoreMissingSchemas) item.skipped = true;
    if (schema) item.namespaced = schema.namespaced;
    const policy = typeof options.policy === "function" ? options.policy(item.ref) : options.policy;
    if (policy) item.policy = policy;
  }

  function checkDocument(file: string, sourceIndex: number, docIndex: number, line: number, value: unknown, locate: Item["locate"]): void {
    if (!isObj(value)) {
      fileFinding(file, line, value === null || value === undefined ? "SW-YAML-PARSE" : "SW-SCHEMA-TYPEMETA", `document is ${Array.isArray(value) ? "a list" : typeof value}, not a Kubernetes object`);
      return;
    }
    const kind = str(value.kind);
    if (kind !== undefined && /List$/.test(kind) && Array.isArray(value.items) && !value.spec) {
      const listed: Item[] = [];
      value.items.forEach((it, i) => {
        if (isObj(it)) listed.push(makeItem(file, sourceIndex, docIndex, line, it, ["items", i]));
      });
      for (const item of listed) checkAndKeep(item, locate);
    } else {
      checkAndKeep(makeItem(file, sourceIndex, docIndex, line, value, []), locate);
    }
  }

  function checkAndKeep(item: Item, locate: Item["locate"]): void {
    item.locate = locate;
    checkItem(item);
    resolveItemFindings(item);
    // Drop the YAML syntax tree: set-level findings (rare) re-parse their file for lines.
    item.locate = undefined;
    items.push(item);
  }

  function makeItem(file: string, sourceIndex: number, docIndex: number, line: number, obj: Obj, base: PathSeg[]): Item {
    const meta = asObj(obj.metadata);
    // Keys in this order (file, line, apiVersion, kind, namespace, name): reports print them so.
    const ref: { -readonly [K in keyof ObjectRef]: ObjectRef[K] } = { file, line };
    if (typeof obj.apiVersion === "string") ref.apiVersion = obj.apiVersion;
    if (typeof obj.kind === "string") ref.kind = obj.kind;
    if (typeof meta.namespace === "string") ref.namespace = meta.namespace;
    if (typeof meta.name === "string") ref.name = meta.name;
    return new Item(file, sourceIndex, docIndex, line, obj, base, ref);
  }

  function checkItem(item: Item): void {
    const o = item.obj;
    const sink: Sink = item;
    const apiVersion = o.apiVersion;
    const kind = o.kind;
    if (typeof apiVersion !== "string" || apiVersion === "" || typeof kind !== "string" || kind === "") {
      sink.add("SW-SCHEMA-TYPEMETA", typeof apiVersion !== "string" || apiVersion === "" ? ["apiVersion"] : ["kind"], `missing or non-string ${typeof apiVersion !== "string" || apiVersion === "" ? "apiVersion" : "kind"}`);
      return;
    }
    if (kindMatches(skip, apiVersion, kind)) {
      item.skipped = true;
      skipped++;
      return;
    }
    if (kindMatches(reject, apiVersion, kind)) {
      sink.add("SW-SCHEMA-REJECTED", ["kind"], `${apiVersion} ${kind} is rejected (--reject)`);
      return;
    }
    const life = lifecycleOf(apiVersion, kind);
    let removed = false;
    if (life) {
      if (life.removed !== undefined && minor >= life.removed) {
        removed = true;
        sink.add("SW-API-REMOVED", ["apiVersion"], `${apiVersion} ${kind} was removed in Kubernetes 1.${life.removed}; the target is 1.${minor}. Replacement: ${life.replacement}`, replacementHint(life.replacement));
      } else if (life.introduced !== undefined && minor < life.introduced) {
        sink.add("SW-API-UNAVAILABLE", ["apiVersion"], `${apiVersion} ${kind} is served from Kubernetes 1.${life.introduced}; the target is 1.${minor}`, `Use ${life.replacement} on this cluster, or upgrade it.`);
      } else if (life.deprecated !== undefined && minor >= life.deprecated) {
        sink.add("SW-API-DEPRECATED", ["apiVersion"], `${apiVersion} ${kind} is deprecated${life.deprecated > 0 ? ` since Kubernetes 1.${life.deprecated}` : ""}${life.removed !== undefined ? ` and removed in 1.${life.removed}` : ""}. Replacement: ${life.replacement}`, replacementHint(life.replacement));
      }
    }
    const schema: KindSchema | undefined = removed ? undefined : registry.lookup(apiVersion, kind);
    if (!schema && !removed) {
      if (options.ignoreMissingSchemas) {
        item.skipped = true;
        skipped++;
      } else {
        sink.add("SW-SCHEMA-MISSING", ["kind"], `no schema for ${apiVersion} ${kind}${groupOf(apiVersion) === "" || !apiVersion.includes(".") ? "" : " (a custom resource: add its CRD with --schema-location)"}`);
      }
    }
    if (schema?.unserved !== undefined) {
      item.namespaced = schema.namespaced;
      sink.add("SW-API-REMOVED", ["apiVersion"], `${apiVersion} ${kind} is not served: ${schema.unserved}`, "Move to a served apiVersion (the message names them) and convert the object's fields to it.");
    } else if (schema) {
      if (schema.deprecation !== undefined) sink.add("SW-API-DEPRECATED", ["apiVersion"], schema.deprecation, "Move to the apiVersion the warning names before the add-on drops this one.");
      item.namespaced = schema.namespaced;
      ctx.sink = sink;
      ctx.modelRejects = false;
      checkNode(schema.node, o, [], ctx);
      // The model validator's checks are folded into the walk; it runs only to report what it found.
      if (ctx.modelRejects && schema.compiled && !schema.compiled(o)) addCompiledErrors(item, sink, schema.compiled.errors ?? []);
    }
    checkSemantics(o, item.namespaced, sink, item.template, minor);
    checkExemptionAnnotations(item, sink);
    const policy = typeof options.policy === "function" ? options.policy(item.ref) : options.policy;
    if (policy) {
      item.policy = policy;
      checkGuardrails(o, item.namespaced, policy, sink, item.template);
    }
  }

  function addCompiledErrors(item: Item, sink: Sink, errors: NonNullable<CompiledValidator["errors"]>): void {
    const reported = item.findings.map((f) => formatPath(f.path.slice(item.base.length)));
    for (const e of errors) {
      const path = pointerToPath(e.instancePath, item.obj);
      let rule: string | undefined;
      let message = e.message ?? e.keyword;
      switch (e.keyword) {
        case "required":
          path.push(String(e.params.missingProperty));
          rule = "SW-SCHEMA-REQUIRED";
          message = `required field "${String(e.params.missingProperty)}" is missing`;
          break;
        case "type":
          rule = "SW-SCHEMA-TYPE";
          message = `expected ${String(e.params.type)}, got ${JSON.stringify(valueAt(item.obj, path))}`;
          break;
        case "enum":
        case "const":
          rule = "SW-SCHEMA-ENUM";
          message = `${JSON.stringify(valueAt(item.obj, path))} is not allowed${Array.isArray(e.params.allowedValues) ? `; expected one of: ${e.params.allowedValues.join(", ")}` : ""}`;
          break;
        case "format":
          rule = "SW-SCHEMA-FORMAT";
          message = `${JSON.stringify(valueAt(item.obj, path))} is not a valid ${String(e.params.format)}`;
          break;
        case "pattern":
        case "minimum":
        case "maximum":
        case "exclusiveMinimum":
        case "exclusiveMaximum":
        case "minLength":
        case "maxLength":
        case "minItems":
        case "maxItems":
        case "multipleOf":
          rule = "SW-SCHEMA-FORMAT";
          message = `${e.keyword} ${JSON.stringify(e.params)}`;
          break;
        default:
          rule = undefined; // oneOf/anyOf (int-or-string, quantity) and the rest: the walker reports them better
      }
      if (!rule) continue;
      const p = formatPath(path);
      if (reported.some((r) => p === r || p.startsWith(`${r}.`) || p.startsWith(`${r}[`))) continue;
      reported.push(p);
      sink.add(rule, path, message);
    }
  }

  function checkExemptionAnnotations(item: Item, sink: Sink): void {
    const ann = asObj(asObj(item.obj.metadata).annotations);
    for (const k in ann) {
      if (!Object.prototype.hasOwnProperty.call(ann, k) || !k.startsWith(Annotations.exemptionPrefix)) continue;
      const v = ann[k];
      const rule = k.slice(Annotations.exemptionPrefix.length);
      const info = RULES_BY_ID.get(rule);
      if (!info || (info.category !== "guardrail" && info.category !== "cross-object")) {
        sink.add("SW-GR-EXEMPTION", ["metadata", "annotations", k], `exemption for ${info ? "non-exemptable" : "unknown"} rule "${rule}"`);
      } else if (typeof v !== "string" || v.trim() === "") {
        sink.add("SW-GR-EXEMPTION", ["metadata", "annotations", k], `exemption for ${rule} has no reason`);
      }
    }
  }

  // Set-level checks.
  const live = items.filter((i) => !i.skipped && typeof i.obj.kind === "string");
  checkGuardrailSet(live);
  checkDuplicates(live);
  if (options.crossObject) checkCrossObject(live);

  // Lines for set-level findings: re-parse the file only when it has such a finding.
  const reparsed = new Map<number, ParsedFile>();
  for (const item of items) {
    if (item.context) item.findings = [];
    if (item.findings.length === 0) continue;
    const src = sources[item.sourceIndex] as ManifestSource;
    if (isText(src)) {
      let pf = reparsed.get(item.sourceIndex);
      if (!pf) {
        pf = parseYaml(src.text);
        reparsed.set(item.sourceIndex, pf);
      }
      const doc = pf.docs[item.docIndex];
      if (doc) item.locate = doc.locate;
    }
    resolveItemFindings(item);
  }

  function resolveItemFindings(item: Item): void {
    if (item.findings.length === 0) return;
    const ann = asObj(asObj(item.obj.metadata).annotations);
    for (const f of item.findings) {
      const info = RULES_BY_ID.get(f.rule);
      const object = { apiVersion: item.ref.apiVersion, kind: item.ref.kind, namespace: item.ref.namespace, name: item.ref.name };
      if (info && (info.category === "guardrail" || info.category === "cross-object") && f.rule !== "SW-GR-EXEMPTION") {
        const reason = ann[`${Annotations.exemptionPrefix}${f.rule}`];
        if (typeof reason === "string" && reason.trim() !== "") {
          const key = `${f.rule}\0${item.file}\0${item.line}\0${object.name ?? "\u0001"}\0${object.kind ?? "\u0001"}`;
          if (!exempted.has(key)) {
            exempted.add(key);
            exemptions.push({ rule: f.rule, reason: reason.trim(), file: item.file, line: item.line, object: stripUndefined(object) });
          }
          continue;
        }
      }
      // The field's line only for a reported finding: locating may mean a full parse of the file.
      const line = item.locate ? item.locate(f.path) : item.line;
      findings.push({
        rule: f.rule,
        severity: info ? severityOf(info, item.policy) : "error",
        file: item.file,
        line,
        object: stripUndefined(object),
        path: formatPath(f.path),
        message: f.message,
        hint: f.hint ?? info?.hint ?? "",
      });
    }
    item.findings = [];
  }

  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  const errorObjects = new Set<string>();
  /** Names of the objects with errors: most objects are ruled out by name, without building their key. */
  const errorNames = new Set<string>();
  for (const f of findings) {
    if (f.severity !== "error") continue;
    errorObjects.add(`${f.file}\0${f.object.kind ?? ""}\0${f.object.namespace ?? ""}\0${f.object.name ?? ""}`);
    errorNames.add(f.object.name ?? "");
  }
  const reported = items.some((i) => i.context) ? items.filter((i) => !i.context) : items;
  let valid = 0;
  for (const i of reported) {
    if (i.skipped) continue;
    if (!errorNames.has(i.ref.name ?? "") || !errorObjects.has(`${i.file}\0${i.ref.kind ?? ""}\0${i.ref.namespace ?? ""}\0${i.ref.name ?? ""}`)) valid++;
  }
  return {
    findings,
    objects: reported.map((i) => validatedObject(i.ref, i.skipped)),
    exemptions,
    summary: {
      files: files.size,
      objects: reported.length,
      valid,
      errors: findings.filter((f) => f.severity === "error").length,
      warnings: findings.filter((f) => f.severity === "warning").length,
      skipped,
      kubernetesVersion: `1.${minor}`,
    },
  };
}

/** `{ ...ref, skipped }`, written out (a spread per object is measurable on a fleet); same key order. */
function validatedObject(ref: ObjectRef, skipped: boolean): ValidatedObject {
  const o: { -readonly [K in keyof ValidatedObject]?: ValidatedObject[K] } = { file: ref.file, line: ref.line };
  if ("apiVersion" in ref) o.apiVersion = ref.apiVersion;
  if ("kind" in ref) o.kind = ref.kind;
  if ("namespace" in ref) o.namespace = ref.namespace;
  if ("name" in ref) o.name = ref.name;
  o.skipped = skipped;
  return o as ValidatedObject;
}

function replacementHint(replacement: string): string {
  return replacement.startsWith("no replacement") ? `${replacement.charAt(0).toUpperCase()}${replacement.slice(1)}.` : `Move to ${replacement}.`;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function valueAt(obj: unknown, path: readonly PathSeg[]): unknown {
  let cur = obj;
  for (const seg of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

function checkDuplicates(items: readonly Item[]): void {
  // By name first: names are short, and few objects share one, so no composite key is built.
  const byName = new Map<string, { item: Item; group: string; kind: string; namespace: string }[]>();
  for (const it of items) {
    const meta = asObj(it.obj.metadata);
    const name = str(meta.name);
    if (!name) continue;
    const group = groupOf(String(it.obj.apiVersion));
    const kind = String(it.obj.kind);
    const namespace = it.namespaced === false ? "" : (str(meta.namespace) ?? "");
    let named = byName.get(name);
    if (named === undefined) {
      named = [];
      byName.set(name, named);
    }
    const first = named.find((n) => n.kind === kind && n.namespace === namespace && n.group === group)?.item;
    if (!first) {
      named.push({ item: it, group, kind, namespace });
      continue;
    }
    const appOf = (i: Item): string | undefined => str(asObj(asObj(i.obj.metadata).labels)["slipway.dev/app"]) ?? str(asObj(asObj(i.obj.metadata).labels)["slipway.dev/addon"]);
    const a = appOf(first);
    const b = appOf(it);
    const owners = a && b && a !== b ? ` (owned by "${a}" and by "${b}")` : "";
    it.add("SW-X-DUPLICATE", ["metadata", "name"], `${String(it.obj.kind)} ${str(meta.namespace) ? `${String(meta.namespace)}/` : ""}${name} is also defined in ${first.file}:${first.line}${owners}`);
  }
}

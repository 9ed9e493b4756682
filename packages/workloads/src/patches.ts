/**
 * The typed escape hatch: an app's `patches` change named rendered objects after synthesis, for a
 * field the intent does not model. Each is a JSON merge patch (RFC 7386) or a JSON patch (RFC 6902,
 * JSON pointers per RFC 6901). A patched object carries `slipway.dev/patched` (which patches and
 * why), `slipway diff` flags it, and validate judges the patched object like any other: a patch
 * that makes a container privileged fails the guardrails.
 */
import { Annotations, DefinitionError, type AppPatch, type JsonPatchOp, type KubeObject } from "@slipway/core";
import type { AppInstanceContext } from "./context";

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Fields that say which object this is: a patch changing them would create or orphan an object. */
const IDENTITY = [["apiVersion"], ["kind"], ["metadata", "name"], ["metadata", "namespace"]] as const;

class PatchFailure extends Error {}

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** RFC 6901: `/a/b~1c/0` → `["a", "b/c", "0"]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function arrayIndex(array: Json[], token: string, pointer: string, forAdd: boolean): number {
  if (forAdd && token === "-") return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new PatchFailure(`\`${pointer}\`: \`${token}\` is not an array index`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) throw new PatchFailure(`\`${pointer}\`: index ${index} is out of bounds (the array has ${array.length} items)`);
  return index;
}

function parentOf(doc: Json, pointer: string): { parent: Json; token: string } {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchFailure("the whole object cannot be replaced or removed: patch its fields");
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, pointer, false)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new PatchFailure(`\`${pointer}\`: \`${token}\` does not exist`);
  }
  return { parent: node, token: tokens[tokens.length - 1]! };
}

function get(doc: Json, pointer: string): Json {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, pointer, false)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new PatchFailure(`\`${pointer}\` does not exist`);
  }
  return node;
}

function add(doc: Json, pointer: string, value: Json): void {
  const { parent, token } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, pointer, true), 0, clone(value));
  else if (isObject(parent)) parent[token] = clone(value);
  else throw new PatchFailure(`\`${pointer}\`: the parent is not an object or an array`);
}

function remove(doc: Json, pointer: string): Json {
  const { parent, token } = parentOf(doc, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, token, pointer, false), 1)[0];
  if (isObject(parent) && Object.hasOwn(parent, token)) {
    const old = parent[token];
    delete parent[token];
    return old;
  }
  throw new PatchFailure(`\`${pointer}\` does not exist`);
}

function equal(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return a === b;
}

/** RFC 6902, on a copy: every operation applies, or the document is left as it was. */
export function jsonPatch(target: Json, ops: readonly JsonPatchOp[]): Json {
  const doc = clone(target);
  ops.forEach((op, i) => {
    try {
      switch (op.op) {
        case "add":
          add(doc, op.path, op.value);
          break;
        case "remove":
          remove(doc, op.path);
          break;
        case "replace":
          get(doc, op.path);
          remove(doc, op.path);
          add(doc, op.path, op.value);
          break;
        case "move":
          if (op.path.startsWith(`${op.from}/`)) throw new PatchFailure(`cannot move \`${op.from}\` into its own child \`${op.path}\``);
          add(doc, op.path, remove(doc, op.from));
          break;
        case "copy":
          add(doc, op.path, get(doc, op.from));
          break;
        case "test":
          if (!equal(get(doc, op.path), op.value)) throw new PatchFailure(`test failed: \`${op.path}\` is ${JSON.stringify(get(doc, op.path))}, not ${JSON.stringify(op.value)}`);
          break;
      }
    } catch (e) {
      if (e instanceof PatchFailure) throw new PatchFailure(`operation ${i} (${op.op}): ${e.message}`);
      throw e;
    }
  });
  return doc;
}

const describeObject = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

export function applyPatches(objects: KubeObject[], ctx: AppInstanceContext): KubeObject[] {
  const patches = ctx.app.patches;
  if (patches.length === 0) return objects;
  const applied = new Map<number, string[]>();
  const out = [...objects];
  patches.forEach((patch: AppPatch, i) => {
    const fail = (message: string, hint: string, expected?: string) =>
      new DefinitionError(`app ${ctx.app.name}: patches[${i}] (${patch.target.kind}/${patch.target.name}) ${message}`, {
        file: ctx.sourceFile, field: `patches.${i}`, cluster: ctx.cluster.name, environment: ctx.environment.name, hint, ...(expected ? { expected } : {}),
      });
    const index = out.findIndex((o) => o.kind === patch.target.kind && o.metadata.name === patch.target.name);
    if (index < 0) {
      throw fail("names no object this app renders", "name one of the app's objects by `target: { kind, name }`", `one of ${out.map(describeObject).join(", ")}`);
    }
    const before = out[index]!;
    let after: Json;
    try {
      after = patch.type === "merge" ? mergePatch(before, patch.patch) : jsonPatch(before, patch.patch);
    } catch (e) {
      if (e instanceof PatchFailure) throw fail(`does not apply: ${e.message}`, "fix the patch against the rendered object (see the app's files under clusters/)");
      throw e;
    }
    for (const path of IDENTITY) {
      const was = path.reduce<Json>((n, k) => (isObject(n) ? n[k] : undefined), before);
      const now = path.reduce<Json>((n, k) => (isObject(n) ? n[k] : undefined), after);
      if (!equal(was, now)) throw fail(`changes \`${path.join(".")}\`, which names the object`, "patches change an object's content, never which object it is; rename or add objects in the intent");
    }
    out[index] = after as KubeObject;
    applied.set(index, [...(applied.get(index) ?? []), `patches[${i}]: ${patch.reason}`]);
  });
  for (const [index, notes] of applied) {
    const o = out[index]!;
    o.metadata.annotations = { ...o.metadata.annotations, [Annotations.patched]: notes.join("; ") };
  }
  return out;
}

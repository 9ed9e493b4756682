/**
 * Front-end 1: schemas from the TypeScript declarations that `kubernetes-models` and
 * `@kubernetes-models/*` ship (`<group>/<version>/<Kind>.d.ts`). Those packages also ship
 * compiled validators, but the validators accept unknown fields; the declarations are the
 * complete field lists, so strict mode is built from them. Files are parsed on first use.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { ANY, type ObjectNode, type PropInfo, type SchemaNode } from "./ir";

type TsType =
  | { k: "prim"; name: string }
  | { k: "lit"; value: string | number | boolean }
  | { k: "array"; el: TsType }
  | { k: "obj"; members: TsMember[]; index?: TsType }
  | { k: "ref"; name: string }
  | { k: "union"; of: TsType[] };

interface TsMember {
  name: string;
  optional: boolean;
  type: TsType;
}

interface DtsFile {
  readonly path: string;
  readonly imports: Map<string, { spec: string; name: string }>;
  readonly decls: Map<string, TsType>;
  /** exported alias → local name */
  readonly aliases: Map<string, string>;
}

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_$][\w$]*)|(-?\d+(?:\.\d+)?)|(=>|[{}[\]()<>:;,|?=.&*])/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`cannot tokenize declaration at offset ${at}`);
    const tok = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (tok !== undefined) out.push(tok);
  }
  return out;
}

function unquote(tok: string): string {
  return JSON.parse(tok.startsWith("'") ? `"${tok.slice(1, -1).replace(/"/g, '\\"')}"` : tok) as string;
}

const isString = (tok: string | undefined): boolean => tok !== undefined && (tok[0] === '"' || tok[0] === "'");

class Parser {
  private i = 0;
  constructor(private readonly toks: string[]) {}

  private peek(o = 0): string | undefined {
    return this.toks[this.i + o];
  }
  private next(): string {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error("unexpected end of declaration file");
    return t;
  }
  private expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new Error(`expected '${t}' but found '${got}'`);
  }
  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t === open) depth++;
      else if (t === close) depth--;
    } while (depth > 0);
  }
  private skipStatement(): void {
    while (this.i < this.toks.length) {
      const t = this.peek();
      if (t === "{") {
        this.skipBalanced("{", "}");
        if (this.peek() === ";") this.i++;
        return;
      }
      this.i++;
      if (t === ";") return;
    }
  }

  parseFile(path: string): DtsFile {
    const file: DtsFile = { path, imports: new Map(), decls: new Map(), aliases: new Map() };
    while (this.i < this.toks.length) {
      const t = this.peek();
      if (t === "import") {
        this.parseImport(file);
      } else if (t === "export" && this.peek(1) === "interface") {
        this.i += 2;
        const name = this.next();
        while (this.peek() !== "{") this.i++;
        file.decls.set(name, this.parseObject());
      } else if (t === "export" && this.peek(1) === "declare" && this.peek(2) === "type") {
        this.i += 3;
        const name = this.next();
        this.expect("=");
        file.decls.set(name, this.parseType());
        if (this.peek() === ";") this.i++;
      } else if (t === "export" && this.peek(1) === "{") {
        this.i += 2;
        while (this.peek() !== "}") {
          const local = this.next();
          let exported = local;
          if (this.peek() === "as") {
            this.i++;
            exported = this.next();
          }
          file.aliases.set(exported, local);
          if (this.peek() === ",") this.i++;
        }
        this.i++;
        if (this.peek() === ";") this.i++;
      } else {
        this.skipStatement();
      }
    }
    return file;
  }

  private parseImport(file: DtsFile): void {
    this.i++;
    const names: [string, string][] = [];
    if (this.peek() === "{") {
      this.i++;
      while (this.peek() !== "}") {
        const imported = this.next();
        let local = imported;
        if (this.peek() === "as") {
          this.i++;
          local = this.next();
        }
        names.push([local, imported]);
        if (this.peek() === ",") this.i++;
      }
      this.i++;
    }
    while (this.peek() !== "from" && this.peek() !== ";") this.i++;
    if (this.peek() === "from") {
      this.i++;
      const spec = unquote(this.next());
      for (const [local, name] of names) file.imports.set(local, { spec, name });
    }
    if (this.peek() === ";") this.i++;
  }

  private parseObject(): TsType {
    this.expect("{");
    const members: TsMember[] = [];
    let index: TsType | undefined;
    while (this.peek() !== "}") {
      if (this.peek() === "readonly") this.i++;
      if (this.peek() === "[") {
        this.i++;
        this.next(); // key
        this.expect(":");
        this.parseType();
        this.expect("]");
        this.expect(":");
        index = this.parseType();
      } else {
        const raw = this.next();
        const name = isString(raw) ? unquote(raw) : raw;
        let optional = false;
        if (this.peek() === "?") {
          optional = true;
          this.i++;
        }
        this.expect(":");
        members.push({ name, optional, type: this.parseType() });
      }
      if (this.peek() === ";" || this.peek() === ",") this.i++;
    }
    this.i++;
    return index === undefined ? { k: "obj", members } : { k: "obj", members, index };
  }

  parseType(): TsType {
    if (this.peek() === "|") this.i++;
    const of: TsType[] = [this.parsePostfix()];
    while (this.peek() === "|") {
      this.i++;
      of.push(this.parsePostfix());
    }
    return of.length === 1 ? (of[0] as TsType) : { k: "union", of };
  }

  private parsePostfix(): TsType {
    let t = this.parsePrimary();
    while (this.peek() === "[") {
      if (this.peek(1) === "]") {
        this.i += 2;
        t = { k: "array", el: t };
      } else {
        this.skipBalanced("[", "]");
        t = { k: "prim", name: "any" };
      }
    }
    return t;
  }

  private parsePrimary(): TsType {
    const t = this.next();
    if (t === "{") {
      this.i--;
      return this.parseObject();
    }
    if (t === "(") {
      const inner = this.parseType();
      this.expect(")");
      return inner;
    }
    if (isString(t)) return { k: "lit", value: unquote(t) };
    if (/^-?\d/.test(t)) return { k: "lit", value: Number(t) };
    if (t === "true" || t === "false") return { k: "lit", value: t === "true" };
    if (t === "Array" && this.peek() === "<") {
      this.i++;
      const el = this.parseType();
      this.expect(">");
      return { k: "array", el };
    }
    if (t === "import" && this.peek() === "(") {
      this.skipBalanced("(", ")");
      while (this.peek() === ".") this.i += 2;
      if (this.peek() === "<") this.skipBalanced("<", ">");
      return { k: "prim", name: "any" };
    }
    let name = t;
    while (this.peek() === ".") {
      this.i++;
      name += `.${this.next()}`;
    }
    if (this.peek() === "<") {
      this.skipBalanced("<", ">");
      return { k: "prim", name: "any" };
    }
    if (["string", "number", "boolean", "any", "unknown", "object", "null", "undefined", "never"].includes(name)) {
      return { k: "prim", name };
    }
    return { k: "ref", name };
  }
}

const files = new Map<string, DtsFile | null>();

function loadFile(path: string): DtsFile | null {
  let f = files.get(path);
  if (f === undefined) {
    f = existsSync(path) ? new Parser(tokenize(readFileSync(path, "utf8"))).parseFile(path) : null;
    files.set(path, f);
  }
  return f;
}

/** Node-style lookup of a package directory, walking up from `fromDir`. */
export function findPackageDir(pkg: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", pkg);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveSpec(spec: string, fromFile: string): string | undefined {
  const base = dirname(fromFile);
  let target: string;
  if (spec.startsWith(".")) {
    target = resolve(base, spec);
  } else {
    const parts = spec.split("/");
    const pkgName = spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string);
    const pkgDir = findPackageDir(pkgName, base);
    if (!pkgDir) return undefined;
    target = join(pkgDir, ...parts.slice(spec.startsWith("@") ? 2 : 1));
  }
  if (existsSync(`${target}.d.ts`)) return `${target}.d.ts`;
  if (existsSync(join(target, "index.d.ts"))) return join(target, "index.d.ts");
  return undefined;
}

/** Canonical definition name (e.g. `IoK8sApiCoreV1Container`) → field → minor version that added it. */
export type FieldSinceTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

const declNodes = new Map<string, SchemaNode>();
const SPECIAL: ReadonlyArray<[string, SchemaNode]> = [
  [`${sep}api${sep}resource${sep}Quantity.d.ts`, { t: "quantity" }],
  [`${sep}util${sep}intstr${sep}IntOrString.d.ts`, { t: "intOrString" }],
  [`${sep}apis${sep}meta${sep}v1${sep}Time.d.ts`, { t: "string", format: "date-time" }],
  [`${sep}apis${sep}meta${sep}v1${sep}MicroTime.d.ts`, { t: "string", format: "date-time" }],
];

function canonicalName(file: DtsFile, local: string): string {
  for (const [exported, l] of file.aliases) {
    if (l === local && exported.startsWith("I") && exported !== local) return exported.slice(1);
  }
  return local.replace(/^I/, "");
}

function declNode(file: DtsFile, local: string, since: FieldSinceTable): SchemaNode {
  const key = `${file.path}#${local}`;
  const cached = declNodes.get(key);
  if (cached) return cached;
  for (const [suffix, node] of SPECIAL) {
    if (file.path.endsWith(suffix)) {
      declNodes.set(key, node);
      return node;
    }
  }
  const type = file.decls.get(local);
  if (!type) return ANY;
  const ref: SchemaNode = {
    t: "ref",
    name: canonicalName(file, local),
    resolve: () => convert(type, file, since, since[canonicalName(file, local)]),
  };
  declNodes.set(key, ref);
  return ref;
}

function resolveRef(name: string, file: DtsFile, since: FieldSinceTable): SchemaNode {
  if (file.decls.has(name)) return declNode(file, name, since);
  const local = file.aliases.get(name);
  if (local && file.decls.has(local)) return declNode(file, local, since);
  const imp = file.imports.get(name);
  if (!imp) return ANY;
  const path = resolveSpec(imp.spec, file.path);
  const target = path ? loadFile(path) : null;
  if (!target) return ANY;
  const targetLocal = target.decls.has(imp.name) ? imp.name : target.aliases.get(imp.name);
  if (targetLocal === undefined) {
    // A path special-cased by file (Quantity, IntOrString, Time) still resolves.
    for (const [suffix, node] of SPECIAL) if (target.path.endsWith(suffix)) return node;
    return ANY;
  }
  return declNode(target, targetLocal, since);
}

function convert(type: TsType, file: DtsFile, since: FieldSinceTable, fieldSince?: Readonly<Record<string, number>>): SchemaNode {
  switch (type.k) {
    case "prim":
      if (type.name === "string") return { t: "string" };
      if (type.name === "number") return { t: "number" };
      if (type.name === "boolean") return { t: "boolean" };
      return ANY;
    case "lit":
      if (typeof type.value === "string") return { t: "string", enum: new Set([type.value]) };
      if (typeof type.value === "number") return { t: "number", enum: new Set([type.value]) };
      return { t: "boolean" };
    case "array":
      return { t: "array", items: convert(type.el, file, since) };
    case "ref":
      return resolveRef(type.name, file, since);
    case "union": {
      const of = type.of.filter((u) => !(u.k === "prim" && (u.name === "null" || u.name === "undefined")));
      if (of.length === 1) return convert(of[0] as TsType, file, since);
      if (of.every((u) => u.k === "lit" && typeof u.value === "string")) {
        return { t: "string", enum: new Set(of.map((u) => (u as { value: string }).value)) };
      }
      const prims = new Set(of.map((u) => (u.k === "prim" ? u.name : "")));
      if (of.length === 2 && prims.has("number") && prims.has("string")) return { t: "intOrString" };
      if (of.some((u) => u.k === "prim" && u.name === "any")) return ANY;
      return { t: "union", mode: "anyOf", of: of.map((u) => convert(u, file, since)) };
    }
    case "obj": {
      if (type.members.length === 0 && type.index === undefined) {
        // `{}`: x-kubernetes-preserve-unknown-fields, RawExtension, FieldsV1, JSON: any value.
        return ANY;
      }
      const props = new Map<string, PropInfo>();
      const required: string[] = [];
      for (const m of type.members) {
        const info: PropInfo = { node: convert(m.type, file, since) };
        const s = fieldSince?.[m.name];
        if (s !== undefined) info.since = s;
        props.set(m.name, info);
        if (!m.optional) required.push(m.name);
      }
      const node: ObjectNode = {
        t: "object",
        props,
        required,
        additional: type.index === undefined ? false : convert(type.index, file, since),
      };
      return node;
    }
  }
}

export interface DtsKind {
  readonly node: SchemaNode;
  /** Compiled validator shipped next to the declaration, when there is one. */
  readonly compiledModule?: string;
}

/**
 * The schema of `apiVersion`/`kind` from one kubernetes-models style package rooted at
 * `pkgDir`, or undefined when the package does not have that kind.
 */
export function loadDtsKind(pkgDir: string, apiVersion: string, kind: string, since: FieldSinceTable): DtsKind | undefined {
  const slash = apiVersion.indexOf("/");
  const dir = slash < 0 ? join(pkgDir, apiVersion) : join(pkgDir, apiVersion.slice(0, slash), apiVersion.slice(slash + 1));
  if (!/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const file = loadFile(join(dir, `${kind}.d.ts`));
  if (!file) return undefined;
  const decl = file.decls.get(`I${kind}`);
  if (!decl || decl.k !== "obj") return undefined;
  const av = decl.members.find((m) => m.name === "apiVersion")?.type;
  const k = decl.members.find((m) => m.name === "kind")?.type;
  if (!av || !k || av.k !== "lit" || k.k !== "lit" || av.value !== apiVersion || k.value !== kind) return undefined;
  const node = declNode(file, `I${kind}`, since);
  let compiledModule: string | undefined;
  const js = join(dir, `${kind}.js`);
  if (existsSync(js)) {
    const m = /require\("(\.\.\/[^"]*_schemas\/[A-Za-z0-9]+\.js)"\)/.exec(readFileSync(js, "utf8"));
    if (m?.[1]) compiledModule = resolve(dir, m[1]);
  }
  return compiledModule ? { node, compiledModule } : { node };
}

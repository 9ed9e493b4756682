/** Field paths as the findings print them: `spec.containers[0].env[2].value`, `metadata.labels["app.kubernetes.io/name"]`. */

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (SIMPLE_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `/spec/template/0` (JSON pointer, as Ajv reports it) → path segments; numbers where the value is an array. */
export function pointerToPath(pointer: string, root: unknown): PathSeg[] {
  if (pointer === "") return [];
  const out: PathSeg[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      const i = Number(key);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(key);
      cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

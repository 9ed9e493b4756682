import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderFleet } from "@slipway/render";
import { fixtureFleetCopies } from "@slipway/testing";
import { parseYaml, parseYamlFull } from "./parse";

const PACKAGE = join(__dirname, "..");
/** The fixture fleet of @slipway/testing, rendered once before these tests. */
const fleet = fixtureFleetCopies("fast-yaml-", { prepare: (root) => renderFleet({ root, mode: "write" }) });

function yamlFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === "node_modules" || e.startsWith(".")) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

/** The fast path must give exactly what the full parser gives, or step aside. */
function same(text: string): boolean {
  const fast = parseYaml(text);
  const full = parseYamlFull(text);
  expect(fast.problems).toEqual(full.problems);
  expect(fast.docs.map((d) => d.value)).toStrictEqual(full.docs.map((d) => d.value));
  expect(fast.docs.map((d) => d.line)).toEqual(full.docs.map((d) => d.line));
  return true;
}

describe("fast YAML path", () => {
  it("agrees with the full parser on every YAML file of this package (fixtures, schemas) and of the rendered fixture fleet", () => {
    const rendered = yamlFiles(join(fleet.template, "clusters"));
    expect(rendered.length).toBeGreaterThan(500);
    const files = [...yamlFiles(PACKAGE), ...rendered, ...yamlFiles(join(fleet.template, "environments"))];
    for (const f of files) expect(same(readFileSync(f, "utf8")), f).toBe(true);
  });

  it("agrees on YAML 1.1 scalars, quoting, empty collections, compact forms and multi-document files", () => {
    const cases = [
      "a: yes\nb: no\nc: on\nd: off\ne: ~\nf: null\ng:\nh: 0755\ni: 0x1F\nj: 1_000\nk: 1.5\nl: .5\nm: 1e3\nn: .inf\no: .\np: ._\nq: 2001-12-14\nr: 12:30:00\ns: +12\nt: -0\n",
      'a: "x\\ty\\u00e9\\"z\\\\"\nb: \'it\'\'s\'\nc: "yes"\nd: \'0755\'\ne: {}\nf: []\ng: "a: b"\n',
      "list:\n  - a\n  - b: 1\n    c: 2\n  - - x\n    - y\n  -\n    d: 3\n  - {}\ncompact:\n- 1\n- 2\nafter: z\n",
      "# head\n---\na: 1\n---\n# empty\n---\nb: 2\n...\n",
      "---\n- a\n- b\n",
      "a: 1\na: 2\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: |\n  text\n",
      "a: long plain\n  continued\n",
      'a: "two\n  lines"\n',
      "a:\tb\n",
      "<<: {a: 1}\n",
      "a: b # comment\n",
      "key:value\n",
      "  indented: root\n",
      "a:\n  b: 1\n c: 2\n",
      "80: http\ntrue: x\n",
      '"quoted key": 1\n"a:b": 2\n',
      "a: [1, 2]\nb: {c: d}\n",
      "a: 'unterminated\n",
      "- a: 1\n  b:\n    - c\n- d\n",
      "a:\n",
      "",
      "# only a comment\n",
      "__proto__: 1\n",
      "a: -\n",
      "a: - b\n",
      "a: b: c\n",
      "a: x:\n",
      "a: `x`\n",
      "a: %x\n",
      "a: @x\n",
    ];
    for (const c of cases) expect(same(c), JSON.stringify(c)).toBe(true);
  });

  it("gives field lines through the full parser when a finding needs them", () => {
    const text = "# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n";
    const fast = parseYaml(text).docs[0];
    const full = parseYamlFull(text).docs[0];
    for (const path of [["data", "a"], ["metadata", "name"], ["nope"], []]) expect(fast?.locate(path)).toBe(full?.locate(path));
  });
});

import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { fixtureFleetCopies } from "@slipway/testing";
import { loadFleet } from "./load";
import { produceUnits } from "./producers";
import { EMIT_OPTIONS, emitYamlFast } from "./yaml-emit";
import { surelyPlain, surelyQuoted } from "./yaml-strings";

const fleet = fixtureFleetCopies("yaml-emit-");

/** Strings Kubernetes manifests carry that YAML 1.1 readers would otherwise turn into something else. */
const AWKWARD = [
  "", " ", "on", "off", "On", "OFF", "yes", "no", "Yes", "NO", "y", "n", "Y", "N", "true", "false", "True", "FALSE",
  "null", "Null", "NULL", "~", "0755", "0", "-1", "1e3", "1E3", "1.5", ".5", "0x1F", "0o17", "0b101", "1_000", "190:20:30",
  ".inf", "-.Inf", ".NaN", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30", "a: b", "a:b", "key: value # comment",
  "a #b", "a#b", "#start", "- item", "-", "--", "---", "...", "?", "? x", ":x", "x:", "[a]", "{a}", "a, b", "*alias",
  "&anchor", "!tag", "|", ">", "'single'", "\"double\"", "%percent", "@at", "`tick`", "trailing ", " leading", "tab\tin",
  "multi\nline", "multi\nline\n", "\nleading newline", "trailing newline\n", "unicode ✓ é", "emoji 🚀", "back\\slash",
  "25%", "100m", "256Mi", "http://x:8080/path?q=1#frag", "arn:aws:iam::111122223333:role/x", "sha256:abcdef", "=", "<<",
  "0.0.0.0/0", "10.0.0.0/8", "*", "* * * * *", "30 2 * * *", "[{\"HTTPS\":443}]", "{\"a\":1}", "\u0007bell", "nul\u0000l",
  "very long ".repeat(40), "-0", "+1", "0.1e-5", "1:2:3", "0:30",
];
const AWKWARD_KEYS = ["app.kubernetes.io/name", "on", "yes", "0755", "1", "a b", "a: b", "#k", "-k", "k-", "", "x\ny", "~", "null", "ünï"];
const NUMBERS = [0, 1, -1, 42, 0.5, -0.5, 1e21, 1e-7, 3.14159, 2 ** 53, -(2 ** 53), 99.95, 0.01, -0, 1e300];

function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const r = next();
  if (depth > 3 || r < 0.45) {
    const s = next();
    if (s < 0.6) return pick(AWKWARD);
    if (s < 0.8) return pick(NUMBERS);
    if (s < 0.9) return next() < 0.5;
    return null;
  }
  if (r < 0.7) {
    const out: Record<string, unknown> = {};
    const size = Math.floor(next() * 4);
    for (let i = 0; i < size; i++) out[next() < 0.3 ? pick(AWKWARD_KEYS) : `k${i}`] = next() < 0.05 ? undefined : randomValue(next, depth + 1);
    return out;
  }
  return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
}

describe("emitYamlFast", () => {
  it("GIVEN every object of the fixture fleet WHEN emitted THEN the bytes equal yaml.stringify's", async () => {
    const objects = produceUnits(await loadFleet(fleet("objects")), {}).flatMap((u) => u.objects);
    expect(objects.length).toBeGreaterThan(100);
    for (const object of objects) expect(emitYamlFast(object)).toBe(stringify(object, EMIT_OPTIONS));
  });

  it("GIVEN awkward YAML 1.1 strings as values and keys WHEN emitted THEN quoting matches yaml and they read back as strings", () => {
    for (const value of AWKWARD) {
      const object = { metadata: { name: value, labels: { [value || "empty"]: value } }, list: [value, [value], { value }] };
      const text = emitYamlFast(object);
      // The one deliberate difference: `yaml` writes a `<<` key plain, which YAML 1.1 reads as a merge key.
      if (value === "<<") expect(text).toContain('"<<": <<');
      else expect(text).toBe(stringify(object, EMIT_OPTIONS));
      expect(parse(text, { version: "1.1" })).toEqual(object);
    }
  });

  it("GIVEN strings decided plain or double-quoted without asking yaml WHEN yaml is asked THEN it writes each so, as a value and as a key", () => {
    // Every YAML 1.1 word in every casing, exponent-only floats, and random strings over the
    // characters the fast decision accepts, starting with the letters those words start with.
    const words = ["y", "n", "yes", "no", "true", "false", "on", "off", "null", "e1", "e-3", "e+5", "e10", "inf", "nan"];
    const casings = (word: string) => [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1), word.split("").map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("")];
    const next = random(7_919);
    // Letters that start YAML 1.1 words or appear in numbers, digits, and every ASCII punctuation mark.
    const alphabet = ["eEyYnNoOtTfFxXbBzZaAmMiIhs", "0123456789", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "✓ü"];
    const character = () => {
      const group = alphabet[Math.floor(next() * alphabet.length)]!;
      return group[Math.floor(next() * group.length)]!;
    };
    const randomText = () => Array.from({ length: 1 + Math.floor(next() * 8) }, character).join("");
    const numbers = ["1", "0755", "0o17", "0x1F", "0b101", "1_000", "1e3", "1.5", "12:30", "1:20:30.5", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "256Mi", "500m", "1.5Gi", "10.0.0.0/8", "25%", "38ef5f708806cba2", "1h"];
    const corpus = [...words.flatMap(casings), ...numbers, ...AWKWARD, ...AWKWARD_KEYS, ...Array.from({ length: 40_000 }, randomText), "a".repeat(1000), "a".repeat(1001)];
    let plain = 0;
    let quoted = 0;
    for (const text of corpus) {
      const decided = surelyPlain(text) ? (plain++, text) : surelyQuoted(text);
      if (decided === undefined) continue;
      if (decided !== text) quoted++;
      expect(stringify(text, EMIT_OPTIONS)).toBe(`${decided}\n`);
      expect(stringify({ [text]: 0 }, EMIT_OPTIONS)).toBe(`${decided}: 0\n`);
    }
    expect(plain).toBeGreaterThan(10_000);
    expect(quoted).toBeGreaterThan(3_000);
    // Quoted by yaml, so never decided plain here; and what a manifest is mostly made of, decided here.
    for (const text of ["y", "Yes", "NO", "on", "Off", "null", "NULL", "e1", "E5", "e-3", "ab:", "0755", "1_000", "12:30:00", "a: b # c", "-", "~", "13", ""]) {
      expect(surelyPlain(text)).toBe(false);
      expect(surelyQuoted(text)).toBe(`"${text}"`);
    }
    for (const plainText of ["app.kubernetes.io/name", "256Mi", "500m", "10.0.0.0/8", "s3,sqs", "/tmp", "kube_up{job=\"x\", ns=\"y\"} > 0", "111122223333.dkr.ecr.us-east-1.amazonaws.com/a/b:1.2.3@sha256:ab"]) expect(surelyPlain(plainText)).toBe(true);
  });

  it("GIVEN 5,000 random nested objects WHEN emitted THEN each equals yaml.stringify and round-trips through yaml.parse", () => {
    const next = random(20_240_611);
    for (let i = 0; i < 5_000; i++) {
      const object = { apiVersion: "v1", kind: "ConfigMap", data: randomValue(next, 0), spec: randomValue(next, 0) };
      const text = emitYamlFast(object);
      expect(text).toBe(stringify(object, EMIT_OPTIONS));
      expect(JSON.stringify(parse(text, { version: "1.1" }))).toBe(JSON.stringify(object));
    }
  });

  it("GIVEN random strings with control characters and Unicode line separators in env, config, labels and annotations WHEN emitted THEN yaml and a YAML 1.1 reading both read the same object back", () => {
    const next = random(2_028);
    const pieces = ["\u2028", "\u2029", "\u0085", "\ufeff", "\n", "\r", "\t", "\u0000", "\u0007", "\u001b", "\u007f", "\u009b", " ", ": ", " #", "-", "'", '"', "\\", "é", "🚀", "yes", "0755", "a", "workingDir: /", "- name: X"];
    const text = () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => pieces[Math.floor(next() * pieces.length)]!).join("");
    // What a YAML 1.1 reader such as PyYAML takes for line breaks: CR, NEL, LS, PS (besides LF).
    const YAML_11_BREAKS = /[\r\u0085\u2028\u2029]/;
    for (let i = 0; i < 3_000; i++) {
      const object = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", labels: { "app.kubernetes.io/name": text() }, annotations: { [`note-${i}`]: text() } },
        spec: { template: { spec: { containers: [{ name: "web", image: "x", env: [{ name: "VALUE", value: text() }], workingDir: "/app" }] } } },
        data: { [text()]: text() },
      };
      const emitted = emitYamlFast(object);
      expect(YAML_11_BREAKS.test(emitted), JSON.stringify(emitted)).toBe(false);
      expect(parse(emitted)).toEqual(object);
      expect(parse(emitted, { version: "1.1" })).toEqual(object);
    }
  });
});

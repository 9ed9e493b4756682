import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadFleet } from "./load";
import { produceUnits } from "./producers";
import { EMIT_OPTIONS, emitYamlFast } from "./yaml-emit";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

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
  it("GIVEN every object of the example fleet WHEN emitted THEN the bytes equal yaml.stringify's", async () => {
    const fleet = await loadFleet(REPO);
    const objects = produceUnits(fleet, {}).flatMap((u) => u.objects);
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

  it("GIVEN 5,000 random nested objects WHEN emitted THEN each equals yaml.stringify and round-trips through yaml.parse", () => {
    const next = random(20_240_611);
    for (let i = 0; i < 5_000; i++) {
      const object = { apiVersion: "v1", kind: "ConfigMap", data: randomValue(next, 0), spec: randomValue(next, 0) };
      const text = emitYamlFast(object);
      expect(text).toBe(stringify(object, EMIT_OPTIONS));
      expect(JSON.stringify(parse(text, { version: "1.1" }))).toBe(JSON.stringify(object));
    }
  });
});

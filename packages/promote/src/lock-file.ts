/** Writing `environments/<env>/releases.yaml`, keeping its comments, with apps sorted. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, parseDocument, Scalar, YAMLMap, type Document } from "yaml";
import { imageDigest, imageRepository, imageTag, type AddonPin, type Release } from "@slipway/core";
import { PromotionError } from "./errors";

const HEADER = (env: string) =>
  `# Release lock file for ${env}: which build of each app runs here.\n# Written by \`slipway release\` and \`slipway promote\`; reviewed in pull requests.\n`;

/** Sets `releases` for their apps in the lock file of `env` (other apps untouched). */
export function writeReleases(root: string, env: string, file: string, releases: Readonly<Record<string, Release>>): void {
  const path = join(root, file);
  const doc: Document = existsSync(path) ? parseDocument(readFileSync(path, "utf8")) : parseDocument(`${HEADER(env)}apps: {}\n`);
  let apps = doc.get("apps");
  if (!isMap(apps)) {
    apps = new YAMLMap();
    doc.set("apps", apps);
  }
  const map = apps as YAMLMap;
  map.flow = false;
  for (const [app, release] of Object.entries(releases)) {
    const node = doc.createNode({
      image: release.image,
      tag: release.tag,
      digest: release.digest,
      commit: release.commit,
      ...(release.promotedFrom ? { promotedFrom: release.promotedFrom } : {}),
      ...(release.definition ? { definition: release.definition } : {}),
    }) as YAMLMap;
    const tag = node.get("tag", true) as Scalar;
    tag.type = Scalar.QUOTE_DOUBLE;
    map.set(app, node);
  }
  sortByKey(map);
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
}

/** Sets add-on pins (`addons.<addon>.<cluster>`) in a lock file, keeping every other entry; add-ons and clusters sorted. */
export function writeAddonPins(root: string, env: string, file: string, pins: readonly { addon: string; cluster: string; pin: AddonPin }[]): void {
  if (pins.length === 0) return;
  const path = join(root, file);
  const doc: Document = existsSync(path) ? parseDocument(readFileSync(path, "utf8")) : parseDocument(`${HEADER(env)}apps: {}\n`);
  let addons = doc.get("addons");
  if (!isMap(addons)) {
    addons = new YAMLMap();
    doc.set("addons", addons);
  }
  const map = addons as YAMLMap;
  map.flow = false;
  for (const { addon, cluster, pin } of pins) {
    let clusters = map.get(addon);
    if (!isMap(clusters)) {
      clusters = new YAMLMap();
      map.set(addon, clusters);
    }
    (clusters as YAMLMap).set(cluster, doc.createNode({ version: pin.version, definition: pin.definition, ...(pin.promotedFrom ? { promotedFrom: pin.promotedFrom } : {}) }));
    sortByKey(clusters as YAMLMap);
  }
  sortByKey(map);
  writeFileSync(path, doc.toString({ lineWidth: 0 }));
}

function sortByKey(map: YAMLMap): void {
  map.items.sort((a, b) => {
    const ka = String((a.key as Scalar).value ?? a.key);
    const kb = String((b.key as Scalar).value ?? b.key);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export interface ImageReference {
  readonly image: string;
  readonly tag: string;
  readonly digest: string;
}

/** Parses `repository:tag@sha256:<64 hex>`; both tag and digest are required. */
export function parseImageReference(reference: string): ImageReference {
  const hint = "pass the image as `<repository>:<tag>@sha256:<digest>`, e.g. `111122223333.dkr.ecr.us-east-1.amazonaws.com/team/app:1.4.2@sha256:…`";
  const at = reference.indexOf("@");
  if (at < 0) throw new PromotionError("the image has no digest", { received: reference, hint });
  const digest = reference.slice(at + 1);
  const nameAndTag = reference.slice(0, at);
  const colon = nameAndTag.lastIndexOf(":");
  if (colon < 0 || nameAndTag.indexOf("/", colon) >= 0) throw new PromotionError("the image has no tag", { received: reference, hint });
  const image = nameAndTag.slice(0, colon);
  const tag = nameAndTag.slice(colon + 1);
  for (const [value, schema, what] of [[image, imageRepository, "repository"], [tag, imageTag, "tag"], [digest, imageDigest, "digest"]] as const) {
    const result = schema.safeParse(value);
    if (!result.success) throw new PromotionError(`the image ${what} is invalid: ${result.error.issues[0]!.message}`, { received: value, hint });
  }
  return { image, tag, digest };
}

export function sameRelease(a: Release | undefined, b: Release | undefined): boolean {
  return !!a && !!b && a.image === b.image && a.tag === b.tag && a.digest === b.digest && a.commit === b.commit && a.definition === b.definition;
}

/** `2.15.0 (sha256:02038c6…)`, with the pinned definition: `2.15.0 (sha256:02038c6…, definition 1a2b3c4d5e6f)` */
export function describeRelease(release: Release | undefined): string {
  return release ? `${release.tag} (${shortDigest(release.digest)}${release.definition ? `, definition ${release.definition.slice(0, 12)}` : ""})` : "(none)";
}

export function shortDigest(digest: string): string {
  return `${digest.slice(0, 14)}…`;
}

/**
 * Stage: units → files. One object per file, a path per object that cannot collide, YAML
 * emitted deterministically, each file headed by where it came from.
 */
import { createHash } from "node:crypto";
import { Labels, RenderCollisionError, type RenderedFileEntry, type KubeObject, type RenderUnit } from "@slipway/core";
import { emitYamlFast } from "./yaml-emit";

export interface RenderedFile {
  readonly cluster: string;
  /** Relative to `clusters/<cluster>/`. */
  readonly path: string;
  readonly content: string;
  readonly entry: RenderedFileEntry;
}

/** `<kind>-<name>.yaml`, lower-case kind: the path a reviewer expects. */
export function fileName(object: KubeObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

export function objectPath(unit: RenderUnit, object: KubeObject): string {
  const namespace = object.metadata.namespace;
  const name = unit.fileNames?.[`${object.kind}/${object.metadata.name}`] ?? fileName(object);
  return unit.layout === "by-namespace" && namespace ? `${unit.dir}/${namespace}/${name}` : `${unit.dir}/${name}`;
}

export function header(sourceFile: string): string {
  return `# Rendered by slipway from ${sourceFile}. Do not edit: change the source and run \`npx slipway render\`.\n`;
}

/**
 * YAML as Kubernetes tooling reads it: YAML 1.1 quoting (so `on`, `yes`, `0755` stay strings), no
 * line folding. The bytes are `yaml.stringify`'s with these options, written by a faster emitter.
 */
export function emitYaml(object: unknown): string {
  return emitYamlFast(object);
}

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function unitFiles(unit: RenderUnit): RenderedFile[] {
  return unit.objects.map((object) => {
    const content = header(unit.sourceFile) + emitYaml(object);
    const labels = (object.metadata.labels ?? {}) as Record<string, string>;
    const environment = unit.owner.environment ?? labels[Labels.environment];
    const entry: RenderedFileEntry = {
      sha256: sha256(content),
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      ...(environment ? { environment } : {}),
      ...(unit.owner.tenant ? { tenant: unit.owner.tenant } : {}),
      ...(unit.owner.app ? { app: unit.owner.app } : {}),
      ...(unit.owner.addon ? { addon: unit.owner.addon } : {}),
    };
    return { cluster: unit.cluster, path: objectPath(unit, object), content, entry };
  });
}

/** All files of all units, with collisions (two objects, one path) reported as errors. */
export function collectFiles(units: readonly RenderUnit[]): RenderedFile[] {
  const seen = new Map<string, { unit: RenderUnit; object: string }>();
  const files: RenderedFile[] = [];
  for (const unit of units) {
    for (const file of unitFiles(unit)) {
      const key = `${file.cluster}/${file.path}`;
      const previous = seen.get(key);
      const object = `${file.entry.kind} ${file.entry.namespace ? `${file.entry.namespace}/` : ""}${file.entry.name}`;
      if (previous) {
        throw new RenderCollisionError(`two objects would be written to clusters/${key}`, {
          file: unit.sourceFile,
          cluster: file.cluster,
          expected: "one object per path",
          received: `${previous.object} (from ${previous.unit.sourceFile}) and ${object} (from ${unit.sourceFile})`,
          hint: "rename one of the objects; render never overwrites one resource with another",
        });
      }
      seen.set(key, { unit, object });
      files.push(file);
    }
  }
  return files;
}

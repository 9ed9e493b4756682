/**
 * The local preview: the Applications a cluster's Argo CD would create from the rendered
 * `clusters/<cluster>/argocd/` directory, and what is wrong with them. Pure reading; used by
 * `slipway argocd preview` and by the validator.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { AppProject, Application, ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { RENDERED_INDEX_FILE, type RenderedFileEntry, type RenderedIndex } from "@slipway/core";
import { parseAllDocuments } from "yaml";
import { evaluateGenerator } from "./generators";
import { ArgocdAnnotations } from "./names";
import { renderTemplate, TemplateError } from "./template";
import { BOOTSTRAP_PROJECT } from "./bootstrap";

export type ProblemCode =
  | "no-argocd-objects"
  | "invalid-object"
  | "generator"
  | "template"
  | "missing-directory"
  | "empty-directory"
  | "duplicate-name"
  | "unknown-project"
  | "namespace-outside-project"
  | "kind-not-permitted"
  | "source-not-permitted"
  | "rollout-step"
  | "orphans-on-removal";

export interface Problem {
  readonly code: ProblemCode;
  readonly cluster: string;
  readonly message: string;
  /** Repository-relative file of the object at fault. */
  readonly file?: string;
  readonly application?: string;
  readonly hint?: string;
}

export interface PreviewApplication {
  readonly name: string;
  /** The ApplicationSet that generates it; absent for an Application written directly (bootstrap). */
  readonly applicationSet?: string;
  /** Repository-relative file of the ApplicationSet or Application. */
  readonly file: string;
  readonly project: string;
  readonly source: { readonly repoURL: string; readonly path: string; readonly targetRevision?: string; readonly local: boolean };
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
  readonly labels: Readonly<Record<string, string>>;
  readonly syncWave?: string;
  /** For an ApplicationSet with a RollingSync strategy: the step (from 1) that syncs this Application. */
  readonly rolloutStep?: number;
  /**
   * What happens to its workloads when the app leaves the environment (its generator element or
   * its whole set goes away): `cascade` (the set deletes the Application, whose resources
   * finalizer deletes the workloads), `kept` (the set never deletes it: it stays, managing them),
   * `orphaned` (the Application goes, the workloads keep running unmanaged). Generated ones only.
   */
  readonly onRemoval?: "cascade" | "kept" | "orphaned";
}

export interface ClusterPreview {
  readonly applications: PreviewApplication[];
  readonly problems: Problem[];
}

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

type ProjectSpec = {
  sourceRepos?: string[];
  destinations?: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: { group: string; kind: string }[];
  clusterResourceBlacklist?: { group: string; kind: string }[];
  namespaceResourceWhitelist?: { group: string; kind: string }[];
  namespaceResourceBlacklist?: { group: string; kind: string }[];
};

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Application: Application as never,
  ApplicationSet: ApplicationSet as never,
  AppProject: AppProject as never,
};

const MANIFEST_FILE = /\.(ya?ml|json)$/;

/** Argo CD's glob for project fields: `*` matches any run of characters. */
function glob(pattern: string, value: string): boolean {
  let re = globs.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*")}$`);
    globs.set(pattern, re);
  }
  return re.test(value);
}

/** Compiled once per pattern: a project's few patterns are matched against every rendered object. */
const globs = new Map<string, RegExp>();

function matchesAny(patterns: readonly string[] | undefined, value: string): boolean {
  const list = patterns ?? [];
  if (list.some((p) => p.startsWith("!") && glob(p.slice(1), value))) return false;
  return list.some((p) => !p.startsWith("!") && glob(p, value));
}

function destinationAllowed(project: ProjectSpec, dest: PreviewApplication["destination"], namespace: string | undefined): boolean {
  return (project.destinations ?? []).some((d) => {
    const target = dest.server !== undefined ? d.server !== undefined && glob(d.server, dest.server) : d.name !== undefined && dest.name !== undefined && glob(d.name, dest.name);
    // Argo CD checks an empty namespace (cluster-scoped targets) against the patterns too.
    return target && glob(d.namespace ?? "", namespace ?? "");
  });
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
}

function kindListed(list: readonly { group: string; kind: string }[] | undefined, group: string, kind: string): boolean {
  return (list ?? []).some((e) => glob(e.group, group) && glob(e.kind, kind));
}

/** Manifest files below `dir` (recursively when asked), as Argo CD's directory source reads them. */
function countManifests(dir: string, recurse: boolean): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (recurse && !entry.name.startsWith(".")) n += countManifests(join(dir, entry.name), true);
    } else if (MANIFEST_FILE.test(entry.name)) n++;
  }
  return n;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readIndex(root: string, cluster: string): RenderedIndex | undefined {
  try {
    return JSON.parse(readFileSync(join(root, "clusters", cluster, RENDERED_INDEX_FILE), "utf8")) as RenderedIndex;
  } catch {
    return undefined;
  }
}

function loadObjects(root: string, dir: string, problem: (p: Omit<Problem, "cluster">) => void): { file: string; object: Obj }[] {
  const out: { file: string; object: Obj }[] = [];
  for (const name of readdirSync(join(root, dir)).filter((f) => MANIFEST_FILE.test(f)).sort()) {
    const file = `${dir}/${name}`;
    for (const doc of parseAllDocuments(readFileSync(join(root, file), "utf8"))) {
      if (doc.errors.length) {
        problem({ code: "invalid-object", file, message: `not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}` });
        continue;
      }
      const object = doc.toJS() as Obj | null;
      if (!object) continue;
      const Model = object.kind ? MODELS[object.kind] : undefined;
      if (object.apiVersion !== "argoproj.io/v1alpha1" || !Model) {
        problem({ code: "invalid-object", file, message: `unexpected ${object.apiVersion ?? "?"} ${object.kind ?? "?"} in the Argo CD directory` });
        continue;
      }
      try {
        new Model(object as never).validate();
      } catch (error) {
        problem({ code: "invalid-object", file, message: `${object.kind} \`${object.metadata?.name ?? "?"}\` does not match the Argo CD schema: ${(error as Error).message}` });
        continue;
      }
      out.push({ file, object });
    }
  }
  return out;
}

/** How a generated Application's workloads fare when it stops being generated (see {@link PreviewApplication.onRemoval}). */
function removalOf(set: Obj, application: Obj): "cascade" | "kept" | "orphaned" {
  const policy = (set.spec as { syncPolicy?: { preserveResourcesOnDeletion?: boolean; applicationsSync?: string } } | undefined)?.syncPolicy ?? {};
  const finalizers = (application.metadata as { finalizers?: string[] } | undefined)?.finalizers ?? [];
  // Argo CD adds the resources finalizer itself when the set does not preserve resources and the template names none.
  const cascades = finalizers.includes("resources-finalizer.argocd.argoproj.io") || (finalizers.length === 0 && policy.preserveResourcesOnDeletion !== true);
  if (cascades && policy.preserveResourcesOnDeletion !== true) return "cascade";
  const deletes = policy.applicationsSync === undefined || policy.applicationsSync === "sync" || policy.applicationsSync === "create-delete";
  return deletes ? "orphaned" : "kept";
}

function toPreview(app: Obj, file: string, isLocal: (repoURL: string) => boolean, applicationSet?: string): PreviewApplication {
  const spec = (app.spec ?? {}) as { project?: string; source?: { repoURL?: string; path?: string; targetRevision?: string }; destination?: PreviewApplication["destination"] };
  const repoURL = spec.source?.repoURL ?? "";
  const wave = app.metadata?.annotations?.[ArgocdAnnotations.syncWave];
  return {
    name: app.metadata?.name ?? "",
    ...(applicationSet ? { applicationSet } : {}),
    file,
    project: spec.project ?? "",
    source: { repoURL, path: spec.source?.path ?? "", ...(spec.source?.targetRevision ? { targetRevision: spec.source.targetRevision } : {}), local: isLocal(repoURL) },
    destination: { ...spec.destination },
    labels: { ...(app.metadata?.labels ?? {}) },
    ...(wave !== undefined ? { syncWave: wave } : {}),
  };
}

/**
 * Previews one cluster: every Application its `argocd/` directory defines or generates, and
 * the problems found (missing or empty source directories, duplicate names, destinations or
 * objects outside the Application's AppProject, generator paths matching nothing).
 */
export function previewCluster(root: string, cluster: string): ClusterPreview {
  const problems: Problem[] = [];
  const problem = (p: Omit<Problem, "cluster">) => problems.push({ cluster, ...p });
  const argocdDir = `clusters/${cluster}/argocd`;
  if (!isDirectory(join(root, argocdDir))) {
    problem({ code: "no-argocd-objects", file: argocdDir, message: "no Argo CD objects are rendered for this cluster", hint: "name the repository in slipway.config.ts and run `npx slipway render`" });
    return { applications: [], problems };
  }
  const objects = loadObjects(root, argocdDir, problem);
  // Render points every git generator at this repository (slipway.config.ts), so the
  // repositories they read are the ones whose directories are in this checkout.
  const localRepos = new Set(objects.flatMap(({ object }) => ((object.spec?.generators ?? []) as { git?: { repoURL?: string } }[]).flatMap((g) => (g.git?.repoURL ? [g.git.repoURL] : []))));
  const isLocal = (url: string) => localRepos.has(url);

  const projects = new Map<string, ProjectSpec>();
  // A hub's Argo CD also holds the AppProjects of its spokes (their `argocd/` directories are
  // synced by Applications in this one); a rollout set on the hub uses them. Problems in those
  // directories are reported by the spokes' own previews.
  const ignore = () => undefined;
  for (const spokeDir of spokeArgocdDirs(objects, cluster, isLocal)) {
    if (!isDirectory(join(root, spokeDir))) continue;
    for (const { object } of loadObjects(root, spokeDir, ignore)) {
      if (object.kind === "AppProject") projects.set(object.metadata?.name ?? "", (object.spec ?? {}) as ProjectSpec);
    }
  }
  const applications: PreviewApplication[] = [];
  for (const { file, object } of objects) {
    const name = object.metadata?.name ?? "";
    if (object.kind === "AppProject") projects.set(name, (object.spec ?? {}) as ProjectSpec);
    else if (object.kind === "Application") applications.push(toPreview(object, file, isLocal));
    else if (object.kind === "ApplicationSet") {
      const spec = object.spec as { goTemplate?: boolean; generators?: Record<string, unknown>[]; template?: Obj };
      if (!spec.goTemplate) {
        problem({ code: "template", file, message: `ApplicationSet \`${name}\` does not use Go templates; the preview evaluates goTemplate sets only` });
        continue;
      }
      for (const generator of spec.generators ?? []) {
        const result = evaluateGenerator(root, generator, isLocal);
        for (const message of result.problems) {
          problem({ code: "generator", file, message: `ApplicationSet \`${name}\`: ${message}`, hint: "fix the path (a typo?) or render again: `npx slipway render`" });
        }
        for (const params of result.params) {
          try {
            const rendered = renderTemplate(spec.template ?? {}, params);
            const generated = toPreview({ apiVersion: "argoproj.io/v1alpha1", kind: "Application", ...rendered }, file, isLocal, name);
            const app = { ...generated, onRemoval: removalOf(object, rendered as Obj) };
            if (app.onRemoval === "orphaned" && app.labels["slipway.dev/stage"] === "apps") {
              problem({
                code: "orphans-on-removal", file, application: app.name,
                message: `retiring \`${app.name}\` would orphan its workloads: ApplicationSet \`${name}\` deletes the Application (or is deleted with it) but preserves its resources`,
                hint: "app sets must delete with cascade (`preserveResourcesOnDeletion: false`, the resources finalizer): render again with `npx slipway render`",
              });
            }
            const steps = rollingSyncSteps(object);
            if (steps) {
              const step = steps.findIndex((s) => stepSelects(s, app.labels));
              if (step < 0) {
                problem({
                  code: "rollout-step", file, application: app.name,
                  message: `Application \`${app.name}\` matches no RollingSync step of ApplicationSet \`${name}\`; Argo CD would never sync it`,
                  hint: "name its cluster in a step of the environment's `sync.rollout`, then render again",
                });
              }
              applications.push(step < 0 ? app : { ...app, rolloutStep: step + 1 });
            } else applications.push(app);
          } catch (error) {
            if (!(error instanceof TemplateError)) throw error;
            problem({ code: "template", file, message: `ApplicationSet \`${name}\`: ${error.message}` });
          }
        }
      }
    }
  }

  const indexes = new Map<string, RenderedIndex | undefined>();
  const indexOf = (of: string) => (indexes.has(of) ? indexes.get(of) : indexes.set(of, readIndex(root, of)).get(of));
  const byName = new Map<string, PreviewApplication[]>();
  for (const app of applications) (byName.get(app.name) ?? byName.set(app.name, []).get(app.name)!).push(app);
  for (const [name, apps] of byName) {
    if (apps.length > 1) {
      problem({
        code: "duplicate-name",
        application: name,
        file: apps[0]!.file,
        message: `${apps.length} Applications would be named \`${name}\` (from ${apps.map((a) => a.applicationSet ?? a.file).join(", ")}); Argo CD keeps only one`,
        hint: "rename the directory or add-on so names stay unique",
      });
    }
  }

  for (const app of applications) {
    const at = { application: app.name, file: app.file };
    if (!app.name) problem({ ...at, code: "template", message: "an Application has no name" });
    if (app.source.local) checkSourceDirectory(root, app, problem);
    const project = projects.get(app.project);
    if (!project) {
      if (app.project !== BOOTSTRAP_PROJECT) {
        problem({ ...at, code: "unknown-project", message: `Application \`${app.name}\` uses project \`${app.project}\`, which is not defined in ${argocdDir} (or a spoke's \`argocd/\` directory this Argo CD applies)`, hint: `defined projects: ${[...projects.keys()].sort().join(", ") || "none"}` });
      }
      continue;
    }
    if (!matchesAny(project.sourceRepos, app.source.repoURL)) {
      problem({ ...at, code: "source-not-permitted", message: `Application \`${app.name}\` reads ${app.source.repoURL}, which project \`${app.project}\` does not permit` });
    }
    if (!destinationAllowed(project, app.destination, app.destination.namespace)) {
      problem({
        ...at,
        code: "namespace-outside-project",
        message: `Application \`${app.name}\` targets ${describeDestination(app.destination)}, outside project \`${app.project}\``,
        hint: `project \`${app.project}\` allows: ${(project.destinations ?? []).map((d) => describeDestination(d)).join(", ") || "nothing"}`,
      });
    }
    const target = app.source.local ? renderedCluster(app.source.path) : undefined;
    const index = target === undefined ? undefined : indexOf(target);
    if (target !== undefined && index) checkRenderedObjects(target, index, app, project, problem);
  }

  applications.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { applications, problems };
}

interface RolloutStep {
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** The steps of an ApplicationSet's RollingSync strategy; `undefined` for any other strategy. */
function rollingSyncSteps(set: Obj): RolloutStep[] | undefined {
  const strategy = (set.spec as { strategy?: { type?: string; rollingSync?: { steps?: RolloutStep[] } } } | undefined)?.strategy;
  return strategy?.type === "RollingSync" ? (strategy.rollingSync?.steps ?? []) : undefined;
}

/** Argo CD's step selection: every expression must hold; `NotIn` wins over `In`. */
function stepSelects(step: RolloutStep, labels: Readonly<Record<string, string>>): boolean {
  const expressions = step.matchExpressions ?? [];
  return expressions.every((e) => {
    const value = e.key === undefined ? undefined : labels[e.key];
    const listed = value !== undefined && (e.values ?? []).includes(value);
    return e.operator === "NotIn" ? !listed : e.operator === "In" ? listed : false;
  });
}

/** `clusters/<c>/...` → `c`. */
function renderedCluster(path: string): string | undefined {
  const match = /^clusters\/([^/]+)\//.exec(path);
  return match?.[1];
}

/** Other clusters' `argocd/` directories that Applications written in this one sync (a hub's spokes). */
function spokeArgocdDirs(objects: readonly { object: Obj }[], cluster: string, isLocal: (repoURL: string) => boolean): string[] {
  const dirs = new Set<string>();
  for (const { object } of objects) {
    if (object.kind !== "Application") continue;
    const source = (object.spec as { source?: { repoURL?: string; path?: string } } | undefined)?.source;
    const target = source?.path ? /^clusters\/([^/]+)\/argocd$/.exec(source.path)?.[1] : undefined;
    if (target && target !== cluster && source?.repoURL && isLocal(source.repoURL)) dirs.add(`clusters/${target}/argocd`);
  }
  return [...dirs].sort();
}

function describeDestination(d: { server?: string; name?: string; namespace?: string }): string {
  return `${d.name !== undefined ? `cluster \`${d.name}\`` : (d.server ?? "?")}${d.namespace !== undefined ? ` namespace \`${d.namespace}\`` : ""}`;
}

function checkSourceDirectory(root: string, app: PreviewApplication, problem: (p: Omit<Problem, "cluster">) => void): void {
  const at = { application: app.name, file: app.file };
  const abs = join(root, app.source.path);
  if (!app.source.path || app.source.path.startsWith("/") || app.source.path.split("/").includes("..") || !isDirectory(abs)) {
    problem({ ...at, code: "missing-directory", message: `Application \`${app.name}\` points at \`${app.source.path}\`, which does not exist`, hint: "fix the path in the generator or template, or render the directory (`npx slipway render`)" });
  } else if (countManifests(abs, true) === 0) {
    problem({ ...at, code: "empty-directory", message: `Application \`${app.name}\` points at \`${app.source.path}\`, which holds no manifests`, hint: "an empty source makes Argo CD see nothing to deploy; render again or remove the directory" });
  }
}

/** The rendered objects an Application deploys must fit its project: namespaces, cluster-scoped and blacklisted kinds. */
function checkRenderedObjects(cluster: string, index: RenderedIndex, app: PreviewApplication, project: ProjectSpec, problem: (p: Omit<Problem, "cluster">) => void): void {
  const prefix = `clusters/${cluster}/`;
  if (!app.source.path.startsWith(prefix)) return;
  const dir = `${app.source.path.slice(prefix.length)}/`;
  const entries = entriesUnder(index, dir);
  const outside = new Set<string>();
  for (const [path, entry] of entries) {
    const group = groupOf(entry.apiVersion);
    const at = { application: app.name, file: `${prefix}${path}` };
    if (entry.namespace === undefined) {
      const allowed = kindListed(project.clusterResourceWhitelist, group, entry.kind) && !kindListed(project.clusterResourceBlacklist, group, entry.kind);
      if (!allowed) problem({ ...at, code: "kind-not-permitted", message: `cluster-scoped ${entry.kind} \`${entry.name}\` is not permitted in project \`${app.project}\`` });
      continue;
    }
    if (!destinationAllowed(project, app.destination, entry.namespace) && !outside.has(entry.namespace)) {
      outside.add(entry.namespace);
      problem({ ...at, code: "namespace-outside-project", message: `Application \`${app.name}\` would deploy ${entry.kind} \`${entry.name}\` into namespace \`${entry.namespace}\`, outside project \`${app.project}\`` });
    }
    const whitelisted = project.namespaceResourceWhitelist === undefined || kindListed(project.namespaceResourceWhitelist, group, entry.kind);
    if (!whitelisted || kindListed(project.namespaceResourceBlacklist, group, entry.kind)) {
      problem({ ...at, code: "kind-not-permitted", message: `${entry.kind} \`${entry.name}\` is not permitted in project \`${app.project}\`` });
    }
  }
}

/** The index's paths, sorted, once per index: each Application's directory is a range of them. */
const sortedPaths = new WeakMap<RenderedIndex, string[]>();

/** Entries of the files under `dir` (ending in `/`), in path order, found by binary search: a cluster has an Application per app. */
function entriesUnder(index: RenderedIndex, dir: string): [string, RenderedFileEntry][] {
  let paths = sortedPaths.get(index);
  if (paths === undefined) {
    paths = Object.keys(index.files).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sortedPaths.set(index, paths);
  }
  let lo = 0;
  let hi = paths.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((paths[mid] as string) < dir) lo = mid + 1;
    else hi = mid;
  }
  const out: [string, RenderedFileEntry][] = [];
  for (let i = lo; i < paths.length && (paths[i] as string).startsWith(dir); i++) out.push([paths[i] as string, index.files[paths[i] as string] as RenderedFileEntry]);
  return out;
}

/** Clusters with a rendered tree under `clusters/`, sorted. */
export function renderedClusters(root: string): string[] {
  const dir = join(root, "clusters");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, RENDERED_INDEX_FILE)))
    .map((e) => e.name)
    .sort();
}

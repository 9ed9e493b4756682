/**
 * The app definitions the lock files pin (`definition: <commit>` in releases.yaml), each loaded
 * from its fleet commit by the one loader: the commit's definition sources are written out of git
 * (pinned-sources.ts) into a scratch directory and compiled there, exactly as the working tree's.
 */
import { rmSync } from "node:fs";
import {
  AppDefinitionSchema,
  checkDefinition,
  DefinitionError,
  SlipwayError,
  type FleetApp,
  type LoadedEnvironment,
  type PinnedDefinition,
} from "@slipway/core";
import { DefinitionModules, nodeModulesOf } from "./definition-modules";
import { existsAt, materializeCommit, resolveCommit } from "./pinned-sources";

/**
 * Fills in each environment's pinned definitions. The first environment pins nothing (it follows
 * the working tree); an app's own `environments` block is taken from the working tree, never
 * from the pin.
 */
export async function loadPinnedDefinitions(root: string, environments: Map<string, LoadedEnvironment>, apps: ReadonlyMap<string, FleetApp>, env: Record<string, string | null>): Promise<void> {
  const wanted = new Map<string, { env: string; app: FleetApp; releasesFile: string }[]>();
  for (const [name, environment] of environments) {
    if (!environment.def.promotesFrom) continue;
    for (const [appName, release] of Object.entries(environment.releases.apps)) {
      const app = apps.get(appName);
      if (!release.definition || !app) continue;
      const commit = resolveCommit(root, release.definition, environment.releasesFile);
      (wanted.get(commit) ?? wanted.set(commit, []).get(commit)!).push({ env: name, app, releasesFile: environment.releasesFile });
    }
  }
  const pinned = new Map<string, Record<string, PinnedDefinition>>();
  for (const [commit, uses] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const use of uses) {
      if (!existsAt(root, commit, use.app.file)) {
        throw new DefinitionError(`pins ${use.app.name} at fleet commit ${commit.slice(0, 12)}, where ${use.app.file} does not exist`, {
          file: use.releasesFile, field: `apps.${use.app.name}.definition`,
          hint: `promote a definition that has the app (\`slipway promote ${use.app.name} --to ${use.env}\`), or correct the commit`,
        });
      }
    }
    const dir = materializeCommit(root, commit, nodeModulesOf(root));
    const modules = new DefinitionModules(dir, env);
    try {
      const files = [...new Set(uses.map((u) => u.app.file))].sort();
      await modules.compile(files);
      const bases = new Map<string, PinnedDefinition["base"]>();
      for (const file of files) {
        try {
          const { environments: _ignored, ...base } = checkDefinition((await modules.import(file)).default, "app", AppDefinitionSchema, file);
          bases.set(file, base);
        } catch (error) {
          if (!(error instanceof SlipwayError)) throw error;
          throw new DefinitionError(`as of fleet commit ${commit.slice(0, 12)} (pinned by the lock file) ${error.message}`, { file, hint: "promote a definition that loads, or correct the commit in the lock file" });
        }
      }
      for (const use of uses) (pinned.get(use.env) ?? pinned.set(use.env, {}).get(use.env)!)[use.app.name] = { commit, base: bases.get(use.app.file)! };
    } finally {
      modules.dispose();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
  for (const [name, definitions] of pinned) environments.set(name, { ...environments.get(name)!, definitions });
}

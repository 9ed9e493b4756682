/** An environment's release lock file (`environments/<env>/releases.yaml`), read and checked. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DefinitionError, parseDefinition, ReleasesFileSchema, type ReleasesFile } from "@slipway/core";
import type { DefinitionCache } from "./definition-cache";
import { yamlLibrary } from "./yaml-library";

export function readReleases(root: string, file: string, cache: DefinitionCache | undefined): ReleasesFile {
  const path = join(root, file);
  if (!existsSync(path)) {
    throw new DefinitionError("release lock file is missing", { file, hint: "create it with `apps: {}` (an environment with no releases yet)" });
  }
  const text = readFileSync(path, "utf8");
  const parse = (): ReleasesFile => {
    const doc = yamlLibrary().parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw new DefinitionError(`is not valid YAML: ${e.message.split("\n")[0]}`, { file, hint: "fix the YAML syntax at the line shown" });
    }
    const value: unknown = doc.toJS();
    // An empty file would silently undeploy every app of the environment: say so instead.
    if (value === null || value === undefined) {
      throw new DefinitionError("release lock file is empty", {
        file, expected: "`apps:` with the releases of this environment", received: "an empty document",
        hint: "restore it from git (`git checkout -- " + file + "`); to undeploy every app on purpose, write `apps: {}`",
      });
    }
    return parseDefinition(ReleasesFileSchema, value, { file });
  };
  return cache ? (cache.parsedData(file, text, parse) as ReleasesFile) : parse();
}


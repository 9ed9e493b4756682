/**
 * The paths render may touch: inside `clusters/`, never through a symbolic link. The index and
 * the journal name paths, and both are files anyone can edit, so every path is checked before use.
 */
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "@slipway/core";

/** A path relative to `clusters/` that stays inside it: no absolute path, no `..`, no empty segment. */
export function isTreePath(path: unknown): path is string {
  return typeof path === "string" && path.length > 0 && !path.startsWith("/") && !/^[A-Za-z]:/.test(path) && path.split(/[\\/]/).every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Refuses a path of `clusters/` below a symbolic link: render never reads, writes or deletes through one. */
export function throughLink(clusters: string): (path: string) => void {
  const checked = new Set<string>();
  return (path) => {
    const segments = path.split("/");
    for (let i = 0; i < segments.length; i++) {
      const prefix = segments.slice(0, i + 1).join("/");
      if (checked.has(prefix)) continue;
      if (lstatSync(join(clusters, prefix), { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new SlipwayError(`clusters/${prefix} is a symbolic link, and render never writes or deletes through one`, {
          file: `clusters/${prefix}`,
          hint: "replace the link with a real directory or file (or delete it), then render again",
        });
      }
      if (i < segments.length - 1) checked.add(prefix);
    }
  };
}

/** What lies under `clusters/`, links not followed: every regular file and every link, relative to `clusters/`. */
export function scanTree(root: string): { files: string[]; links: string[] } {
  const files: string[] = [];
  const links: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) links.push(path);
      else if (entry.isDirectory()) walk(join(abs, entry.name), path);
      else files.push(path);
    }
  };
  const base = join(root, "clusters");
  if (lstatSync(base, { throwIfNoEntry: false })?.isSymbolicLink()) links.push(".");
  else if (existsSync(base)) walk(base, "");
  return { files: files.sort(), links: links.sort() };
}

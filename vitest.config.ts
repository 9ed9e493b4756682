// `npx vitest` at the root runs every workspace package as a project.
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { projects: ["packages/*"] } });

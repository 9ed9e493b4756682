/**
 * Settings every package's vitest config shares. Several tests run the real CLI as a child process
 * on a copy of the fleet; on a loaded 2-core CI machine these take seconds, so timeouts are generous.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // A package whose tests are still being written must not break the whole run.
    passWithNoTests: true,
  },
});

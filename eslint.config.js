// One lint configuration for every workspace package: type-aware rules are left to
// `tsc` (the typecheck task), so linting stays fast and needs no project service.
import tseslint from "typescript-eslint";

export default tseslint.config(
  // Rendered output is not linted; each cluster's cluster.ts is.
  { ignores: ["**/dist/**", "**/node_modules/**", "clusters/*/*", "!clusters/*/cluster.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  {
    // Fleet definitions are data: what they are made from must be what the loader's compiler
    // reads (render refuses these at load time too; the lint says so in the editor).
    files: ["apps/**/*.ts", "environments/**/*.ts", "addons/**/*.ts", "clusters/*/cluster.ts", "slipway.config.ts", "packages/testing/fleet/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^(node:)?(fs|fs/promises|child_process|os|net|http|https|dgram|dns|worker_threads|cluster|process|vm|v8|module)$", message: "Definitions are data: they cannot read files, the network or the machine." }] }],
      // process.env.NAME is allowed for the names slipway.config.ts declares (definitions.env); nothing else of the process.
      "no-restricted-properties": [
        "error",
        ...["argv", "cwd", "chdir", "exit", "execPath", "pid", "platform", "hrtime", "memoryUsage", "stdin", "stdout", "stderr"].map((property) => ({ object: "process", property, message: "Definitions are data: only process.env.NAME (declared in slipway.config.ts) may be read." })),
        { object: "globalThis", property: "process", message: "Definitions are data: only process.env.NAME (declared in slipway.config.ts) may be read." },
      ],
    },
  },
);

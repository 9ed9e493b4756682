#!/usr/bin/env node
// Runs the compiled CLI (build/compile.mjs: rebuilt whenever the sources change). Should it not
// build, tsx runs the TypeScript sources directly, which reports what is wrong with them.
import { compiledCli } from "../build/compile.mjs";

const compiled = await compiledCli();
let main;
if (compiled) {
  ({ main } = await import(compiled));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));

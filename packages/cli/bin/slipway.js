#!/usr/bin/env node
// Runs the compiled CLI (build/compile.mjs), rebuilt whenever the sources change. It is the only
// way slipway runs: if it cannot be built, that is the error reported.
import { compiledCli } from "../build/compile.mjs";

let entry;
try {
  entry = await compiledCli();
} catch (error) {
  console.error(`slipway: ${error.message}\n  fix: correct the file named above, or reinstall with \`npm ci\` if packages/ is unchanged`);
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));

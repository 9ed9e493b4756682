#!/usr/bin/env node
// Fleet definitions are TypeScript: tsx lets Node import them (and this CLI's sources) directly.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));

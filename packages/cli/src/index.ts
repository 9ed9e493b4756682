export { main } from "./main";
export type { CommandIO } from "./io";
export { ExitCode } from "./exit-codes";

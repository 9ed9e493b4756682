export { main, runCommand, type Command } from "./main";
export type { CommandIO } from "./io";
export { ExitCode, type CommandStatus } from "./exit-codes";

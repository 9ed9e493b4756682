/** A CommandIO that records output, and `slipway …` run in-process through main, for tests. */
import type { CommandIO } from "./io";
import { main, runCommand, type Command } from "./main";

export interface RecordingIO extends CommandIO {
  readonly out: string[];
  readonly err: string[];
}

export function recordingIO(cwd: string, stdin = "", env: NodeJS.ProcessEnv = {}): RecordingIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readStdin: async () => stdin,
    color: false,
    env: { NO_COLOR: "1", ...env },
  };
}

export interface Ran {
  readonly code: number;
  /** Everything printed, each print ending in a newline as on a terminal. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly env?: NodeJS.ProcessEnv;
}

const joined = (texts: readonly string[]) => texts.map((t) => (t.endsWith("\n") ? t : `${t}\n`)).join("");

/** `slipway <argv>` in `cwd`, through main: the exit code is main's. */
export async function slipway(cwd: string, argv: string[], options: RunOptions = {}): Promise<Ran> {
  const io = recordingIO(cwd, options.stdin, options.env);
  const code = await main(argv, io);
  return { code, stdout: joined(io.out), stderr: joined(io.err) };
}

/** One command with replaced dependencies (`promoteCommand(argv, io, { render })`), through main's runCommand. */
export async function slipwayWith(name: string, command: Command, cwd: string, argv: string[], options: RunOptions = {}): Promise<Ran> {
  const io = recordingIO(cwd, options.stdin, options.env);
  const code = await runCommand(name, command, argv, io);
  return { code, stdout: joined(io.out), stderr: joined(io.err) };
}

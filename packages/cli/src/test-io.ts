/** A CommandIO that records output, for tests. */
import type { CommandIO } from "./io";

export interface RecordingIO extends CommandIO {
  readonly out: string[];
  readonly err: string[];
}

export function recordingIO(cwd: string, stdin = ""): RecordingIO {
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
    env: { ...process.env, NO_COLOR: "1" },
  };
}

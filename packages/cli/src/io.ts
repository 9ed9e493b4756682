/** Terminal I/O for commands: colour only on a TTY and never with NO_COLOR. */
export interface CommandIO {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly color: boolean;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A reader that stops early (`slipway render --json | head`) closes the pipe: not a failure of
 * the command, whose work is done by the time it prints, so it ends quietly with its own status.
 */
function endQuietlyWhenReaderLeaves(stream: NodeJS.WriteStream): void {
  if (stream.listenerCount("error") > 0) return;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit();
  });
}

export function processIO(): CommandIO {
  const env = process.env;
  endQuietlyWhenReaderLeaves(process.stdout);
  const color = Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== "dumb";
  return {
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    color,
    env,
  };
}

export function paint(io: Pick<CommandIO, "color">) {
  const wrap = (code: number) => (text: string) => (io.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { red: wrap(31), green: wrap(32), yellow: wrap(33), dim: wrap(2), bold: wrap(1) };
}

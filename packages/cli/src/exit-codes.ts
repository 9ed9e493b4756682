/** 0: everything is fine. 1: findings or a failure. 2: the command line itself is wrong. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** What a command returns: 0, or 1 for findings. Failures and usage errors are thrown; main turns them into 1 and 2. */
export type CommandStatus = typeof ExitCode.ok | typeof ExitCode.failure;

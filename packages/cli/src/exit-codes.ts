/** 0: everything is fine. 1: findings or a failure. 2: the command line itself is wrong. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

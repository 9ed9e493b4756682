/** Hash of the compiled CLI's inputs under `packages` (default: this repository's packages). */
export declare function fingerprint(packages?: string): string;
/** URL of the compiled CLI's entry module, built first if needed; throws, saying why, if it cannot be built. */
export declare function compiledCli(): Promise<string>;

/**
 * What a credential looks like when someone pastes one into an env var or a config value. One
 * detector, used by render (which names app.ts and the field) and by validate (any YAML).
 *
 * Three signals, each a reason a reviewer can check:
 * - a well-known token prefix (Stripe, GitHub, Slack, AWS access keys, GitLab, npm, private keys);
 * - a URL carrying a password (`scheme://user:password@host`);
 * - a long string with the character mix of a random token (high entropy).
 */

const TOKEN_PREFIXES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: "a Stripe secret key (sk_live_/sk_test_)", pattern: /\b[sr]k_(live|test)_[0-9A-Za-z]{10,}/ },
  { what: "a Stripe webhook signing secret (whsec_)", pattern: /\bwhsec_[0-9A-Za-z+/=]{10,}/ },
  { what: "a GitHub token (ghp_/gho_/ghu_/ghs_/ghr_)", pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}/ },
  { what: "a GitHub fine-grained token (github_pat_)", pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}/ },
  { what: "a Slack token (xoxb-/xoxp-/xoxa-/xoxr-)", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: "an AWS access key id (AKIA…/ASIA…)", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: "a GitLab token (glpat-)", pattern: /\bglpat-[0-9A-Za-z_-]{20,}/ },
  { what: "an npm token (npm_)", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: "a Google API key (AIza)", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: "a SendGrid API key (SG.)", pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ },
  { what: "a private key (-----BEGIN … PRIVATE KEY-----)", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** `scheme://user:password@host`; `scheme://user@host` and `$(VAR)` placeholders are fine. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s@]+)@/i;

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A random-looking token: at least 24 characters without spaces, letters and digits mixed, and
 * more than 4.2 bits of entropy per character — above what hex (4.0 at most) can reach, so digests,
 * UUIDs and commit hashes pass, while base64 and base62 secrets of that length do not. ARNs,
 * URLs, paths and dotted names are left to the other signals.
 */
function looksRandom(value: string): boolean {
  if (value.length < 24 || /\s/.test(value)) return false;
  if (/^(arn:|\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(value) || /^[\w-]+(\.[\w-]+){2,}$/.test(value)) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/\d/.test(value)) return false;
  return shannonEntropy(value) > 4.2;
}

/**
 * Why a literal value looks like a credential, or `undefined` when it does not. The reason is
 * written for the person who pasted it: "a Stripe webhook signing secret (whsec_)".
 */
export function credentialLiteral(value: string): string | undefined {
  if (/^\$\(.*\)$/.test(value)) return undefined;
  for (const { what, pattern } of TOKEN_PREFIXES) if (pattern.test(value)) return what;
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !/^\$\(.*\)$/.test(url[1]!)) return "a URL with a password in it";
  if (looksRandom(value)) return "a high-entropy string (a random token or key)";
  return undefined;
}

/** Variable names that say they hold a secret. */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PWD$|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH)/i;
/** …unless they name where the secret is or something about it, not the secret itself. */
const NOT_THE_SECRET = /_(FILE|PATH|URL|ENDPOINT|NAME|ARN|ID|TTL|HEADER|MODE|TYPE|ENABLED|REGION)$/i;

/** Whether an environment variable's name says it holds a secret (`DB_PASSWORD`, `STRIPE_WEBHOOK_SECRET`). */
export function credentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name) && !NOT_THE_SECRET.test(name);
}

/**
 * Why an environment variable literal looks like a credential: by its value, or (for env, where a
 * secret name with a literal value is the classic mistake) by its name.
 */
export function credentialEnvLiteral(name: string, value: string): string | undefined {
  if (value === "" || /^\$\(.*\)$/.test(value)) return undefined;
  return credentialLiteral(value) ?? (credentialName(name) ? `a literal in a variable whose name (${name}) says it is a secret` : undefined);
}

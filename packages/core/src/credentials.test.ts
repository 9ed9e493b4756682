import { describe, expect, it } from "vitest";
import { credentialEnvLiteral, credentialLiteral } from "./credentials";

describe("credential literals", () => {
  it("GIVEN well-known token prefixes, URLs with passwords and random tokens THEN each is named", () => {
    expect(credentialLiteral("whsec_9fK2mQ7xL4pR8tV1nB6cZ3wY5")).toBe("a Stripe webhook signing secret (whsec_)");
    expect(credentialLiteral("sk_live_51HxQ2eLkT9mZ8rW4vB7nC0pA")).toBe("a Stripe secret key (sk_live_/sk_test_)");
    expect(credentialLiteral("ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8")).toMatch(/GitHub token/);
    expect(credentialLiteral("xoxb-1234567890-abcdefghij")).toMatch(/Slack token/);
    expect(credentialLiteral("AKIAIOSFODNN7EXAMPLE")).toMatch(/AWS access key id/);
    expect(credentialLiteral("postgres://app:Sup3rS3cret@db:5432/app")).toBe("a URL with a password in it");
    expect(credentialLiteral("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toBe("a high-entropy string (a random token or key)");
  });

  it("GIVEN ordinary configuration THEN nothing is flagged: digests, UUIDs, commits, ARNs, URLs, hosts, words", () => {
    for (const value of [
      "production", "http://catalog:8080", "https://runbooks.example.com/storefront/web", "1800", "EUR",
      `sha256:${"ab12".repeat(16)}`, "0b7c6d2e-5a41-4f3b-9e8d-1c2b3a4d5e6f", "254608d7c68e777f87e4c1edc8b2514600bb4e64",
      "arn:aws:sqs:us-east-1:111122223333:settlements", "payments.internal.example.com", "--queue=settlements",
      "postgres://app@db:5432/app", "redis://$(REDIS_USER):$(REDIS_PASSWORD)@cache:6379",
    ]) {
      expect(credentialLiteral(value), value).toBeUndefined();
    }
  });

  it("GIVEN env, a secret-sounding name with a literal is flagged; names of where a secret lives are not", () => {
    expect(credentialEnvLiteral("DB_PASSWORD", "hunter2")).toMatch(/name \(DB_PASSWORD\) says it is a secret/);
    expect(credentialEnvLiteral("DB_PASSWORD_FILE", "/var/run/secrets/db/password")).toBeUndefined();
    expect(credentialEnvLiteral("AUTH_MODE", "oidc")).toBeUndefined();
    expect(credentialEnvLiteral("DB_PASSWORD", "$(DB_PASSWORD)")).toBeUndefined();
  });
});

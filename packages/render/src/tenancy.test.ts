/**
 * Tenants isolated in AWS and at the edge: each hole of issue 16, tried on the fixture fleet.
 * Every refusal names the file, the field and the fix, and leaves clusters/ as it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SlipwayError } from "@slipway/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderFleet } from "./render";
import { editFile, fingerprint, renderedFleetCopies } from "../test/test-fleet";

const fleet = renderedFleetCopies("tenancy-");

const STOREFRONT = "apps/shop/storefront/app.ts";

/** Edits a copy of the rendered fixture, renders it, and returns the error text; clusters/ must be untouched. */
async function refused(label: string, edits: Record<string, (text: string) => string>): Promise<string> {
  const root = fleet(label);
  for (const [file, edit] of Object.entries(edits)) editFile(join(root, file), edit);
  const before = fingerprint(join(root, "clusters"));
  let message: string | undefined;
  try {
    await renderFleet({ root, mode: "write", cache: false });
  } catch (error) {
    expect(error).toBeInstanceOf(SlipwayError);
    message = (error as SlipwayError).format();
  }
  expect(message, "render should have refused").toBeDefined();
  expect(fingerprint(join(root, "clusters"))).toEqual(before);
  return message!;
}

/** A rendered object, read loosely: the tests name the fields they check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML, navigated by the assertions
type Loose = any;
function rendered(path: string): Loose {
  return parse(readFileSync(join(fleet.template, "clusters", path), "utf8"));
}

describe("secrets per tenant", () => {
  it("GIVEN an app naming another tenant's Secrets Manager path WHEN rendered THEN render refuses with the file, the field and the allowed prefix", async () => {
    const message = await refused("foreign-secret", {
      [STOREFRONT]: (t) => t.replace(`from: "shop/storefront/session"`, `from: "payments/settlement/network-keys"`),
    });
    expect(message).toContain(`${STOREFRONT}: secrets[0].from: secret \`payments/settlement/network-keys\` is outside the Secrets Manager paths tenant shop may read`);
    expect(message).toContain("expected: shop/…");
    expect(message).toContain("fix: name a secret under `shop/`");
  });

  it("renders a namespaced SecretStore per tenant namespace, with the tenant's own IRSA role, and every ExternalSecret reads through it", () => {
    const store = rendered("prod-use1/tenants/payments/payments-prod/secretstore-tenant-secrets.yaml");
    expect(store.kind).toBe("SecretStore");
    expect(store.metadata.namespace).toBe("payments-prod");
    expect(store.spec.provider.aws).toEqual({ service: "SecretsManager", region: "us-east-1", auth: { jwt: { serviceAccountRef: { name: "tenant-secrets" } } } });
    const account = rendered("prod-use1/tenants/payments/payments-prod/serviceaccount-tenant-secrets.yaml");
    expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::210900003333:role/prod-use1-payments-secrets");
    expect(account.automountServiceAccountToken).toBe(false);
    const external = rendered("prod-use1/prod/settlement/externalsecret-settlement-network-keys.yaml");
    expect(external.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "tenant-secrets" });
  });
});

describe("IAM roles per tenant", () => {
  it("GIVEN an app naming another tenant's role WHEN rendered THEN render refuses: outside the tenant's role pattern", async () => {
    const message = await refused("foreign-role", {
      [STOREFRONT]: (t) => t.replace(`roleArn: "arn:aws:iam::210900001111:role/shop-storefront"`, `roleArn: "arn:aws:iam::210900001111:role/payments-ledger"`),
    });
    expect(message).toContain(`${STOREFRONT}: aws.roleArn: IAM role \`arn:aws:iam::210900001111:role/payments-ledger\` is outside the role names tenant shop may use`);
    expect(message).toContain("expected: role/shop-*");
    expect(message).toContain("apps/shop/tenant.ts");
  });

  it("GIVEN two tenants' apps naming one role WHEN rendered THEN render refuses naming both apps", async () => {
    const message = await refused("shared-role", {
      "apps/shop/tenant.ts": (t) => t.replace(`ingressHostSuffixes:`, `aws: { rolePatterns: ["shop-*", "payments-*"] },\n  ingressHostSuffixes:`),
      [STOREFRONT]: (t) => t.replace(`roleArn: "arn:aws:iam::210900001111:role/shop-storefront"`, `roleArn: "arn:aws:iam::210900001111:role/payments-reconcile"`),
    });
    expect(message).toContain(`${STOREFRONT}: aws.roleArn: IAM role \`arn:aws:iam::210900001111:role/payments-reconcile\` is named by apps of tenants payments and shop`);
    expect(message).toContain("fix: each tenant's apps use their own roles");
  });

  it("GIVEN a role of another account WHEN rendered THEN render refuses: the role must be in the cluster's account", async () => {
    const message = await refused("role-account", {
      [STOREFRONT]: (t) => t.replace(`roleArn: "arn:aws:iam::210900002222:role/shop-storefront"`, `roleArn: "arn:aws:iam::210900001111:role/shop-storefront"`),
    });
    expect(message).toContain(`${STOREFRONT}: environments.staging.aws.roleArn: IAM role \`arn:aws:iam::210900001111:role/shop-storefront\` is in account 210900001111, not in cluster staging-use1's account 210900002222`);
  });

  it("lists every app role in the AWS resources summary with the trust it needs (IRSA subject, Pod Identity association), and each tenant's SecretStore role", () => {
    const summary = rendered("prod-use1/aws-resources/awsresources-prod-use1.yaml").spec;
    expect(summary.appRoles).toContainEqual({
      arn: "arn:aws:iam::210900003333:role/shop-storefront", tenant: "shop", usedBy: [{ app: "storefront", environment: "prod" }],
      trust: [{ mode: "irsa", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/D29E55CF3085803A9D4777CFB4E6F86E", subject: "system:serviceaccount:shop-prod:storefront", audience: "sts.amazonaws.com" }],
    });
    expect(summary.appRoles).toContainEqual({
      arn: "arn:aws:iam::210900003333:role/payments-settlement", tenant: "payments", usedBy: [{ app: "settlement", environment: "prod" }],
      trust: [{ mode: "pod-identity", principal: "pods.eks.amazonaws.com", namespace: "payments-prod", serviceAccount: "settlement" }],
    });
    expect(summary.tenantSecretsRoles).toContainEqual({
      arn: "arn:aws:iam::210900003333:role/prod-use1-shop-secrets", tenant: "shop",
      trust: [{ mode: "irsa", oidcProvider: "oidc.eks.us-east-1.amazonaws.com/id/D29E55CF3085803A9D4777CFB4E6F86E", subject: "system:serviceaccount:shop-prod:tenant-secrets", audience: "sts.amazonaws.com" }],
      allow: { actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], resources: ["arn:aws:secretsmanager:us-east-1:210900003333:secret:shop/*"] },
    });
  });
});

describe("edge checks with cluster facts", () => {
  it("GIVEN prod-euw1 (eu-west-1) given a us-east-1 certificate WHEN rendered THEN render refuses: certificates are regional", async () => {
    const message = await refused("cert-region", {
      [STOREFRONT]: (t) => t.replace(`ingress: { host: "www.shop.example.net" },`, `ingress: { host: "www.shop.example.net", certificateArn: "arn:aws:acm:us-east-1:210900003333:certificate/9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f" },`),
    });
    expect(message).toContain(`${STOREFRONT}: environments.prod.ingress.certificateArn: ACM certificate \`arn:aws:acm:us-east-1:210900003333:certificate/9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f\` is not in cluster prod-euw1's region and account`);
    expect(message).toContain("expected: eu-west-1 / 210900003333 (cluster prod-euw1)");
    expect(message).toContain("clusters/prod-euw1/cluster.ts `edge.certificates");
  });

  it("GIVEN staging (account 2222) given a certificate of account 1111 WHEN rendered THEN render refuses: certificates belong to one account", async () => {
    const message = await refused("cert-account", {
      [STOREFRONT]: (t) => t.replace("arn:aws:acm:us-east-1:210900002222:certificate/", "arn:aws:acm:us-east-1:210900001111:certificate/"),
    });
    expect(message).toContain(`${STOREFRONT}: environments.staging.ingress.certificateArn: ACM certificate \`arn:aws:acm:us-east-1:210900001111:certificate/`);
    expect(message).toContain("expected: us-east-1 / 210900002222 (cluster staging-use1)");
  });

  it("GIVEN two clusters claiming one host without declaring it shared WHEN rendered THEN render refuses: their external-dns would fight", async () => {
    const message = await refused("host-overlap", {
      "clusters/prod-euw1/cluster.ts": (t) => t.replace(`    sharedHosts: ["www.shop.example.net"],\n`, ""),
    });
    expect(message).toContain(`${STOREFRONT}: ingress.host: host \`www.shop.example.net\` is claimed on clusters prod-euw1 and prod-use1`);
    expect(message).toContain('add `edge: { sharedHosts: ["www.shop.example.net"] }` to clusters/prod-euw1/cluster.ts');
  });

  it("renders a declared shared host with a set identifier and latency routing per cluster", () => {
    const annotations = rendered("prod-euw1/prod/storefront/ingress-storefront.yaml").metadata.annotations;
    expect(annotations["external-dns.alpha.kubernetes.io/set-identifier"]).toBe("prod-euw1");
    expect(annotations["external-dns.alpha.kubernetes.io/aws-region"]).toBe("eu-west-1");
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe("arn:aws:acm:eu-west-1:210900003333:certificate/3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a");
    expect(annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTPS":443}]');
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBeUndefined();
  });

  it("GIVEN a public app whose certificate is removed WHEN rendered THEN render refuses an HTTP-only internet-facing load balancer", async () => {
    const message = await refused("no-certificate", {
      "clusters/dev-use1/cluster.ts": (t) => t.replace(/  edge: \{\n    certificates: \{[^}]*\},\n  \},\n/, ""),
    });
    expect(message).toContain(`${STOREFRONT}: ingress.certificateArn: public ingress \`www.dev.shop.example.net\` has no certificate: it would be an HTTP-only internet-facing load balancer`);
    expect(message).toContain("fix: set `ingress.certificateArn`");
  });

  it("GIVEN an environment requiring WAF WHEN a public ingress has no web ACL THEN render refuses; with the cluster's ACL it renders wafv2-acl-arn", async () => {
    const message = await refused("waf-required", {
      "environments/prod/environment.ts": (t) => t.replace("allowExec: false,", "allowExec: false,\n    requireWaf: true,"),
    });
    expect(message).toContain(`${STOREFRONT}: ingress.wafAclArn: environment prod requires a WAF web ACL on every public ingress`);
    const root = fleet("waf-given");
    editFile(join(root, "environments/prod/environment.ts"), (t) => t.replace("allowExec: false,", "allowExec: false,\n    requireWaf: true,"));
    for (const [cluster, region] of [["prod-use1", "us-east-1"], ["prod-euw1", "eu-west-1"]]) {
      editFile(join(root, `clusters/${cluster}/cluster.ts`), (t) => t.replace("  edge: {\n", `  edge: {\n    wafAclArn: "arn:aws:wafv2:${region}:210900003333:regional/webacl/edge/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",\n`));
    }
    await renderFleet({ root, mode: "write", cache: false });
    const ingress = parse(readFileSync(join(root, "clusters/prod-euw1/prod/storefront/ingress-storefront.yaml"), "utf8"));
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBe("arn:aws:wafv2:eu-west-1:210900003333:regional/webacl/edge/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  });

  it("GIVEN redirectHttp WHEN rendered THEN the load balancer listens on 80 and 443 and redirects HTTP to HTTPS", async () => {
    const root = fleet("redirect");
    editFile(join(root, STOREFRONT), (t) => t.replace(`approval: "SEC-118 (storefront launch review)",`, `approval: "SEC-118 (storefront launch review)",\n    redirectHttp: true,`));
    await renderFleet({ root, mode: "write", cache: false });
    const annotations = parse(readFileSync(join(root, "clusters/dev-use1/dev/storefront/ingress-storefront.yaml"), "utf8")).metadata.annotations;
    expect(annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTP":80},{"HTTPS":443}]');
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
  });
});

describe("no secret in git, by construction", () => {
  for (const [name, field, edit, reason] of [
    ["a Stripe webhook secret in env", "env.STRIPE_WEBHOOK_SECRET", (t: string) => t.replace(`env: { NODE_ENV: "production" },`, `env: { NODE_ENV: "production", STRIPE_WEBHOOK_SECRET: "whsec_9fK2mQ7xL4pR8tV1nB6cZ3wY5" },`), "a Stripe webhook signing secret (whsec_)"],
    ["a Stripe live key in env under a harmless name", "env.STRIPE", (t: string) => t.replace(`env: { NODE_ENV: "production" },`, `env: { NODE_ENV: "production", STRIPE: "sk_live_51HxQ2eLkT9mZ8rW4vB7nC0pA" },`), "a Stripe secret key (sk_live_/sk_test_)"],
    ["a GitHub token in config (a ConfigMap)", "config.API_TOKEN", (t: string) => t.replace(`config: { SESSION_TTL_SECONDS: "1800",`, `config: { API_TOKEN: "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", SESSION_TTL_SECONDS: "1800",`), "a GitHub token"],
  ] as const) {
    it(`GIVEN ${name} WHEN rendered THEN render refuses naming app.ts and the field, pointing at secrets:`, async () => {
      const message = await refused(field.replace(/\W/g, "-"), { [STOREFRONT]: edit });
      expect(message).toContain(`${STOREFRONT}: ${field}: `);
      expect(message).toContain(reason);
      expect(message).toMatch(/fix: remove the literal and read it from AWS Secrets Manager: `secrets: \[\{ name: "[a-z-]+", from: "shop\/storefront\/…"/);
    });
  }

  it("GIVEN a credential layered in from the environment's appDefaults WHEN rendered THEN the error names environment.ts", async () => {
    const message = await refused("env-default-secret", {
      "environments/dev/environment.ts": (t) => t.replace(`appDefaults: {\n`, `appDefaults: {\n    env: { DATABASE_URL: "postgres://app:Sup3rS3cret@db.internal:5432/app" },\n`),
    });
    expect(message).toContain("environments/dev/environment.ts: appDefaults.env.DATABASE_URL: env DATABASE_URL holds a literal that looks like a credential: a URL with a password in it");
  });
});

describe("precise egress to AWS", () => {
  it("opens the Pod Identity agent (169.254.170.23:80) to Pod Identity apps, and says per service what is opened and why", () => {
    const policy = rendered("prod-use1/prod/settlement/networkpolicy-settlement-outbound.yaml");
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ protocol: "TCP", port: 80 }] });
    expect(policy.metadata.annotations["slipway.dev/aws-egress"]).toBe("secretsmanager: vpc-cidr-fallback (10.130.0.0/16); sqs: vpc-cidr-fallback (10.130.0.0/16)");
  });

  it("GIVEN endpoint CIDRs and the S3 prefix list in cluster.ts WHEN rendered THEN egress goes to exactly those; IRSA apps reach STS", async () => {
    const root = fleet("endpoints");
    editFile(join(root, "clusters/dev-use1/cluster.ts"), (t) => t.replace(/(    oidcProvider: "[^"]+",\n)/, `$1    endpoints: {\n      secretsmanager: { cidrs: ["10.110.96.0/24"] },\n      sts: { cidrs: ["10.110.96.0/24"] },\n      s3: { prefixList: "pl-63a5400a", cidrs: ["52.216.0.0/15", "54.231.0.0/16"] },\n    },\n`));
    await renderFleet({ root, mode: "write", cache: false });
    const read = (path: string) => parse(readFileSync(join(root, "clusters/dev-use1/dev", path), "utf8"));
    const reconcile = read("reconcile/networkpolicy-reconcile-outbound.yaml");
    expect(reconcile.metadata.annotations["slipway.dev/aws-egress"]).toBe("s3: vpc-endpoint pl-63a5400a (52.216.0.0/15 54.231.0.0/16); sts: vpc-endpoint (10.110.96.0/24)");
    expect(reconcile.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "52.216.0.0/15" } }, { ipBlock: { cidr: "54.231.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] });
    expect(JSON.stringify(reconcile.spec.egress)).not.toContain("0.0.0.0/0");
    const settlement = read("settlement/networkpolicy-settlement-outbound.yaml");
    expect(settlement.metadata.annotations["slipway.dev/aws-egress"]).toBe("secretsmanager: vpc-endpoint (10.110.96.0/24); sqs: vpc-cidr-fallback (10.110.0.0/16)");
  });
});

describe("Argo CD rights follow the review", () => {
  it("in prod (no exec) tenant developers cannot sync — only operators, and nobody overrides; every role reads logs; in dev developers sync", () => {
    const prod = rendered("prod-use1/argocd/appproject-prod-use1-shop.yaml").spec.roles as { name: string; policies: string[] }[];
    const policies = (role: string) => prod.find((r) => r.name === role)!.policies;
    expect(policies("developer")).toEqual([
      "p, proj:prod-use1-shop:developer, applications, get, prod-use1-shop/prod-use1-prod-*, allow",
      "p, proj:prod-use1-shop:developer, logs, get, prod-use1-shop/prod-use1-prod-*, allow",
      "p, proj:prod-use1-shop:developer, applications, override, prod-use1-shop/*, deny",
    ]);
    expect(policies("operator")).toContain("p, proj:prod-use1-shop:operator, applications, sync, prod-use1-shop/prod-use1-prod-*, allow");
    expect(policies("viewer")).toContain("p, proj:prod-use1-shop:viewer, logs, get, prod-use1-shop/prod-use1-prod-*, allow");
    const dev = rendered("dev-use1/argocd/appproject-dev-use1-shop.yaml").spec.roles as { name: string; policies: string[] }[];
    expect(dev.find((r) => r.name === "developer")!.policies).toContain("p, proj:dev-use1-shop:developer, applications, sync, dev-use1-shop/dev-use1-dev-*, allow");
    expect(rendered("prod-use1/argocd/appproject-prod-use1-shop.yaml").spec.namespaceResourceBlacklist).toContainEqual({ group: "external-secrets.io", kind: "SecretStore" });
  });
});

/**
 * What one app instance may use in AWS and at the edge, checked where it is synthesized (from
 * workloads' fleet-units.ts), with the facts of its tenant and cluster:
 * - secrets: only the tenant's Secrets Manager prefixes, in the cluster's region and account;
 * - IAM role: in the cluster's account, inside the tenant's role patterns, never a platform role;
 * - ingress: the certificate and WAF ACL in the cluster's region and account, a public ingress
 *   served over HTTPS, a WAF ACL where the environment requires one;
 * - no credential literals in `env` or `config` (they belong in `secrets:`);
 * - sidecar and init container images only from the tenant's registries, as the app's own image.
 */
import {
  clusterCertificateFor,
  credentialEnvLiteral,
  credentialLiteral,
  formatPath,
  ingressEdge,
  parseArn,
  PolicyError,
  roleMatches,
  secretsManagerName,
  TENANT_SECRETS_SERVICE_ACCOUNT,
  tenantRolePatterns,
  tenantSecretPrefixes,
  tenantSecretsRoleArn,
  type AppInstance,
  type Fleet,
  type ResolvedApp,
  type SlipwayError,
} from "@slipway/core";

interface Where {
  readonly file: string;
  readonly app: string;
  readonly environment: string;
  readonly cluster: string;
}

/**
 * Which file and field a layered value came from: the app's per-environment block, the app's own
 * value, the cluster's or the environment's `appDefaults` (the last layer that sets it wins).
 */
function sourceOf(fleet: Fleet, instance: AppInstance, path: readonly (string | number)[]): { file: string; field: string } {
  const app = fleet.apps.get(instance.app)!;
  const cluster = fleet.clusters.get(instance.cluster)!;
  const env = fleet.environments.get(instance.environment)!;
  const has = (root: unknown) => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), root) !== undefined;
  const under = (...prefix: string[]) => formatPath([...prefix, ...path]);
  if (has(app.environments[instance.environment])) return { file: app.file, field: under("environments", instance.environment) };
  if (has(app.base)) return { file: app.file, field: under() };
  if (has(cluster.def.appDefaults)) return { file: cluster.file, field: under("appDefaults") };
  if (has(env.def.appDefaults)) return { file: env.file, field: under("appDefaults") };
  return { file: app.file, field: under() };
}

export function checkTenancy(fleet: Fleet, instance: AppInstance, app: ResolvedApp): SlipwayError[] {
  const loaded = fleet.apps.get(instance.app)!;
  const tenant = fleet.tenants.get(loaded.tenant)!;
  const { def: cluster, file: clusterFile } = fleet.clusters.get(instance.cluster)!;
  const environment = fleet.environments.get(instance.environment)!;
  const where: Where = { file: loaded.file, app: loaded.name, environment: instance.environment, cluster: cluster.name };
  const errors: SlipwayError[] = [];
  const fail = (path: readonly (string | number)[], message: string, details: { expected?: string; received?: string; hint: string }) => {
    const source = sourceOf(fleet, instance, path);
    errors.push(new PolicyError(message, { ...where, ...source, ...details }));
  };
  const inCluster = (arn: string) => {
    const parsed = parseArn(arn);
    return { region: parsed?.region ?? "", account: parsed?.account ?? "" };
  };

  if (app.name === TENANT_SECRETS_SERVICE_ACCOUNT) {
    fail(["name"], `app name \`${app.name}\` is reserved: it is the ServiceAccount of the tenant's SecretStore`, { hint: "rename the app (and its directory)" });
  }

  // Extra containers' images: the tenant's registries, like the app's image (fleet-checks.ts).
  for (const field of ["sidecars", "initContainers"] as const) {
    app[field].forEach((c, i) => {
      if (tenant.def.registries.some((r) => c.image.startsWith(r))) return;
      fail([field, i, "image"], `image \`${c.image}\` is not from a registry tenant ${tenant.def.name} may use`, {
        expected: tenant.def.registries.join(" | "), received: c.image,
        hint: `push the image to an allowed registry or add the registry to apps/${tenant.def.name}/tenant.ts`,
      });
    });
  }

  // Secrets: the tenant's prefixes only, read through the tenant's SecretStore.
  const prefixes = tenantSecretPrefixes(tenant.def);
  app.secrets.forEach((secret, i) => {
    const name = secretsManagerName(secret.from);
    const path = ["secrets", i, "from"];
    if (!prefixes.some((p) => name.startsWith(p))) {
      fail(path, `secret \`${secret.from}\` is outside the Secrets Manager paths tenant ${tenant.def.name} may read`, {
        expected: prefixes.map((p) => `${p}…`).join(" | "), received: secret.from,
        hint: `name a secret under ${prefixes.map((p) => `\`${p}\``).join(" or ")}; another tenant's secret is shared by copying it into your path, or the platform adds a prefix to \`aws.secretPrefixes\` in ${tenant.file}`,
      });
    }
    const arn = parseArn(secret.from);
    if (arn && (arn.region !== cluster.aws.region || arn.account !== cluster.aws.accountId)) {
      fail(path, `secret ARN \`${secret.from}\` is in ${arn.region}/${arn.account}, not in cluster ${cluster.name}'s region and account`, {
        expected: `${cluster.aws.region}/${cluster.aws.accountId}`, received: `${arn.region}/${arn.account}`,
        hint: "name the secret (`payments/ledger/database`) instead of its ARN, so each cluster reads its own copy",
      });
    }
  });

  // IAM role: the cluster's account, the tenant's patterns, never the platform's roles.
  if (app.aws) {
    const path = ["aws", "roleArn"];
    const role = app.aws.roleArn;
    const account = parseArn(role)?.account;
    const patterns = tenantRolePatterns(tenant.def);
    if (account !== cluster.aws.accountId) {
      fail(path, `IAM role \`${role}\` is in account ${account}, not in cluster ${cluster.name}'s account ${cluster.aws.accountId}`, {
        expected: `arn:aws:iam::${cluster.aws.accountId}:role/…`, received: role,
        hint: `override \`aws.roleArn\` for ${instance.environment} in ${loaded.file} with the role in account ${cluster.aws.accountId}`,
      });
    }
    const platformRoles = new Set([
      ...Object.values(cluster.facts.roles),
      ...[...fleet.tenants.keys()].map((t) => tenantSecretsRoleArn(t, cluster)),
    ]);
    if (platformRoles.has(role)) {
      fail(path, `IAM role \`${role}\` belongs to the platform (an add-on or a tenant's SecretStore), not to app ${app.name}`, {
        received: role, hint: `give the app its own role, named ${patterns.map((p) => `\`${p}\``).join(" or ")}`,
      });
    } else if (!roleMatches(role, patterns)) {
      fail(path, `IAM role \`${role}\` is outside the role names tenant ${tenant.def.name} may use`, {
        expected: patterns.map((p) => `role/${p}`).join(" | "), received: role,
        hint: `name a role matching ${patterns.map((p) => `\`${p}\``).join(" or ")} (\`aws.rolePatterns\` in ${tenant.file}); another tenant's role is never shared`,
      });
    }
  }

  // Edge: certificate and WAF of the cluster's region and account; HTTPS for public ingress.
  if (app.ingress) {
    const ingress = app.ingress;
    const edge = ingressEdge(ingress, cluster);
    const clusterCert = clusterCertificateFor(cluster, ingress.host);
    const check = (arn: string | undefined, from: "app" | "cluster" | undefined, what: string, appPath: readonly string[], clusterField: string) => {
      if (!arn) return;
      const { region, account } = inCluster(arn);
      if (region === cluster.aws.region && account === cluster.aws.accountId) return;
      const details = {
        expected: `${cluster.aws.region} / ${cluster.aws.accountId} (cluster ${cluster.name})`, received: `${region} / ${account}: ${arn}`,
        hint: from === "app"
          ? `use the ${what} of ${cluster.aws.region} in account ${cluster.aws.accountId}: override \`${appPath.join(".")}\` for ${instance.environment}, or remove it and declare the cluster's in ${clusterFile} \`${clusterField}\``
          : `declare the ${what} of ${cluster.aws.region} in account ${cluster.aws.accountId} in ${clusterFile} \`${clusterField}\``,
      };
      const message = `${what} \`${arn}\` is not in cluster ${cluster.name}'s region and account (the load balancer controller rejects it)`;
      if (from === "app") fail(appPath, message, details);
      else errors.push(new PolicyError(message, { ...where, file: clusterFile, field: clusterField, ...details }));
    };
    check(edge.certificateArn, edge.certificateFrom, "ACM certificate", ["ingress", "certificateArn"], `edge.certificates["${clusterCert?.domain ?? ingress.host}"]`);
    check(edge.wafAclArn, edge.wafFrom, "WAF web ACL", ["ingress", "wafAclArn"], "edge.wafAclArn");
    if (ingress.exposure === "public" && !edge.certificateArn) {
      fail(["ingress", "certificateArn"], `public ingress \`${ingress.host}\` has no certificate: it would be an HTTP-only internet-facing load balancer`, {
        expected: "an ACM certificate for the host (HTTPS on 443)",
        hint: `set \`ingress.certificateArn\` (an ACM certificate of ${cluster.aws.region}, account ${cluster.aws.accountId}), or declare one for the domain in ${clusterFile} \`edge.certificates\``,
      });
    }
    if (ingress.redirectHttp && !edge.certificateArn) {
      fail(["ingress", "redirectHttp"], "`redirectHttp` redirects HTTP to HTTPS, but the ingress has no certificate", { hint: "add a certificate or remove `redirectHttp`" });
    }
    if (ingress.exposure === "public" && environment.def.policy.requireWaf && !edge.wafAclArn) {
      fail(["ingress", "wafAclArn"], `environment ${instance.environment} requires a WAF web ACL on every public ingress`, {
        expected: "a regional WAFv2 web ACL ARN",
        hint: `set \`ingress.wafAclArn\` for ${instance.environment}, or declare the cluster's in ${clusterFile} \`edge.wafAclArn\``,
      });
    }
  }

  // No secret in git: credential-looking literals belong in `secrets:`.
  const toSecrets = (name: string) =>
    `remove the literal and read it from AWS Secrets Manager: \`secrets: [{ name: "${name.toLowerCase().replace(/_/g, "-")}", from: "${prefixes[0]}${app.name}/…", env: { ${name}: "<property>" } }]\` (rotate the value: it has been in a commit)`;
  for (const [name, value] of Object.entries(app.env)) {
    const reason = credentialEnvLiteral(name, value);
    if (reason) fail(["env", name], `env ${name} holds a literal that looks like a credential: ${reason}`, { hint: toSecrets(name) });
  }
  for (const [name, value] of Object.entries(app.config)) {
    const reason = credentialLiteral(value);
    if (reason) fail(["config", name], `config ${name} (rendered into a ConfigMap) holds a literal that looks like a credential: ${reason}`, { hint: toSecrets(name) });
  }
  return errors;
}

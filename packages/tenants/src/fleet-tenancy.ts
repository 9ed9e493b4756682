/**
 * Tenancy across the fleet, where every app instance is visible (called from fleet-units.ts before
 * tenants are synthesized, and for the AWS resources summary from @slipway/addons' fleet-units.ts):
 * - a host is claimed by one app per cluster, and by two clusters only where both declare it
 *   shared (`edge.sharedHosts`), so their external-dns instances publish separate records;
 * - the ingresses of one ALB IngressGroup agree on what the controller applies to the whole group
 *   (the WAF ACL, the HTTP redirect);
 * - an IAM role is named by the apps of one tenant only;
 * - every app role, with the trust policy it needs, for the infrastructure side.
 *
 * Only the two fields these need (`ingress`, `aws`) are layered here, the same way resolveApp
 * layers them: resolving every instance in full is the synthesis's job, and a definition that
 * does not parse is reported there.
 */
import {
  AwsAccessSchema,
  BackupSchema,
  FleetConsistencyError,
  ingressEdge,
  IngressSchema,
  layer,
  planAppInstances,
  sharedHost,
  tenantNamespace,
  throwIfAny,
  type AppInstance,
  type Fleet,
  type PlainObject,
  type SlipwayError,
} from "@slipway/core";
import type { z } from "zod";

export interface InstanceFacts {
  readonly instance: AppInstance;
  readonly tenant: string;
  readonly file: string;
  readonly namespace: string;
  readonly ingress?: z.output<typeof IngressSchema>;
  readonly aws?: z.output<typeof AwsAccessSchema>;
  /** The app's own Velero Schedule (`backup`), which the velero add-on renders. */
  readonly backup?: z.output<typeof BackupSchema>;
}

function layered(fleet: Fleet, instance: AppInstance, field: "ingress" | "aws" | "backup"): unknown {
  const app = fleet.apps.get(instance.app)!;
  const env = fleet.environments.get(instance.environment)!.def;
  const cluster = fleet.clusters.get(instance.cluster)!.def;
  const pick = (o: unknown) => (o && typeof o === "object" ? ((o as PlainObject)[field] as PlainObject | undefined) : undefined);
  const merged = layer(
    { v: pick(env.appDefaults) }, { v: pick(cluster.appDefaults) }, { v: pick(app.base) }, { v: pick(app.environments[instance.environment]) },
  );
  return merged.v;
}

/** The ingress and AWS identity of every app instance of the fleet (those that parse). */
export function instanceFacts(fleet: Fleet): InstanceFacts[] {
  return planAppInstances(fleet).map((instance) => {
    const app = fleet.apps.get(instance.app)!;
    const ingress = IngressSchema.safeParse(layered(fleet, instance, "ingress"));
    const aws = AwsAccessSchema.safeParse(layered(fleet, instance, "aws"));
    const backup = BackupSchema.safeParse(layered(fleet, instance, "backup"));
    return {
      instance,
      tenant: app.tenant,
      file: app.file,
      namespace: tenantNamespace(app.tenant, instance.environment),
      ...(ingress.success ? { ingress: ingress.data } : {}),
      ...(aws.success ? { aws: aws.data } : {}),
      ...(backup.success ? { backup: backup.data } : {}),
    };
  });
}

const describe = (f: InstanceFacts) => `app ${f.instance.app} (${f.instance.environment}, ${f.file})`;

function checkHosts(fleet: Fleet, facts: readonly InstanceFacts[], errors: SlipwayError[]): void {
  const byHost = new Map<string, InstanceFacts[]>();
  for (const f of facts) if (f.ingress) (byHost.get(f.ingress.host) ?? byHost.set(f.ingress.host, []).get(f.ingress.host)!).push(f);
  for (const [host, claims] of [...byHost].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const byCluster = new Map<string, InstanceFacts[]>();
    for (const f of claims) (byCluster.get(f.instance.cluster) ?? byCluster.set(f.instance.cluster, []).get(f.instance.cluster)!).push(f);
    for (const [cluster, here] of byCluster) {
      if (here.length < 2) continue;
      const [first, ...rest] = here;
      for (const other of rest) {
        errors.push(new FleetConsistencyError(`host \`${host}\` is claimed by two apps on cluster ${cluster}: ${describe(first!)} and ${describe(other)}`, {
          file: other.file, field: "ingress.host", cluster, environment: other.instance.environment,
          hint: "give each app (and each environment a cluster hosts) its own host: one load balancer rule and one DNS record per host",
        }));
      }
    }
    const clusters = [...byCluster.keys()].sort();
    for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        const a = fleet.clusters.get(clusters[i]!)!;
        const b = fleet.clusters.get(clusters[j]!)!;
        if (sharedHost(a.def, host) && sharedHost(b.def, host)) continue;
        const claim = byCluster.get(b.def.name)![0]!;
        const undeclared = [a, b].filter((c) => !sharedHost(c.def, host)).map((c) => c.file);
        errors.push(new FleetConsistencyError(`host \`${host}\` is claimed on clusters ${a.def.name} and ${b.def.name}, whose external-dns would fight over its record (each cluster's is its own owner)`, {
          file: claim.file, field: "ingress.host", cluster: b.def.name, environment: claim.instance.environment,
          expected: "one cluster per host, or the host in `edge.sharedHosts` of both clusters",
          hint: `use a host per cluster, or, to serve it from both (latency-routed records with a set identifier per cluster), add \`edge: { sharedHosts: ["${host}"] }\` to ${undeclared.join(" and ")}`,
        }));
      }
    }
  }
}

/** What the AWS Load Balancer Controller applies to a whole IngressGroup: one value per group. */
function checkIngressGroups(fleet: Fleet, facts: readonly InstanceFacts[], errors: SlipwayError[]): void {
  const groups = new Map<string, { f: InstanceFacts; waf: string | undefined; redirect: boolean }[]>();
  for (const f of facts) {
    if (!f.ingress) continue;
    const cluster = fleet.clusters.get(f.instance.cluster)!.def;
    const key = `${f.instance.cluster}\u0000${f.ingress.groupName ?? `${f.tenant}-${f.ingress.exposure}`}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ f, waf: ingressEdge(f.ingress, cluster).wafAclArn, redirect: f.ingress.redirectHttp });
  }
  for (const [key, members] of groups) {
    const [cluster, group] = key.split("\u0000") as [string, string];
    const wafs = new Set(members.map((m) => m.waf).filter(Boolean));
    const redirects = new Set(members.map((m) => m.redirect));
    const conflict = (what: string, field: string, values: string) => {
      const last = members[members.length - 1]!.f;
      errors.push(new FleetConsistencyError(`the ingresses of IngressGroup \`${group}\` on cluster ${cluster} disagree on ${what} (${values}), which the load balancer controller applies to the whole group`, {
        file: last.file, field, cluster, environment: last.instance.environment,
        hint: `give them the same ${what}, or put the ingress in its own group (\`ingress.groupName\`); members: ${members.map((m) => describe(m.f)).join(", ")}`,
      }));
    };
    if (wafs.size > 1) conflict("the WAF web ACL", "ingress.wafAclArn", [...wafs].join(" vs "));
    if (redirects.size > 1) conflict("redirecting HTTP", "ingress.redirectHttp", "true vs false");
  }
}

function checkRoleOwners(facts: readonly InstanceFacts[], errors: SlipwayError[]): void {
  const byRole = new Map<string, InstanceFacts[]>();
  for (const f of facts) if (f.aws) (byRole.get(f.aws.roleArn) ?? byRole.set(f.aws.roleArn, []).get(f.aws.roleArn)!).push(f);
  for (const [role, users] of [...byRole].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const tenants = [...new Set(users.map((u) => u.tenant))].sort();
    if (tenants.length < 2) continue;
    const other = users.find((u) => u.tenant === tenants[1])!;
    const owner = users.find((u) => u.tenant === tenants[0])!;
    errors.push(new FleetConsistencyError(`IAM role \`${role}\` is named by apps of tenants ${tenants.join(" and ")}: ${describe(owner)} and ${describe(other)}`, {
      file: other.file, field: "aws.roleArn", cluster: other.instance.cluster, environment: other.instance.environment,
      hint: "each tenant's apps use their own roles; a role shared across tenants lets one act as the other's workloads",
    }));
  }
}

/** The fleet-wide tenancy checks; every problem is reported. */
export function checkFleetTenancy(fleet: Fleet, facts: readonly InstanceFacts[] = instanceFacts(fleet)): void {
  const errors: SlipwayError[] = [];
  checkHosts(fleet, facts, errors);
  checkIngressGroups(fleet, facts, errors);
  checkRoleOwners(facts, errors);
  throwIfAny(errors);
}

/** Hash input for the platform unit: the app fields the platform's output and checks depend on. */
export function platformAppInputs(fleet: Fleet): unknown {
  return [...fleet.apps].map(([name, app]) => [
    name,
    app.tenant,
    app.base.ingress ?? null,
    app.base.aws ?? null,
    app.base.backup ?? null,
    Object.entries(app.environments).map(([env, o]) => [env, (o as PlainObject).ingress ?? null, (o as PlainObject).aws ?? null, (o as PlainObject).backup ?? null]),
  ]);
}

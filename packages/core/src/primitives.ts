/** Small zod building blocks shared by every definition schema. */
import * as z from "zod";
import { DNS1123_LABEL } from "./conventions";

export const dnsLabel = z
  .string()
  .regex(DNS1123_LABEL, "must be a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit");

/** CPU quantity: cores (`1`, `0.5`) or millicores (`250m`). Memory suffixes are rejected. */
export const cpuQuantity = z
  .string()
  .regex(/^(\d+(\.\d{1,3})?|\d+m)$/, "must be a CPU quantity such as `250m`, `1` or `1.5`");

/** The largest CPU request or limit of one container: a 64-vCPU node (the largest the Karpenter pools here offer), in millicores. */
export const MAX_CONTAINER_MILLICPU = 64_000;
/** The largest memory of one container, in MiB: 512 GiB, the memory of the largest nodes the pools offer. */
export const MAX_CONTAINER_MEMORY_MIB = 512 * 1024;

/** Memory quantity with binary (`Mi`, `Gi`) or decimal (`M`, `G`) suffix. `1GB` is not Kubernetes. */
export const memoryQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, "must be a memory quantity such as `256Mi` or `1Gi` (`MB`/`GB` are not Kubernetes units)");

/** IANA port name: at most 15 characters, lower-case alphanumerics and '-', at least one letter. */
export const portName = z
  .string()
  .regex(/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/, "must be a port name: at most 15 lower-case letters, digits or '-', with at least one letter");

export const portNumber = z.number().int().min(1).max(65535);

export const iamRoleArn = z
  .string()
  .regex(/^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>");

/** `arn:<partition>:acm:<region>:<account>:certificate/<id>`: ACM certificates are regional and belong to one account. */
export const acmCertificateArn = z
  .string()
  .regex(/^arn:aws(-[a-z]+)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN: arn:aws:acm:<region>:<12-digit account>:certificate/<id>");

/** A regional WAFv2 web ACL (the only kind an ALB takes): `arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`. */
export const wafv2WebAclArn = z
  .string()
  .regex(/^arn:aws(-[a-z]+)?:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]+$/, "must be a regional WAFv2 web ACL ARN: arn:aws:wafv2:<region>:<12-digit account>:regional/webacl/<name>/<id>");

/** A VPC managed prefix list id, e.g. `pl-63a5400a` (the S3 gateway endpoint's, per region). */
export const prefixListId = z.string().regex(/^pl-[0-9a-f]{8,17}$/, "must be a managed prefix list id such as `pl-63a5400a`");

export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lower-case DNS hostname such as `shop.example.com`");

export const awsAccountId = z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id (a string, so leading zeros survive)");
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as `us-east-1`");

/**
 * The Kubernetes minors a cluster may run: those EKS offers (standard and extended support) that
 * Slipway validates against (API lifecycle data, schemas). A newer one is added with its data.
 */
export const KUBERNETES_MINORS = { oldest: 28, newest: 35 } as const;

/** `major.minor` of a Kubernetes release, e.g. `1.31`, within {@link KUBERNETES_MINORS}. */
export const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as `1.31`")
  .refine((version) => {
    const minor = Number(version.slice(2));
    return minor >= KUBERNETES_MINORS.oldest && minor <= KUBERNETES_MINORS.newest;
  }, `must be a Kubernetes version EKS runs and Slipway validates: 1.${KUBERNETES_MINORS.oldest} … 1.${KUBERNETES_MINORS.newest}`);

export const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, "must be an IPv4 CIDR such as `10.0.0.0/16`");

/** An image repository without tag or digest; the release (tag, digest) comes from releases.yaml. */
export const imageRepository = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/, "must be an image repository without tag or digest, e.g. `111122223333.dkr.ecr.us-east-1.amazonaws.com/team/app`");

/**
 * Tags that name a moving target by convention (`latest`, a branch, an environment): a release
 * must name the build it is, so these are refused even though the digest pins the image.
 */
export const MUTABLE_IMAGE_TAGS: readonly string[] = [
  "latest", "stable", "edge", "nightly", "snapshot", "current", "head", "main", "master", "trunk",
  "develop", "development", "dev", "test", "staging", "prod", "production", "release", "canary", "beta", "alpha", "next",
];

export const imageTag = z
  .string()
  .regex(/^[\w][\w.-]{0,127}$/, "must be an image tag such as `1.4.2`")
  .refine((tag) => !MUTABLE_IMAGE_TAGS.includes(tag.toLowerCase()) && !/[-.](latest|snapshot)$/i.test(tag), {
    message: "must name one build (a version or a commit, such as `1.4.2` or `git-3f2a9c1`), not a moving tag such as `latest`, a branch or an environment",
  });
export const imageDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be `sha256:` followed by 64 hex digits");
export const gitCommit = z.string().regex(/^[0-9a-f]{7,40}$/, "must be a git commit hash (7 to 40 hex digits)");

/** Environment variable names as POSIX shells accept them. */
export const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name: letters, digits and '_', not starting with a digit");

/** A container's CPU: a quantity no larger than one node can give. */
export const containerCpu = cpuQuantity.refine((q) => cpuMillis(q) <= MAX_CONTAINER_MILLICPU, `must be at most ${MAX_CONTAINER_MILLICPU / 1000} cores: no node of the fleet's pools is larger, so the pod would never be scheduled`);

/** A container's memory: a quantity no larger than one node can give. */
export const containerMemory = memoryQuantity.refine((q) => memoryMebibytes(q) <= MAX_CONTAINER_MEMORY_MIB, `must be at most ${MAX_CONTAINER_MEMORY_MIB / 1024}Gi: no node of the fleet's pools is larger, so the pod would never be scheduled`);

/** Converts a memory quantity to MiB. */
export function memoryMebibytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) return Number.NaN;
  const factor: Record<string, number> = { "": 1 / 1024 / 1024, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1024 / 1024, M: 1e6 / 1024 / 1024, G: 1e9 / 1024 / 1024, T: 1e12 / 1024 / 1024 };
  return Number(m[1]) * factor[m[2] ?? ""]!;
}

/** Converts a CPU quantity to millicores. */
export function cpuMillis(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

import { defineApp } from "@slipway/core";

/** Takes settlement files from SQS and books them with the card networks. */
export default defineApp({
  name: "settlement",
  tenant: "payments",
  kind: "worker",
  image: "210987654321.dkr.ecr.us-east-1.amazonaws.com/payments/settlement",
  args: ["--queue=settlements"],
  resources: { cpu: "200m", memory: "256Mi" },
  scaling: { min: 1, max: 4, cpuTargetPercent: 75 },
  probes: {
    readiness: { type: "exec", command: ["/app/healthcheck", "--ready"] },
    liveness: { type: "exec", command: ["/app/healthcheck"], periodSeconds: 30 },
  },
  secrets: [{ name: "network-keys", from: "payments/settlement/network-keys", mountPath: "/var/run/secrets/network" }],
  aws: { identity: "pod-identity", roleArn: "arn:aws:iam::210900001111:role/payments-settlement" },
  access: { outbound: [{ aws: "sqs" }, { aws: "secretsmanager" }] },
  environments: {
    staging: {
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::210900002222:role/payments-settlement" },
    },
    prod: {
      scaling: { min: 2, max: 6 },
      aws: { identity: "pod-identity", roleArn: "arn:aws:iam::210900003333:role/payments-settlement" },
    },
  },
});

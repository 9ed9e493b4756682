/**
 * kubeconform v0.7.0's acceptance verdicts (acceptance.bats), on manifests written here that
 * hold the same facts as its fixtures (its files are not copied; its verdicts are recorded).
 * Where the API server would refuse what kubeconform passes, slipway follows the API server:
 * those cases say so. The run on kubeconform's own fixtures is
 * scripts/kubeconform-acceptance.sh (README: "kubeconform's acceptance suite, compared").
 */
import { describe, expect, it } from "vitest";
import type { ValidateOptions } from "./types";
import { validateManifests } from "./validate";

const rc = (replicas: unknown): string => `apiVersion: v1
kind: ReplicationController
metadata:
  name: bob
spec:
  replicas: ${String(replicas)}
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
        - name: nginx
          image: nginx
          ports:
            - containerPort: 80
`;
const daemonSet = (extra: string, labels: boolean): string => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nginx-ds
spec:
${extra}  selector:
    matchLabels:
      k8s-app: nginx-ds
  template:
${labels ? "    metadata:\n      labels:\n        k8s-app: nginx-ds\n" : ""}    spec:
      containers:
        - image: nginx
          name: nginx
`;
const crd = `apiVersion: example.com/v1
kind: TrainingJob
metadata:
  name: job
spec:
  steps: 3
`;

interface Case {
  readonly what: string;
  readonly text: string;
  readonly options?: ValidateOptions;
  readonly kubeconform: "pass" | "fail";
  /** Set where slipway differs, with the reason (the API server's verdict). */
  readonly slipway?: { readonly verdict: "pass" | "fail"; readonly why: string };
}

const CASES: Case[] = [
  { what: "a valid ReplicationController", text: rc(2), kubeconform: "pass" },
  { what: "replicas as a string (invalid.yaml, list_invalid.yaml)", text: rc('"2"'), kubeconform: "fail" },
  { what: "a multi-document file with one invalid object", text: `${rc(2)}---\n${rc('"2"')}`, kubeconform: "fail" },
  { what: "a Service with int and int-or-string ports", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: heapster\n  namespace: kube-system\nspec:\n  ports:\n    - port: 80\n      targetPort: 8082\n  selector:\n    k8s-app: heapster\n", kubeconform: "pass" },
  { what: "a Job with generateName only", text: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: pi-\nspec:\n  template:\n    spec:\n      containers:\n        - name: pi\n          image: perl\n      restartPolicy: Never\n  backoffLimit: 4\n", kubeconform: "pass" },
  { what: "a LimitRange with string and integer quantities", text: "apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: mem\nspec:\n  limits:\n    - default:\n        memory: 512Mi\n      defaultRequest:\n        memory: 256000\n      type: Container\n", kubeconform: "pass" },
  { what: "a Service with nulls and a port named \"80\"", text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: frontend\n  creationTimestamp: null\nspec:\n  ports:\n    - name: \"80\"\n      port: 80\n      targetPort: 80\n  selector:\n    app: frontend\n  type: LoadBalancer\nstatus:\n  loadBalancer: {}\n", kubeconform: "pass" },
  { what: "a blank file", text: "", kubeconform: "pass" },
  { what: "a file with a comment only", text: "# nothing here\n", kubeconform: "pass" },
  { what: "a missing kind", text: "apiVersion: v1\nmetadata:\n  name: x\n", kubeconform: "fail" },
  { what: "a missing apiVersion", text: "kind: ConfigMap\nmetadata:\n  name: x\n", kubeconform: "fail" },
  { what: "an empty kind", text: "apiVersion: v1\nkind: \"\"\nmetadata:\n  name: x\n", kubeconform: "fail" },
  { what: "a custom resource without its schema", text: crd, kubeconform: "fail" },
  { what: "a custom resource without its schema, missing schemas ignored", text: crd, options: { ignoreMissingSchemas: true }, kubeconform: "pass" },
  { what: "an unknown field, strict", text: daemonSet("  replicas: 2\n", true), kubeconform: "fail" },
  { what: "an unknown field, not strict", text: daemonSet("  replicas: 2\n", true), options: { strict: false }, kubeconform: "pass" },
  { what: "an unknown field, not strict, template without the selector's labels (extra_property.yaml)", text: daemonSet("  replicas: 2\n", false), options: { strict: false }, kubeconform: "pass", slipway: { verdict: "fail", why: "the API server refuses a DaemonSet whose selector does not match its template's labels (SW-SEM-SELECTOR)" } },
  { what: "a duplicate key, strict", text: daemonSet("  updateStrategy:\n    type: OnDelete\n  updateStrategy:\n    type: OnDelete\n", true), kubeconform: "fail" },
  { what: "a duplicate key, not strict", text: daemonSet("  updateStrategy:\n    type: OnDelete\n  updateStrategy:\n    type: OnDelete\n", true), options: { strict: false }, kubeconform: "pass" },
  { what: "--skip the kind", text: rc('"2"'), options: { skip: ["ReplicationController"] }, kubeconform: "pass" },
  { what: "--skip the GVK", text: rc('"2"'), options: { skip: ["v1/ReplicationController"] }, kubeconform: "pass" },
  { what: "--skip another version of the kind", text: rc(2), options: { skip: ["v2/ReplicationController"] }, kubeconform: "pass" },
  { what: "--reject the kind", text: rc(2), options: { reject: ["ReplicationController"] }, kubeconform: "fail" },
  { what: "a List of valid objects", text: `apiVersion: v1\nkind: List\nitems:\n${rc(2).replace(/^/gm, "    ").replace(/^ {4}apiVersion/, "  - apiVersion")}`, kubeconform: "pass" },
  { what: "a List with an invalid object", text: `apiVersion: v1\nkind: List\nitems:\n${rc('"2"').replace(/^/gm, "    ").replace(/^ {4}apiVersion/, "  - apiVersion")}`, kubeconform: "fail" },
  { what: "an empty List", text: "apiVersion: v1\nkind: List\nitems: []\n", kubeconform: "pass" },
];

describe("kubeconform's acceptance verdicts", () => {
  for (const c of CASES) {
    const want = c.slipway?.verdict ?? c.kubeconform;
    it(`GIVEN ${c.what} THEN ${want}${c.slipway ? ` (kubeconform: ${c.kubeconform}; ${c.slipway.why})` : ""}`, () => {
      const r = validateManifests([{ file: "case.yaml", text: c.text }], c.options ?? {});
      expect({ verdict: r.summary.errors === 0 ? "pass" : "fail", findings: r.findings.map((f) => `${f.rule} ${f.path}`) }).toMatchObject({ verdict: want });
    });
  }
});

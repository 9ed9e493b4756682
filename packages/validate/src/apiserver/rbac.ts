/**
 * RBAC rules of pkg/apis/rbac/validation/validation.go: ValidatePolicyRule (for Role and
 * ClusterRole), ValidateRoleBinding / ValidateClusterRoleBinding (roleRef, subjects).
 */
import { dns1123LabelProblem, dns1123SubdomainProblem } from "../names";
import { arr, checkLabelSelector, obj, str, type Obj, type Sink } from "./util";

const RBAC_GROUP = "rbac.authorization.k8s.io";

export function checkRbac(kind: string, o: Obj, sink: Sink): void {
  if (kind === "Role" || kind === "ClusterRole") {
    const namespaced = kind === "Role";
    arr(o.rules).forEach((r, i) => {
      const rule = obj(r);
      if (!rule) return;
      const at = ["rules", i];
      if (arr(rule.verbs).length === 0) sink.add("SW-SEM-RBAC", [...at, "verbs"], "verbs must contain at least one value");
      const urls = arr(rule.nonResourceURLs);
      if (urls.length > 0) {
        if (namespaced) sink.add("SW-SEM-RBAC", [...at, "nonResourceURLs"], "a Role (namespaced) cannot grant non-resource URLs; use a ClusterRole");
        if (arr(rule.apiGroups).length > 0 || arr(rule.resources).length > 0) sink.add("SW-SEM-RBAC", [...at, "nonResourceURLs"], "a rule cannot apply to both resources and non-resource URLs");
      } else {
        if (arr(rule.apiGroups).length === 0) sink.add("SW-SEM-RBAC", [...at, "apiGroups"], 'a resource rule needs at least one apiGroup ("" is the core group)');
        if (arr(rule.resources).length === 0) sink.add("SW-SEM-RBAC", [...at, "resources"], "a resource rule needs at least one resource");
      }
    });
    const agg = obj(o.aggregationRule);
    if (kind === "ClusterRole" && agg) arr(agg.clusterRoleSelectors).forEach((s, i) => checkLabelSelector(s, ["aggregationRule", "clusterRoleSelectors", i], sink));
    return;
  }
  if (kind !== "RoleBinding" && kind !== "ClusterRoleBinding") return;
  const ref = obj(o.roleRef);
  if (ref) {
    const allowed = kind === "RoleBinding" ? ["Role", "ClusterRole"] : ["ClusterRole"];
    const rk = str(ref.kind);
    if (rk !== undefined && !allowed.includes(rk)) sink.add("SW-SEM-RBAC", ["roleRef", "kind"], `roleRef.kind "${rk}" is not allowed in a ${kind}; allowed: ${allowed.join(", ")}`);
    const ag = str(ref.apiGroup);
    if (ag !== undefined && ag !== RBAC_GROUP) sink.add("SW-SEM-RBAC", ["roleRef", "apiGroup"], `roleRef.apiGroup must be ${RBAC_GROUP}, not "${ag}"`);
    const rn = str(ref.name);
    if (rn === "" || (rn !== undefined && /[/%]/.test(rn))) sink.add("SW-SEM-RBAC", ["roleRef", "name"], `roleRef.name "${rn}" may not be empty or contain '/' or '%'`);
  }
  arr(o.subjects).forEach((s, i) => {
    const sub = obj(s);
    if (!sub) return;
    const at = ["subjects", i];
    const sk = str(sub.kind);
    const ag = str(sub.apiGroup) ?? "";
    if (sk === "ServiceAccount") {
      if (ag !== "") sink.add("SW-SEM-RBAC", [...at, "apiGroup"], `a ServiceAccount subject has apiGroup "", not "${ag}"`);
      const name = str(sub.name);
      const p = name !== undefined ? dns1123SubdomainProblem(name) : undefined;
      if (p) sink.add("SW-SEM-RBAC", [...at, "name"], `ServiceAccount name ${p}`);
      const ns = str(sub.namespace);
      if (kind === "ClusterRoleBinding" && (ns === undefined || ns === "")) sink.add("SW-SEM-RBAC", [...at, "namespace"], "a ServiceAccount subject of a ClusterRoleBinding needs its namespace");
      else if (ns !== undefined && ns !== "" && dns1123LabelProblem(ns)) sink.add("SW-SEM-RBAC", [...at, "namespace"], `namespace ${dns1123LabelProblem(ns) as string}`);
    } else if (sk === "User" || sk === "Group") {
      if (ag !== RBAC_GROUP) sink.add("SW-SEM-RBAC", [...at, "apiGroup"], `a ${sk} subject has apiGroup ${RBAC_GROUP}, not "${ag}"`);
      if (str(sub.name) === "") sink.add("SW-SEM-RBAC", [...at, "name"], `a ${sk} subject needs a name`);
    } else if (sk !== undefined) {
      sink.add("SW-SEM-RBAC", [...at, "kind"], `subject kind "${sk}" is not one of ServiceAccount, User, Group`);
    }
  });
}

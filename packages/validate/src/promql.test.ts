import { describe, expect, it } from "vitest";
import { seriesSelectors } from "./promql";

const metrics = (expr: string) => seriesSelectors(expr).map((s) => s.metric ?? s.text);

describe("series selectors of a PromQL expression", () => {
  it("GIVEN an SLO ratio THEN both counters are found, with their matchers, and rate/sum/durations are not", () => {
    const s = seriesSelectors('sum(rate(http_requests_total{namespace="shop-prod", job="catalog", code=~"5.."}[1h])) / sum(rate(http_requests_total{job="catalog"}[1h])) > 14.4 * 0.001');
    expect(s.map((x) => x.metric)).toEqual(["http_requests_total", "http_requests_total"]);
    expect(s[0]!.matchers).toEqual([
      { name: "namespace", op: "=", value: "shop-prod" },
      { name: "job", op: "=", value: "catalog" },
      { name: "code", op: "=~", value: "5.." },
    ]);
  });
  it("GIVEN grouping, keywords, offsets, functions without selectors and a bare selector THEN only series are reported", () => {
    expect(metrics('sum by (namespace, job) (kube_pod_status_phase{phase="Pending"}) > 0 and on(namespace) group_left(team) up offset 5m unless {__name__="x"}')).toEqual(["kube_pod_status_phase", "up", '{__name__="x"}']);
    expect(metrics("(certmanager_certificate_expiration_timestamp_seconds - time()) < 14 * 86400")).toEqual(["certmanager_certificate_expiration_timestamp_seconds"]);
    expect(metrics('label_replace(a{b="}"}, "dst", "$1", "src", "(.*)")')).toEqual(["a"]);
  });
});

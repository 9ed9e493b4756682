import { describe, expect, it } from "vitest";
import { SlipwayError, UsageError } from "./errors";
import { unknownName } from "./unknown-name";

describe("unknownName", () => {
  it("GIVEN a near miss THEN it is a UsageError that lists the known names and suggests the one meant, with its flag", () => {
    const error = unknownName("cluster", "prod-use2", ["dev-use1", "prod-use1"], { flag: "--cluster", hint: "a cluster is a directory clusters/<cluster>/" });
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(SlipwayError);
    expect(error.format()).toBe("unknown cluster `prod-use2`\n  expected: dev-use1 | prod-use1\n  received: prod-use2\n  fix: did you mean `--cluster prod-use1`?");
  });

  it("GIVEN nothing close THEN the fix is the hint; the known names may read another way; none known says so", () => {
    expect(unknownName("environment", "qa", ["dev", "staging", "prod"], { expected: "dev → staging → prod", hint: "environments are folders" }).format()).toBe(
      "unknown environment `qa`\n  expected: dev → staging → prod\n  received: qa\n  fix: environments are folders",
    );
    expect(unknownName("app", "x", []).format()).toBe("unknown app `x`\n  expected: (none defined yet)\n  received: x");
  });
});

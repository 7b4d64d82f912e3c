import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { substituteEnv, substituteTree } from "../../src/config/substitute-env.js";

describe("substituteEnv", () => {
  const env = { A: "alpha", EMPTY: "" };

  it("replaces whole-string and embedded references", () => {
    assert.deepEqual(substituteEnv("${A}", env), { value: "alpha", unresolved: [] });
    assert.deepEqual(substituteEnv("x-${A}-${A}-y", env), { value: "x-alpha-alpha-y", unresolved: [] });
  });

  it("reports unset variables by name and leaves the text as written", () => {
    assert.deepEqual(substituteEnv("${NOPE}/${A}/${NOPE}", env), { value: "${NOPE}/alpha/${NOPE}", unresolved: ["NOPE"] });
  });

  it("supports ${VAR:-default} (unset or empty) and ${VAR-default} (unset only)", () => {
    assert.equal(substituteEnv("${NOPE:-d}", env).value, "d");
    assert.equal(substituteEnv("${EMPTY:-d}", env).value, "d");
    assert.equal(substituteEnv("${EMPTY-d}", env).value, "");
    assert.equal(substituteEnv("${NOPE-d}", env).value, "d");
    assert.equal(substituteEnv("${A:-d}", env).value, "alpha");
  });

  it("keeps $${VAR} as a literal ${VAR}", () => {
    assert.deepEqual(substituteEnv("$${A}", env), { value: "${A}", unresolved: [] });
  });

  it("substitutes inside mappings and lists, reporting paths", () => {
    const result = substituteTree({ a: ["${A}", { b: "${NOPE}" }], n: 3 }, env);
    assert.deepEqual(result.value, { a: ["alpha", { b: "${NOPE}" }], n: 3 });
    assert.deepEqual(result.unresolved, [{ path: "a[1].b", variable: "NOPE" }]);
  });
});

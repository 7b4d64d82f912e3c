/** internSchema: one object per schema text, so the compiler's per-object cache hits for every line. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { internSchema } from "../../../src/batch/bedrock/intern-schema.js";

describe("internSchema", () => {
  it("returns the first object seen for the same schema text, and another object for another text", () => {
    const first = internSchema({ type: "object", properties: { a: { type: "string" } } });
    assert.equal(internSchema({ type: "object", properties: { a: { type: "string" } } }), first);
    const other = { type: "object", properties: { b: { type: "string" } } };
    assert.equal(internSchema(other), other);
  });

  it("stays bounded: after 1,000 distinct schemas an early one has been forgotten (the table started over)", () => {
    const kept = internSchema({ title: "kept" });
    assert.equal(internSchema({ title: "kept" }), kept);
    for (let index = 0; index < 1000; index++) internSchema({ title: `schema ${index}` });
    const again = { title: "kept" };
    assert.equal(internSchema(again), again);
  });
});

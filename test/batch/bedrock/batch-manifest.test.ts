/** manifest.json.out is untrusted: only whole, non-negative, safe counts get into the summary. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { manifestCounts, parseManifest } from "../../../src/batch/bedrock/batch-manifest.js";

describe("manifestCounts", () => {
  it("keeps Bedrock's six counts", () => {
    const manifest = { totalRecordCount: 120, processedRecordCount: 120, successRecordCount: 119, errorRecordCount: 1, inputTokenCount: 5000, outputTokenCount: 700 };
    assert.deepEqual(manifestCounts(manifest), manifest);
  });

  it("drops every count that is not a whole number from 0 to MAX_SAFE_INTEGER, and every other field", () => {
    const hostile = JSON.parse(
      '{"totalRecordCount": "120", "processedRecordCount": -1, "successRecordCount": 1.5, "errorRecordCount": 1e400, "inputTokenCount": 9007199254740993, "outputTokenCount": null, "__proto__": {"polluted": 1}, "extra": 7}',
    ) as unknown;
    const counts = manifestCounts(hostile)!;
    assert.deepEqual(counts, {});
    assert.equal(Object.getPrototypeOf(counts), Object.prototype);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.deepEqual(manifestCounts({ totalRecordCount: 3, errorRecordCount: Number.NaN, outputTokenCount: Infinity }), { totalRecordCount: 3 });
  });

  it("is undefined for what is not a JSON object", () => {
    for (const text of ["not json", "[1,2]", "null", "42", '"text"']) assert.equal(parseManifest(text), undefined, text);
    assert.deepEqual(parseManifest('{"totalRecordCount": 100}'), { totalRecordCount: 100 });
  });
});

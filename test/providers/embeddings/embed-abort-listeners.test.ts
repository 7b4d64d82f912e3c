import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useEmbeddingEmulator } from "./embedding-fixture.js";

describe("embed() with many batches in flight", () => {
  const fixture = useEmbeddingEmulator(100);

  it("prints no MaxListenersExceededWarning at concurrency 16 (one abort listener per batch in flight is expected)", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const provider = fixture.provider("amazon.titan-embed-text-v2:0");
      const vectors = await provider.embed(Array.from({ length: 64 }, (_, i) => `text ${i}`), { concurrency: 16, dimensions: 256 });
      assert.equal(vectors.length, 64);
      assert.ok(fixture.state.maxInFlight > 10, `needs more than 10 calls in flight to show the warning, had ${fixture.state.maxInFlight}`);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(warnings.filter((name) => name === "MaxListenersExceededWarning"), []);
  });
});

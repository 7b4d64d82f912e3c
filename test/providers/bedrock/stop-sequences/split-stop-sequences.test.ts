import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { splitStopSequences } from "../../../../src/providers/bedrock/stop-sequences/split-stop-sequences.js";
import type { GenerateOptions } from "../../../../src/providers/llm-provider.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";

describe("splitStopSequences", () => {
  it("sends every stop but whitespace-only ones to the server, and enforces all on the client", () => {
    assert.deepEqual(splitStopSequences(["END", "\n\n", " ", "Observation:"]), { serverStops: ["END", "Observation:"], clientStops: ["END", "\n\n", " ", "Observation:"] });
    assert.deepEqual(splitStopSequences("\n"), { serverStops: [], clientStops: ["\n"] });
  });

  it("takes none, drops empty and repeated stops", () => {
    assert.deepEqual(splitStopSequences(undefined), { serverStops: [], clientStops: [] });
    assert.deepEqual(splitStopSequences(null as unknown as GenerateOptions["stop"]), { serverStops: [], clientStops: [] });
    assert.deepEqual(splitStopSequences(["", "END", "END", ""]), { serverStops: ["END"], clientStops: ["END"] });
  });

  it("rejects a stop that is not a string or an array of strings", () => {
    for (const stop of [5, ["END", 5], { 0: "END" }]) {
      assert.throws(() => splitStopSequences(stop as unknown as GenerateOptions["stop"]), (error: Error) => error instanceof InvalidRequestError && /stop must be a string or an array of strings/.test(error.message));
    }
  });
});

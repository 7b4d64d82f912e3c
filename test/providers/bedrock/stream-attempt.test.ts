/** One stream attempt over a scripted reader: which batches come out, and when the provider's steps run. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StreamEvent } from "../../../src/providers/llm-provider.js";
import type { ModelStreamPart } from "../../../src/providers/bedrock/output/model-stream-part.js";
import { StreamAccumulator } from "../../../src/providers/bedrock/output/stream-accumulator.js";
import { StreamAttemptEvents, type OpenedAttempt } from "../../../src/providers/bedrock/stream-attempt.js";
import type { EventStreamReader } from "../../../src/providers/bedrock/transport/read-event-stream.js";
import { NetworkError } from "../../../src/schema/errors.js";

/** A reader that hands over `reads` in order (an Error is thrown at its turn), then ends. */
function scriptedReader(reads: (ModelStreamPart[] | Error)[]): EventStreamReader<ModelStreamPart> & { returned: number } {
  const reader = {
    returned: 0,
    next: async () => {
      const read = reads.shift();
      if (read === undefined) return { done: true as const, value: undefined };
      if (read instanceof Error) throw read;
      return { done: false as const, value: read };
    },
    return: async () => {
      reader.returned++;
      return { done: true as const, value: undefined };
    },
  };
  return reader as unknown as EventStreamReader<ModelStreamPart> & { returned: number };
}

function attemptOver(reads: (ModelStreamPart[] | Error)[]) {
  const log: string[] = [];
  const reader = scriptedReader(reads);
  const opened: OpenedAttempt = { reader, modelId: "m", accumulator: new StreamAccumulator("m", []), permit: undefined, ended: false };
  const events = new StreamAttemptEvents({
    open: async () => (log.push("open"), opened),
    answered: () => log.push("answered"),
    failedUnanswered: (_attempt, thrown) => log.push(`unanswered: ${(thrown as Error).message}`),
    finish: (attempt) => {
      if (!attempt.accumulator.done) throw new NetworkError("cut", true, { networkCode: "truncated_response" });
      return { type: "finish", completion: attempt.accumulator.completion() };
    },
    end: () => log.push("end"),
  });
  return { events, log };
}

async function drain(events: AsyncIterable<StreamEvent[]>): Promise<{ batches: string[][]; error?: unknown }> {
  const batches: string[][] = [];
  try {
    for await (const batch of events) batches.push(batch.map((event) => (event.type === "text" ? `text:${event.text}` : event.type)));
    return { batches };
  } catch (error) {
    return { batches, error };
  }
}

const text = (value: string): ModelStreamPart => ({ type: "text", blockIndex: 0, text: value });
const finish: ModelStreamPart = { type: "finish", stopReason: "end_turn", stopSequence: null };

describe("StreamAttemptEvents", () => {
  it("skips reads without public events, hands over each read's events, the finish event last, and ends once", async () => {
    const { events, log } = attemptOver([[{ type: "start" }], [text("He"), text("llo")], [], [finish]]);
    const { batches, error } = await drain(events);
    assert.equal(error, undefined);
    assert.deepEqual(batches, [["text:He", "text:llo"], ["finish"]]);
    assert.deepEqual(log, ["open", "answered", "end"]);
  });

  it("a failure before the first events is told as unanswered and ends the attempt", async () => {
    const { events, log } = attemptOver([[{ type: "start" }], new Error("reset")]);
    const { batches, error } = await drain(events);
    assert.deepEqual(batches, []);
    assert.match(String(error), /reset/);
    assert.deepEqual(log, ["open", "unanswered: reset", "end"]);
  });

  it("a failure after the first events is not, and a stream that ends before its final event is cut", async () => {
    const failed = attemptOver([[text("Hi")], new Error("reset")]);
    const first = await drain(failed.events);
    assert.deepEqual(first.batches, [["text:Hi"]]);
    assert.deepEqual(failed.log, ["open", "answered", "end"]);

    const cut = attemptOver([[{ type: "start" }]]);
    const second = await drain(cut.events);
    assert.ok(second.error instanceof NetworkError && second.error.networkCode === "truncated_response");
    assert.deepEqual(cut.log, ["open", "unanswered: cut", "end"]);
  });

  it("a caller that stops early ends the attempt, and nothing comes after", async () => {
    const { events, log } = attemptOver([[text("a")], [text("b")], [finish]]);
    assert.deepEqual((await events.next()).done, false);
    assert.deepEqual(await events.return(), { done: true, value: undefined });
    assert.deepEqual(await events.next(), { done: true, value: undefined });
    assert.deepEqual(log, ["open", "answered", "end"]);
  });
});

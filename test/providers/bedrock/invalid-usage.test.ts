/**
 * A service (or a proxy in between) reporting absurd token counts: over the wire from a tiny loopback
 * server, the counts are rejected (0, one warning) and the cost stays finite.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { encodeChunkFrame } from "../../../src/emulator/encode-event-frame.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../src/providers/bedrock/index.js";
import { StreamAccumulator } from "../../../src/providers/bedrock/output/stream-accumulator.js";
import { MODEL } from "./emulator-fixture.js";

const EVENTS = [
  { type: "message_start", message: { id: "msg_1", usage: { input_tokens: 1e308, output_tokens: -5, cache_read_input_tokens: 1e308 } } },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello there" } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1e308 } },
  { type: "message_stop" },
];

describe("invalid usage from the service", () => {
  let server: Server;
  let url: string;
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);

  before(async () => {
    process.on("warning", onWarning);
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "r-1" });
        res.end(Buffer.concat(EVENTS.map((event, i) => encodeChunkFrame(JSON.stringify(event), i))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    process.off("warning", onWarning);
    await new Promise((resolve) => server.close(resolve));
  });

  it("counts them as 0, keeps getCost() finite and warns once, without secrets", async () => {
    const provider = new BedrockAsyncProvider({
      api_type: "bedrock_async",
      model: MODEL,
      region: "us-east-1",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
      secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
      endpoint: url,
    });
    try {
      const completion = await provider.generateStreamResponse([{ role: "user", content: "hi" }]);
      assert.equal(completion.choices[0]!.message.content, "Hello there");
      assert.equal(completion.usage.prompt_tokens, 0);
      assert.ok(Number.isSafeInteger(completion.usage.completion_tokens) && completion.usage.completion_tokens >= 0);
      const second = await provider.generateStreamResponse([{ role: "user", content: "again" }]);
      assert.equal(second.usage.prompt_tokens, 0);
      const cost = provider.getCost();
      assert.ok(Number.isFinite(cost.totalCost), `totalCost ${cost.totalCost}`);
      assert.equal(cost.totalPromptTokens, 0);
      assert.ok(Number.isFinite(cost.totalTokens));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      const ours = warnings.filter((w) => (w as Error & { code?: string }).code === "MINION_INVALID_USAGE");
      assert.equal(ours.length, 1);
      assert.match(ours[0]!.message, /invalid token count for \w+ \(too large to be a token count\); it is counted as 0/);
      assert.doesNotMatch(ours[0]!.message, new RegExp(`${EXAMPLE_CREDENTIALS.accessKeyId}|${EXAMPLE_CREDENTIALS.secretAccessKey.slice(0, 10)}`));
    } finally {
      await provider.close();
    }
  });

  it("takes a negative count reported later as 0 rather than keeping it", () => {
    const accumulator = new StreamAccumulator("m", []);
    accumulator.push({ type: "usage", usage: { inputTokens: 12, outputTokens: 3 } });
    accumulator.push({ type: "usage", usage: { inputTokens: -5 } });
    accumulator.push({ type: "finish", stopReason: "end_turn", stopSequence: null });
    assert.deepEqual(accumulator.finalUsage(), { inputTokens: 0, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 });
  });
});

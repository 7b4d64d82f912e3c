import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { runBatch } from "../../src/batch/index.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";
import type { LlmProvider } from "../../src/providers/llm-provider.js";
import { emulatorProvider, inputLine, readRecords, tempDir } from "./batch-fixture.js";

const SCHEMA = { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"], additionalProperties: false };

describe("runBatch with a schema on an input line", () => {
  let emulator: Emulator;
  const providers: LlmProvider[] = [];
  const files = tempDir();
  before(async () => {
    emulator = await startEmulator({ planner: createPlanner({ script: { rules: [{ match: { text: "NOT-JSON" }, respond: { text: "no idea" } }] } }) });
  });
  after(async () => {
    await Promise.all(providers.map((provider) => provider.close()));
    await emulator.close();
    files.cleanup();
  });

  for (const model of ["anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0"]) {
    it(`writes the validated object beside the text, usage and cost (${model})`, async () => {
      const provider = emulatorProvider(emulator, { model });
      providers.push(provider);
      const input = files.path(`in-${model}.jsonl`);
      const output = files.path(`out-${model}.jsonl`);
      writeFileSync(input, [
        inputLine("trip", "Plan a trip.", { schema: SCHEMA }),
        inputLine("plain", "Hello"),
        inputLine("prose", "NOT-JSON", { schema: SCHEMA }),
        inputLine("bad-schema", "Plan", { schema: { type: "object", properties: { a: { type: "nope" } } } }),
      ].join("\n") + "\n");
      const summary = await runBatch({ input, output, provider, progressStream: null });
      const records = new Map(readRecords(output).map((record) => [record["id"], record]));
      const trip = records.get("trip")!;
      assert.deepEqual(trip["object"], { city: "example city", days: 1 });
      assert.ok((trip["usage"] as { completion_tokens: number }).completion_tokens > 0);
      assert.ok((trip["cost"] as number) > 0);
      assert.equal(records.get("plain")!["object"], undefined);
      assert.match(records.get("plain")!["output"] as string, /You said: Hello/);
      const prose = records.get("prose")!["error"] as Record<string, unknown>;
      assert.equal(prose["code"], "structured_output_invalid");
      assert.equal(prose["retryable"], false);
      assert.equal((records.get("bad-schema")!["error"] as Record<string, unknown>)["name"], "InvalidRequestError");
      assert.equal(summary.succeeded, 2);
      assert.equal(summary.failed, 2);
    });
  }

  it("refuses a schema that is not an object when reading the input", async () => {
    const input = files.path("bad.jsonl");
    writeFileSync(input, inputLine("x", "hi", { schema: "object" }) + "\n");
    const provider = emulatorProvider(emulator);
    providers.push(provider);
    await assert.rejects(runBatch({ input, output: files.path("bad-out.jsonl"), provider, progressStream: null }), /schema/);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { resetOtelApiForTests } from "../../../src/providers/telemetry/otel-api.js";
import type { TelemetryCall, TelemetryError, TelemetryResponse, TelemetryUsageEvent } from "../../../src/providers/telemetry/index.js";
import { MinionError } from "../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL, providerFor } from "../bedrock/emulator-fixture.js";
import { startEmulatorThread } from "../bedrock/emulator-thread.js";

function warningsDuring(): { list: Error[]; stop(): void } {
  const list: Error[] = [];
  const listener = (warning: Error) => list.push(warning);
  process.on("warning", listener);
  return { list, stop: () => process.off("warning", listener) };
}

describe("plain telemetry hooks (no OpenTelemetry SDK registered)", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await emulatorWith({
      script: { rules: [{ match: { text: "fail with AccessDeniedException" }, respond: { error: { name: "AccessDeniedException" } } }] } as never,
    });
  });
  after(() => emulator.close());

  it("onRequest, onResponse and onUsage see each call; usage sums to the provider's cost", async () => {
    const requests: TelemetryCall[] = [];
    const responses: TelemetryResponse[] = [];
    const usages: TelemetryUsageEvent[] = [];
    const provider = providerFor(emulator, {}, { onRequest: (call) => requests.push(call), onResponse: (response) => responses.push(response), onUsage: (usage) => usages.push(usage) });
    await provider.generate([{ role: "user", content: "one" }], { temperature: 0.5 });
    const streamed = await provider.generateStreamResponse([{ role: "user", content: "two" }]);
    assert.deepEqual(requests.map((call) => [call.operation, call.streaming, call.requestModel, call.provider]), [["chat", false, MODEL, "aws.bedrock"], ["chat", true, MODEL, "aws.bedrock"]]);
    assert.equal(requests[0]!.request.temperature, 0.5);
    assert.equal(requests[1]!.serverAddress, new URL(emulator.url).hostname);
    assert.equal(responses.length, 2);
    assert.equal(responses[1]!.responseModel, MODEL);
    assert.deepEqual(responses[1]!.finishReasons, ["stop"]);
    assert.deepEqual(responses[1]!.usage, { inputTokens: streamed.usage.prompt_tokens, outputTokens: streamed.usage.completion_tokens, cacheReadTokens: 0, cacheWriteTokens: 0 });
    assert.ok(responses[1]!.timeToFirstChunkMs! >= 0 && responses[1]!.timeToFirstChunkMs! <= responses[1]!.durationMs);
    assert.equal(responses[0]!.timeToFirstChunkMs, undefined);
    const cost = provider.getCost();
    assert.equal(usages.length, 2);
    assert.equal(usages.reduce((sum, usage) => sum + usage.inputTokens, 0), cost.totalPromptTokens);
    assert.equal(usages.reduce((sum, usage) => sum + usage.outputTokens, 0), cost.totalCompletionTokens);
    await provider.close();
  });

  it("onError gets the typed error the call throws, once, after the retries", async () => {
    const failures: TelemetryError[] = [];
    const provider = providerFor(emulator, {}, { onError: (failure) => failures.push(failure) });
    const thrown = await provider.generate([{ role: "user", content: "fail with AccessDeniedException" }]).catch((error: unknown) => error);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.error, thrown);
    assert.ok(failures[0]!.error instanceof MinionError);
    assert.equal(failures[0]!.errorType, "AccessDeniedException");
    await provider.close();
  });

  it("a hook that throws or rejects does not break the call: it becomes a MinionWarning", async () => {
    const warnings = warningsDuring();
    try {
      const provider = providerFor(emulator, {}, {
        onRequest: () => {
          throw new Error("request hook exploded");
        },
        onResponse: async () => {
          throw new Error("response hook rejected");
        },
        onUsage: () => {
          throw new Error("usage hook exploded");
        },
      });
      const text = await provider.generate([{ role: "user", content: "still answered" }]);
      assert.ok(text.length > 0);
      const chunks = await collect(provider.generateStream([{ role: "user", content: "still streamed" }]));
      assert.ok(chunks.join("").length > 0);
      await new Promise((resolve) => setImmediate(resolve));
      const messages = warnings.list.filter((warning) => warning.name === "MinionWarning").map((warning) => warning.message);
      for (const expected of ["request hook exploded", "response hook rejected", "usage hook exploded"]) {
        assert.ok(messages.some((message) => message.includes(expected)), `warned about "${expected}": ${messages.join(" | ")}`);
      }
      await provider.close();
    } finally {
      warnings.stop();
    }
  });

  it("a hook that is not a function is a ConfigError at construction", () => {
    assert.throws(() => providerFor(emulator, {}, { onUsage: "log" as never }), /onUsage must be a function/);
  });

  it("generateSync: onRequest, onResponse, onUsage and onError fire on the calling thread, with the worker's usage", async () => {
    const requests: TelemetryCall[] = [];
    const responses: TelemetryResponse[] = [];
    const usages: TelemetryUsageEvent[] = [];
    const errors: TelemetryError[] = [];
    const thread = await startEmulatorThread({ script: { rules: [{ match: { text: "sync fail" }, respond: { error: { name: "AccessDeniedException" } } }] } });
    try {
      const hooks = { onRequest: (call: TelemetryCall) => requests.push(call), onResponse: (r: TelemetryResponse) => responses.push(r), onUsage: (u: TelemetryUsageEvent) => usages.push(u), onError: (e: TelemetryError) => errors.push(e) };
      const provider = providerFor({ url: thread.url } as Emulator, {}, hooks);
      assert.ok(provider.generateSync([{ role: "user", content: "sync" }], { temperature: 0.2 }).length > 0);
      const cost = provider.getCost();
      assert.deepEqual(requests.map((call) => [call.operation, call.streaming, call.requestModel, call.request.temperature]), [["chat", false, MODEL, 0.2]]);
      assert.equal(responses.length, 1);
      assert.equal(responses[0]!.responseModel, MODEL);
      assert.deepEqual(responses[0]!.finishReasons, ["stop"]);
      assert.deepEqual(responses[0]!.usage, { inputTokens: cost.totalPromptTokens, outputTokens: cost.totalCompletionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 });
      assert.equal(usages.length, 1);
      assert.equal(usages[0]!.outputTokens, cost.totalCompletionTokens);
      assert.ok(cost.totalCompletionTokens > 0);

      assert.throws(() => provider.generateSync([{ role: "user", content: "sync fail" }]), MinionError);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]!.errorType, "AccessDeniedException");
      assert.ok(errors[0]!.error instanceof MinionError);
      assert.equal(requests.length, 2);
      assert.equal(usages.length, 1, "a failed call billed nothing");
      await provider.close();
    } finally {
      await thread.close();
    }
  });

  it("without @opentelemetry/api installed and without hooks, calls work and nothing is traced", async () => {
    resetOtelApiForTests(null);
    try {
      const provider = providerFor(emulator);
      assert.ok((await provider.generate([{ role: "user", content: "no telemetry" }])).length > 0);
      const events = await collect(provider.streamEvents([{ role: "user", content: "no telemetry stream" }]));
      assert.equal(events.at(-1)!.type, "finish");
      await provider.close();
    } finally {
      resetOtelApiForTests(undefined);
    }
  });
});

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidRequestError, TimeoutError } from "../../../../src/schema/errors.js";
import type { Emulator } from "../../../../src/emulator/index.js";
import type { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { emulatorWith, providerFor } from "../emulator-fixture.js";

describe("stream timeouts through the provider (emulator stall fault and chunk delay)", () => {
  let emulator: Emulator;
  const providers: BedrockAsyncProvider[] = [];
  const make = (config: Record<string, unknown> = {}): BedrockAsyncProvider => {
    const provider = providerFor(emulator, config);
    providers.push(provider);
    return provider;
  };

  before(async () => {
    emulator = await emulatorWith({
      script: {
        rules: [
          { match: { text: "stall" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, fault: { type: "stall", afterChunks: 2 } } },
          { match: { text: "slow" }, respond: { text: "a b c d", chunksPerAnswer: 4, chunkDelayMs: 400 } },
          { match: { text: "brisk" }, respond: { text: "a b c d", chunksPerAnswer: 4, chunkDelayMs: 5 } },
        ],
      },
    });
    // One stream per API first: a cold process (emulator thread included) can take longer than the idle
    // timeouts below to send its first frames on a loaded machine, which is not what these tests are about.
    for (const model of ["anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0"]) {
      await make({ model }).generateStreamResponse([{ role: "user", content: "brisk" }]);
    }
  });
  after(async () => {
    for (const provider of providers) await provider.close();
    await emulator.close();
  });

  async function expectTimeout(run: Promise<unknown>, kind: "idle" | "total", ms: number): Promise<void> {
    await assert.rejects(run, (error: unknown) => error instanceof TimeoutError && error.kind === kind && error.timeoutMs === ms);
    await waitUntil(() => emulator.metrics.streamsInFlight === 0, "the stream's connection is released");
  }

  for (const model of ["anthropic.claude-3-5-haiku-20241022-v1:0", "amazon.nova-lite-v1:0"]) {
    it(`${model}: idle timeout (call option or config idle_timeout) on a stalled stream and on slow chunks`, async () => {
      const chunks: string[] = [];
      const run = (async () => {
        for await (const chunk of make({ model }).generateStream([{ role: "user", content: "please stall" }], { idleTimeout: 150 })) chunks.push(chunk);
      })();
      await expectTimeout(run, "idle", 150);
      assert.ok(chunks.length >= 1, "chunks before the stall were delivered");
      await expectTimeout(make({ model, idle_timeout: 100 }).generateStreamResponse([{ role: "user", content: "slow" }]), "idle", 100);
      const ok = await make({ model, idle_timeout: 5000 }).generateStreamResponse([{ role: "user", content: "brisk" }]);
      assert.equal(ok.choices[0]!.message.content, "a b c d");
    });

    it(`${model}: total timeout on a stalled stream`, async () => {
      await expectTimeout(collectAll(make({ model }).streamEvents([{ role: "user", content: "stall now" }], { timeout: 300 })), "total", 300);
      await expectTimeout(make({ model, timeout: 250 }).generateStreamResponse([{ role: "user", content: "stall again" }]), "total", 250);
    });
  }
});

describe("a bad idle timeout", () => {
  it("is an InvalidRequestError before anything is sent", async () => {
    const emulator = await emulatorWith({});
    const provider = providerFor(emulator, {});
    try {
      await assert.rejects(collectAll(provider.generateStream([{ role: "user", content: "hi" }], { idleTimeout: -5 })), InvalidRequestError);
      assert.equal(emulator.requests.length, 0);
    } finally {
      await provider.close();
      await emulator.close();
    }
  });
});

async function collectAll(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

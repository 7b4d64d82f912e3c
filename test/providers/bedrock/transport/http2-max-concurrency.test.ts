/**
 * max_concurrency caps the streams an HTTP/2 provider has in flight, as it caps the sockets of an HTTP/1.1 one:
 * counted at the emulator (its event streams in flight), with calls that wait, abort, time out, fail or stop
 * early, and a slot that must come back every time.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import type { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { BedrockTransport, type TransportAuth } from "../../../../src/providers/bedrock/transport/bedrock-transport.js";
import { Http2SessionPool } from "../../../../src/providers/bedrock/transport/http2-session-pool.js";
import { AbortError, BedrockServiceError, InvalidRequestError, NetworkError, ProviderError, TimeoutError } from "../../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL, providerFor } from "../emulator-fixture.js";

const user = (content: string) => [{ role: "user" as const, content }];
/** Every call of these tests gets a total timeout: a slot never freed fails the next call instead of hanging the run. */
const BOUNDED = { timeout: 10_000 };

let emulator: Emulator;
before(async () => {
  emulator = await emulatorWith({
    script: {
      rules: [
        { match: { text: "slow chunks" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 30 } },
        { match: { text: "very slow" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 150 } },
        { match: { text: "throttle me" }, respond: { error: { name: "ThrottlingException", message: "Too many requests, please wait before trying again." } } },
        { match: { text: "reset me" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "reset", afterChunks: 1 } } },
        { match: { text: "fail midway" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "exception", afterChunks: 1, name: "modelStreamErrorException", message: "boom" } } },
      ],
    },
  });
});
after(async () => {
  await emulator.close();
});
beforeEach(() => emulator.clearRequests());

/** Runs `work` while sampling the emulator's event streams in flight; returns the most it saw at once. */
async function peakStreams(work: () => Promise<unknown>): Promise<number> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, emulator.metrics.streamsInFlight)), 2);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, emulator.metrics.streamsInFlight);
}

async function waitUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(check(), what);
}

const promptsSent = (): string[] => emulator.requests.map((request) => /slow chunks \d+/.exec(JSON.stringify(request.body))?.[0] ?? "?");

describe("max_concurrency with transport http2", () => {
  it("ten concurrent slow streams with max_concurrency 3: never more than 3 open at the emulator, sent in call order, all complete", async () => {
    for (const transport of ["http2", "http1"] as const) {
      emulator.clearRequests();
      const provider = providerFor(emulator, { max_concurrency: 3 }, { transport });
      const prompts = Array.from({ length: 10 }, (_, i) => `slow chunks ${i}`);
      let answers: string[][] = [];
      try {
        const peak = await peakStreams(async () => (answers = await Promise.all(prompts.map((prompt) => collect(provider.generateStream(user(prompt), BOUNDED))))));
        assert.equal(peak, 3, `${transport}: most streams in flight at once`);
      } finally {
        await provider.close();
      }
      assert.ok(answers.every((pieces) => pieces.join("") === "a b c d e f g h"), `${transport}: every answer whole`);
      assert.deepEqual(promptsSent(), prompts, `${transport}: sent in the order the calls were made`);
      assert.ok(emulator.requests.every((request) => request.protocol === (transport === "http2" ? "h2" : "http/1.1")));
    }
  });

  it("without max_concurrency the same ten streams are all open at once (the count above is the cap's doing)", async () => {
    const provider = providerFor(emulator, {}, { transport: "http2" });
    try {
      assert.equal(await peakStreams(() => Promise.all(Array.from({ length: 10 }, (_, i) => collect(provider.generateStream(user(`slow chunks ${i}`), BOUNDED))))), 10);
    } finally {
      await provider.close();
    }
  });

  it("a call waiting for the only slot honours its AbortSignal and its timeout (typed errors, nothing sent, no slot kept), not the idle timeout", async () => {
    // idle_timeout 400: longer than the holder's gaps between chunks, shorter than the wait of `patient`.
    const provider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1, idle_timeout: 400 }, { transport: "http2" });
    try {
      const holder = collect(provider.generateStream(user("very slow"), BOUNDED));
      await waitUntil(() => emulator.metrics.streamsInFlight === 1, "the first stream holds the slot");
      const controller = new AbortController();
      const aborted = collect(provider.generateStream(user("waiting then aborted"), { signal: controller.signal }));
      const timedOut = provider.generate(user("waiting then timed out"), { timeout: 150 });
      const patient = collect(provider.generateStream(user("patient"), BOUNDED)); // a stream: its idle timer covers the wait for headers
      setTimeout(() => controller.abort(new Error("user stop")), 50);
      await assert.rejects(aborted, (error: unknown) => error instanceof AbortError);
      await assert.rejects(timedOut, (error: unknown) => error instanceof TimeoutError && error.kind === "total");
      assert.equal(emulator.requests.length, 1, "the waiting calls sent nothing");
      assert.equal(emulator.metrics.streamsInFlight, 1, "the first stream still held the slot when they failed");
      assert.equal((await holder).join(""), "a b c d e f g h");
      assert.match((await patient).join(""), /You said: patient/, "waited for the whole first stream, past idle_timeout");
      assert.match(await provider.generate(user("after"), BOUNDED), /You said: after/, "the aborted waiters left no slot taken");
    } finally {
      await provider.close();
    }
  });

  it("max_concurrency 1: the slot comes back after an early break, an abort, an HTTP error, a reset stream and a mid-stream exception", async () => {
    const provider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1 }, { transport: "http2" });
    try {
      for await (const _text of provider.generateStream(user("slow chunks 0"), BOUNDED)) break;

      const controller = new AbortController();
      await assert.rejects(
        (async () => {
          for await (const _text of provider.generateStream(user("slow chunks 1"), { ...BOUNDED, signal: controller.signal })) controller.abort();
        })(),
        (error: unknown) => error instanceof AbortError,
      );
      await assert.rejects(collect(provider.generateStream(user("throttle me"), BOUNDED)), (error: unknown) => error instanceof BedrockServiceError && error.status === 429);
      await assert.rejects(provider.generate(user("throttle me"), BOUNDED), (error: unknown) => error instanceof BedrockServiceError && error.status === 429);
      await assert.rejects(collect(provider.generateStream(user("reset me"), BOUNDED)), (error: unknown) => error instanceof NetworkError);
      await assert.rejects(collect(provider.generateStream(user("fail midway"), BOUNDED)), (error: unknown) => error instanceof ProviderError && /boom/.test(error.message));
      // Each call above needed the one slot the previous one held.
      assert.equal((await collect(provider.generateStream(user("slow chunks 2"), BOUNDED))).join(""), "a b c d e f g h");
      assert.match(await provider.generate(user("last"), BOUNDED), /You said: last/);
      assert.equal(emulator.requests.length, 8);
    } finally {
      await provider.close();
    }
  });

  it("close() fails the calls waiting for a slot (provider_closed); they send nothing", async () => {
    const provider: BedrockAsyncProvider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1 }, { transport: "http2" });
    const holder = collect(provider.generateStream(user("very slow"), BOUNDED)).catch((error: unknown) => error);
    await waitUntil(() => emulator.metrics.streamsInFlight === 1, "the first stream holds the slot");
    const waiting = provider.generate(user("waiting"), BOUNDED);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await provider.close();
    await assert.rejects(waiting, (error: unknown) => error instanceof ProviderError && error.code === "provider_closed");
    assert.ok((await holder) instanceof Error, "the open stream fails with its session");
    assert.equal(emulator.requests.length, 1);
  });
});

describe("Http2SessionPool slots: requests that are never sent give theirs back", () => {
  it("credentials that fail (rejected or thrown) and a header Node refuses: typed errors, nothing sent, the one slot free", async () => {
    let calls = 0;
    const auth: TransportAuth = {
      kind: "sigv4",
      credentials: () => {
        calls++;
        if (calls === 1) return Promise.reject(new Error("no credentials from the chain"));
        if (calls === 2) throw new Error("no credentials at all");
        return { ...EXAMPLE_CREDENTIALS };
      },
    };
    const endpoint = new URL(emulator.url);
    const pool = new Http2SessionPool({ endpoint, maxStreams: 1 });
    const transport = new BedrockTransport({ endpoint, region: "us-east-1", auth, sessions: pool });
    const path = `/model/${encodeURIComponent(MODEL)}/invoke`;
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 20, messages: user("sent at last") });
    // A slot kept by a failed request would make the next one wait: the signal ends that wait.
    const options = { signal: AbortSignal.timeout(5_000), idleMs: undefined };
    try {
      await assert.rejects(transport.invoke(path, body, {}, options), /no credentials from the chain/);
      await assert.rejects(transport.invoke(path, body, {}, options), /no credentials at all/);
      await assert.rejects(transport.invoke(path, body, { "bad name": "x" }, options), (error: unknown) => error instanceof InvalidRequestError);
      assert.deepEqual(pool.streams, { taken: 0, waiting: 0 });
      assert.equal(emulator.requests.length, 0);
      assert.match((await transport.invoke(path, body, {}, options)).toString("utf8"), /You said: sent at last/);
      await waitUntil(() => pool.streams.taken === 0, "the answered stream's slot is free");
    } finally {
      pool.close();
    }
  });
});

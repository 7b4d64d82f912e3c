/**
 * max_concurrency caps the calls a provider has in flight on both transports (HTTP/1.1 requests, HTTP/2
 * streams), with one slot queue: counted at the emulator (its event streams in flight, the requests and
 * connections it received), with calls that wait, abort, time out, fail or stop early, a slot that must come
 * back every time, a signature made only once the slot is there, and a close() that leaves nothing to send.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, type Emulator } from "../../../../src/emulator/index.js";
import type { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { BedrockTransport, type TransportAuth } from "../../../../src/providers/bedrock/transport/bedrock-transport.js";
import { createConnectionPool, destroyPool } from "../../../../src/providers/bedrock/transport/create-connection-pool.js";
import type { SigningCredentials } from "../../../../src/providers/bedrock/transport/sign-sigv4.js";
import { AbortError, BedrockServiceError, InvalidRequestError, NetworkError, ProviderError, TimeoutError } from "../../../../src/schema/errors.js";
import { collect, emulatorWith, MODEL, providerFor } from "../emulator-fixture.js";

const user = (content: string) => [{ role: "user" as const, content }];
/** Every call of these tests gets a total timeout: a slot never freed fails the next call instead of hanging the run. */
const BOUNDED = { timeout: 10_000 };
const TRANSPORTS = ["http1", "http2"] as const;

let emulator: Emulator;
before(async () => {
  emulator = await emulatorWith({
    script: {
      rules: [
        { match: { text: "slow chunks" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 30 } },
        { match: { text: "very slow" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 150 } },
        { match: { text: "held for seconds" }, respond: { text: "a b c d e f g h", chunksPerAnswer: 8, chunkDelayMs: 300 } },
        { match: { text: "throttle me" }, respond: { error: { name: "ThrottlingException", message: "Too many requests, please wait before trying again." } } },
        { match: { text: "reset me" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "reset", afterChunks: 1 } } },
        { match: { text: "stall me" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "stall", afterChunks: 1 } } },
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const promptsSent = (): string[] => emulator.requests.map((request) => /slow chunks \d+/.exec(JSON.stringify(request.body))?.[0] ?? "?");

/** X-Amz-Date (20261206T210503Z) -> ms since the epoch. */
function amzDateMs(value: string | undefined): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  assert.ok(match, `an X-Amz-Date, got ${value}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

describe("max_concurrency on both transports", () => {
  it("ten concurrent slow streams with max_concurrency 3: never more than 3 open at the emulator, sent in call order, all complete", async () => {
    for (const transport of TRANSPORTS) {
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
    for (const transport of TRANSPORTS) {
      const provider = providerFor(emulator, {}, { transport });
      try {
        assert.equal(await peakStreams(() => Promise.all(Array.from({ length: 10 }, (_, i) => collect(provider.generateStream(user(`slow chunks ${i}`), BOUNDED))))), 10, transport);
      } finally {
        await provider.close();
      }
    }
  });

  it("a call waiting for a slot is signed when it gets it, not when it was made (its X-Amz-Date is the slot's time)", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
      const provider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1 }, { transport });
      try {
        const holder = collect(provider.generateStream(user("held for seconds"), BOUNDED)); // ~2.4 s
        await waitUntil(() => emulator.metrics.streamsInFlight === 1, "the first stream holds the slot");
        const madeAt = Date.now();
        const waiting = provider.generate(user("signed late"), BOUNDED);
        assert.equal((await holder).join(""), "a b c d e f g h");
        const freedAt = Date.now();
        assert.match(await waiting, /You said: signed late/);
        const signedAt = amzDateMs(emulator.requests[1]?.headers["x-amz-date"]);
        // X-Amz-Date has whole seconds: signed when made, it would read wholeSecond(madeAt).
        assert.ok(signedAt >= wholeSecond(madeAt) + 2000, `${transport}: signed at ${new Date(signedAt).toISOString()}, made at ${new Date(madeAt).toISOString()}`);
        assert.ok(signedAt >= wholeSecond(freedAt) - 1000, `${transport}: signed within a second of the slot's release (${new Date(freedAt).toISOString()})`);
      } finally {
        await provider.close();
      }
    }
  });

  it("a call waiting for the only slot honours its AbortSignal and its timeout (typed errors, nothing sent, no slot kept), not the idle timeout", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
      // idle_timeout 400: longer than the holder's gaps between chunks, shorter than the wait of `patient`.
      const provider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1, idle_timeout: 400 }, { transport });
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
        assert.equal(emulator.requests.length, 1, `${transport}: the waiting calls sent nothing`);
        assert.equal(emulator.metrics.streamsInFlight, 1, `${transport}: the first stream still held the slot when they failed`);
        assert.equal((await holder).join(""), "a b c d e f g h");
        assert.match((await patient).join(""), /You said: patient/, `${transport}: waited for the whole first stream, past idle_timeout`);
        assert.match(await provider.generate(user("after"), BOUNDED), /You said: after/, `${transport}: the aborted waiters left no slot taken`);
      } finally {
        await provider.close();
      }
    }
  });

  it("max_concurrency 1: the slot comes back after an early break, an abort, an HTTP error, a reset, an idle timeout and a mid-stream exception", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
      const provider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1 }, { transport });
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
        await assert.rejects(collect(provider.generateStream(user("stall me"), { ...BOUNDED, idleTimeout: 200 })), (error: unknown) => error instanceof TimeoutError && error.kind === "idle");
        await assert.rejects(collect(provider.generateStream(user("fail midway"), BOUNDED)), (error: unknown) => error instanceof ProviderError && /boom/.test(error.message));
        // Each call above needed the one slot the previous one held.
        assert.equal((await collect(provider.generateStream(user("slow chunks 2"), BOUNDED))).join(""), "a b c d e f g h", transport);
        assert.match(await provider.generate(user("last"), BOUNDED), /You said: last/);
        assert.equal(emulator.requests.length, 9, transport);
      } finally {
        await provider.close();
      }
    }
  });

  it("close() fails the calls waiting for a slot (provider_closed): the emulator receives nothing more, and no connection is opened", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
      const provider: BedrockAsyncProvider = providerFor(emulator, { max_concurrency: 1, max_attempts: 1 }, { transport });
      const holder = collect(provider.generateStream(user("very slow"), BOUNDED)).catch((error: unknown) => error);
      await waitUntil(() => emulator.metrics.streamsInFlight === 1, "the first stream holds the slot");
      const connections = emulator.metrics.connectionsAccepted;
      const waiting = [provider.generate(user("waiting"), BOUNDED), collect(provider.generateStream(user("waiting too"), BOUNDED))];
      await sleep(20);
      await provider.close();
      for (const call of waiting) await assert.rejects(call, (error: unknown) => error instanceof ProviderError && error.code === "provider_closed", transport);
      assert.ok((await holder) instanceof Error, `${transport}: the open stream fails with its connection`);
      await sleep(100); // a request Node's agent had queued would go out on a new socket now
      assert.equal(emulator.requests.length, 1, transport);
      assert.equal(emulator.metrics.connectionsAccepted, connections, `${transport}: no connection opened after the first`);
    }
  });
});

describe("the slot of a request that is never sent", () => {
  const path = `/model/${encodeURIComponent(MODEL)}/invoke`;
  const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 20, messages: user("sent at last") });

  it("credentials that fail (rejected or thrown) and a header Node refuses: typed errors, nothing sent, the one slot free", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
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
      const pool = await createConnectionPool({ endpoint, maxConcurrency: 1, http2: transport === "http2" });
      const client = new BedrockTransport({ endpoint, region: "us-east-1", auth, slots: pool.slots, agent: pool.agent, sessions: pool.sessions });
      // A slot kept by a failed request would make the next one wait: the signal ends that wait.
      const options = { signal: AbortSignal.timeout(5_000), idleMs: undefined };
      try {
        await assert.rejects(client.invoke(path, body, {}, options), /no credentials from the chain/);
        await assert.rejects(client.invoke(path, body, {}, options), /no credentials at all/);
        const connections = emulator.metrics.connectionsAccepted;
        await assert.rejects(client.invoke(path, body, { "bad name": "x" }, options), (error: unknown) => error instanceof InvalidRequestError);
        await assert.rejects(client.invoke(path, body, { "x-amzn-bedrock-guardrailidentifier": "g\nx-injected: 1" }, options), (error: unknown) => error instanceof InvalidRequestError);
        await waitUntil(() => pool.slots.taken === 0, `${transport}: the refused requests' slots are free`);
        assert.equal(emulator.requests.length, 0);
        assert.equal(emulator.metrics.connectionsAccepted, connections, `${transport}: a refused header opens no connection`);
        assert.match((await client.invoke(path, body, {}, options)).toString("utf8"), /You said: sent at last/, transport);
        await waitUntil(() => pool.slots.taken === 0, `${transport}: the answered request's slot is free`);
      } finally {
        destroyPool(pool);
      }
    }
  });

  it("a call that has its slot and awaits its credentials when the pool closes: provider_closed, nothing sent, no connection opened", async () => {
    for (const transport of TRANSPORTS) {
      emulator.clearRequests();
      let resolveCredentials!: (credentials: SigningCredentials) => void;
      const auth: TransportAuth = { kind: "sigv4", credentials: () => new Promise<SigningCredentials>((resolve) => (resolveCredentials = resolve)) };
      const endpoint = new URL(emulator.url);
      const pool = await createConnectionPool({ endpoint, maxConcurrency: 2, http2: transport === "http2" });
      const client = new BedrockTransport({ endpoint, region: "us-east-1", auth, slots: pool.slots, agent: pool.agent, sessions: pool.sessions });
      const connections = emulator.metrics.connectionsAccepted;
      const call = client.invoke(path, body, {}, { signal: AbortSignal.timeout(5_000), idleMs: undefined });
      assert.equal(pool.slots.taken, 1);
      destroyPool(pool);
      resolveCredentials({ ...EXAMPLE_CREDENTIALS });
      await assert.rejects(call, (error: unknown) => error instanceof ProviderError && error.code === "provider_closed", transport);
      assert.equal(pool.slots.taken, 0, `${transport}: its slot given back`);
      await assert.rejects(client.invoke(path, body, {}, { signal: AbortSignal.timeout(5_000), idleMs: undefined }), (error: unknown) => error instanceof ProviderError && error.code === "provider_closed");
      await sleep(50);
      assert.equal(emulator.requests.length, 0, transport);
      assert.equal(emulator.metrics.connectionsAccepted, connections, `${transport}: no connection opened`);
    }
  });
});

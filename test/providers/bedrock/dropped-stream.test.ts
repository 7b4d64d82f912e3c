/**
 * A stream whose iterator the caller drops without finishing it or calling return() (an early `return` from
 * a function that held it, an exception between two next() calls) must not keep its connection, its
 * max_concurrency slot and its timers until the 60-minute total timeout: once the iterator is garbage, the
 * call is released and its usage recorded, as a `break` out of `for await` does.
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const user = (content: string) => [{ role: "user" as const, content }];
/** Timeouts far beyond the test's own bound, so only the release can free the slot in time. */
const LONG = { timeout: 120_000, idleTimeout: 120_000 };

let emulator: Emulator;
before(async () => {
  emulator = await emulatorWith({
    script: {
      rules: [
        // The first piece, then nothing: without a release the call would hold its slot until a timeout.
        { match: { text: "stall after one" }, respond: { text: "a b c d", chunksPerAnswer: 4, fault: { type: "stall", afterChunks: 1 } } },
        { match: { text: "short" }, respond: { text: "a b c d" } },
      ],
    },
  });
});
after(async () => {
  await emulator.close();
});

/** Reads the first piece of a stream and lets the iterator go, as a function that returns early does. */
async function readOneAndDrop(stream: AsyncIterable<unknown>): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);
}

/** The prompt tokens one call of `messages` records on a provider of its own. */
async function promptTokensOf(messages: ReturnType<typeof user>): Promise<number> {
  const provider = providerFor(emulator);
  try {
    await provider.generate(messages);
    return provider.getCost().totalPromptTokens;
  } finally {
    await provider.close();
  }
}

async function collectGarbageUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a dropped stream", () => {
  const cases = [
    ...(["http1", "http2"] as const).flatMap((transport) => (["generateStream", "streamEvents"] as const).map((method) => ({ transport, method, traced: false }))),
    // With a hook the stream is wrapped (traceStream, textsOf): the wrapper is what the caller drops.
    { transport: "http1", method: "generateStream", traced: true },
    { transport: "http2", method: "streamEvents", traced: true },
  ] as const;
  for (const { transport, method, traced } of cases) {
    it(`${method} over ${transport}${traced ? ", traced" : ""}: its slot comes back once the iterator is garbage, and the next call runs`, async () => {
        const provider = providerFor(emulator, { max_concurrency: 1, transport }, traced ? { onRequest: () => undefined } : {});
        try {
          await readOneAndDrop(provider[method](user("stall after one"), LONG));
          assert.equal(emulator.metrics.streamsInFlight, 1);
          assert.equal(provider.getCost().totalTokens, 0);
          let second: string | undefined;
          const next = provider.generate(user("short"), LONG).then((text) => (second = text));
          await collectGarbageUntil(() => second !== undefined);
          assert.equal(second, "a b c d", "the dropped stream still holds the only slot");
          assert.equal(emulator.metrics.streamsInFlight, 0, "the dropped stream's connection is still open at the emulator");
          await next;
          const alone = await promptTokensOf(user("short"));
          assert.ok(provider.getCost().totalPromptTokens > alone, "the dropped stream's usage is not recorded (a break's is)");
        } finally {
          await provider.close();
        }
      });
  }
});

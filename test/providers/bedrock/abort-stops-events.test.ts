/** After abort(), no further event reaches the caller, on every streaming path, even within one network read. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../../src/emulator/index.js";
import { AbortError } from "../../../src/schema/errors.js";
import { emulatorWith, providerFor } from "./emulator-fixture.js";

const LONG = "word ".repeat(200);

describe("abort on the first text event", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await emulatorWith({ chunksPerAnswer: 50, script: { rules: [{ match: { text: "slow" }, respond: { text: LONG, chunkDelayMs: 20 } }, { respond: { text: LONG } }] } });
  });
  after(() => emulator.close());

  for (const api of ["invoke", "converse"] as const) {
    it(`streamEvents delivers nothing after it (${api})`, async () => {
      const provider = providerFor(emulator, { api });
      const controller = new AbortController();
      const seen: string[] = [];
      try {
        await assert.rejects(async () => {
          for await (const event of provider.streamEvents([{ role: "user", content: "go" }], { signal: controller.signal })) {
            seen.push(event.type);
            if (event.type === "text") controller.abort();
          }
        }, AbortError);
        assert.deepEqual(seen, ["text"]);
      } finally {
        await provider.close();
      }
    });
  }

  it("generateStream yields nothing after it", async () => {
    const provider = providerFor(emulator);
    const controller = new AbortController();
    const chunks: string[] = [];
    try {
      await assert.rejects(async () => {
        for await (const chunk of provider.generateStream([{ role: "user", content: "go" }], { signal: controller.signal })) {
          chunks.push(chunk);
          controller.abort();
        }
      }, AbortError);
      assert.equal(chunks.length, 1);
    } finally {
      await provider.close();
    }
  });

  it("generateStreamResponse rejects with AbortError instead of returning the answer", async () => {
    const provider = providerFor(emulator);
    const controller = new AbortController();
    try {
      const call = provider.generateStreamResponse([{ role: "user", content: "slow" }], { signal: controller.signal });
      // Abort in a microtask once the response is under way: no completion may come back after it.
      const watcher = setInterval(() => {
        if (emulator.metrics.streamsInFlight > 0) {
          clearInterval(watcher);
          queueMicrotask(() => controller.abort());
        }
      }, 0);
      await assert.rejects(call, AbortError);
      clearInterval(watcher);
    } finally {
      await provider.close();
    }
  });
});

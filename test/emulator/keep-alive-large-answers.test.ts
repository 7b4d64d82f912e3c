import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import { after, before, describe, it, mock } from "node:test";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { createEmbeddingProvider } from "../../src/providers/embedding-registry.js";

const CHILD = fileURLToPath(new URL("./support/emulator-child.ts", import.meta.url));

describe("keep-alive connections with large answers (emulator in its own process, TLS, HTTP/1.1)", () => {
  let child: ChildProcess;
  let started: { url: string; ca: string };
  before(async () => {
    child = fork(CHILD, [], { execArgv: ["--import", "tsx"], env: { ...process.env, EMULATOR_OPTIONS: JSON.stringify({ tls: true, firstByteLatencyMs: 5 }) } });
    started = await new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => reject(new Error(`the emulator process exited (${code})`)));
    });
  });
  after(() => {
    child.disconnect();
  });

  it("keeps every connection open across 60 Cohere answers of ~230 KB (no connection cut, none reopened)", async () => {
    const provider = createEmbeddingProvider({ apiType: "bedrock_embedding", model: "cohere.embed-english-v3", endpoint: started.url, ca: started.ca, region: "us-east-1", ...EXAMPLE_CREDENTIALS });
    const connects = mock.method(tls, "connect");
    try {
      // ~200 characters a text: each request body (~20 KB) spans several TLS records, as the bench's do.
      const texts = Array.from({ length: 96 * 60 }, (_, i) => `Document ${i}: ${"the tide came into the harbour past the market and the ledger ".repeat(3)}`);
      const vectors = await provider.embed(texts, { concurrency: 16 });
      assert.equal(vectors.length, texts.length);
      // One connection per batch in flight; a connection the server dropped would be reopened (and its call retried).
      assert.ok(connects.mock.callCount() <= 16, `opened ${connects.mock.callCount()} connections for 16 batches in flight`);
    } finally {
      connects.mock.restore();
      await provider.close();
    }
  });
});

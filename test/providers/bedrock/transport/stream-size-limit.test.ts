/**
 * A server (hostile or broken) whose event stream never ends, at full speed: the call fails with a typed
 * NetworkError once the stream passed the bound, instead of growing the answer until the process runs out of
 * memory; the connection is dropped.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { NetworkError } from "../../../../src/schema/errors.js";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";
import { MODEL } from "../emulator-fixture.js";
import { anthropicChunk } from "../replay-event-stream.js";

const MiB = 1024 * 1024;

describe("an endless event stream", () => {
  let server: http.Server;
  let endpoint: string;
  let sent = 0;
  let closed: Promise<void>;

  before(async () => {
    const delta = Buffer.from(anthropicChunk({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "x".repeat(MiB) } }));
    server = http.createServer((request, response) => {
      request.resume();
      sent = 0;
      closed = new Promise((resolve) => response.once("close", resolve));
      response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      response.write(anthropicChunk({ type: "message_start", message: { id: "m", role: "assistant", content: [], usage: { input_tokens: 1, output_tokens: 0 } } }));
      response.write(anthropicChunk({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
      const pump = (): void => {
        while (!response.destroyed && sent < 2048 * MiB) {
          sent += delta.length;
          if (!response.write(delta)) return void response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it("is a NetworkError response_too_large, not an answer that grows without bound", async () => {
    const provider = new BedrockAsyncProvider({
      api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint, max_attempts: 1,
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    });
    try {
      await assert.rejects(provider.generateStreamResponse([{ role: "user", content: "hi" }]), (error: unknown) => {
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.networkCode, "response_too_large");
        assert.match(error.message, /larger than \d+ bytes/);
        return true;
      });
      await closed;
      assert.ok(sent < 512 * MiB, `the server could send ${sent} bytes`);
    } finally {
      await provider.close();
    }
  });
});

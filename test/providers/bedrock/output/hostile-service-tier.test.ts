/**
 * A server that echoes the credentials as the service tier that served the call (the X-Amzn-Bedrock-Service-Tier
 * header): the value is not taken, so it reaches neither the completion, the cost report nor a warning.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";

const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENaBcDeFgHiJkL0123456789";

describe("a hostile service tier header", () => {
  let server: http.Server;
  let endpoint: string;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(200, { "content-type": "application/json", "x-amzn-bedrock-service-tier": String(request.headers["x-amz-security-token"]) });
      response.end(JSON.stringify({ id: "msg_bdrk_01abc", type: "message", role: "assistant", content: [{ type: "text", text: "fine" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it("is dropped: not in the completion, the cost or a warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on("warning", onWarning);
    const provider = new BedrockAsyncProvider({
      api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1", endpoint, api: "invoke",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, session_token: SESSION_TOKEN,
    });
    try {
      const completion = await provider.generateStreamResponse([{ role: "user", content: "hi" }]).catch(() => undefined);
      const answer = await provider.generate([{ role: "user", content: "hi" }]);
      assert.equal(answer, "fine");
      await new Promise((resolve) => setImmediate(resolve));
      const shown = [JSON.stringify(completion ?? null), JSON.stringify(provider.getCost()), inspect(provider.getCostByModel(), { depth: null }), warnings.join("\n")].join("\n");
      assert.ok(!shown.includes(SESSION_TOKEN), shown);
    } finally {
      process.off("warning", onWarning);
      await provider.close();
    }
  });
});

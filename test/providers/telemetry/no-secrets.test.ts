import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";
import { BedrockAsyncProvider, type BedrockProviderOptions } from "../../../src/providers/bedrock/index.js";
import { collect, emulatorWith, providerFor } from "../bedrock/emulator-fixture.js";
import { registerOtel, type OtelHarness } from "./otel-fixture.js";

const WRONG_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGEXAMPLE";
const SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKENaBcDeFgHiJkL0123456789";

describe("no secret in any span, metric or hook payload", () => {
  let emulator: Emulator;
  let otel: OtelHarness;
  const payloads: unknown[] = [];
  const hooks: BedrockProviderOptions = {
    onRequest: (value) => payloads.push(value),
    onResponse: (value) => payloads.push(value),
    onError: (value) => payloads.push(value),
    onUsage: (value) => payloads.push(value),
  };
  before(async () => {
    otel = registerOtel();
    emulator = await emulatorWith();
  });
  after(async () => {
    await emulator.close();
    await otel.shutdown();
  });

  it("SigV4 keys, a session token and a bearer API key: successes and auth failures", async () => {
    const signed = providerFor(emulator, {}, hooks);
    await signed.generate([{ role: "user", content: "hello" }]);
    await collect(signed.generateStream([{ role: "user", content: "hello stream" }]));
    await signed.countTokens([{ role: "user", content: "count" }]);
    const wrongSecret = providerFor(emulator, { secret_access_key: WRONG_SECRET }, hooks);
    await assert.rejects(wrongSecret.generate([{ role: "user", content: "denied" }]));
    const withToken = providerFor(emulator, { session_token: SESSION_TOKEN }, hooks);
    await assert.rejects(collect(withToken.generateStream([{ role: "user", content: "denied stream" }])));
    const bearer = providerFor(emulator, { access_key_id: undefined, secret_access_key: undefined, api_key: EMULATOR_API_KEY }, hooks);
    await bearer.generateStreamResponse([{ role: "user", content: "bearer" }]);
    const badBearer = providerFor(emulator, { access_key_id: undefined, secret_access_key: undefined, api_key: `${EMULATOR_API_KEY}x` }, hooks);
    await assert.rejects(badBearer.generate([{ role: "user", content: "bad bearer" }]));

    const spans = otel.spans();
    assert.ok(spans.length >= 7 && spans.some((span) => span.status.code === 2), "successes and failures were traced");
    assert.ok(payloads.some((payload) => (payload as { error?: unknown }).error !== undefined), "an onError payload was seen");
    const metrics = await Promise.all(["gen_ai.client.token.usage", "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk"].map((name) => otel.metric(name)));
    const seen = [
      ...spans.map((span) => ({ name: span.name, attributes: span.attributes, status: span.status, events: span.events, links: span.links })),
      ...metrics.flat().map((point) => point.attributes),
      ...payloads,
    ];
    const everything = JSON.stringify(seen) + inspect(seen, { depth: Infinity, showHidden: true });
    for (const secret of [EXAMPLE_CREDENTIALS.secretAccessKey, EXAMPLE_CREDENTIALS.accessKeyId, WRONG_SECRET, SESSION_TOKEN, EMULATOR_API_KEY]) {
      assert.ok(!everything.includes(secret), `a credential (${secret.slice(0, 4)}...) reached the telemetry`);
    }
    for (const header of ["Authorization", "AWS4-HMAC-SHA256", "Bearer ", "X-Amz-Security-Token", "x-amz-security-token"]) {
      assert.ok(!everything.includes(header), `"${header}" reached the telemetry`);
    }
    for (const provider of [signed, wrongSecret, withToken, bearer, badBearer]) await provider.close();
  });

  it("a server that echoes the credentials as the answer's id and model: neither reaches a span or a metric", async () => {
    const server = http.createServer((request, response) => {
      request.resume();
      const echoed = String(request.headers["x-amz-security-token"] ?? request.headers["authorization"]);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ id: echoed, type: "message", role: "assistant", model: echoed, content: [{ type: "text", text: "fine" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const base = { api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1", endpoint, api: "invoke" };
    const before = otel.spans().length;
    try {
      for (const config of [{ access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, session_token: SESSION_TOKEN }, { api_key: EMULATOR_API_KEY }]) {
        const provider = new BedrockAsyncProvider({ ...base, ...config });
        await provider.generate([{ role: "user", content: "hi" }]);
        await provider.close();
      }
    } finally {
      server.close();
    }
    const spans = otel.spans().slice(before);
    assert.equal(spans.length, 2);
    const metrics = await Promise.all(["gen_ai.client.token.usage", "gen_ai.client.operation.duration"].map((name) => otel.metric(name)));
    const everything = JSON.stringify([spans.map((span) => span.attributes), metrics.flat().map((point) => point.attributes)]);
    for (const secret of [SESSION_TOKEN, EMULATOR_API_KEY]) assert.ok(!everything.includes(secret), `a credential (${secret.slice(0, 4)}...) reached the telemetry: ${everything}`);
  });
});

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, type Emulator } from "../../../src/emulator/index.js";
import type { BedrockProviderOptions } from "../../../src/providers/bedrock/index.js";
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
});

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, describe, it } from "node:test";
import { ConverseCommand, type BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { rawRequest } from "./support/raw-http.js";
import { CONVERSE_MESSAGES, MODEL_ID, sdkClient } from "./support/sdk-client.js";
import { SwitchablePlanner } from "./support/stand-in-planner.js";

const INVALID_TOKEN = "The security token included in the request is invalid.";

interface ServiceError extends Error {
  $metadata: { httpStatusCode?: number };
}

async function expectRejection(client: BedrockRuntimeClient, name: string, message: RegExp): Promise<ServiceError> {
  let caught: ServiceError | undefined;
  try {
    await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
  } catch (error) {
    caught = error as ServiceError;
  } finally {
    client.destroy();
  }
  assert.ok(caught, "the call should have failed");
  assert.equal(caught.name, name);
  assert.match(caught.message, message);
  assert.equal(caught.$metadata.httpStatusCode, 403);
  return caught;
}

describe("authentication", () => {
  const planner = new SwitchablePlanner();
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: planner.planRequest });
  });
  after(() => emulator.close());

  it("rejects a wrong secret key with InvalidSignatureException", async () => {
    const client = sdkClient(emulator, { credentials: { accessKeyId: EXAMPLE_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-secret" } });
    const error = await expectRejection(client, "InvalidSignatureException", /signature we calculated does not match/);
    assert.ok(!error.message.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
  });

  it("rejects an unknown access key with UnrecognizedClientException", async () => {
    const client = sdkClient(emulator, { credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "whatever" } });
    await expectRejection(client, "UnrecognizedClientException", new RegExp(INVALID_TOKEN.replace(/\./g, "\\.")));
  });

  it("rejects a request signed 20 minutes in the past as expired", async () => {
    const client = sdkClient(emulator, { systemClockOffset: -20 * 60 * 1000 });
    await expectRejection(client, "InvalidSignatureException", /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it("accepts a bearer API key (token + authSchemePreference)", async () => {
    emulator.clearRequests();
    const client = sdkClient(emulator, { token: { token: EMULATOR_API_KEY }, authSchemePreference: ["httpBearerAuth"] });
    try {
      const output = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      assert.equal(output.stopReason, "end_turn");
    } finally {
      client.destroy();
    }
    assert.equal(emulator.requests[0]?.authType, "bearer");
    assert.equal(emulator.requests[0]?.headers["authorization"], "Bearer [redacted]");
  });

  it("accepts AWS_BEARER_TOKEN_BEDROCK from the environment", async () => {
    emulator.clearRequests();
    process.env["AWS_BEARER_TOKEN_BEDROCK"] = EMULATOR_API_KEY;
    const client = sdkClient(emulator);
    try {
      await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    } finally {
      delete process.env["AWS_BEARER_TOKEN_BEDROCK"];
      client.destroy();
    }
    assert.equal(emulator.requests[0]?.authType, "bearer");
  });

  it("rejects a wrong bearer API key", async () => {
    const client = sdkClient(emulator, { token: { token: "wrong-key" }, authSchemePreference: ["httpBearerAuth"] });
    await expectRejection(client, "UnrecognizedClientException", /API key included in the request is invalid/);
  });

  it("accepts an HTTP/1.1 request signed without x-amz-content-sha256 (as boto3 signs)", async () => {
    emulator.clearRequests();
    const port = new URL(emulator.url).port;
    const path = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
    const body = JSON.stringify({ messages: CONVERSE_MESSAGES });
    const signer = new SignatureV4({ service: "bedrock", region: "eu-central-1", credentials: { ...EXAMPLE_CREDENTIALS }, sha256: Hash.bind(null, "sha256"), applyChecksum: false });
    const signed = await signer.sign(
      new HttpRequest({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(port), path, headers: { host: `127.0.0.1:${port}`, "content-type": "application/json" }, body }),
    );
    assert.equal(signed.headers["x-amz-content-sha256"], undefined);
    const response = await rawRequest(emulator.url, { path, body, headers: signed.headers as Record<string, string> });
    assert.equal(response.status, 200);
    assert.equal(emulator.requests[0]?.authType, "sigv4");
  });

  it("rejects a body that does not match x-amz-content-sha256", async () => {
    const port = new URL(emulator.url).port;
    const path = `/model/${encodeURIComponent(MODEL_ID)}/converse`;
    const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS }, sha256: Hash.bind(null, "sha256") });
    const signed = await signer.sign(
      new HttpRequest({ method: "POST", protocol: "http:", hostname: "127.0.0.1", port: Number(port), path, headers: { host: `127.0.0.1:${port}` }, body: "{}" }),
    );
    const response = await rawRequest(emulator.url, { path, body: '{"x":1}', headers: signed.headers as Record<string, string> });
    assert.equal(response.status, 403);
    assert.match(JSON.parse(response.body.toString()).message, /x-amz-content-sha256/);
  });

  it("rejects an unsigned request with MissingAuthenticationTokenException", async () => {
    const response = await rawRequest(emulator.url, { path: `/model/${encodeURIComponent(MODEL_ID)}/converse`, body: "{}" });
    assert.equal(response.status, 403);
    assert.match(String(response.headers["x-amzn-errortype"]), /^MissingAuthenticationTokenException:/);
  });

  it("never echoes a secret, signature or key in errors or recordings", async () => {
    const signature = "a".repeat(64);
    const forged = await rawRequest(emulator.url, {
      path: `/model/${encodeURIComponent(MODEL_ID)}/converse`,
      body: "{}",
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${EXAMPLE_CREDENTIALS.accessKeyId}/20200101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
        "x-amz-date": "20200101T000000Z",
      },
    });
    assert.equal(forged.status, 403);
    const text = forged.body.toString();
    for (const secret of [signature, EXAMPLE_CREDENTIALS.secretAccessKey, EXAMPLE_CREDENTIALS.accessKeyId]) assert.ok(!text.includes(secret));
    const client = sdkClient(emulator);
    try {
      await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
    } finally {
      client.destroy();
    }
    const dump = JSON.stringify(emulator.requests) + inspect(emulator, { depth: 5 });
    assert.ok(!dump.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
    assert.ok(!dump.includes(EXAMPLE_CREDENTIALS.accessKeyId));
    assert.ok(!/Signature=[0-9a-f]{64}/.test(dump));
  });
});

describe("session tokens and custom credentials", () => {
  const credentials = { accessKeyId: "AKIDSESSION", secretAccessKey: "session-secret", sessionToken: "session-token-1" };
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ planner: new SwitchablePlanner().planRequest, credentials: [credentials] });
  });
  after(() => emulator.close());

  it("accepts the configured session token", async () => {
    const client = sdkClient(emulator, { credentials });
    try {
      const output = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: CONVERSE_MESSAGES }));
      assert.equal(output.stopReason, "end_turn");
    } finally {
      client.destroy();
    }
    assert.equal(emulator.requests[0]?.headers["x-amz-security-token"], "[redacted]");
  });

  it("rejects a different session token", async () => {
    const client = sdkClient(emulator, { credentials: { ...credentials, sessionToken: "other-token" } });
    await expectRejection(client, "UnrecognizedClientException", /security token included in the request is invalid/);
  });

  it("rejects the default example key pair when it is not configured", async () => {
    await expectRejection(sdkClient(emulator), "UnrecognizedClientException", /security token/);
  });
});

describe("auth: false", () => {
  it("serves unsigned requests", async () => {
    const emulator = await startEmulator({ planner: new SwitchablePlanner().planRequest, auth: false });
    try {
      const response = await rawRequest(emulator.url, {
        path: `/model/${encodeURIComponent(MODEL_ID)}/converse`,
        body: JSON.stringify({ messages: CONVERSE_MESSAGES }),
      });
      assert.equal(response.status, 200);
      assert.equal(emulator.requests[0]?.authType, "none");
      assert.equal(emulator.requests[0]?.protocol, "http/1.1");
    } finally {
      await emulator.close();
    }
  });
});

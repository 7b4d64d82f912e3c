import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authSchemeSettings, resolveBedrockAuth } from "../../../src/providers/bedrock/resolve-auth.js";

const ENV_TOKEN = { AWS_BEARER_TOKEN_BEDROCK: "ABSKenvtoken" };

describe("resolveBedrockAuth: precedence keys > legacy ACCESS:SECRET > api key > AWS_BEARER_TOKEN_BEDROCK > default chain", () => {
  it("explicit keys win over everything, and pin SigV4 even when the env token is set", () => {
    const auth = resolveBedrockAuth({ accessKeyId: "AKID", secretAccessKey: "SECRET", apiKey: "ABSKkey" }, ENV_TOKEN);
    assert.equal(auth.kind, "static");
    assert.deepEqual(authSchemeSettings(auth), { authSchemePreference: ["sigv4"] });
  });

  it("legacy ACCESS:SECRET api_key is a key pair, over the env token", () => {
    const auth = resolveBedrockAuth({ apiKey: "AKID:SECRET" }, ENV_TOKEN);
    assert.deepEqual(auth, { kind: "static", source: "api_key", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
  });

  it("an api_key without ':' is a Bedrock API key (bearer), over the env token", () => {
    const auth = resolveBedrockAuth({ apiKey: "bedrock-api-key-abc" }, ENV_TOKEN);
    assert.deepEqual(auth, { kind: "bearer", token: "bedrock-api-key-abc" });
    assert.deepEqual(authSchemeSettings(auth), { authSchemePreference: ["httpBearerAuth"] });
  });

  it("AWS_BEARER_TOKEN_BEDROCK is used when the config has no credentials; empty means unset", () => {
    assert.deepEqual(resolveBedrockAuth({}, ENV_TOKEN), { kind: "bearer", token: "ABSKenvtoken" });
    const chain = resolveBedrockAuth({ profile: "dev" }, { AWS_BEARER_TOKEN_BEDROCK: "  " });
    assert.deepEqual(chain, { kind: "chain", profile: "dev" });
    assert.deepEqual(authSchemeSettings(chain), { authSchemePreference: ["sigv4"] });
  });
});

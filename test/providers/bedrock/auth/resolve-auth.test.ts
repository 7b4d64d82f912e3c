import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { inspect } from "node:util";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../../../src/emulator/index.js";
import type { LLMConfigInput } from "../../../../src/config/llm-config.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { resolveAuth } from "../../../../src/providers/bedrock/auth/resolve-auth.js";
import { ConfigError } from "../../../../src/schema/errors.js";

const ENV_TOKEN = { AWS_BEARER_TOKEN_BEDROCK: "ABSKenvtoken" };

describe("resolveAuth: precedence keys > legacy ACCESS:SECRET > api key > AWS_BEARER_TOKEN_BEDROCK > default chain", () => {
  it("explicit keys win over everything, and pin SigV4 even when the env token is set", () => {
    const auth = resolveAuth({ accessKeyId: "AKID", secretAccessKey: "SECRET", apiKey: "ABSKkey" }, ENV_TOKEN);
    assert.equal(auth.kind, "static");
  });

  it("legacy ACCESS:SECRET api_key is a key pair, over the env token", () => {
    const auth = resolveAuth({ apiKey: "AKID:SECRET" }, ENV_TOKEN);
    assert.deepEqual(auth, { kind: "static", source: "api_key", credentials: { accessKeyId: "AKID", secretAccessKey: "SECRET" } });
  });

  it("an api_key without ':' is a Bedrock API key (bearer), over the env token", () => {
    const auth = resolveAuth({ apiKey: "bedrock-api-key-abc" }, ENV_TOKEN);
    assert.deepEqual(auth, { kind: "bearer", token: "bedrock-api-key-abc" });
  });

  it("AWS_BEARER_TOKEN_BEDROCK is used when the config has no credentials; empty means unset", () => {
    assert.deepEqual(resolveAuth({}, ENV_TOKEN), { kind: "bearer", token: "ABSKenvtoken" });
    const chain = resolveAuth({ profile: "dev" }, { AWS_BEARER_TOKEN_BEDROCK: "  " });
    assert.deepEqual(chain, { kind: "chain", profile: "dev" });
  });
});

describe("resolveAuth: the config's own credentials", () => {
  const NO_ENV = {};
  it("follows the guide's order: config keys, legacy api_key, then the default chain", () => {
    assert.deepEqual(resolveAuth({ accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "ST", apiKey: "A:B" }, NO_ENV), {
      kind: "static",
      source: "config",
      credentials: { accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "ST" },
    });
    assert.deepEqual(resolveAuth({ apiKey: "AK2:SK2" }, NO_ENV), { kind: "static", source: "api_key", credentials: { accessKeyId: "AK2", secretAccessKey: "SK2" } });
    assert.deepEqual(resolveAuth({ profile: "dev" }, NO_ENV), { kind: "chain", profile: "dev" });
    assert.deepEqual(resolveAuth({}, NO_ENV), { kind: "chain" });
  });

  it("rejects half a key pair, a lone session token and a half legacy key", () => {
    assert.throws(() => resolveAuth({ accessKeyId: "AK" }, NO_ENV), (e: Error) => e instanceof ConfigError && /secret_access_key is missing/.test(e.message));
    assert.throws(() => resolveAuth({ secretAccessKey: "SK" }, NO_ENV), /access_key_id is missing/);
    assert.throws(() => resolveAuth({ sessionToken: "ST" }, ENV_TOKEN), ConfigError);
    assert.throws(() => resolveAuth({ apiKey: "AK:" }, NO_ENV), ConfigError);
  });
});

describe("credential branches as the emulator receives them", () => {
  let emulator: Emulator;
  const saved = { ...process.env };
  const authOf = (): string => emulator.requests.at(-1)!.authType;
  const base = (extra: Record<string, unknown>): LLMConfigInput => ({ api_type: "bedrock_async", model: "amazon.nova-lite-v1:0", region: "us-east-1", endpoint: emulator.url, max_attempts: 1, ...extra });
  /** The auth the emulator saw, the same for a non-streaming call (SDK client) and a stream (sent by minion-ts). */
  async function ask(config: LLMConfigInput): Promise<string> {
    const provider = new BedrockAsyncProvider(config);
    try {
      await provider.generate([{ role: "user", content: "hi" }]);
      const unary = authOf();
      await provider.generateStreamResponse([{ role: "user", content: "hi" }]);
      assert.equal(emulator.requests.at(-1)!.operation, "ConverseStream");
      assert.equal(authOf(), unary, "the stream used the same auth as the non-streaming call");
      return unary;
    } finally {
      await provider.close();
    }
  }

  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    process.env = saved;
    await emulator.close();
  });

  it("sends SigV4 for config keys and legacy ACCESS:SECRET even with AWS_BEARER_TOKEN_BEDROCK set", async () => {
    process.env["AWS_BEARER_TOKEN_BEDROCK"] = "not-the-right-token";
    assert.equal(await ask(base({ access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey })), "sigv4");
    assert.equal(await ask(base({ api_key: `${EXAMPLE_CREDENTIALS.accessKeyId}:${EXAMPLE_CREDENTIALS.secretAccessKey}` })), "sigv4");
  });

  it("sends an api_key without ':' as Authorization: Bearer, over the env token", async () => {
    process.env["AWS_BEARER_TOKEN_BEDROCK"] = "not-the-right-token";
    assert.equal(await ask(base({ api_key: EMULATOR_API_KEY })), "bearer");
    assert.equal(emulator.requests.at(-1)!.headers["x-amz-date"], undefined);
    assert.equal(emulator.requests.at(-2)!.headers["x-amz-date"], undefined);
  });

  it("uses AWS_BEARER_TOKEN_BEDROCK when the config has no credentials, else the default chain", async () => {
    process.env["AWS_BEARER_TOKEN_BEDROCK"] = EMULATOR_API_KEY;
    assert.equal(await ask(base({})), "bearer");
    delete process.env["AWS_BEARER_TOKEN_BEDROCK"];
    process.env["AWS_ACCESS_KEY_ID"] = EXAMPLE_CREDENTIALS.accessKeyId;
    process.env["AWS_SECRET_ACCESS_KEY"] = EXAMPLE_CREDENTIALS.secretAccessKey;
    delete process.env["AWS_SESSION_TOKEN"];
    delete process.env["AWS_PROFILE"];
    assert.equal(await ask(base({})), "sigv4");
  });

  it("scrubs the credentials the default chain resolved (environment) from errors that repeat them", async () => {
    const token = "IQoJb3JpZ2luX2VjCHAINTOKENCHAINTOKEN";
    const echo = `signature mismatch for token ${token} and key ${EXAMPLE_CREDENTIALS.secretAccessKey}`;
    const echoing = await startEmulator({
      credentials: [{ ...EXAMPLE_CREDENTIALS, sessionToken: token }],
      script: { rules: [{ match: { text: "echo" }, respond: { error: { name: "ValidationException", message: echo } } }] },
    });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: EXAMPLE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: EXAMPLE_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: token });
    delete process.env["AWS_BEARER_TOKEN_BEDROCK"];
    delete process.env["AWS_PROFILE"];
    const provider = new BedrockAsyncProvider({ ...base({}), endpoint: echoing.url });
    try {
      for (const call of [() => provider.generate([{ role: "user", content: "echo" }]), () => provider.generateStreamResponse([{ role: "user", content: "echo" }])]) {
        await assert.rejects(call(), (error: Error) => {
          assert.match(error.message, /signature mismatch for token \[redacted\]/);
          const everything = `${error.message} ${String(error.stack)} ${inspect(error, { depth: Infinity, showHidden: true })} ${JSON.stringify(error)}`;
          assert.ok(!everything.includes(token) && !everything.includes(EXAMPLE_CREDENTIALS.secretAccessKey), everything);
          return true;
        });
      }
    } finally {
      await provider.close();
      await echoing.close();
      delete process.env["AWS_SESSION_TOKEN"];
    }
  });

  it("never shows an API key in errors, inspect or JSON", async () => {
    const secret = "ABSKsuperSecretKeyValue123";
    for (const config of [base({ api_key: secret }), (process.env["AWS_BEARER_TOKEN_BEDROCK"] = secret, base({}))]) {
      const provider = new BedrockAsyncProvider(config);
      try {
        await assert.rejects(provider.generate([{ role: "user", content: "hi" }]), (error: Error) => {
          assert.ok(!`${error.message} ${inspect(error)} ${JSON.stringify(error)}`.includes(secret));
          return true;
        });
        assert.ok(!inspect(provider, { depth: 10 }).includes(secret));
        assert.ok(!JSON.stringify(provider).includes(secret));
      } finally {
        await provider.close();
      }
    }
    delete process.env["AWS_BEARER_TOKEN_BEDROCK"];
  });
});

import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { LLMConfig } from "../../src/config/llm-config.js";
import { assertResolved } from "../../src/config/assert-resolved.js";
import { ConfigError } from "../../src/schema/errors.js";

const AK = "AKIAIOSFODNN7EXAMPLE";
const SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN";
const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

function captureWarnings(): { messages: string[]; warn: (message: string) => void } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}

describe("LLMConfig input spellings", () => {
  it("accepts minion's snake_case keys", () => {
    const config = new LLMConfig({
      api_type: "bedrock_async",
      model: MODEL,
      region: "us-east-1",
      access_key_id: AK,
      secret_access_key: SK,
      session_token: TOKEN,
      temperature: 0.7,
      max_tokens: 1024,
      top_p: 0.9,
      top_k: 50,
      max_attempts: 4,
      idle_timeout: 5000,
      max_concurrency: 64,
    });
    assert.equal(config.apiType, "bedrock_async");
    assert.equal(config.model, MODEL);
    assert.equal(config.region, "us-east-1");
    assert.equal(config.accessKeyId, AK);
    assert.equal(config.secretAccessKey, SK);
    assert.equal(config.sessionToken, TOKEN);
    assert.equal(config.temperature, 0.7);
    assert.equal(config.maxTokens, 1024);
    assert.equal(config.topP, 0.9);
    assert.equal(config.topK, 50);
    assert.equal(config.maxAttempts, 4);
    assert.equal(config.idleTimeout, 5000);
    assert.equal(config.maxConcurrency, 64);
  });

  it("accepts camelCase keys and the same values come out", () => {
    const config = new LLMConfig({ apiType: "bedrock", model: MODEL, accessKeyId: AK, secretAccessKey: SK, maxTokens: 10 });
    assert.equal(config.apiType, "bedrock");
    assert.equal(config.accessKeyId, AK);
    assert.equal(config.maxTokens, 10);
  });

  it("treats provider as an alias of api_type and base_url as endpoint", () => {
    const config = new LLMConfig({ provider: "bedrock_async", model: MODEL, base_url: "http://127.0.0.1:4000" });
    assert.equal(config.apiType, "bedrock_async");
    assert.equal(config.endpoint, "http://127.0.0.1:4000");
  });

  it("rejects two spellings of one setting that disagree", () => {
    assert.throws(() => new LLMConfig({ provider: "bedrock_async", api_type: "openai", model: MODEL }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /provider and api_type are two names for the same setting/);
      return true;
    });
  });

  it("converts numeric strings (from ${VAR} substitution) to numbers", () => {
    const config = new LLMConfig({ api_type: "bedrock", model: MODEL, temperature: "${T}", max_tokens: "200" }, { env: { T: "0.25" } });
    assert.equal(config.temperature, 0.25);
    assert.equal(config.maxTokens, 200);
  });

  it("is immutable; with() derives a new config and keeps credentials", () => {
    const config = new LLMConfig({ api_type: "bedrock", model: MODEL, access_key_id: AK, secret_access_key: SK, temperature: 0.7 });
    assert.throws(() => {
      (config as unknown as { temperature: number }).temperature = 0.1;
    }, TypeError);
    const cooler = config.with({ temperature: 0.1 });
    assert.equal(cooler.temperature, 0.1);
    assert.equal(cooler.accessKeyId, AK);
    assert.equal(config.temperature, 0.7);
    const copy = new LLMConfig(config);
    assert.equal(copy.secretAccessKey, SK);
  });
});

describe("LLMConfig validation messages", () => {
  it("a setting filled from ${VAR} that is invalid is shown as written, not with the variable's value", () => {
    const env = { AWS_SECRET_ACCESS_KEY: SK, PLAIN: "plainvalue" };
    for (const [key, written] of [["temperature", "${AWS_SECRET_ACCESS_KEY}"], ["region", "eu-${PLAIN}"], ["endpoint", "${PLAIN}"], ["cache_ttl", "${PLAIN:-x}"]] as const) {
      assert.throws(
        () => new LLMConfig({ api_type: "bedrock_async", model: MODEL, [key]: written }, { env }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.ok(error.message.includes(`${key} must be `) && error.message.includes(`(got ${JSON.stringify(written)}; the variable's value is not shown)`), error.message);
          assert.ok(!error.message.includes(SK) && !error.message.includes("plainvalue"), error.message);
          return true;
        },
      );
    }
  });

  function messageOf(input: Record<string, unknown>, name?: string): string {
    try {
      new LLMConfig(input, { name });
    } catch (error) {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      return error.message;
    }
    assert.fail("expected a ConfigError");
  }

  it("names a missing api_type and the fix", () => {
    const message = messageOf({ model: MODEL }, "sonnet");
    assert.match(message, /model 'sonnet'/);
    assert.match(message, /api_type is required: set it to a provider name such as "bedrock_async"/);
  });

  it("names the field as written, the expectation and the bad value", () => {
    const message = messageOf({ api_type: "bedrock", model: MODEL, temperature: 3, maxTokens: -5, region: "Virginia" });
    assert.match(message, /temperature must be a number from 0 to 1 \(got 3\)/);
    assert.match(message, /maxTokens must be a whole number of at least 1 \(got -5\)/);
    assert.match(message, /region must be an AWS region name such as "us-east-1" \(got "Virginia"\)/);
  });

  it("rejects an endpoint that is not a URL", () => {
    assert.match(messageOf({ api_type: "bedrock", model: MODEL, endpoint: "localhost:4000" }), /endpoint must be an http\(s\) URL/);
    assert.equal(new LLMConfig({ api_type: "bedrock", model: MODEL, endpoint: "emulator" }).endpoint, "emulator");
  });

  it("never echoes a credential in a validation message", () => {
    const message = messageOf({ api_type: "bedrock", model: MODEL, secret_access_key: ["x", SK], temperature: 9 });
    assert.match(message, /secret_access_key must be a non-empty string \(got a list; value not shown\)/);
    assert.ok(!message.includes(SK));
  });

  it("rejects input that is not a mapping", () => {
    assert.throws(() => new LLMConfig("bedrock" as never), ConfigError);
  });
});

describe("LLMConfig unknown keys", () => {
  it("keeps unknown keys in extra and warns once per key, with a suggestion", () => {
    const { messages, warn } = captureWarnings();
    const config = new LLMConfig({ api_type: "bedrock", model: MODEL, tempreature: 0.2, api_version: "x" }, { name: "m", warn });
    new LLMConfig({ api_type: "bedrock", model: MODEL, tempreature: 0.3 }, { warn });
    assert.deepEqual(config.extra, { tempreature: 0.2, api_version: "x" });
    assert.equal(config.temperature, undefined);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /Unknown key "tempreature" in the config of model 'm' is ignored .*did you mean "temperature"\?/);
  });
});

describe("LLMConfig never shows secrets", () => {
  const config = new LLMConfig(
    { api_type: "bedrock_async", model: MODEL, access_key_id: AK, secret_access_key: SK, session_token: TOKEN, api_key: "ABSKexampleapikey", extra_password: "hunter2" },
    { name: "prod", warn: () => {} },
  );

  for (const [label, render] of [
    ["JSON.stringify", () => JSON.stringify(config)],
    ["util.inspect", () => inspect(config, { depth: 5 })],
    ["toString", () => String(config)],
    ["template literal", () => `${config}`],
    ["Object spread", () => JSON.stringify({ ...config })],
  ] as const) {
    it(`${label} hides every credential`, () => {
      const text = render();
      for (const secret of [AK, SK, TOKEN, "ABSKexampleapikey", "hunter2"]) assert.ok(!text.includes(secret), `${label} leaked ${secret.slice(0, 4)}...`);
    });
  }

  it("shows which credentials are set, redacted", () => {
    const json = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    assert.equal(json["accessKeyId"], "AKIA****");
    assert.equal(json["secretAccessKey"], "[redacted]");
    assert.equal(json["sessionToken"], "[redacted]");
    assert.equal(json["apiKey"], "[redacted]");
    assert.equal(json["model"], MODEL);
  });
});

describe("unset ${VAR} references", () => {
  it("leaves the field unset, remembers the variable, and assertResolved names it", () => {
    const config = new LLMConfig(
      { api_type: "bedrock_async", model: MODEL, access_key_id: "${AWS_ACCESS_KEY_ID}", secret_access_key: "${AWS_SECRET_ACCESS_KEY}" },
      { name: "claude", env: {} },
    );
    assert.equal(config.accessKeyId, undefined);
    assert.equal(config.secretAccessKey, undefined);
    assert.deepEqual(config.unresolvedVariables(), [
      { field: "accessKeyId", key: "access_key_id", variable: "AWS_ACCESS_KEY_ID" },
      { field: "secretAccessKey", key: "secret_access_key", variable: "AWS_SECRET_ACCESS_KEY" },
    ]);
    assert.ok(!JSON.stringify(config).includes("${"));
    assert.throws(() => assertResolved(config), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /AWS_ACCESS_KEY_ID is not set \(used by access_key_id of model 'claude'\)/);
      assert.match(error.message, /AWS_SECRET_ACCESS_KEY is not set \(used by secret_access_key of model 'claude'\)/);
      assert.match(error.message, /remove the key to use the default AWS credential chain/);
      return true;
    });
  });

  it("assertResolved only checks the fields asked for, in either spelling", () => {
    const config = new LLMConfig({ api_type: "bedrock", model: MODEL, region: "${REGION}" }, { env: {} });
    assert.doesNotThrow(() => assertResolved(config, ["accessKeyId"]));
    assert.throws(() => assertResolved(config, ["region"]), /REGION is not set \(used by region of this LLMConfig\)/);
    assert.throws(() => assertResolved(config, ["region"]), /export it, give a default/);
  });

  it("a required field with an unset variable is reported by assertResolved, not as missing", () => {
    const config = new LLMConfig({ api_type: "bedrock", model: "${MODEL_ID}" }, { env: {} });
    assert.throws(() => assertResolved(config), /MODEL_ID is not set \(used by model/);
  });

  it("resolves set variables, embedded references and defaults", () => {
    const env = { HOST: "127.0.0.1", AK: AK };
    const config = new LLMConfig(
      { api_type: "bedrock", model: MODEL, endpoint: "http://${HOST}:${PORT:-4000}", access_key_id: "${AK}", region: "${REGION:-eu-west-1}" },
      { env },
    );
    assert.equal(config.endpoint, "http://127.0.0.1:4000");
    assert.equal(config.accessKeyId, AK);
    assert.equal(config.region, "eu-west-1");
    assert.deepEqual(config.unresolvedVariables(), []);
    assert.doesNotThrow(() => assertResolved(config));
  });
});

describe("LLMConfig.with", () => {
  it("removes a setting given as null and re-checks the rest", () => {
    const config = new LLMConfig({ api_type: "bedrock", model: MODEL, api_key: "ABSKexample", session_token: TOKEN, region: "us-west-2" });
    const next = config.with({ apiKey: null, session_token: null, endpoint: "http://127.0.0.1:1234" });
    assert.equal(next.apiKey, undefined);
    assert.equal(next.sessionToken, undefined);
    assert.equal(next.region, "us-west-2");
    assert.equal(next.endpoint, "http://127.0.0.1:1234");
    assert.throws(() => config.with({ temperature: 5 }), /temperature must be a number from 0 to 1/);
  });
});

describe("LLMConfig api", () => {
  it("accepts auto, invoke and converse, and names the choices otherwise", () => {
    assert.equal(new LLMConfig({ api_type: "bedrock", model: MODEL, api: "converse" }).api, "converse");
    assert.throws(() => new LLMConfig({ api_type: "bedrock", model: MODEL, api: "grpc" }), /api must be "auto", "converse" or "invoke" \(got "grpc"\)/);
  });
});

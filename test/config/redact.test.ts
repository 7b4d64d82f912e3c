import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { LLMConfig } from "../../src/config/llm-config.js";
import { isSecretLookingKey, isSecretLookingValue, redactExtra } from "../../src/config/redact.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("redaction of printed configs", () => {
  it("judges key names fuzzily: misspelt credential keys count, ordinary settings do not", () => {
    for (const key of ["api_kye", "aws_secrte_access_kye", "apiKey", "db_password", "passwrod", "secert", "aws_session_tokne", "atuh_header", "credentails", "x-auth"]) {
      assert.equal(isSecretLookingKey(key), true, key);
    }
    for (const key of ["model", "temperature", "region", "endpoint", "api_version", "vision_enabled", "keep_alive", "timeout_seconds", "profile", "top_k", "description"]) {
      assert.equal(isSecretLookingKey(key), false, key);
    }
  });

  it("judges values by shape: AWS keys, long random tokens, private keys; not model ids, regions or ARNs", () => {
    for (const value of [SECRET, "AKIAIOSFODNN7EXAMPLE", "ABSKQmVkcm9ja0FQSUtleS1hYmMxMjM0NTY3ODk=", "-----BEGIN RSA PRIVATE KEY-----\nabc", "0123456789abcdef0123456789abcdef"]) {
      assert.equal(isSecretLookingValue(value), true, value);
    }
    for (const value of ["anthropic.claude-3-5-sonnet-20240620-v1:0", "us-east-1", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0", "hello world"]) {
      assert.equal(isSecretLookingValue(value), false, value);
    }
  });

  it("redacts nested mappings and lists", () => {
    assert.deepEqual(redactExtra({ nested: { api_kye: "x" }, list: [SECRET, "plain"], note: "plain" }), { nested: { api_kye: "[redacted]" }, list: ["[redacted]", "plain"], note: "plain" });
  });

  it("JSON.stringify and util.inspect of an LLMConfig hide misspelt credential keys, secret-shaped values and URL passwords", () => {
    const config = new LLMConfig(
      {
        api_type: "bedrock",
        model: "anthropic.claude-3-haiku-20240307-v1:0",
        api_kye: "short-but-secret",
        aws_secrte_access_kye: "also-secret-value",
        some_setting: SECRET,
        endpoint: "https://me:hunter2hunter2@bedrock-proxy.example.com/path",
      },
      { warn: () => {} },
    );
    for (const text of [JSON.stringify(config), inspect(config, { depth: Infinity })]) {
      for (const secret of ["short-but-secret", "also-secret-value", SECRET, "hunter2hunter2"]) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      assert.match(text, /bedrock-proxy\.example\.com/);
    }
    assert.equal(config.extra["api_kye"], "short-but-secret", "the value stays readable in code");
  });
});

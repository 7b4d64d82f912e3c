import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveAuth, resolveRegion } from "../../../../src/providers/bedrock/auth/resolve-credentials.js";
import { ConfigError } from "../../../../src/schema/errors.js";

describe("credentials and region", () => {
  it("follows the guide's order: config keys, legacy api_key, then the default chain", () => {
    assert.deepEqual(resolveAuth({ accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "ST", apiKey: "A:B" }), {
      kind: "static",
      source: "config",
      credentials: { accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "ST" },
    });
    assert.deepEqual(resolveAuth({ apiKey: "AK2:SK2" }), { kind: "static", source: "api_key", credentials: { accessKeyId: "AK2", secretAccessKey: "SK2" } });
    assert.deepEqual(resolveAuth({ profile: "dev" }), { kind: "chain", profile: "dev" });
    assert.deepEqual(resolveAuth({}), { kind: "chain" });
  });

  it("rejects half a key pair, a lone session token and a half legacy key", () => {
    assert.throws(() => resolveAuth({ accessKeyId: "AK" }), (e: Error) => e instanceof ConfigError && /secret_access_key is missing/.test(e.message));
    assert.throws(() => resolveAuth({ secretAccessKey: "SK" }), /access_key_id is missing/);
    assert.throws(() => resolveAuth({ sessionToken: "ST" }), ConfigError);
    assert.throws(() => resolveAuth({ apiKey: "AK:" }), ConfigError);
  });

  it("takes the region from config, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1", () => {
    assert.equal(resolveRegion({ region: "eu-west-1" }, { AWS_REGION: "us-west-2" }), "eu-west-1");
    assert.equal(resolveRegion({}, { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "ap-south-1" }), "us-west-2");
    assert.equal(resolveRegion({}, { AWS_DEFAULT_REGION: "ap-south-1" }), "ap-south-1");
    assert.equal(resolveRegion({}, {}), "us-east-1");
    assert.throws(() => resolveRegion({ region: "Frankfurt" }, {}), ConfigError);
  });
});

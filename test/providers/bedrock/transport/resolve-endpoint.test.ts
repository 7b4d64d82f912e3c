/**
 * The endpoint for a region (no traffic: only the URL is computed), checked against the AWS SDK's own
 * endpoint rules for Bedrock Runtime; and a configured endpoint (a VPC endpoint with a path prefix) used as is.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { partition } from "@aws-sdk/core/client";
import { EXAMPLE_CREDENTIALS } from "../../../../src/emulator/index.js";
import { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { bedrockRuntimeUrl, resolveEndpoint } from "../../../../src/providers/bedrock/transport/resolve-endpoint.js";
import { ConfigError } from "../../../../src/schema/errors.js";
import { MODEL } from "../emulator-fixture.js";

const url = (region: string, useFips = false, useDualStack = false): string => bedrockRuntimeUrl(region, partition(region), { useFips, useDualStack }).href;

describe("the Bedrock Runtime endpoint of a region", () => {
  it("commercial, China (.amazonaws.com.cn), GovCloud, FIPS and dual-stack", () => {
    assert.equal(url("us-east-1"), "https://bedrock-runtime.us-east-1.amazonaws.com/");
    assert.equal(url("cn-north-1"), "https://bedrock-runtime.cn-north-1.amazonaws.com.cn/");
    assert.equal(url("cn-northwest-1"), "https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn/");
    assert.equal(url("us-gov-west-1"), "https://bedrock-runtime.us-gov-west-1.amazonaws.com/");
    assert.equal(url("us-gov-west-1", true), "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/");
    assert.equal(url("us-east-1", true), "https://bedrock-runtime-fips.us-east-1.amazonaws.com/");
    assert.equal(url("us-east-1", false, true), "https://bedrock-runtime.us-east-1.api.aws/");
    assert.equal(url("us-east-1", true, true), "https://bedrock-runtime-fips.us-east-1.api.aws/");
  });

  it("is the URL the AWS SDK's own endpoint rules give, region by region", () => {
    for (const region of ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1", "cn-north-1", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1", "us-isob-east-1"]) {
      for (const [useFips, useDualStack] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const client = new BedrockRuntimeClient({ region });
        const expected = client.config.endpointProvider({ Region: region, UseFIPS: useFips, UseDualStack: useDualStack }).url.href;
        client.destroy();
        assert.equal(url(region, useFips, useDualStack), expected, `${region} fips=${useFips} dualstack=${useDualStack}`);
      }
    }
  });

  it("a partition without FIPS is a ConfigError naming the setting", () => {
    assert.throws(() => bedrockRuntimeUrl("xx-east-1", { name: "test", dnsSuffix: "example", dualStackDnsSuffix: "example", supportsFIPS: false, supportsDualStack: true }, { useFips: true, useDualStack: false }), (error: unknown) => error instanceof ConfigError && /AWS_USE_FIPS_ENDPOINT/.test(error.message));
  });

  it("reads AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT as the SDK does; a configured endpoint wins", async () => {
    const saved = { fips: process.env["AWS_USE_FIPS_ENDPOINT"], dual: process.env["AWS_USE_DUALSTACK_ENDPOINT"] };
    try {
      process.env["AWS_USE_FIPS_ENDPOINT"] = "true";
      process.env["AWS_USE_DUALSTACK_ENDPOINT"] = "false";
      assert.equal((await resolveEndpoint({ region: "us-gov-west-1" })).href, "https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/");
      assert.equal((await resolveEndpoint({ region: "us-east-1", endpoint: "https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com/prefix" })).href, "https://vpce-0abc.bedrock-runtime.us-east-1.vpce.amazonaws.com/prefix");
    } finally {
      for (const [name, value] of [["AWS_USE_FIPS_ENDPOINT", saved.fips], ["AWS_USE_DUALSTACK_ENDPOINT", saved.dual]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe("an endpoint with a path prefix (a VPC endpoint behind a gateway)", () => {
  it("every call goes to the prefix + the operation's path, signed for that path", async () => {
    const seen: string[] = [];
    const server = http.createServer((request, response) => {
      seen.push(`${request.url} ${/SignedHeaders=/.test(String(request.headers["authorization"])) ? "signed" : "unsigned"}`);
      request.resume();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ content: [{ type: "text", text: "via the prefix" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 2 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vpce/runtime/`;
    const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint });
    try {
      assert.equal(await provider.generate([{ role: "user", content: "hi" }]), "via the prefix");
      assert.deepEqual(seen, [`/vpce/runtime/model/${encodeURIComponent(MODEL)}/invoke signed`]);
    } finally {
      await provider.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

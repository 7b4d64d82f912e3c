import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { encodeUriSegment } from "../../../../src/providers/bedrock/transport/encode-uri-segment.js";
import { SigV4Signer, type SigningCredentials } from "../../../../src/providers/bedrock/transport/sign-sigv4.js";

const KEYS: SigningCredentials = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const WHEN = new Date("2026-11-25T09:30:00.000Z");

/** What the AWS SDK's own signer puts on the same request. */
async function sdkSignature(path: string, headers: Record<string, string>, body: string, credentials: SigningCredentials, region = "us-east-1", when = WHEN): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region, service: "bedrock", sha256: Hash.bind(null, "sha256") as never });
  const request = new HttpRequest({ method: "POST", protocol: "https:", hostname: headers["host"]!, path, headers: { ...headers }, body });
  const signed = await signer.sign(request, { signingDate: when });
  return signed.headers;
}

function oursFor(path: string, headers: Record<string, string>, body: string, credentials: SigningCredentials, region = "us-east-1"): Record<string, string> {
  const request = { method: "POST", path, headers: { ...headers }, body };
  new SigV4Signer(region).sign(request, credentials, WHEN);
  return request.headers;
}

describe("SigV4Signer", () => {
  const cases: Array<{ name: string; model: string; headers?: Record<string, string>; credentials?: SigningCredentials; region?: string }> = [
    { name: "a plain model id", model: "anthropic.claude-3-5-haiku-20241022-v1:0" },
    { name: "an inference profile ARN (':' and '/' in the path label)", model: "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0", region: "eu-west-1" },
    { name: "a session token", model: "anthropic.claude-3-haiku-20240307-v1:0", credentials: { ...KEYS, sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=" } },
    {
      name: "guardrail headers and a header value with inner whitespace",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      headers: { "x-amzn-bedrock-guardrailidentifier": "gr-abc123", "x-amzn-bedrock-guardrailversion": "DRAFT", "x-amzn-bedrock-trace": "ENABLED", "x-custom": "  a   b  " },
    },
  ];
  for (const testCase of cases) {
    it(`signs like @smithy/signature-v4: ${testCase.name}`, async () => {
      const path = `/model/${encodeUriSegment(testCase.model)}/invoke-with-response-stream`;
      const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 10, messages: [{ role: "user", content: "Grüße (ünïcode) *" }] });
      const headers = { host: "bedrock-runtime.us-east-1.amazonaws.com", "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "x-amzn-bedrock-accept": "application/json", ...testCase.headers };
      const credentials = testCase.credentials ?? KEYS;
      const ours = oursFor(path, headers, body, credentials, testCase.region);
      const sdk = await sdkSignature(path, headers, body, credentials, testCase.region);
      assert.equal(ours["authorization"], sdk["authorization"]);
      assert.equal(ours["x-amz-date"], sdk["x-amz-date"]);
      assert.equal(ours["x-amz-security-token"], sdk["x-amz-security-token"]);
    });
  }

  it("encodes path labels as the SDK does (RFC 3986: also ! ' ( ) *)", () => {
    assert.equal(encodeUriSegment("arn:aws:bedrock:us-east-1:1:x/y(1)!*'"), "arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ax%2Fy%281%29%21%2A%27");
  });

  it("derives a new key for a new day and for new credentials", () => {
    const signer = new SigV4Signer("us-east-1");
    const sign = (credentials: SigningCredentials, when: Date) => {
      const request = { method: "POST", path: "/model/m/invoke-with-response-stream", headers: { host: "h" } as Record<string, string>, body: "{}" };
      signer.sign(request, credentials, when);
      return request.headers["authorization"]!.split("Signature=")[1];
    };
    const today = sign(KEYS, WHEN);
    assert.equal(sign(KEYS, WHEN), today);
    assert.notEqual(sign(KEYS, new Date("2026-11-26T09:30:00.000Z")), today);
    assert.notEqual(sign({ ...KEYS, secretAccessKey: "another-secret-key-of-forty-characters!!" }, WHEN), today);
  });

  it("one signer keeps signing like the SDK as the body, path and second change (what it reuses between calls)", async () => {
    const signer = new SigV4Signer("us-east-1");
    const steps = [
      { path: "/model/a/invoke-with-response-stream", body: '{"n":1}', when: WHEN },
      { path: "/model/a/invoke-with-response-stream", body: '{"n":22}', when: new Date(WHEN.getTime() + 400) }, // same second
      { path: "/model/b%3A1/converse-stream", body: '{"n":333}', when: new Date(WHEN.getTime() + 1000) },
      { path: "/model/a/invoke-with-response-stream", body: "{}", when: new Date(WHEN.getTime() + 61_000) },
    ];
    for (const step of steps) {
      const headers = { host: "bedrock-runtime.us-east-1.amazonaws.com", "content-type": "application/json" };
      const request = { method: "POST", path: step.path, headers: { ...headers } as Record<string, string>, body: step.body };
      signer.sign(request, KEYS, step.when);
      const sdk = await sdkSignature(step.path, headers, step.body, KEYS, "us-east-1", step.when);
      assert.equal(request.headers["authorization"], sdk["authorization"], step.path + " " + step.body);
      assert.equal(request.headers["x-amz-date"], sdk["x-amz-date"]);
    }
  });

  it("signs a string to sign longer than its reused buffer (a very long region name) like the SDK", async () => {
    const region = `test-${"x".repeat(300)}-1`;
    const headers = { host: "localhost", "content-type": "application/json" };
    const ours = oursFor("/model/m/invoke", headers, "{}", KEYS, region);
    const sdk = await sdkSignature("/model/m/invoke", headers, "{}", KEYS, region);
    assert.equal(ours["authorization"], sdk["authorization"]);
  });

  it("signs a string to sign with non-ASCII characters (UTF-8, as the SDK hashes it) like the SDK", async () => {
    // The first two fit the signer's reused buffer; the last (900 bytes of UTF-8) takes the createHmac path.
    for (const region of [`eu-${"ü".repeat(120)}-1`, `ap-${"€".repeat(90)}-1`, `x-${"€".repeat(300)}-1`]) {
      const headers = { host: "localhost", "content-type": "application/json" };
      const ours = oursFor("/model/m/invoke", headers, "{}", KEYS, region);
      const sdk = await sdkSignature("/model/m/invoke", headers, "{}", KEYS, region);
      assert.equal(ours["authorization"], sdk["authorization"], region);
    }
  });
});

/** SigV4 checks on requests whose query strings carry names that are also Object.prototype members. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { rawRequest } from "./support/raw-http.js";

describe("SigV4 over a query string", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  /** GET /model-invocation-jobs signed over `signedQuery`, sent with `sentQuery`. */
  async function signedList(signedQuery: Record<string, string>, sentQuery = signedQuery) {
    const url = new URL(emulator.url);
    const signer = new SignatureV4({ service: "bedrock", region: "us-east-1", credentials: { ...EXAMPLE_CREDENTIALS }, sha256: Hash.bind(null, "sha256"), uriEscapePath: true });
    const request = new HttpRequest({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/model-invocation-jobs", query: signedQuery, headers: { host: url.host } });
    const signed = await signer.sign(request);
    return rawRequest(emulator.url, { method: "GET", path: `/model-invocation-jobs?${new URLSearchParams(sentQuery)}`, headers: signed.headers });
  }

  for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
    it(`a correctly signed request with a query parameter named ${name} is accepted`, async () => {
      const response = await signedList({ maxResults: "5", [name]: "a" });
      assert.equal(response.headers["x-amzn-errortype"], undefined, response.body.toString());
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body.toString()), { invocationJobSummaries: [] });
    });
  }

  it("a parameter named constructor signed with another value is still refused", async () => {
    const response = await signedList({ constructor: "a" }, { constructor: "b" });
    assert.equal(response.status, 403);
    assert.match(String(response.headers["x-amzn-errortype"]), /^InvalidSignatureException/);
  });
});

/**
 * Embedding answers are untrusted: a server on 127.0.0.1 that answers InvokeModel with 200 and a hostile body.
 * Each must end in a typed NetworkError ("corrupt_response"), never in vectors built
 * from it, a crash, a polluted prototype or a secret in the message.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { BedrockEmbeddingProvider } from "../../../src/providers/bedrock/embeddings/bedrock-embedding-provider.js";
import { NetworkError } from "../../../src/schema/errors.js";

let server: Server;
let url: string;
let answer: Buffer = Buffer.alloc(0);
let requests = 0;

before(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      // Sent in pieces, so the decoder sees a body in several chunks.
      res.writeHead(200, { "content-type": "application/json", "x-amzn-bedrock-input-token-count": "3" });
      for (let at = 0; at < answer.length; at += 1000) res.write(answer.subarray(at, at + 1000));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function provider(model: string): BedrockEmbeddingProvider {
  return new BedrockEmbeddingProvider(
    { api_type: "bedrock_embedding", model, endpoint: url, region: "us-east-1", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, max_attempts: 2 },
    { retry: { baseDelayMs: 1, throttlingBaseDelayMs: 1 } },
  );
}

const vector = (n: number) => `[${Array.from({ length: n }, (_, i) => (i / 7).toString()).join(",")}]`;

describe("hostile embedding answers", () => {
  const hostile: Array<[string, string]> = [
    ["truncated", `{"embeddings":[${vector(1024)},${vector(1024).slice(0, 500)}`],
    ["not JSON", "<html>gateway error</html>"],
    ["NaN in a vector", `{"embeddings":[${vector(3).replace("]", ",NaN]")},${vector(3)}]}`],
    ["a string in a vector", `{"embeddings":[[0.1,"0.2"],${vector(2)}]}`],
    ["an empty vector", `{"embeddings":[[],${vector(2)}]}`],
    ["one vector too few", `{"embeddings":[${vector(4)}]}`],
    ["vectors only on the prototype", `{"__proto__":{"embeddings":[${vector(2)},${vector(2)}]}}`],
    ["nested past any sane depth", `{"embeddings":${"[".repeat(50_000)}${"]".repeat(50_000)}}`],
    ["a JSON array, not an object", `[${vector(2)},${vector(2)}]`],
    ["a body that quotes the secret key", `{"embeddings":[[0.1],[0.2]],"x":"${EXAMPLE_CREDENTIALS.secretAccessKey}",}`],
  ];

  for (const [what, body] of hostile) {
    it(`${what}: a typed corrupt_response error`, async () => {
      answer = Buffer.from(body);
      requests = 0;
      const llm = provider("cohere.embed-english-v3");
      try {
        const error = await llm.embed(["first text", "second text"]).then(
          () => assert.fail("resolved"),
          (thrown: unknown) => thrown,
        );
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.networkCode, "corrupt_response");
        assert.match(error.message, /The response from Bedrock could not be decoded/);
        assert.ok(!error.message.includes(EXAMPLE_CREDENTIALS.secretAccessKey), "no secret in the message");
        assert.ok(requests >= 1 && requests <= 2, "at most max_attempts requests");
        assert.equal(({} as Record<string, unknown>)["embeddings"], undefined, "no prototype pollution");
      } finally {
        await llm.close();
      }
    });
  }

  it("a well-formed answer in many chunks decodes to the same numbers JSON.parse gives", async () => {
    const vectors = [Array.from({ length: 1024 }, (_, i) => Math.fround(Math.sin(i)) / 3), Array.from({ length: 1024 }, (_, i) => -i * 1e-9)];
    answer = Buffer.from(JSON.stringify({ id: "x", texts: ["first text", "second text"], embeddings: { float: vectors }, response_type: "embeddings_by_type" }));
    const llm = provider("cohere.embed-english-v3");
    try {
      assert.deepEqual(await llm.embed(["first text", "second text"]), JSON.parse(JSON.stringify(vectors)));
    } finally {
      await llm.close();
    }
  });
});

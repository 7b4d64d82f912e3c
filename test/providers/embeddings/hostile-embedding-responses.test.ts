/**
 * Embedding answers are untrusted: a server on 127.0.0.1 that answers InvokeModel with 200 and a hostile body.
 * Each must end in a typed NetworkError ("corrupt_response") that names what is wrong (the field, for a bad
 * vector), never in vectors built from it, a crash, a polluted prototype or a secret in the message.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { BedrockEmbeddingProvider } from "../../../src/providers/bedrock/embeddings/bedrock-embedding-provider.js";
import type { EmbedOptions } from "../../../src/providers/embedding-provider.js";
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
const ints = (n: number, value = 1) => `[${Array.from({ length: n }, () => value).join(",")}]`;

interface Hostile {
  what: string;
  body: string;
  /** What the error message must say (the field at fault), after "could not be decoded". */
  says: RegExp;
  model?: string;
  options?: EmbedOptions;
}

const COHERE = "cohere.embed-english-v3";
const TITAN = "amazon.titan-embed-text-v2:0";
const NOT_JSON = /its body is not JSON/;

describe("hostile embedding answers", () => {
  const hostile: Hostile[] = [
    { what: "truncated", body: `{"embeddings":[${vector(1024)},${vector(1024).slice(0, 500)}`, says: NOT_JSON },
    { what: "not JSON", body: "<html>gateway error</html>", says: NOT_JSON },
    { what: "NaN in a vector", body: `{"embeddings":[${vector(3).replace("]", ",NaN]")},${vector(3)}]}`, says: NOT_JSON },
    { what: "Infinity in a vector", body: `{"embeddings":[[0.1,Infinity],[0.1,0.2]]}`, says: NOT_JSON },
    { what: "a string in a vector", body: `{"embeddings":[[0.1,"0.2"],${vector(2)}]}`, says: /"embeddings\[0\]\[1\]" is a string, not a finite number/ },
    { what: "null in a vector", body: `{"embeddings":[${vector(2)},[null,0.2]]}`, says: /"embeddings\[1\]\[0\]" is null, not a finite number/ },
    { what: "a nested array in a vector", body: `{"embeddings":[[0.1,[0.2]],${vector(2)}]}`, says: /"embeddings\[0\]\[1\]" is a list, not a finite number/ },
    { what: "a huge exponent (Infinity) in a vector", body: `{"embeddings":[[0.1,1e400],${vector(2)}]}`, says: /"embeddings\[0\]\[1\]" is Infinity, not a finite number/ },
    { what: "a huge negative exponent late in a long vector", body: `{"embeddings":[${vector(900).replace("]", ",-1e999]")},${vector(901)}]}`, says: /"embeddings\[0\]\[900\]" is -Infinity, not a finite number/ },
    { what: "-1e999 in vectors of equal length", body: `{"embeddings":[[0.5,0.5],[0.5,-1e999]]}`, says: /"embeddings\[1\]\[1\]" is -Infinity, not a finite number/ },
    { what: "an empty vector", body: `{"embeddings":[[],${vector(2)}]}`, says: /"embeddings\[0\]" has 0 value\(s\)/ },
    { what: "vectors of unequal length", body: `{"embeddings":[${vector(4)},${vector(3)}]}`, says: /"embeddings\[1\]" has 3 value\(s\), expected 4/ },
    { what: "one vector too few", body: `{"embeddings":[${vector(4)}]}`, says: /"embeddings" holds 1 vector\(s\) for 2 input\(s\)/ },
    { what: "no embeddings", body: `{"id":"x","texts":["first text","second text"]}`, says: /"embeddings" is missing/ },
    { what: "embeddings as a string", body: `{"embeddings":"${vector(2)}"}`, says: /"embeddings" is a string, not vectors/ },
    { what: "embeddings without the type asked for", body: `{"embeddings":{"int8":[${ints(2)},${ints(2)}]}}`, says: /"embeddings.float" is missing/ },
    { what: "vectors only on the prototype", body: `{"__proto__":{"embeddings":[${vector(2)},${vector(2)}]}}`, says: /"embeddings" is missing/ },
    { what: "nested past any sane depth", body: `{"embeddings":${"[".repeat(50_000)}${"]".repeat(50_000)}}`, says: /nesting too deep/ },
    { what: "a JSON array, not an object", body: `[${vector(2)},${vector(2)}]`, says: /not a JSON object/ },
    { what: "a body that quotes the secret key", body: `{"embeddings":[[0.1],[0.2]],"x":"${EXAMPLE_CREDENTIALS.secretAccessKey}",}`, says: NOT_JSON },
    { what: "a secret key in a vector", body: `{"embeddings":[["${EXAMPLE_CREDENTIALS.secretAccessKey}"],[0.2]]}`, says: /"embeddings\[0\]\[0\]" is a string/ },
    { what: "a malformed escape in the echoed texts", body: `{"texts":["first \\x text"],"embeddings":[${vector(2)},${vector(2)}]}`, says: /not JSON \(invalid escape in a string at byte 10\)/ },
    { what: "a trailing comma in the echoed texts", body: `{"texts":["first text",],"embeddings":[${vector(2)},${vector(2)}]}`, says: /not JSON \(unexpected character at byte 23\)/ },
    { what: "int8 asked, a list of floats answered", body: `{"embeddings":[${vector(2)},${vector(2)}]}`, says: /"embeddings" is a list of float vectors, not the "int8" vectors asked for/, options: { embeddingType: "int8" } },
    { what: "int8 out of range", body: `{"embeddings":{"int8":[[1,300],[1,2]]}}`, says: /"embeddings.int8\[0\]\[1\]" is 300, not an integer from -128 to 127/, options: { embeddingType: "int8" } },
    { what: "int8 not whole", body: `{"embeddings":{"int8":[[1,2],[1,1.5]]}}`, says: /"embeddings.int8\[1\]\[1\]" is 1.5, not an integer/, options: { embeddingType: "int8" } },
    { what: "int8 as strings", body: `{"embeddings":{"int8":[["1","2"],[1,2]]}}`, says: /"embeddings.int8\[0\]\[0\]" is a string, not an integer/, options: { embeddingType: "int8" } },
    { what: "ubinary below 0", body: `{"embeddings":{"ubinary":[[1,2],[-1,2]]}}`, says: /"embeddings.ubinary\[1\]\[0\]" is -1, not an integer from 0 to 255/, options: { embeddingType: "ubinary" } },
    { what: "binary as an object of vectors", body: `{"embeddings":{"binary":{"0":[1],"1":[2]}}}`, says: /"embeddings.binary" is an object, not a list of vectors/, options: { embeddingType: "binary" } },
    { what: "fewer dimensions than asked", body: `{"embeddings":{"float":[${vector(256)},${vector(255)}]}}`, says: /"embeddings.float\[1\]" has 255 value\(s\), expected 256/, model: "cohere.embed-v4:0", options: { dimensions: 256 } },
    { what: "binary vectors not packed 8 to a value", body: `{"embeddings":{"binary":[${ints(256)},${ints(256)}]}}`, says: /"embeddings.binary\[0\]" has 256 value\(s\), expected 32/, model: "cohere.embed-v4:0", options: { dimensions: 256, embeddingType: "binary" } },
    { what: "Titan without an embedding", body: `{"inputTextTokenCount":3}`, says: /"embedding" is missing/, model: TITAN },
    { what: "Titan, a string in the embedding", body: `{"embedding":[0.1,"x"],"inputTextTokenCount":3}`, says: /"embedding\[1\]" is a string/, model: TITAN },
    { what: "Titan, binary values that are not bits", body: `{"embeddingsByType":{"binary":[0,1,2]}}`, says: /"embeddingsByType.binary\[2\]" is 2, not an integer from 0 to 1/, model: TITAN, options: { embeddingType: "binary" } },
    { what: "Titan, floats where binary was asked", body: `{"embedding":[0,1,1]}`, says: /"embeddingsByType.binary" is missing/, model: TITAN, options: { embeddingType: "binary" } },
    { what: "Titan, the wrong dimensions", body: `{"embedding":${vector(1024)}}`, says: /"embedding" has 1024 value\(s\), expected 256/, model: TITAN, options: { dimensions: 256 } },
  ];

  for (const { what, body, says, model = COHERE, options = {} } of hostile) {
    it(`${what}: a typed corrupt_response error that says what is wrong`, async () => {
      answer = Buffer.from(body);
      requests = 0;
      const llm = provider(model);
      try {
        const error = await llm.embed(["first text", "second text"], options).then(
          () => assert.fail("resolved"),
          (thrown: unknown) => thrown,
        );
        assert.ok(error instanceof NetworkError, String(error));
        assert.equal(error.networkCode, "corrupt_response");
        assert.match(error.message, /The response from Bedrock could not be decoded/);
        assert.match(error.message, says);
        assert.ok(!error.message.includes(EXAMPLE_CREDENTIALS.secretAccessKey), "no secret in the message");
        assert.ok(requests >= 1 && requests <= 2, "at most max_attempts requests");
        assert.equal(({} as Record<string, unknown>)["embeddings"], undefined, "no prototype pollution");
      } finally {
        await llm.close();
      }
    });
  }

  it("an echo of the texts that is valid JSON of any shape is not read", async () => {
    answer = Buffer.from(`{"texts":{"not":["a","list",{"x":null}]},"embeddings":{"float":[[0.5,-0.25],[1e-7,2]]}}`);
    const llm = provider(COHERE);
    try {
      assert.deepEqual(await llm.embed(["first text", "second text"]), [[0.5, -0.25], [1e-7, 2]]);
    } finally {
      await llm.close();
    }
  });

  it("quantized answers in range decode as sent", async () => {
    answer = Buffer.from(`{"embeddings":{"int8":[[-128,0,127],[5,-5,1]]}}`);
    const llm = provider(COHERE);
    try {
      assert.deepEqual(await llm.embed(["first text", "second text"], { embeddingType: "int8" }), [[-128, 0, 127], [5, -5, 1]]);
    } finally {
      await llm.close();
    }
  });

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

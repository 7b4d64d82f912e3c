import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { AbortError, BedrockServiceError, ConfigError, InvalidRequestError, ProviderError, TimeoutError } from "../../../src/schema/errors.js";
import { createEmbeddingProvider } from "../../../src/providers/embedding-registry.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { cosine, useEmbeddingEmulator } from "./embedding-fixture.js";

const DOCUMENTS = [
  "The Eiffel Tower is a wrought iron tower in Paris, France.",
  "Photosynthesis converts sunlight, water and carbon dioxide into glucose in plants.",
  "The stock market fell sharply after the central bank raised interest rates.",
  "Penguins are flightless birds that live in the southern hemisphere.",
];

const texts = (n: number) => Array.from({ length: n }, (_, i) => `text number ${i} about topic ${i % 7}`);
const sentBodies = (requests: { body: unknown }[]) => requests.map((r) => r.body as Record<string, any>);
// A late request of the previous test (a call cut by its timeout) can reach the emulator after the reset.
const rerankBodies = (requests: { body: unknown }[]) => sentBodies(requests).filter((b) => "query" in b);

describe("BedrockEmbeddingProvider against the emulator", () => {
  const fixture = useEmbeddingEmulator(5);
  beforeEach(() => fixture.reset());

  it("embeds 250 texts with Cohere in batches of 96, 96 and 58, in input order", async () => {
    const provider = fixture.provider("cohere.embed-english-v3");
    const input = texts(250);
    const vectors = await provider.embed(input, { inputType: "search_document" });
    const bodies = sentBodies(fixture.emulator.requests);
    assert.deepEqual(bodies.map((b) => b.texts.length).sort((a, b) => b - a), [96, 96, 58]);
    assert.ok(bodies.every((b) => b.input_type === "search_document" && b.embedding_types[0] === "float"));
    assert.equal(vectors.length, 250);
    // Order: each vector is the one the model gives that text alone.
    for (const i of [0, 95, 96, 200, 249]) assert.deepEqual(vectors[i], await provider.embedOne(input[i]!));
  });

  it("runs Titan's one-text calls concurrently under the cap, never more in flight", async () => {
    const provider = fixture.provider("amazon.titan-embed-text-v2:0");
    const input = texts(40);
    const vectors = await provider.embed(input, { concurrency: 4, dimensions: 256 });
    assert.equal(fixture.emulator.requests.length, 40);
    assert.ok(fixture.state.maxInFlight <= 4, `max in flight ${fixture.state.maxInFlight}`);
    assert.ok(fixture.state.maxInFlight >= 2, "calls overlap");
    assert.ok(vectors.every((v) => v.length === 256));
    assert.deepEqual(sentBodies(fixture.emulator.requests).map((b) => b.inputText).sort(), [...input].sort());
    assert.deepEqual(vectors[17], await provider.embedOne(input[17]!, { dimensions: 256 }));
  });

  it("finds the relevant document: a query's nearest document by cosine shares its words", async () => {
    const provider = fixture.provider("cohere.embed-multilingual-v3");
    const docs = await provider.embed(DOCUMENTS, { inputType: "search_document" });
    const query = await provider.embedOne("Which birds cannot fly?", { inputType: "search_query" });
    const scores = docs.map((d) => cosine(query, d));
    assert.equal(scores.indexOf(Math.max(...scores)), 3);
    assert.equal(sentBodies(fixture.emulator.requests).at(-1)!.input_type, "search_query");
  });

  it("returns Cohere int8 and binary, and Titan binary embeddings", async () => {
    const cohere = fixture.provider("cohere.embed-v4:0");
    const int8 = await cohere.embed(["alpha beta"], { embeddingType: "int8", dimensions: 512 });
    assert.equal(int8[0]!.length, 512);
    assert.ok(int8[0]!.every((v) => Number.isInteger(v) && v >= -128 && v <= 127));
    const binary = await cohere.embed(["alpha beta"], { embeddingType: "binary", dimensions: 512 });
    assert.equal(binary[0]!.length, 64);
    assert.deepEqual(sentBodies(fixture.emulator.requests).map((b) => [b.embedding_types, b.output_dimension]), [[["int8"], 512], [["binary"], 512]]);
    const titan = fixture.provider("amazon.titan-embed-text-v2:0");
    const bits = await titan.embedOne("alpha beta", { embeddingType: "binary", dimensions: 256 });
    assert.equal(bits.length, 256);
    assert.ok(bits.every((b) => b === 0 || b === 1));
  });

  it("sends normalize: false to Titan and gets the raw vector", async () => {
    const provider = fixture.provider("amazon.titan-embed-text-v2:0");
    const raw = await provider.embedOne("beta beta beta gamma", { normalize: false });
    assert.equal(sentBodies(fixture.emulator.requests)[0]!.normalize, false);
    assert.ok(Math.hypot(...raw) > 1.5);
  });

  it("embeds images with Cohere (data URIs) and refuses them for Titan", async () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const provider = fixture.provider("cohere.embed-english-v3");
    const [a, b] = [await provider.embedImages([png]), await provider.embedImages([png])];
    assert.deepEqual(a, b);
    assert.deepEqual(sentBodies(fixture.emulator.requests)[0], { images: [png], input_type: "image", embedding_types: ["float"] });
    await assert.rejects(fixture.provider("amazon.titan-embed-text-v2:0").embedImages([png]), InvalidRequestError);
  });

  it("checks embedding images with the shared media checks and Cohere's 5 MB limit, before any request", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
    const provider = fixture.provider("cohere.embed-v4:0");
    // The media type sent is the one the bytes are; line breaks in the base64 are dropped.
    const wrapped = png.toString("base64").replace(/(.{20})/g, "$1\n");
    await provider.embedImages([`data:image/jpeg;base64,${wrapped}`]);
    assert.deepEqual(sentBodies(fixture.emulator.requests)[0]!.images, [`data:image/png;base64,${png.toString("base64")}`]);
    const limit = 5 * 1024 * 1024;
    const atLimit = `data:image/png;base64,${Buffer.concat([png, Buffer.alloc(limit - png.length)]).toString("base64")}`;
    await provider.embedImages([atLimit]);
    const before = fixture.emulator.requests.length;
    const cases: [string, RegExp][] = [
      [`data:image/png;base64,${Buffer.concat([png, Buffer.alloc(limit - png.length + 1)]).toString("base64")}`, /images\[0\] is 5,242,881 bytes; this model accepts images of at most 5 MB/],
      [`data:image/png;base64,${Buffer.from("%PDF-1.4 not an image").toString("base64")}`, /images\[0\] contains application\/pdf data, not an image/],
      [`data:image/png;base64,${Buffer.from([0, 1, 2, 3]).toString("base64")}`, /images\[0\] is not a supported image format/],
      ["data:image/png,raw-bytes", /images\[0\] is a data: URL without base64 data/],
      ["data:image/png;base64,@@@@", /images\[0\] is not valid base64/],
      ["data:image/png;base64,", /images\[0\] is empty/],
      ["data:image/tiff;base64,AAAA", /media type "image\/tiff", which is not supported/],
      [png.toString("base64"), /images\[0\] must be a data URI/],
    ];
    for (const [image, pattern] of cases) {
      await assert.rejects(provider.embedImages([image]), (error: unknown) => error instanceof InvalidRequestError && pattern.test(error.message), String(pattern));
    }
    assert.equal(fixture.emulator.requests.length, before);
  });

  it("records tokens and cost at the embedding price (Cohere v3: $0.10 per million tokens)", async () => {
    const provider = fixture.provider("cohere.embed-english-v3");
    await provider.embed(DOCUMENTS);
    const expectedTokens = DOCUMENTS.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
    const cost = provider.getCost();
    assert.equal(cost.totalPromptTokens, expectedTokens);
    assert.equal(cost.totalCompletionTokens, 0);
    assert.ok(Math.abs(cost.totalCost - (expectedTokens * 0.1) / 1e6) < 1e-12);
    const titan = fixture.provider("amazon.titan-embed-text-v2:0");
    await titan.embedOne("twelve chars");
    assert.equal(titan.getCost().totalPromptTokens, 3);
    assert.ok(Math.abs(titan.getCost().totalCost - (3 * 0.02) / 1e6) < 1e-15);
  });

  it("retries a throttled batch with the shared retry policy and still returns every vector in order", async () => {
    let throttled = 0;
    fixture.state.intercept = (request) => {
      const body = request.body as { texts?: string[] };
      if (body.texts?.[0] === "text number 96 about topic 5" && throttled++ === 0) return { kind: "error", name: "ThrottlingException", status: 429, message: "Too many requests" };
      return undefined;
    };
    const provider = fixture.provider("cohere.embed-english-v3");
    const input = texts(200);
    const vectors = await provider.embed(input);
    assert.equal(throttled, 2, "the throttled batch was sent again");
    assert.equal(fixture.emulator.requests.length, 4);
    assert.deepEqual(vectors[100], await provider.embedOne(input[100]!));
  });

  it("close() ends a call waiting for a retry with provider_closed, and nothing more is sent", async () => {
    fixture.state.intercept = () => ({ kind: "error", name: "ThrottlingException", status: 429, message: "Too many requests" });
    // A backoff of 4.95 s, always (the top of the jitter).
    const provider = fixture.provider("cohere.embed-english-v3", {}, { retry: { throttlingBaseDelayMs: 5000, maxDelayMs: 5000, random: () => 0.99 } });
    const embedding = provider.embed(texts(3));
    while (fixture.emulator.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the 429 is in; the call waits out its backoff
    const closedAt = performance.now();
    await provider.close();
    await assert.rejects(embedding, (error: unknown) => error instanceof ProviderError && error.code === "provider_closed");
    assert.ok(performance.now() - closedAt < 2500, "close() ended the 5 s wait");
    assert.equal(fixture.emulator.requests.length, 1);
  });

  it("fails with the service's typed error on a batch that cannot succeed, and stops the other batches", async () => {
    fixture.state.intercept = () => ({ kind: "error", name: "ValidationException", status: 400, message: "Malformed input request: nope" });
    const provider = fixture.provider("amazon.titan-embed-text-v2:0");
    await assert.rejects(provider.embed(texts(100), { concurrency: 2 }), (error: unknown) => error instanceof BedrockServiceError && error.awsName === "ValidationException" && !error.retryable);
    assert.ok(fixture.emulator.requests.length <= 3, `sent ${fixture.emulator.requests.length} of 100`);
  });

  it("checks options and inputs before sending anything", async () => {
    const titan = fixture.provider("amazon.titan-embed-text-v2:0");
    await assert.rejects(titan.embed(["x"], { dimensions: 300 }), /dimensions must be one of 256, 512, 1024/);
    await assert.rejects(titan.embed(["x"], { embeddingType: "int8" }), /embeddingType must be one of float, binary/);
    await assert.rejects(titan.embed(["ok", ""]), /texts\[1\] is empty/);
    await assert.rejects(titan.embed(["x"], { inputType: "search" as never }), /inputType must be one of/);
    const cohere = fixture.provider("cohere.embed-english-v3");
    await assert.rejects(cohere.embed(["x".repeat(2049)]), /texts\[0\] has 2049 characters/);
    await assert.rejects(cohere.embed(["x"], { dimensions: 512 }), /fixed output size/);
    await assert.rejects(cohere.embed(["x"], { normalize: false }), /always returns unit-length/);
    await assert.rejects(cohere.embed("one text" as never), /must be an array/);
    await assert.rejects(cohere.rerank("q", ["a"]), /is an embedding model/);
    assert.equal(fixture.emulator.requests.length, 0);
    assert.deepEqual(await cohere.embed([]), []);
  });

  it("bounds a call with its timeout and honours an abort signal", async () => {
    fixture.state.intercept = () => new Promise((resolve) => setTimeout(() => resolve(undefined), 3_000));
    const provider = fixture.provider("amazon.titan-embed-text-v2:0");
    await assert.rejects(provider.embed(texts(5), { timeout: 100 }), (error: unknown) => error instanceof TimeoutError && error.kind === "total");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(provider.embed(texts(5), { signal: controller.signal }), AbortError);
  });

  it("reranks with Cohere Rerank 3.5 and Amazon Rerank 1.0, best first, with topN and the per-query cost", async () => {
    const cohere = fixture.provider("cohere.rerank-v3-5:0");
    const results = await cohere.rerank("Which birds cannot fly?", DOCUMENTS, { topN: 2 });
    assert.equal(results.length, 2);
    assert.equal(results[0]!.index, 3);
    assert.ok(results[0]!.relevanceScore >= results[1]!.relevanceScore);
    assert.deepEqual(rerankBodies(fixture.emulator.requests)[0], { query: "Which birds cannot fly?", documents: DOCUMENTS, top_n: 2, api_version: 2 });
    assert.ok(Math.abs(cohere.getCost().totalCost - 0.002) < 1e-12, "one query at $2.00 per 1,000");

    const amazon = fixture.provider("amazon.rerank-v1:0");
    const many = [...Array(150)].map((_, i) => (i === 120 ? "interest rates and the stock market" : `filler ${i}`));
    const ranked = await amazon.rerank("stock market interest rates", many);
    assert.equal(ranked.length, 150);
    assert.equal(ranked[0]!.index, 120);
    assert.ok(!("api_version" in rerankBodies(fixture.emulator.requests)[1]!));
    assert.ok(Math.abs(amazon.getCost().totalCost - 0.002) < 1e-12, "150 documents bill as two queries at $1.00 per 1,000");
    await assert.rejects(amazon.rerank("", ["a"]), /query must be a non-empty string/);
    await assert.rejects(amazon.rerank("q", ["a"], { topN: 0 }), /topN must be a whole number/);
    await assert.rejects(amazon.embed(["x"]), /is a rerank model/);
  });
});

describe("createEmbeddingProvider", () => {
  it("builds from a snake_case config with ${ENV} values, and names the fix for a bad model or api_type", () => {
    const env = { EMBED_KEY: EXAMPLE_CREDENTIALS.accessKeyId, EMBED_SECRET: EXAMPLE_CREDENTIALS.secretAccessKey };
    const provider = createEmbeddingProvider(
      { api_type: "bedrock_embedding", model: "amazon.titan-embed-text-v2:0", access_key_id: "${EMBED_KEY}", secret_access_key: "${EMBED_SECRET}", region: "eu-west-1" },
      { env },
    );
    assert.equal(provider.model, "amazon.titan-embed-text-v2:0");
    assert.ok(!JSON.stringify(provider).includes(EXAMPLE_CREDENTIALS.secretAccessKey));
    assert.throws(() => createEmbeddingProvider({ api_type: "bedrock_embedding", model: "anthropic.claude-3-5-sonnet-20240620-v1:0" }), (e: unknown) => e instanceof ConfigError && /not an embedding or rerank model/.test(e.message));
    assert.throws(() => createEmbeddingProvider({ api_type: "openai_embed", model: "x" }), /Unknown embedding api_type "openai_embed"/);
    assert.throws(() => createEmbeddingProvider({ api_type: "bedrock_embedding", model: "cohere.embed-v4:0", access_key_id: "${NOPE_UNSET}" }, { env: {} }), ConfigError);
  });
});

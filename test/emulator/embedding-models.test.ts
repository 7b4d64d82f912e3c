import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvokeModelCommand, ValidationException } from "@aws-sdk/client-bedrock-runtime";
import { useEmulatorWithSdkClient } from "./support/emulator-with-sdk-client.js";

const DOCUMENTS = [
  "The Eiffel Tower is a wrought iron tower in Paris, France.",
  "Photosynthesis converts sunlight, water and carbon dioxide into glucose in plants.",
  "The stock market fell sharply after the central bank raised interest rates.",
  "Penguins are flightless birds that live in the southern hemisphere.",
];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe("embedding and rerank models through the official SDK", () => {
  const sdk = useEmulatorWithSdkClient();

  async function invoke(modelId: string, body: unknown): Promise<{ body: any }> {
    const output = await sdk.client.send(new InvokeModelCommand({ modelId, body: JSON.stringify(body), contentType: "application/json" }));
    return { body: JSON.parse(Buffer.from(output.body).toString("utf8")) };
  }

  it("Titan v2 answers a unit vector of the requested size, the same for the same text", async () => {
    const first = await invoke("amazon.titan-embed-text-v2:0", { inputText: "Paris is in France", dimensions: 256 });
    const again = await invoke("amazon.titan-embed-text-v2:0", { inputText: "Paris is in France", dimensions: 256 });
    assert.equal(first.body.embedding.length, 256);
    assert.ok(Math.abs(Math.hypot(...first.body.embedding) - 1) < 1e-9);
    assert.deepEqual(first.body.embedding, again.body.embedding);
    assert.deepEqual(first.body.embeddingsByType.float, first.body.embedding);
    assert.equal(first.body.inputTextTokenCount, Math.ceil("Paris is in France".length / 4));
  });

  it("Titan v2 returns binary embeddings (0/1 per dimension) and an unnormalized vector on request", async () => {
    const { body } = await invoke("amazon.titan-embed-text-v2:0", { inputText: "alpha beta beta", dimensions: 512, normalize: false, embeddingTypes: ["binary", "float"] });
    assert.equal(body.embeddingsByType.binary.length, 512);
    assert.ok(body.embeddingsByType.binary.every((bit: number) => bit === 0 || bit === 1));
    assert.ok(Math.hypot(...body.embedding) > 1.5, "raw counts are not scaled to unit length");
  });

  it("a query's nearest document (cosine) is the one that shares its words, for Titan and Cohere", async () => {
    const query = "Which tower stands in Paris?";
    const titanDocs = await Promise.all(DOCUMENTS.map((text) => invoke("amazon.titan-embed-text-v2:0", { inputText: text })));
    const titanQuery = await invoke("amazon.titan-embed-text-v2:0", { inputText: query });
    const titanScores = titanDocs.map((doc) => cosine(titanQuery.body.embedding, doc.body.embedding));
    assert.equal(titanScores.indexOf(Math.max(...titanScores)), 0);

    const docs = await invoke("cohere.embed-english-v3", { texts: DOCUMENTS, input_type: "search_document" });
    const q = await invoke("cohere.embed-english-v3", { texts: ["Why do plants need sunlight?"], input_type: "search_query" });
    assert.equal(docs.body.response_type, "embeddings_floats");
    assert.deepEqual(docs.body.texts, DOCUMENTS);
    const scores = docs.body.embeddings.map((vector: number[]) => cosine(q.body.embeddings[0], vector));
    assert.equal(scores.indexOf(Math.max(...scores)), 1);
  });

  it("vectors are dense like a model's (no zero dimensions, ~12 bytes a number in JSON) and deterministic", async () => {
    const docs = await invoke("cohere.embed-english-v3", { texts: DOCUMENTS, input_type: "search_document" });
    const again = await invoke("cohere.embed-english-v3", { texts: DOCUMENTS, input_type: "search_document" });
    assert.deepEqual(docs.body.embeddings, again.body.embeddings);
    for (const vector of docs.body.embeddings as number[][]) {
      assert.equal(vector.filter((value) => value === 0).length, 0);
      const bytesPerNumber = JSON.stringify(vector).length / vector.length;
      assert.ok(bytesPerNumber > 10 && bytesPerNumber < 14, `${bytesPerNumber} bytes a number`);
      assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-7);
    }
  });

  // At 256 dimensions two of these ten words share a dimension with another document's words (hash collisions,
  // with or without the dense noise), so the test uses the models' default sizes.
  it("with the dense noise, one shared word still makes the relevant document the nearest", async () => {
    const topics = ["volcano", "violin", "glacier", "tariff", "enzyme", "sonnet", "comet", "harbor", "falcon", "quartz"];
    const documents = topics.map((topic, i) => `A short note number ${i} about the ${topic} and some other common words here.`);
    for (const [model, request] of [
      ["amazon.titan-embed-text-v2:0", (text: string) => ({ inputText: text })],
      ["cohere.embed-v4:0", (text: string) => ({ texts: [text], input_type: "search_query" })],
    ] as const) {
      const vectorOf = async (text: string): Promise<number[]> => {
        const { body } = await invoke(model, request(text));
        return body.embedding ?? body.embeddings.float[0];
      };
      const documentVectors = await Promise.all(documents.map(vectorOf));
      for (const [i, topic] of topics.entries()) {
        const query = await vectorOf(`Tell me about the ${topic}`);
        const scores = documentVectors.map((vector) => cosine(query, vector));
        assert.equal(scores.indexOf(Math.max(...scores)), i, `${model}: ${topic}`);
      }
    }
  });

  it("Cohere v3 returns every requested type by type: int8, uint8, binary and ubinary", async () => {
    const { body } = await invoke("cohere.embed-multilingual-v3", { texts: ["one two three"], input_type: "clustering", embedding_types: ["float", "int8", "uint8", "binary", "ubinary"] });
    assert.equal(body.response_type, "embeddings_by_type");
    const float: number[] = body.embeddings.float[0];
    assert.equal(float.length, 1024);
    assert.ok(body.embeddings.int8[0].every((v: number) => Number.isInteger(v) && v >= -128 && v <= 127));
    assert.ok(body.embeddings.uint8[0].every((v: number) => Number.isInteger(v) && v >= 0 && v <= 255));
    assert.equal(body.embeddings.binary[0].length, 128);
    assert.equal(body.embeddings.ubinary[0].length, 128);
    // The packed bits are the signs of the float vector, first dimension in the high bit.
    const firstByte = float.slice(0, 8).reduce((byte, value) => (byte << 1) | (value > 0 ? 1 : 0), 0);
    assert.equal(body.embeddings.ubinary[0][0], firstByte);
    assert.equal(body.embeddings.binary[0][0], firstByte - 128);
  });

  it("Cohere v4 honours output_dimension and embeds interleaved text and images", async () => {
    const png = "data:image/png;base64,iVBORw0KGgo=";
    const { body } = await invoke("cohere.embed-v4:0", {
      input_type: "search_document",
      inputs: [{ content: [{ type: "text", text: "a cat" }, { type: "image_url", image_url: png }] }, { content: [{ type: "image_url", image_url: png }] }],
      output_dimension: 256,
      embedding_types: ["float"],
    });
    assert.equal(body.embeddings.float.length, 2);
    assert.equal(body.embeddings.float[0].length, 256);
    assert.ok(cosine(body.embeddings.float[0], body.embeddings.float[1]) > 0.5, "the shared image makes them close");
  });

  it("rejects bodies Bedrock rejects, with a ValidationException naming the field", async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["amazon.titan-embed-text-v2:0", { inputText: "x", dimensions: 300 }, /#\/dimensions: 300 is not a valid enum value/],
      ["amazon.titan-embed-text-v2:0", { texts: ["x"] }, /extraneous key \[texts\] is not permitted/],
      ["amazon.titan-embed-text-v2:0", { inputText: "" }, /expected minLength: 1/],
      ["cohere.embed-english-v3", { texts: ["x"] }, /required key \[input_type\] not found/],
      ["cohere.embed-english-v3", { texts: Array(97).fill("x"), input_type: "search_query" }, /expected maximum item count: 96/],
      ["cohere.embed-english-v3", { texts: ["x"], input_type: "search_query", embedding_types: ["float64"] }, /not a valid enum value/],
      ["cohere.embed-v4:0", { texts: ["x"], input_type: "search_query", output_dimension: 100 }, /output_dimension: 100/],
      ["cohere.rerank-v3-5:0", { query: "q", documents: ["a"] }, /required key \[api_version\]/],
      ["amazon.rerank-v1:0", { query: "q", documents: [] }, /expected minimum item count: 1/],
    ];
    for (const [modelId, body, message] of cases) {
      await assert.rejects(invoke(modelId, body), (error: unknown) => error instanceof ValidationException && message.test(error.message), `${modelId} ${JSON.stringify(body).slice(0, 60)}`);
    }
  });

  it("reranks by word overlap, best first, with top_n, for Cohere Rerank 3.5 and Amazon Rerank 1.0", async () => {
    const cohere = await invoke("cohere.rerank-v3-5:0", { query: "penguins birds", documents: DOCUMENTS, top_n: 2, api_version: 2 });
    assert.equal(cohere.body.results.length, 2);
    assert.equal(cohere.body.results[0].index, 3);
    assert.ok(cohere.body.results[0].relevance_score > cohere.body.results[1].relevance_score);
    const amazon = await invoke("amazon.rerank-v1:0", { query: "interest rates stock market", documents: DOCUMENTS });
    assert.deepEqual(amazon.body.results.map((r: { index: number }) => r.index).slice(0, 1), [2]);
    assert.equal(amazon.body.results.length, DOCUMENTS.length);
  });

  it("embedding models still refuse chat operations", async () => {
    const { ConverseCommand } = await import("@aws-sdk/client-bedrock-runtime");
    await assert.rejects(sdk.client.send(new ConverseCommand({ modelId: "cohere.embed-english-v3", messages: [{ role: "user", content: [{ text: "hi" }] }] })), ValidationException);
  });
});

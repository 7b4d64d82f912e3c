/** Hostile request bodies over the wire: the emulator answers each with a Bedrock-shaped error and keeps serving. */
import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { rawRequest } from "./support/raw-http.js";
import { MODEL_ID } from "./support/sdk-client.js";

const MODEL_PATH = `/model/${encodeURIComponent(MODEL_ID)}`;
const HI = [{ role: "user", content: [{ text: "hi" }] }];

/** `{"a":{"a":...1...}}`, `levels` objects deep, as text (JSON.stringify itself could not build it). */
function nestedObject(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

function h2Request(url: string, path: string, body: string): Promise<{ status: number; errorType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/json" });
    let status = 0;
    let errorType = "";
    const chunks: Buffer[] = [];
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
      errorType = String(headers["x-amzn-errortype"] ?? "");
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      session.close();
      resolve({ status, errorType, body: Buffer.concat(chunks).toString() });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

describe("request bodies nested tens of thousands of levels deep", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ auth: false });
  });
  after(() => emulator.close());

  const deepBodies: [string, string, string][] = [
    ["Converse tool inputSchema", `${MODEL_PATH}/converse`, `{"messages":${JSON.stringify(HI)},"toolConfig":{"tools":[{"toolSpec":{"name":"t","inputSchema":{"json":${nestedObject(50_000)}}}}]}}`],
    [
      "InvokeModel tool_use input",
      `${MODEL_PATH}/invoke`,
      `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":${nestedObject(50_000)}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]}`,
    ],
    ["CreateModelInvocationJob tags", "/model-invocation-job", `{"jobName":"j","roleArn":"arn:aws:iam::123456789012:role/r","modelId":"${MODEL_ID}","tags":${nestedObject(50_000)}}`],
    ["an array nested deep", `${MODEL_PATH}/converse`, `{"messages":${"[".repeat(50_000)}${"]".repeat(50_000)}}`],
  ];

  for (const [name, path, body] of deepBodies) {
    it(`${name}: HTTP/1.1 and HTTP/2 get 400 ValidationException naming the nesting limit`, async () => {
      const h1 = await rawRequest(emulator.url, { path, body, headers: { "content-type": "application/json" } });
      assert.equal(h1.status, 400);
      assert.match(String(h1.headers["x-amzn-errortype"]), /^ValidationException/);
      assert.match(h1.body.toString(), /nested more than 1000 levels/);
      const h2 = await h2Request(emulator.url, path, body);
      assert.equal(h2.status, 400);
      assert.match(h2.errorType, /^ValidationException/);
      assert.match(h2.body, /nested more than 1000 levels/);
    });
  }

  it("a body nested 1000 levels deep is not refused for its depth", async () => {
    const body = `{"messages":${JSON.stringify(HI)},"additionalModelRequestFields":{"x":${nestedObject(998)}}}`;
    const response = await rawRequest(emulator.url, { path: `${MODEL_PATH}/converse`, body, headers: { "content-type": "application/json" } });
    assert.doesNotMatch(response.body.toString(), /nested more than/);
  });

  it("brackets inside JSON strings do not count as nesting", async () => {
    const body = JSON.stringify({ messages: [{ role: "user", content: [{ text: `${"[{".repeat(5000)}\\"` }] }] });
    const response = await rawRequest(emulator.url, { path: `${MODEL_PATH}/converse`, body, headers: { "content-type": "application/json" } });
    assert.equal(response.status, 200);
  });
});

/**
 * Collecting a job's results from an S3 endpoint that sends a .jsonl.out object's headers and then drips its
 * body forever, or stalls mid-body: the read ends as the library's TimeoutError (the config's `timeout` over
 * the whole body, the idle timeout for a stall), naming the object, with its connection closed; the first
 * record, complete before the stall, is in the output.
 */
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { createBatchClients, type BatchClients } from "../../../src/batch/bedrock/batch-clients.js";
import { collectBatchResults } from "../../../src/batch/bedrock/collect-batch-results.js";
import { OutputWriter } from "../../../src/batch/output-writer.js";
import { LLMConfig } from "../../../src/config/llm-config.js";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { TimeoutError } from "../../../src/schema/errors.js";
import { drip, stall, startHostileServer, within, type HostileServer } from "../../support/hostile-server.js";
import { MODEL, readRecords, tempDir, writeInput } from "../batch-fixture.js";

const KEY = "runs/job/output/abc/part-00001.jsonl.out";

const LISTING =
  `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name>` +
  `<Prefix>runs/job/output/abc/</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>` +
  `<Contents><Key>${KEY}</Key><Size>1000</Size></Contents></ListBucketResult>`;

/** A complete first record (Claude's InvokeModel answer), then the start of a second. */
const FIRST_RECORD = JSON.stringify({
  recordId: "R0000000001",
  modelInput: {},
  modelOutput: { id: "msg_1", type: "message", role: "assistant", model: MODEL, content: [{ type: "text", text: "answer 0" }], stop_reason: "end_turn", usage: { input_tokens: 5, output_tokens: 2 } },
});
const BODY_START = `${FIRST_RECORD}\n{"recordId":"R0000000002","modelOutput":`;

describe("collectBatchResults against an S3 endpoint whose object body never ends", () => {
  let server: HostileServer;
  let files: ReturnType<typeof tempDir>;

  before(async () => {
    server = await startHostileServer();
  });
  after(() => server.close());
  beforeEach(() => {
    files = tempDir();
  });
  afterEach(() => files.cleanup());

  function serveObject(body: (response: ServerResponse) => void): void {
    server.handle((request, response) => {
      if (request.url?.includes("list-type=2")) {
        response.writeHead(200, { "content-type": "application/xml" });
        response.end(LISTING);
      } else body(response);
    });
  }

  async function collect(timeouts: Record<string, number>): Promise<unknown> {
    const config = new LLMConfig({
      api_type: "bedrock_async",
      model: MODEL,
      region: "us-east-1",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
      secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
      ...timeouts,
    });
    const input = files.path("in.jsonl");
    writeInput(input, 2);
    const clients: BatchClients = await createBatchClients(config, { s3Endpoint: server.url, bedrockEndpoint: server.url });
    const writer = await OutputWriter.open(files.path("out.jsonl"));
    try {
      const collecting = collectBatchResults({ config, invocationType: "InvokeModel", input, done: new Set(), folder: { bucket: "bucket", prefix: "runs/job/output/abc" }, clients, writer });
      return await within(collecting, "the collection").then(
        () => assert.fail("the collection ended although the object never did"),
        (error: unknown) => error,
      );
    } finally {
      await writer.close();
      clients.destroy();
    }
  }

  it("a dripped body ends at the config's timeout as a TimeoutError naming the object; the connection is closed", async () => {
    serveObject((response) => drip(response, { "content-type": "application/octet-stream" }, BODY_START));
    const error = await collect({ timeout: 400 });
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.kind, "total");
    assert.equal(error.timeoutMs, 400);
    assert.equal(error.retryable, true);
    assert.match(error.message, new RegExp(`^Reading s3://bucket/${KEY}: the request did not finish within 400 ms\\. Raise the \`timeout\` option`));
    assert.deepEqual(server.requests.map((request) => request.url.includes("list-type=2")), [true, false]);
    assert.equal(await server.allClosed(), true, "the client closed the dripping connection");
    assert.deepEqual(readRecords(files.path("out.jsonl")).map((record) => record["id"]), ["q0"], "the record complete before the drip is written");
  });

  it("a body stalled mid-way ends at the idle timeout as the runtime's idle TimeoutError (not retryable)", async () => {
    serveObject((response) => stall(response, { "content-type": "application/octet-stream" }, BODY_START));
    const error = await collect({ idle_timeout: 300, timeout: 60_000 });
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.kind, "idle");
    assert.equal(error.timeoutMs, 300);
    assert.equal(error.retryable, false);
    assert.match(error.message, new RegExp(`^Reading s3://bucket/${KEY}: the server sent nothing for 300 ms\\. Raise the \`idleTimeout\` option`));
    assert.equal(await server.allClosed(), true);
  });
});

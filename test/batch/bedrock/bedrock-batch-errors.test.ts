/**
 * A hostile S3 endpoint (or a proxy in front of it) that puts the request's credentials into every field the
 * AWS SDK turns into an error: the XML Code (the SDK's error name), Message, RequestId and the request-id
 * headers. None of it reaches the batch's error message, JSON or inspection.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { runBedrockBatch } from "../../../src/batch/index.js";
import { MinionError } from "../../../src/schema/errors.js";
import { MODEL, tempDir, writeInput } from "../batch-fixture.js";

const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDH+9/abQ1w2e3r4t5y6u7i8o9p0=";

describe("batch errors from a hostile S3 endpoint", () => {
  let server: http.Server;
  let endpoint: string;
  let files: ReturnType<typeof tempDir>;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      const token = String(request.headers["x-amz-security-token"]);
      response.writeHead(403, { "content-type": "application/xml", "x-amz-request-id": token, "x-amz-id-2": SECRET_KEY });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${token}</Code><Message>you sent ${String(request.headers["authorization"])} with ${token}, ${SECRET_KEY}</Message>` +
          `<RequestId>${token}</RequestId><HostId>${SECRET_KEY}</HostId></Error>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    files = tempDir();
  });
  afterEach(() => files.cleanup());

  async function uploadError(model: Record<string, unknown>): Promise<unknown> {
    writeInput(files.path("in.jsonl"), 100);
    let caught: unknown;
    await runBedrockBatch({
      input: files.path("in.jsonl"),
      output: files.path("out.jsonl"),
      model: { api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint, ...model },
      s3: "s3://bucket/runs",
      s3Endpoint: endpoint,
      roleArn: "arn:aws:iam::123456789012:role/BatchRole",
      pollIntervalMs: 5,
      progressStream: null,
    }).catch((error: unknown) => (caught = error));
    return caught;
  }

  function assertHidden(caught: unknown): void {
    assert.ok(caught instanceof MinionError, String(caught));
    assert.match(caught.message, /Uploading s3:\/\/bucket\/runs/);
    const shown = [caught.message, JSON.stringify(caught), inspect(caught, { showHidden: true, depth: null }), String(caught.stack)].join("\n");
    for (const secret of [SECRET_KEY, SESSION_TOKEN, ACCESS_KEY_ID]) assert.ok(!shown.includes(secret), `${secret} shown:\n${shown}`);
  }

  it("the upload's error shows none of the config's credentials the server echoed", async () => {
    assertHidden(await uploadError({ access_key_id: ACCESS_KEY_ID, secret_access_key: SECRET_KEY, session_token: SESSION_TOKEN }));
  });

  it("nor those of the default credential chain (here the environment's)", async () => {
    const saved = { id: process.env["AWS_ACCESS_KEY_ID"], secret: process.env["AWS_SECRET_ACCESS_KEY"], token: process.env["AWS_SESSION_TOKEN"] };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION_TOKEN });
    try {
      assertHidden(await uploadError({}));
    } finally {
      for (const [name, value] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret], ["AWS_SESSION_TOKEN", saved.token]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

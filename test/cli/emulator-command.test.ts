import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { parseEmulatorArgs, runEmulatorCommand } from "../../src/cli/emulator-command.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { CHILD_LOADER, childModule } from "../support/child-modules.js";

const MESSAGES = [{ role: "user" as const, content: [{ text: "Hello" }] }];

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) {
        stream.off("data", onData);
        resolve(text.slice(0, text.indexOf("\n")));
      }
    };
    stream.on("data", onData);
  });
}

describe("minion emulator", () => {
  it("parses every flag", () => {
    const options = parseEmulatorArgs([
      "--port", "4001", "--host", "127.0.0.1", "--tls", "--script", "s.yaml", "--first-byte-latency", "5",
      "--chunk-delay", "2", "--chunks", "3", "--throttle-rate", "0.1", "--error-rate", "0.2", "--fault-rate", "0.3", "--seed", "7", "--no-auth",
      "--s3-endpoint", "http://127.0.0.1:4569", "--batch-status-delay", "50", "--batch-record-delay", "3",
      "--batch-scheduled-delay", "70", "--batch-hour-ms", "10",
    ]);
    assert.deepEqual(options, {
      port: 4001, host: "127.0.0.1", tls: true, script: "s.yaml", firstByteLatencyMs: 5, chunkDelayMs: 2, chunksPerAnswer: 3,
      throttleRate: 0.1, errorRate: 0.2, faultRate: 0.3, seed: 7, auth: false,
      batch: { s3Endpoint: "http://127.0.0.1:4569", statusDelayMs: 50, recordDelayMs: 3, scheduledDelayMs: 70, hourMs: 10 },
    });
    assert.equal(parseEmulatorArgs(["--help"]), "help");
  });

  it("rejects bad values and unknown flags with a usage error", () => {
    assert.throws(() => parseEmulatorArgs(["--port", "http"]), (error: unknown) => error instanceof UsageError && /--port must be a whole number/.test(error.message));
    assert.throws(() => parseEmulatorArgs(["--throttle-rate", "2"]), /--throttle-rate must be a number from 0 to 1/);
    assert.throws(() => parseEmulatorArgs(["--chunks", "0"]), /--chunks/);
    assert.throws(() => parseEmulatorArgs(["--bogus"]), UsageError);
    assert.throws(() => parseEmulatorArgs(["--s3-endpoint", "s3://bucket"]), /--s3-endpoint needs an http:\/\/ or https:\/\/ URL/);
    assert.throws(() => parseEmulatorArgs(["--batch-hour-ms", "0"]), /--batch-hour-ms must be a whole number from 1/);
  });

  it("prints its URL, serves the SDK and stops when asked", async () => {
    const stdout = new PassThrough();
    const controller = new AbortController();
    const line = firstLine(stdout);
    const running = runEmulatorCommand(["--chunks", "2"], { stdout, signal: controller.signal });
    const url = /listening on (\S+)/.exec(await line)?.[1];
    assert.match(url ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new BedrockRuntimeClient({ endpoint: url, region: "eu-west-1", credentials: { ...EXAMPLE_CREDENTIALS }, maxAttempts: 1 });
    try {
      const output = await client.send(new ConverseCommand({ modelId: "anthropic.claude-3-5-haiku-20241022-v1:0", messages: MESSAGES }));
      assert.ok(output.output?.message?.content?.length);
    } finally {
      client.destroy();
    }
    controller.abort();
    await running;
  });

  it("exits cleanly on SIGTERM when run as a process", async () => {
    const child = spawn(
      process.execPath,
      [...CHILD_LOADER, "-e", `import(${JSON.stringify(childModule(new URL("../../src/cli/emulator-command.ts", import.meta.url)).href)}).then((m) => m.runEmulatorCommand(['--port', '0']))`],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const line = await firstLine(child.stdout);
    assert.match(line, /^Bedrock Runtime emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(!output.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.match(output, /emulator stopped/);
  });
});

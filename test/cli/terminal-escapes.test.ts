/**
 * Escape sequences from a hostile server (in an error message) or from the model (in its answer) are not
 * written to the terminal as they are: ESC ] 52 would set the clipboard, ESC [ 2J clear the screen, a bare CR
 * overwrite what was printed. They are shown as visible text instead. Piped output stays byte for byte.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough, Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../src/cli/run-cli.js";
import { anthropicChunk } from "../providers/bedrock/replay-event-stream.js";
import { runMinion, tempProject } from "./run-cli-helpers.js";

const HOSTILE = "ok \u001b]52;c;ZWNobyBwd25lZA==\u0007 then \u001b[2J\u009b1m fake\rPROMPT$ ";

describe("terminal escape sequences from the server or the model", () => {
  let server: http.Server;
  let project: ReturnType<typeof tempProject>;
  let status = 400;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      if (status === 200 && request.url?.includes("response-stream")) {
        response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
        for (const event of [
          { type: "message_start", message: { id: "m", role: "assistant", content: [], usage: { input_tokens: 1, output_tokens: 0 } } },
          { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
          { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: HOSTILE } },
          { type: "content_block_stop", index: 0 },
          { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } },
          { type: "message_stop" },
        ]) {
          response.write(anthropicChunk(event));
        }
        return void response.end();
      }
      response.writeHead(status, { "content-type": "application/json" });
      const body = status === 200 ? { content: [{ type: "text", text: HOSTILE }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } } : { __type: "ValidationException", message: HOSTILE };
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    project = tempProject({
      "project/config/config.yaml": [
        "llm: hostile",
        "models:",
        "  hostile:",
        "    api_type: bedrock_async",
        "    model: anthropic.claude-3-5-haiku-20241022-v1:0",
        "    region: us-east-1",
        "    api: invoke",
        "    max_attempts: 1",
        `    endpoint: ${endpoint}`,
        "    access_key_id: AKIAIOSFODNN7EXAMPLE",
        "    secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "",
      ].join("\n"),
    });
  });
  after(() => {
    project.cleanup();
    return new Promise((resolve) => server.close(resolve));
  });

  async function ask(args: string[], tty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
    const collect = () => {
      const chunks: Buffer[] = [];
      const stream = Object.assign(new Writable({ write: (chunk: Buffer | string, _encoding, done) => (chunks.push(Buffer.from(chunk)), done()) }), { isTTY: tty });
      return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
    };
    const [stdout, stderr] = [collect(), collect()];
    const stdin = new PassThrough();
    stdin.end("");
    const env = { PATH: process.env["PATH"] ?? "", HOME: project.home, MINION_TRUST_PROJECT_CONFIG: "1" };
    const code = await runCli(["ask", ...args, "hi"], { stdout: stdout.stream, stderr: stderr.stream, stdin, env, cwd: project.cwd, home: project.home });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it("an error message from the server reaches stderr with its control characters made visible, in the --trace tree too", async () => {
    status = 400;
    const traced = await ask(["--trace"], false);
    assert.match(traced.stderr, /trace:\n/);
    assert.doesNotMatch(traced.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(traced.stderr));
    const result = await ask([], false);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ValidationException: ok /);
    assert.doesNotMatch(result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(result.stderr));
    assert.match(result.stderr, /\\x1b\]52;c;/);
  });

  it("the model's answer on a terminal has them made visible, streamed or not; piped, it is unchanged", async () => {
    status = 200;
    for (const args of [[], ["--stream"]]) {
      const onTerminal = await ask(args, true);
      assert.equal(onTerminal.code, 0, onTerminal.stderr);
      assert.doesNotMatch(onTerminal.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(onTerminal.stdout));
      assert.match(onTerminal.stdout, /^ok \\x1b\]52;c;ZWNobyBwd25lZA==\\x07 then \\x1b\[2J\\x9b1m fake\\x0dPROMPT\$ \n$/);
    }
    const piped = await ask([], false);
    assert.equal(piped.stdout, `${HOSTILE}\n`);
  });

  it("minion models and the cost line show a cloned project's model names and ids with their control characters made visible", async () => {
    const cloned = tempProject({
      "project/config/config.yaml": 'models:\n  "evil\\e]52;c;cHduZWQ=\\a":\n    api_type: bedrock_async\n    model: "anthropic.claude\\e[2J"\n',
    });
    try {
      // `ask` fails (no server), after printing the cost line naming the model.
      const asked = await runMinion(["ask", "hi"], { ...cloned, env: { MINION_TRUST_PROJECT_CONFIG: "1", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "x" } });
      assert.match(asked.stderr, /model: evil\\x1b/);
      assert.doesNotMatch(asked.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(asked.stderr));
      const result = await runMinion(["models"], cloned);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /evil\\x1b\]52;c;cHduZWQ=\\x07/);
      assert.doesNotMatch(result.stdout + result.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, JSON.stringify(result.stdout + result.stderr));
    } finally {
      cloned.cleanup();
    }
  });
});

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";
import { emulatorModelYaml, runMinion, tempProject } from "./run-cli-helpers.js";
import { cliEntry } from "./cli-entry.js";


let emulator: Emulator;
let project: ReturnType<typeof tempProject>;

before(async () => {
  emulator = await startEmulator({
    port: 0,
    planner: createPlanner({
      script: [
        { match: { text: "capital" }, respond: { text: "Paris is the capital of France.", usage: { inputTokens: 1000, outputTokens: 200 } } },
        { match: { text: "slowly" }, respond: { text: "one two three four five six", chunksPerAnswer: 6, chunkDelayMs: 150 } },
        { match: { text: "again" }, respond: { text: "Second answer." } },
        { match: { text: "throttle me" }, respond: { error: { name: "ThrottlingException", message: "Too many requests, please wait before trying again." } } },
      ],
    }),
  });
  project = tempProject({
    "project/config/config.yaml": [
      "models:",
      ...emulatorModelYaml("emu", emulator.url, '"${EMU_SECRET}"', ["max_attempts: 1"]),
      ...emulatorModelYaml("emu-h2", emulator.url, '"${EMU_SECRET}"', ["transport: http2"]),
      "",
    ].join("\n"),
  });
});

after(async () => {
  await emulator?.close();
  project?.cleanup();
});

const env = () => ({ EMU_SECRET: EXAMPLE_CREDENTIALS.secretAccessKey });

describe("minion ask", () => {
  it("prints the answer on stdout and the cost summary on stderr", async () => {
    emulator.clearRequests();
    const result = await runMinion(["ask", "What is the capital of France?"], { ...project, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Paris is the capital of France.\n");
    // 1000 x $0.80/M + 200 x $4/M = $0.0016
    assert.match(result.stderr, /cost: \$0\.001600 \(prompt \$0\.000800, completion \$0\.000800\) \| tokens: 1000 prompt \+ 200 completion = 1200 \| model: emu \(anthropic\.claude-3-5-haiku-20241022-v1:0\)/);
    assert.ok(!result.stderr.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
    assert.equal(emulator.requests.length, 1);
  });

  it("sends --system as the system prompt and reads the prompt from stdin when none is given", async () => {
    emulator.clearRequests();
    const result = await runMinion(["ask", "--system", "Be brief."], { ...project, env: env(), stdin: "capital of France?\n" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Paris is the capital of France.\n");
    const body = emulator.requests[0]!.body as { system?: unknown; messages: { role: string; content: unknown }[] };
    assert.equal(JSON.stringify(body.system).includes("Be brief."), true);
    assert.equal(JSON.stringify(body.messages[0]!.content).includes("capital of France?"), true);
  });

  it("--stream writes the answer piece by piece as it arrives", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [cliEntry(), "ask", "--stream", "count slowly"], {
      cwd: project.cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: project.home, ...env() },
    });
    const pieces: string[] = [];
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => pieces.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0);
    assert.equal(pieces.join(""), "one two three four five six\n");
    assert.ok(pieces.length >= 3, `expected several writes, got ${JSON.stringify(pieces)}`);
  });

  it("a model with transport: http2 in the config is called over HTTP/2 (the default model over HTTP/1.1)", async () => {
    emulator.clearRequests();
    for (const args of [["ask", "--model", "emu-h2", "capital?"], ["ask", "--stream", "-m", "emu-h2", "capital?"], ["ask", "capital?"]]) {
      const result = await runMinion(args, { ...project, env: env() });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "Paris is the capital of France.\n");
    }
    assert.deepEqual(emulator.requests.map((request) => request.protocol), ["h2", "h2", "http/1.1"]);
  });

  it("the shipped config answers with no AWS account: the local model runs on the in-process emulator", async () => {
    const fresh = tempProject({});
    after(() => fresh.cleanup());
    mkdirSync(join(fresh.cwd, "config"));
    copyFileSync(fileURLToPath(new URL("../../config/config.yaml", import.meta.url)), join(fresh.cwd, "config", "config.yaml"));
    const result = await runMinion(["ask", "Hello"], fresh);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.trim().length > 0);
    assert.match(result.stderr, /runs on the built-in Bedrock emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(result.stderr, /cost: \$\d+\.\d{6} .*tokens: \d+ prompt \+ \d+ completion = \d+ \| model: local \(anthropic\.claude-3-5-haiku-20241022-v1:0\)/);
  });
});

describe("minion ask errors", () => {
  it("a service error is one line naming the AWS error, exit code 1, and the cost line still prints", async () => {
    const result = await runMinion(["ask", "please throttle me"], { ...project, env: env() });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^minion: .*ThrottlingException.*Too many requests/m);
    assert.match(result.stderr, /^cost: \$0\.000000 /m);
    assert.ok(!/\n\s+at /.test(result.stderr), result.stderr);
    assert.ok(!result.stderr.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
  });
});

describe("minion chat", () => {
  it("keeps the history across turns, answers /cost, and leaves on /exit", async () => {
    emulator.clearRequests();
    const result = await runMinion(["chat"], { ...project, env: env(), stdin: "What is the capital of France?\n/cost\nTell me again\n/exit\nnever sent\n" });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Paris is the capital of France.\nSecond answer.\n");
    assert.equal(emulator.requests.length, 2);
    const second = emulator.requests[1]!.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(second.messages.map((message) => message.role), ["user", "assistant", "user"]);
    assert.ok(JSON.stringify(second.messages[1]!.content).includes("Paris is the capital of France."));
    assert.equal((result.stderr.match(/cost: \$/g) ?? []).length, 2, "one /cost line and the final summary");
  });

  it("an error in one turn is printed and the chat goes on, without the failed question in the history", async () => {
    emulator.clearRequests();
    const result = await runMinion(["chat"], { ...project, env: env(), stdin: "please throttle me\nTell me again\n" });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^minion: .*ThrottlingException/m);
    assert.equal(result.stdout, "Second answer.\n");
    const last = emulator.requests.at(-1)!.body as { messages: { role: string }[] };
    assert.deepEqual(last.messages.map((message) => message.role), ["user"]);
  });
});

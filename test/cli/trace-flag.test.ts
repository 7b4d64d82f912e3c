import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { createPlanner } from "../../src/emulator/model/index.js";
import { emulatorModelYaml, runMinion, tempProject } from "./run-cli-helpers.js";

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";

let emulator: Emulator;
let project: ReturnType<typeof tempProject>;

before(async () => {
  emulator = await startEmulator({
    port: 0,
    planner: createPlanner({
      script: [
        { match: { text: "capital" }, respond: { text: "Paris is the capital of France.", usage: { inputTokens: 1000, outputTokens: 200 } } },
        { match: { text: "throttle me" }, respond: { error: { name: "ThrottlingException", message: "Too many requests." } } },
        { match: { anyText: "compute" }, sequence: [{ text: "Code:\n```js\nfinalAnswer(6 * 7);\n```" }] },
      ],
    }),
  });
  project = tempProject({
    "project/config/config.yaml": [
      "models:",
      ...emulatorModelYaml("emu", emulator.url, '"${EMU_SECRET}"', ["max_attempts: 1"]),
      "",
    ].join("\n"),
  });
});

after(async () => {
  await emulator?.close();
  project?.cleanup();
});

const env = () => ({ EMU_SECRET: EXAMPLE_CREDENTIALS.secretAccessKey });
const traceOf = (stderr: string) => stderr.slice(stderr.indexOf("trace:\n") + "trace:\n".length).trimEnd().split("\n");

describe("--trace prints the span tree on stderr", () => {
  it("ask: one chat span with the duration, server and the tokens billed; stdout is only the answer", async () => {
    const port = new URL(emulator.url).port;
    const result = await runMinion(["ask", "--trace", "-m", "emu", "--temperature", "0.2", "What is the capital of France?"], { ...project, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Paris is the capital of France.\n");
    const lines = traceOf(result.stderr);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, new RegExp(`^chat ${HAIKU.replaceAll(".", "\\.")}  \\d+\\.\\d ms  server=127\\.0\\.0\\.1:${port}  in=1000  out=200  finish=stop$`));
    assert.ok(!result.stderr.includes(EXAMPLE_CREDENTIALS.secretAccessKey));
  });

  it("ask --stream shows the time to the first chunk", async () => {
    const result = await runMinion(["ask", "--trace", "--stream", "-m", "emu", "capital?"], { ...project, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.match(traceOf(result.stderr)[0]!, /ttft=\d+\.\d ms/);
  });

  it("a failed call: the span names the AWS error, and the error line still follows", async () => {
    const result = await runMinion(["ask", "--trace", "-m", "emu", "please throttle me"], { ...project, env: env() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^trace:\nchat .* error=ThrottlingException$/m);
    assert.match(result.stderr, /^minion: .*ThrottlingException/m);
  });

  it("step: the model call nested under the Brain step", async () => {
    const result = await runMinion(["step", "--trace", "-q", "-m", "emu", "--route", "code", "compute six times seven"], { ...project, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "42\n");
    const lines = traceOf(result.stderr);
    assert.match(lines[0]!, /^invoke_agent minion\.brain  \d+\.\d ms  in=\d+  out=\d+  route=code  outcome=final$/);
    assert.match(lines[1]!, /^└─ chat anthropic\.claude-3-5-haiku-20241022-v1:0  /);
    assert.equal(lines.length, 2);
  });

  it("without --trace, no tree", async () => {
    const result = await runMinion(["ask", "-m", "emu", "capital?"], { ...project, env: env() });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stderr.includes("trace:"));
  });
});

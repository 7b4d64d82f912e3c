import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { runStepCommand } from "../../src/cli/step-command.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { emulatorModelYaml, runMinion, tempProject } from "./run-cli-helpers.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** Sets the clipboard, clears the screen, overwrites the line: a model's trace must show these, not send them. */
const ESCAPES = "\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u009b1m\rPROMPT$ ";
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const fence = (code: string) => `Computing.\n\`\`\`js\n${code}\n\`\`\``;

function memoryIo(cwd: string): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  return { stdout, stderr, stdin, env: { HOME: cwd }, cwd, home: cwd, out: () => out, err: () => err };
}

describe("minion step", () => {
  let emulator: Emulator;
  let project: ReturnType<typeof tempProject>;

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      script: {
        rules: [
          {
            match: { anyText: "sum of squares" },
            sequence: [
              { text: fence("let s = 0;\nfor (let i = 0; i < 100000; i++) s += i * i;\nconsole.log('sum =', s);") },
              { text: fence("finalAnswer(333328333350000)") },
            ],
          },
          { match: { anyText: "forever" }, respond: { text: fence("console.log('again')") } },
          { match: { text: "reason" }, respond: { text: "Two and two make four.\nFinal answer: 4" } },
          {
            match: { anyText: "hostile code" },
            sequence: [
              { text: `${ESCAPES} ${fence(`console.log(${JSON.stringify(ESCAPES)}); throw new Error(${JSON.stringify(ESCAPES)})`)}` },
              { text: fence(`finalAnswer(${JSON.stringify(ESCAPES)})`) },
            ],
          },
          { match: { toolResult: "evil" }, respond: { text: "done" } },
          { match: { anyText: "hostile tools" }, respond: { toolCalls: [{ name: "evil", input: { text: ESCAPES } }] } },
        ],
      },
    });
    project = tempProject({
      "project/config/config.yaml": [
        "llm: emu",
        "models:",
        ...emulatorModelYaml("emu", emulator.url, EXAMPLE_CREDENTIALS.secretAccessKey),
        "",
      ].join("\n"),
    });
  });
  after(async () => {
    await emulator.close();
    project.cleanup();
  });

  it("prints the trace on stderr as it happens and the answer on stdout (code route)", async () => {
    const io = memoryIo(project.cwd);
    const code = await runStepCommand(["What is the sum of squares below 100000?", "--route", "code", "--timeout-ms", "20000"], io);
    assert.equal(code, 0);
    assert.equal(io.out(), "333328333350000\n");
    const err = io.err();
    const order = ["[model] Computing.", "[code] running 3 line(s) in the sandbox", "[code output]\n  sum = 333328333350000", "[code] finalAnswer(333328333350000)"];
    let at = 0;
    for (const piece of order) {
      const found = err.indexOf(piece, at);
      assert.ok(found >= at, `stderr should contain ${JSON.stringify(piece)} after position ${at}:\n${err}`);
      at = found + piece.length;
    }
    assert.match(err, /tokens/i, "the cost summary is printed");
  });

  it("the trace on stderr shows the model's control characters as text: its reply, code output, errors and tool arguments", async () => {
    const code = memoryIo(project.cwd);
    assert.equal(await runStepCommand(["run hostile code", "--route", "code", "--timeout-ms", "20000"], code), 0);
    assert.match(code.err(), /\[code output\]\n {2}\\x1b\]52;c;cHduZWQ=\\x07\\x1b\[2J\\x9b1m\\x0dPROMPT\$ /);
    assert.match(code.err(), /\[code error\] Error: \\x1b\]52/);
    assert.match(code.err(), /\[model\] \\x1b\]52/);
    assert.doesNotMatch(code.err(), CONTROLS, JSON.stringify(code.err()));
    const react = memoryIo(project.cwd);
    assert.equal(await runStepCommand(["call hostile tools", "--route", "react"], react), 0);
    assert.match(react.err(), /\[tool\] evil\(\{"text":"\\u001b\]52;c;cHduZWQ=\\u0007\\u001b\[2J\\x9b1m\\r/);
    assert.doesNotMatch(react.err(), CONTROLS, JSON.stringify(react.err()));
  });

  it("cot prints only the extracted answer on stdout", async () => {
    const io = memoryIo(project.cwd);
    assert.equal(await runStepCommand(["reason about 2+2", "-r", "cot", "--quiet"], io), 0);
    assert.equal(io.out(), "4\n");
    assert.doesNotMatch(io.err(), /\[model\]/, "--quiet leaves the trace out");
  });

  it("says so when --max-steps is reached", async () => {
    const io = memoryIo(project.cwd);
    assert.equal(await runStepCommand(["loop forever", "--route", "code", "--max-steps", "2"], io), 0);
    assert.match(io.err(), /no final answer after 2 model calls/);
  });

  it("rejects an unknown route and a bad --max-steps with a usage error", async () => {
    await assert.rejects(runStepCommand(["hi", "--route", "plan"], memoryIo(project.cwd)), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /Unknown route "plan"\. Routes: raw, cot, react, code\./);
      return true;
    });
    await assert.rejects(runStepCommand(["hi", "--max-steps", "0"], memoryIo(project.cwd)), UsageError);
  });

  it("works on the shipped default config from a fresh clone (built-in emulator model, code route)", async () => {
    const result = await runMinion(["step", "What is the capital of France?", "--route", "code"], { cwd: REPO, home: project.home });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /You said: What is the capital of France\?/);
    assert.match(result.stderr, /built-in Bedrock emulator/);
    assert.match(result.stderr, /\[model\] /);
  });
});

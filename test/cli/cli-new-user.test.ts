import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { runMinion, tempProject, type CliResult } from "./run-cli-helpers.js";
import { cliEntry } from "./cli-entry.js";

const VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const project = tempProject({
  "project/config/config.yaml": "llm: local\nmodels:\n  local:\n    api_type: bedrock_async\n    model: anthropic.claude-3-5-haiku-20241022-v1:0\n    endpoint: emulator\n",
});
after(() => project.cleanup());

const noStack = (result: CliResult) => assert.ok(!/\n\s+at /.test(result.stderr) && !result.stderr.includes("EPIPE"), result.stderr);

/** Runs the CLI with its stdout closed by the reader before anything is written, as `| head` does once it has its lines. */
function runWithClosedStdout(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry(), ...args], {
      cwd: project.cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: project.home, NODE_NO_WARNINGS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: "", stderr }));
  });
}

describe("minion for a new user", () => {
  it("with no project or user config (installed as a dependency), ask answers from the package's default config", async () => {
    const empty = tempProject({});
    try {
      const result = await runMinion(["ask", "Hello"], empty);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Hello/);
      assert.match(result.stderr, /model 'local' runs on the built-in Bedrock emulator/);
    } finally {
      empty.cleanup();
    }
  });

  it("--version and -v print the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const result = await runMinion([flag], project);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${VERSION}\n`);
    }
  });

  it("ask -t 5 is a usage error before the emulator starts and before any cost line", async () => {
    const result = await runMinion(["ask", "-t", "5", "hi"], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^minion: --temperature must be from 0 to 1, got "5"\./);
    assert.ok(!result.stderr.includes("emulator at"), result.stderr);
    assert.ok(!result.stderr.includes("cost:"), result.stderr);
    noStack(result);
  });

  it("ask --max-tokens 0 and 1.5 are usage errors", async () => {
    for (const value of ["0", "1.5", "many"]) {
      const result = await runMinion(["ask", "--max-tokens", value, "hi"], project);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^minion: --max-tokens needs a (positive whole )?number, got/);
      assert.ok(!result.stderr.includes("cost:"));
    }
  });

  it("chat -t 9 is rejected with a usage error and a non-zero exit", async () => {
    const result = await runMinion(["chat", "-t", "9"], { ...project, stdin: "hello\n" });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^minion: --temperature must be from 0 to 1, got "9"\.\n\nUsage: minion chat/);
    assert.ok(!result.stderr.includes("Chatting with"));
  });

  it("/help in the chat lists the commands", async () => {
    const result = await runMinion(["chat"], { ...project, stdin: "/help\n/exit\n" });
    assert.equal(result.code, 0, result.stderr);
    const afterBanner = result.stderr.slice(result.stderr.indexOf("Chatting with"));
    for (const command of ["/cost", "/reset", "/help", "/exit"]) assert.match(afterBanner, new RegExp(`\\n.*${command}`), afterBanner);
  });

  it("models | head and ask | head: a closed stdout ends the process quietly (exit 0, no EPIPE stack)", async () => {
    for (const args of [["models"], ["ask", "Write a long story about pipes"]]) {
      const result = await runWithClosedStdout(args);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      noStack(result);
    }
  });
});

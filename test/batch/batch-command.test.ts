import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { runMinion, tempProject } from "../cli/run-cli-helpers.js";
import { inputLine, readRecords } from "./batch-fixture.js";

// The shipped default model, `local`, runs on the emulator the CLI starts in-process.
const CONFIG = { "project/config/config.yaml": 'llm: local\nmodels:\n  local:\n    api_type: bedrock_async\n    model: "anthropic.claude-3-5-haiku-20241022-v1:0"\n    endpoint: emulator\n' };

describe("minion batch", () => {
  it("runs a file, prints a summary, and exits 2 when some records are errors", { timeout: 60_000 }, async () => {
    const project = tempProject(CONFIG);
    try {
      writeFileSync(`${project.cwd}/in.jsonl`, [inputLine("a", "hello"), inputLine("b", "too hot", { temperature: 3 })].join("\n"));
      const result = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl"], project);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /batch done: 1 succeeded, 1 failed, 0 already in the output, of 2/);
      const records = readRecords(`${project.cwd}/out.jsonl`);
      assert.deepEqual(records.map((record) => [record["id"], (record["error"] as { name?: string } | undefined)?.name ?? "ok"]).sort(), [["a", "ok"], ["b", "InvalidRequestError"]]);
    } finally {
      project.cleanup();
    }
  });

  it("--dry-run prints counts and costs and sends nothing", { timeout: 60_000 }, async () => {
    const project = tempProject(CONFIG);
    try {
      writeFileSync(`${project.cwd}/in.jsonl`, [inputLine("a", "x".repeat(40), { max_tokens: 1000 }), inputLine("b", "y".repeat(40), { max_tokens: 1000 })].join("\n"));
      const result = await runMinion(["batch", "in.jsonl", "--output", "out.jsonl", "--dry-run"], project);
      assert.equal(result.code, 0, result.stderr);
      // Claude 3.5 Haiku: $0.80 in, $4.00 out per million; 20 input tokens, at most 2000 output tokens
      assert.match(result.stdout, /requests to send: +2 \(of 2; 0 already in the output\)/);
      assert.match(result.stdout, /input tokens: +~20 /);
      assert.match(result.stdout, /output tokens: +at most 2000/);
      assert.match(result.stdout, /cost on-demand: +\$0\.0080 \(at most\)/);
      assert.match(result.stdout, /cost Bedrock batch: \$0\.0040 \(at most\) \(50% of on-demand\)/);
      assert.equal(existsSync(`${project.cwd}/out.jsonl`), false);
    } finally {
      project.cleanup();
    }
  });

  it("says what is missing or wrong on the command line", { timeout: 60_000 }, async () => {
    const project = tempProject(CONFIG);
    try {
      writeFileSync(`${project.cwd}/in.jsonl`, `${inputLine("a", "x")}\n{"id": "b"}\n`);
      const noOutput = await runMinion(["batch", "in.jsonl"], project);
      assert.equal(noOutput.code, 1);
      assert.match(noOutput.stderr, /batch needs --output OUT\.jsonl/);
      const badConcurrency = await runMinion(["batch", "in.jsonl", "-o", "o.jsonl", "-n", "0"], project);
      assert.match(badConcurrency.stderr, /--concurrency needs a whole number >= 1, got "0"/);
      const badLine = await runMinion(["batch", "in.jsonl", "-o", "o.jsonl"], project);
      assert.equal(badLine.code, 1);
      assert.match(badLine.stderr, /has 1 invalid line\(s\); nothing was sent[\s\S]*line 2: messages: /);
    } finally {
      project.cleanup();
    }
  });
});

/** The Fallbacks and Inference profiles examples of docs/production.md run as written against the emulator. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { CHILD_LOADER, childModulePath, writeChildScript } from "../support/child-modules.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The ```ts block of docs/production.md that contains `marker`, with the package imports pointed at src/. */
function example(marker: string): string {
  const markdown = readFileSync(join(ROOT, "docs/production.md"), "utf8");
  const block = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.includes(marker));
  assert.ok(block, `docs/production.md has an example containing ${marker}`);
  return block.replace('from "minion-ts/emulator"', `from ${JSON.stringify(childModulePath(new URL("../../src/emulator/index.ts", import.meta.url)))}`).replace('from "minion-ts"', `from ${JSON.stringify(childModulePath(new URL("../../src/index.ts", import.meta.url)))}`);
}

async function run(code: string): Promise<string[]> {
  const dir = mkdtempSync(join(ROOT, "test/docs/.example-"));
  try {
    const file = join(dir, "example.mjs");
    writeChildScript(file, code);
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // No AWS settings from the environment: the example must work with what it sets itself.
      const child = spawn(process.execPath, [...CHILD_LOADER, file], { env: { PATH: process.env["PATH"] ?? "", HOME: dir } });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (exit) => resolve({ code: exit, stdout, stderr }));
    });
    assert.equal(result.code, 0, result.stderr);
    return result.stdout.trim().split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("docs/production.md, Fallbacks and Inference profiles", () => {
  it("the fallback example prints what the doc says", async () => {
    const lines = await run(example("fallbacks: [\"claude-eu\", \"haiku\"]"));
    assert.deepEqual(lines, [
      "claude -> claude-eu: BedrockServiceError",
      "eu.anthropic.claude-sonnet-4-20250514-v1:0 2",
      "[ 'ThrottlingException' ]",
      "[ 'eu.anthropic.claude-sonnet-4-20250514-v1:0' ]",
    ]);
  });

  it("the inference profile example prints the notice once and shows the ids the emulator received", async () => {
    const markdown = readFileSync(join(ROOT, "docs/production.md"), "utf8");
    const documentedNotice = /\(node:1234\) MinionWarning: (Model "anthropic\.claude-sonnet-4[^\n]*)/.exec(markdown)?.[1];
    assert.ok(documentedNotice, "the doc shows the notice");
    const lines = await run(example("profileOnlyModels"));
    assert.deepEqual(lines, [
      documentedNotice,
      "eu.anthropic.claude-sonnet-4-20250514-v1:0",
      "[",
      "  'anthropic.claude-sonnet-4-20250514-v1:0',",
      "  'eu.anthropic.claude-sonnet-4-20250514-v1:0',",
      "  'eu.anthropic.claude-sonnet-4-20250514-v1:0'",
      "]",
    ]);
  });
});

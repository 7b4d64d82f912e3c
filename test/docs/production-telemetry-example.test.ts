import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { CHILD_LOADER, childModulePath, writeChildScript } from "../support/child-modules.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The telemetry ```ts block of docs/production.md, with the package imports pointed at src/. */
function example(): string {
  const markdown = readFileSync(join(ROOT, "docs/production.md"), "utf8");
  const block = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.includes("@opentelemetry/sdk-trace-base"));
  assert.ok(block, "docs/production.md has its telemetry example");
  return block.replace('from "minion-ts/emulator"', `from ${JSON.stringify(childModulePath(new URL("../../src/emulator/index.ts", import.meta.url)))}`).replace('from "minion-ts"', `from ${JSON.stringify(childModulePath(new URL("../../src/index.ts", import.meta.url)))}`);
}

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CHILD_LOADER, file], { env: { PATH: process.env["PATH"] ?? "", NODE_NO_WARNINGS: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("docs/production.md, Telemetry", () => {
  it("its example runs as written against the emulator and prints what the doc says", async () => {
    const dir = mkdtempSync(join(ROOT, "test/docs/.example-"));
    try {
      const file = join(dir, "example.mjs");
      writeChildScript(file, example());
      const result = await run(file);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split("\n");
      assert.match(lines[0]!, /^billed: \d+ in, \d+ out$/);
      assert.deepEqual(lines.slice(1), ["chat anthropic.claude-3-5-haiku-20241022-v1:0", "true", "[ 'stop' ]"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

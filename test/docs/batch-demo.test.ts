/** The offline Bedrock batch demo of docs/batch.md runs as written and finishes its 100 requests. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { CHILD_LOADER, childModulePath, writeChildScript } from "../support/child-modules.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("docs/batch.md", () => {
  it("the offline Bedrock batch demo completes against the emulator and s3rver", { timeout: 240_000 }, async () => {
    const text = readFileSync(join(ROOT, "docs/batch.md"), "utf8");
    const demo = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!).find((code) => code.includes("new S3rver("));
    assert.ok(demo, "docs/batch.md has the demo");
    const file = join(ROOT, `.batch-demo-${process.pid}.mjs`);
    const emulatorModule = JSON.stringify(childModulePath(new URL("../../src/emulator/index.ts", import.meta.url)));
    const libraryModule = JSON.stringify(childModulePath(new URL("../../src/index.ts", import.meta.url)));
    writeChildScript(file, demo.replace('"minion-ts/emulator"', emulatorModule).replace('"minion-ts"', libraryModule));
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [...CHILD_LOADER, file], { cwd: ROOT, env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NODE_NO_WARNINGS: "1" } });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Completed 100 \$\d+\.\d{6} /);
      assert.match(result.stderr, /minion: submitted Bedrock batch job arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\//);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

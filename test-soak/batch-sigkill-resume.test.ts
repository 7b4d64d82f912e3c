/**
 * The promise of the batch runner: killed with SIGKILL at any point and started again with the same command,
 * it finishes the rest, and every input id ends up in the output exactly once, on well-formed lines. The CLI
 * runs in a child process against an emulator with latency in this process; kill points are drawn from a
 * seeded PRNG (a failure names its seed).
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../src/emulator/index.js";
import { tempProject } from "../test/cli/run-cli-helpers.js";
import { idCounts, MODEL, readRecords, writeInput } from "../test/batch/batch-fixture.js";
import { createPrng } from "../src/emulator/model/prng.js";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const SEED = 20261205;
const REQUESTS = 400;
const KILLS = 5;
const RUN_LIMIT_MS = 30_000;

function lineCount(path: string): number {
  try {
    const text = readFileSync(path, "utf8");
    let count = 0;
    for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count += 1;
    return count;
  } catch {
    return 0;
  }
}

function startBatch(cwd: string, home: string): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", TSX, MAIN, "batch", "in.jsonl", "--output", "out.jsonl", "--model", "emu", "--concurrency", "8"], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", HOME: home, NODE_NO_WARNINGS: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const guard = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr });
    });
  });
  return { child, exit };
}

/** Kills the run with SIGKILL once the output holds `target` lines (or `delayMs` after that). */
async function killWhen(run: ReturnType<typeof startBatch>, output: string, target: number, delayMs: number): Promise<void> {
  let ended = false;
  void run.exit.then(() => (ended = true));
  while (!ended && lineCount(output) < target) await new Promise((resolve) => setTimeout(resolve, 2));
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  run.child.kill("SIGKILL");
  await run.exit;
}

describe("minion batch killed with SIGKILL and restarted", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ port: 0, firstByteLatencyMs: 15, chunkDelayMs: 1, recordRequests: false });
  });
  after(() => emulator.close());

  it(`writes every input id exactly once after ${KILLS} kills at random points (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const config = [
      "llm: emu",
      "models:",
      "  emu:",
      '    api_type: "bedrock_async"',
      `    model: "${MODEL}"`,
      '    region: "us-east-1"',
      `    endpoint: "${emulator.url}"`,
      `    access_key_id: "${EXAMPLE_CREDENTIALS.accessKeyId}"`,
      `    secret_access_key: "${EXAMPLE_CREDENTIALS.secretAccessKey}"`,
      "",
    ].join("\n");
    const project = tempProject({ "project/config/config.yaml": config });
    try {
      const input = `${project.cwd}/in.jsonl`;
      const output = `${project.cwd}/out.jsonl`;
      const ids = writeInput(input, REQUESTS, { max_tokens: 64 });
      const random = createPrng(SEED);
      const linesAfterKill: number[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        const before = lineCount(output);
        const run = startBatch(project.cwd, project.home);
        // the first kill may land anywhere, start-up included; later ones once the run has written something
        const target = kill === 0 ? 0 : before + 1 + Math.floor(random() * ((REQUESTS - before) / (KILLS - kill + 1)));
        await killWhen(run, output, target, Math.floor(random() * 40));
        linesAfterKill.push(lineCount(output));
      }
      const last = startBatch(project.cwd, project.home);
      const result = await last.exit;
      assert.equal(result.code, 0, `the final run failed: ${result.stderr}`);
      assert.match(result.stderr, /batch done: \d+ succeeded, 0 failed/);

      const records = readRecords(output);
      const counts = idCounts(records);
      const missing = ids.filter((id) => !counts.has(id));
      const doubled = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
      assert.deepEqual({ missing, doubled, records: records.length }, { missing: [], doubled: [], records: REQUESTS }, `seed ${SEED}, lines after each kill: ${linesAfterKill}`);
      assert.ok(records.every((record) => typeof record["output"] === "string" && record["error"] === undefined));
      const interruptedMidway = linesAfterKill.filter((lines) => lines > 0 && lines < REQUESTS).length;
      assert.ok(interruptedMidway >= KILLS - 2, `most kills must land mid-run (lines after each kill: ${linesAfterKill})`);
    } finally {
      project.cleanup();
    }
  });
});

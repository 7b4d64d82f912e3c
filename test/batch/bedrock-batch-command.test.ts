/**
 * `minion batch --engine bedrock` in a child process, against the emulator's control plane and s3rver in this
 * process: killed with SIGKILL after the job was submitted and before it finished, the same command resumes
 * that job (the emulator's job list gains no second one) and writes every id exactly once.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../src/emulator/index.js";
import { cliEntry } from "../cli/cli-entry.js";
import { runMinion, tempProject } from "../cli/run-cli-helpers.js";
import { startS3, type TestS3 } from "../support/s3-server.js";
import { idCounts, MODEL, readRecords, writeInput } from "./batch-fixture.js";

const ROLE = "arn:aws:iam::123456789012:role/BatchRole";

describe("minion batch --engine bedrock", () => {
  let s3: TestS3;
  let emulator: Emulator;
  before(async () => {
    s3 = await startS3();
    // Slow enough that the job is still running when the first process is killed.
    emulator = await startEmulator({ recordRequests: false, batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 500, recordDelayMs: 50 } });
  });
  after(async () => {
    await emulator.close();
    await s3.close();
  });

  function project() {
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
    return tempProject({ "project/config/config.yaml": config });
  }

  const args = () => ["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--s3", `s3://${s3.bucket}/cli`, "--role-arn", ROLE, "--s3-endpoint", s3.url, "--poll-interval", "0.02"];

  it("resumes the submitted job after a SIGKILL instead of submitting another", { timeout: 240_000 }, async () => {
    const dir = project();
    try {
      const ids = writeInput(`${dir.cwd}/in.jsonl`, 100, { max_tokens: 32 });
      const statePath = `${dir.cwd}/out.jsonl.bedrock-job.json`;
      const jobsBefore = emulator.batchJobs().length;
      const child = spawn(process.execPath, [cliEntry(), ...args()], { cwd: dir.cwd, env: { PATH: process.env["PATH"] ?? "", HOME: dir.home, NODE_NO_WARNINGS: "1" }, stdio: "ignore" });
      const exited = new Promise((resolve) => child.on("close", resolve));
      const guard = setTimeout(() => child.kill("SIGKILL"), 180_000);
      while (!(existsSync(statePath) && readFileSync(statePath, "utf8").includes('"jobArn"'))) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill("SIGKILL");
      await exited;
      clearTimeout(guard);
      const jobs = emulator.batchJobs();
      assert.equal(jobs.length, jobsBefore + 1);
      assert.notEqual(jobs.at(-1)!["status"], "Completed", "killed before the job finished");
      assert.equal(existsSync(`${dir.cwd}/out.jsonl`) ? readRecords(`${dir.cwd}/out.jsonl`).length : 0, 0);

      const rerun = await runMinion(args(), dir);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stderr, new RegExp(`resuming Bedrock batch job ${String(jobs.at(-1)!["jobArn"]).replace(/[/.]/g, "\\$&")}`));
      assert.match(rerun.stderr, /bedrock batch Completed: 100 succeeded, 0 failed, 0 without a result/);
      assert.equal(emulator.batchJobs().length, jobsBefore + 1, "the rerun resumed the job; no second one");
      const counts = idCounts(readRecords(`${dir.cwd}/out.jsonl`));
      assert.deepEqual([...counts.keys()].sort(), [...ids].sort());
      assert.ok([...counts.values()].every((count) => count === 1));
      assert.equal(existsSync(statePath), false);
    } finally {
      dir.cleanup();
    }
  });

  it("says what is missing: --s3 and --role-arn, --engine for the Bedrock flags, and the job to stop", { timeout: 240_000 }, async () => {
    const dir = project();
    try {
      writeInput(`${dir.cwd}/in.jsonl`, 100);
      const noS3 = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock"], dir);
      assert.equal(noS3.code, 1);
      assert.match(noS3.stderr, /--engine bedrock needs --s3 s3:\/\/BUCKET\/PREFIX and --role-arn ARN/);
      const localWithS3 = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--s3", "s3://b/p"], dir);
      assert.match(localWithS3.stderr, /--s3 needs --engine bedrock/);
      const dryRun = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--dry-run"], dir);
      assert.equal(dryRun.code, 0, dryRun.stderr);
      assert.match(dryRun.stdout, /cost on-demand: +\$[\d.]+/);
      assert.match(dryRun.stdout, /cost Bedrock batch: \$[\d.]+ .*\(50% of on-demand\)/);
      assert.match(dryRun.stdout, /Bedrock batch job: 100 records \(fits one job\)/);
      const tooFew = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--dry-run", "--min-records", "500"], dir);
      assert.match(tooFew.stdout, /Bedrock batch job: 100 records \(too few: a job needs at least 500; use the local runner\)/);
      const nothingToStop = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--stop"], dir);
      assert.equal(nothingToStop.code, 1);
      assert.match(nothingToStop.stderr, /No Bedrock batch job is recorded for .*out\.jsonl/);
    } finally {
      dir.cleanup();
    }
  });
});

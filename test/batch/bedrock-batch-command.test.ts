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
    emulator = await startEmulator({ recordRequests: false, batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 500, recordDelayMs: 10 } });
  });
  after(async () => {
    await emulator.close();
    await s3.close();
  });

  function project(url = emulator.url) {
    const config = [
      "llm: emu",
      "models:",
      "  emu:",
      '    api_type: "bedrock_async"',
      `    model: "${MODEL}"`,
      '    region: "us-east-1"',
      `    endpoint: "${url}"`,
      `    access_key_id: "${EXAMPLE_CREDENTIALS.accessKeyId}"`,
      `    secret_access_key: "${EXAMPLE_CREDENTIALS.secretAccessKey}"`,
      "",
    ].join("\n");
    return tempProject({ "project/config/config.yaml": config });
  }

  const args = () => ["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--s3", `s3://${s3.bucket}/cli`, "--role-arn", ROLE, "--s3-endpoint", s3.url, "--poll-interval", "0.02", "--timeout-hours", "30", "--tag", "run=cli test", "--tag", "note="];

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
      assert.equal(jobs.at(-1)!["timeoutDurationInHours"], 30);
      assert.deepEqual(JSON.parse(readFileSync(statePath, "utf8")).tags, [{ key: "run", value: "cli test" }, { key: "note", value: "" }]);
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

  it("shows each status while polling; PartiallyCompleted is a result (exit 2, records missing), Expired a typed error (exit 1)", { timeout: 240_000 }, async () => {
    // The job's 30 emulated hours of 50 ms (1.5 s from submission) pass while its 200 records (2 s) run: PartiallyCompleted.
    const timed = await startEmulator({ recordRequests: false, batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 150, recordDelayMs: 10, hourMs: 50 } });
    const queued = await startEmulator({ recordRequests: false, batch: { s3Endpoint: s3.url, s3Credentials: s3.credentials, statusDelayMs: 0, scheduledDelayMs: 60_000, hourMs: 1 } });
    const partialDir = project(timed.url);
    const expiredDir = project(queued.url);
    try {
      writeInput(`${partialDir.cwd}/in.jsonl`, 200, { max_tokens: 16 });
      const partial = await runMinion(args(), partialDir);
      assert.equal(partial.code, 2, partial.stderr);
      for (const line of [/ Submitted \(queued for validation\): 0\/200/, / Validating \(checking the input files and the role\)/, / Scheduled \(validated, waiting for its turn\)/, / InProgress \(running\)/, / PartiallyCompleted \(ended before every record was processed\)/]) {
        assert.match(partial.stderr, line);
      }
      const summary = /bedrock batch PartiallyCompleted: (\d+) succeeded, 0 failed, (\d+) without a result/.exec(partial.stderr);
      assert.ok(summary, partial.stderr);
      assert.equal(Number(summary[1]) + Number(summary[2]), 200);
      assert.equal(readRecords(`${partialDir.cwd}/out.jsonl`).length, Number(summary[1]));

      writeInput(`${expiredDir.cwd}/in.jsonl`, 100);
      const expired = await runMinion(args(), expiredDir);
      assert.equal(expired.code, 1, expired.stderr);
      assert.match(expired.stderr, /ended Expired with no results: The job was scheduled but did not begin before its timeout.*Run the same command again to submit a new job/);
      assert.doesNotMatch(expired.stderr, /\n\s+at /, "no stack trace");
    } finally {
      partialDir.cleanup();
      expiredDir.cleanup();
      await timed.close();
      await queued.close();
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
      for (const [flags, message] of [
        [["--tag", "novalue"], /--tag needs KEY=VALUE, got "novalue"/],
        [["--tag", "=v"], /--tag needs KEY=VALUE/],
        [["--tag", "a=1", "--tag", "a=2"], /--tag a is given twice/],
        [["--timeout-hours", "12"], /--timeout-hours needs a whole number of hours from 24 to 168/],
        [["--tag", "bad;key=v"], /Tag key "bad;key" is not one Bedrock accepts/],
        [["--max-failed-polls", "2.5"], /--max-failed-polls needs a whole number >= 0 \(0: no limit\), got "2\.5"/],
        [["--max-failed-polls=-1"], /--max-failed-polls needs a whole number >= 0/],
      ] as const) {
        const refused = await runMinion([...args(), ...flags], dir);
        assert.equal(refused.code, 1, refused.stderr);
        assert.match(refused.stderr, message);
      }
      assert.match((await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--tag", "a=b"], dir)).stderr, /--tag needs --engine bedrock/);
      assert.match((await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--max-failed-polls", "3"], dir)).stderr, /--max-failed-polls needs --engine bedrock/);
      const nothingToStop = await runMinion(["batch", "in.jsonl", "-o", "out.jsonl", "--engine", "bedrock", "--stop"], dir);
      assert.equal(nothingToStop.code, 1);
      assert.match(nothingToStop.stderr, /No Bedrock batch job is recorded for .*out\.jsonl/);
    } finally {
      dir.cleanup();
    }
  });
});

/**
 * Sandbox overhead per run: p50/p99 from run() to its result, for a trivial program and for one awaiting 10
 * tool calls, the worker-thread sandbox against the in-process one it replaced (bench/baseline/), in one run,
 * interleaved. Also the host's longest event-loop gap while a guest spins for 1 s.
 *
 *   npm run bench:sandbox [-- --runs 300]
 */
import { Sandbox } from "../src/brain/sandbox/quickjs-sandbox.js";
import { Sandbox as InProcessSandbox } from "./baseline/in-process-sandbox/quickjs-sandbox.js";
import { summarize } from "./lib/stats.js";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 300;
const PROGRAMS = {
  trivial: "finalAnswer(1)",
  "10 tool calls": "let s = 0; for (let i = 0; i < 10; i++) s += (await echo({ i })).i; finalAnswer(s)",
};
const functions = { echo: async (args: unknown) => args };

interface Runner { run(code: string, options: { functions: typeof functions }): Promise<{ ok: boolean }> }

async function timeRun(sandbox: Runner, code: string): Promise<number> {
  const start = performance.now();
  const result = await sandbox.run(code, { functions });
  if (!result.ok) throw new Error(`run failed: ${JSON.stringify(result)}`);
  return performance.now() - start;
}

async function maxGapWhileSpinning(sandbox: Runner): Promise<number> {
  let last = performance.now();
  let gap = 0;
  const timer = setInterval(() => { const now = performance.now(); gap = Math.max(gap, now - last); last = now; }, 10);
  await sandbox.run("const end = Date.now() + 1000; while (Date.now() < end) {} finalAnswer(1)", { functions });
  clearInterval(timer);
  return Math.max(gap, performance.now() - last);
}

async function main(): Promise<void> {
  const designs: Array<[string, Runner]> = [["worker pool (new)", new Sandbox({ timeoutMs: 10_000 })], ["in-process (before)", new InProcessSandbox({ timeoutMs: 10_000 })]];
  const samples = new Map<string, number[]>();
  for (const [, sandbox] of designs) for (const code of Object.values(PROGRAMS)) for (let i = 0; i < 20; i++) await timeRun(sandbox, code); // warm-up
  for (let i = 0; i < RUNS; i++) {
    for (const [design, sandbox] of designs) {
      for (const [program, code] of Object.entries(PROGRAMS)) {
        const key = `${design} | ${program}`;
        samples.set(key, [...(samples.get(key) ?? []), await timeRun(sandbox, code)]);
      }
    }
  }
  const rows: Record<string, unknown>[] = [];
  for (const [key, values] of samples) {
    const s = summarize(values)!;
    rows.push({ key, p50: s.p50, p99: s.p99 });
    process.stdout.write(`${key.padEnd(44)} p50 ${s.p50.toFixed(2).padStart(7)} ms   p99 ${s.p99.toFixed(2).padStart(7)} ms   (${values.length} runs)\n`);
  }
  for (const program of Object.keys(PROGRAMS)) {
    const get = (design: string) => summarize(samples.get(`${design} | ${program}`)!)!;
    const [n, o] = [get("worker pool (new)"), get("in-process (before)")];
    process.stdout.write(`ratio new/before, ${program}: p50 ${(n.p50 / o.p50).toFixed(2)}x, p99 ${(n.p99 / o.p99).toFixed(2)}x\n`);
  }
  for (const [design, sandbox] of designs) {
    process.stdout.write(`${design}: longest host event-loop gap while the guest spins 1 s: ${(await maxGapWhileSpinning(sandbox)).toFixed(0)} ms\n`);
  }
  process.exit(0);
}

void main();

/**
 * Issue 14's benchmark: embedding 10,000 texts with minion-ts' createEmbeddingProvider against the raw SDK's
 * InvokeModel loop (defaults, same batches, same concurrency), Titan Text Embeddings V2 and Cohere Embed v3
 * (96 texts per call), against the emulator in its own process over TLS, in one run. Each (client, model,
 * size) runs in a fresh process so its CPU and memory are its own; clients alternate so drift hits both.
 * Prints client CPU per text as a ratio to the raw SDK, and memory at two input sizes: flat means the heap
 * above what the returned vectors hold does not grow with the input. Two measures of it: the peak heap
 * sampled during the timed pass (garbage included), and the peak live heap of a second, untimed pass that
 * forces a GC before each sample (only what is reachable: the work in flight).
 *
 *   npm run bench:embeddings -- [--texts 10000] [--small 1000] [--concurrency 16] [--models a,b] [--http] [--transport http1|http2] [--from-source] [--profile]
 *
 * --transport: minion-ts' `transport` config field (default: its default, HTTP/1.1); the SDK keeps its own.
 *
 * --profile: CPU-profiles each measured phase (bench/out/profiles/embed-*.cpuprofile) and prints the self time
 * per package and per function as shares of the CPU per text the worker measured (the profiler's own cost
 * included, so read the shares; the ratio line is then not a result).
 */
import { fork } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildBench } from "./lib/build-bench.js";
import { summarizeProfile, type CpuProfile } from "./lib/cpu-profile.js";
import type { EmbedJob, EmbedResult } from "./lib/embedding-worker.js";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process.js";
import { machineInfo } from "./lib/machine.js";
import { markdownTable, textTable } from "./lib/report.js";
import { clientEnvironment } from "./lib/run-worker.js";

const PROFILES = fileURLToPath(new URL("./out/profiles/", import.meta.url));

const MODELS = ["amazon.titan-embed-text-v2:0", "cohere.embed-english-v3"];
const CLIENTS: EmbedJob["client"][] = ["minion", "sdk"];

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number >= 1, got "${value}"`);
  return n;
}

function runJob(file: string, compiled: boolean, job: EmbedJob, caFile: string | undefined): Promise<EmbedResult> {
  return new Promise((resolve, reject) => {
    const child = fork(file, [], {
      execArgv: [...(compiled ? [] : ["--import", "tsx"]), "--expose-gc"],
      env: clientEnvironment(caFile, { BENCH_EMBED_JOB: JSON.stringify(job) }),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), 1_500_000);
    child.on("message", (message: { type: string; result?: EmbedResult; message?: string }) => {
      settled = true;
      if (message.type === "result") resolve(message.result!);
      else reject(new Error(`${job.client} ${job.model}: ${message.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`${job.client} ${job.model}: the worker exited (${signal ?? code}) without a result`));
    });
  });
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function profileFile(client: string, model: string, texts: number): string {
  mkdirSync(PROFILES, { recursive: true });
  return join(PROFILES, `embed-${client}-${model.replace(/[^a-z0-9.-]/gi, "_")}-${texts}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
}

/** Self time by package and function, as µs per text: the profile's shares applied to the CPU the worker measured. */
function printProfile(path: string, result: EmbedResult): void {
  const summary = summarizeProfile(JSON.parse(readFileSync(path, "utf8")) as CpuProfile, 30);
  const perText = (ms: number) => ((ms / summary.totalMs) * result.cpuPerTextUs).toFixed(1);
  const rows = (items: { name: string; selfMs: number; share: number }[]) => items.map((i) => [i.name, perText(i.selfMs), `${(i.share * 100).toFixed(1)}%`]);
  process.stderr.write(`${textTable(["package", "µs/text", "share"], rows(summary.packages.slice(0, 12)))}\n`);
  process.stderr.write(`${textTable(["function (self time)", "µs/text", "share"], rows(summary.functions))}\nprofile: ${path}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      texts: { type: "string", default: "10000" },
      small: { type: "string", default: "1000" },
      concurrency: { type: "string", default: "16" },
      http: { type: "boolean", default: false },
      "from-source": { type: "boolean", default: false },
      models: { type: "string", default: MODELS.join(",") },
      profile: { type: "boolean", default: false },
      transport: { type: "string" },
    },
  });
  const transport = values.transport;
  if (transport !== undefined && transport !== "http1" && transport !== "http2") throw new Error(`--transport takes http1 or http2, got "${transport}"`);
  const sizes = [positive("small", values.small!), positive("texts", values.texts!)];
  const concurrency = positive("concurrency", values.concurrency!);
  const start = os.loadavg();
  const built = values["from-source"] ? undefined : await buildBench();
  const entry = built
    ? { file: built.embeddingWorker, compiled: true }
    : { file: fileURLToPath(new URL("./lib/embedding-worker.ts", import.meta.url)), compiled: false };
  const results: EmbedResult[] = [];
  for (const model of values.models!.split(",")) {
    // A fresh emulator per model; 10 ms before each answer, as a model call takes some time.
    const emulator: EmulatorProcess = await startEmulatorProcess({ tls: !values.http, firstByteLatencyMs: 10, chunkDelayMs: 0, chunksPerAnswer: 1 }, built?.emulatorChild);
    try {
      for (const [round, texts] of sizes.entries()) {
        for (const client of round % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()) {
          const profilePath = values.profile ? profileFile(client, model, texts) : undefined;
          const job: EmbedJob = { client, model, texts, concurrency, url: emulator.url, ca: emulator.ca, region: "us-east-1", ...emulator.credentials, profilePath, transport };
          process.stderr.write(`${client} ${model} ${texts} texts ... `);
          const result = await runJob(entry.file, entry.compiled, job, emulator.caFile);
          process.stderr.write(`${f(result.cpuPerTextUs)} µs/text, ${f(result.textsPerSecond)} texts/s\n`);
          if (profilePath) printProfile(profilePath, result);
          results.push(result);
        }
      }
    } finally {
      await emulator.close();
    }
  }
  const m = machineInfo();
  const lines = [
    `Command: \`npm run bench:embeddings${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\``,
    `Date: ${new Date().toISOString()}; ${m.nproc} CPUs (${m.cpu}), Node ${m.node}; load average at start ${start.map((l) => l.toFixed(2)).join(" ")}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `Emulator in its own process, ${values.http ? "HTTP" : "TLS"}, 10 ms per answer; concurrency ${concurrency} for both clients; minion-ts transport: ${transport ?? "default (http1)"}.`,
    "",
  ];
  const rows = results.map((r) => {
    const sdk = results.find((s) => s.client === "sdk" && s.model === r.model && s.texts === r.texts)!;
    return [
      r.client === "minion" ? "minion-ts embed()" : "raw SDK InvokeModel loop",
      r.model,
      f(r.texts),
      f(r.calls),
      `${f(r.cpuPerTextUs)} (${(r.cpuPerTextUs / sdk.cpuPerTextUs).toFixed(2)}x)`,
      `${f(r.textsPerSecond)} (${(r.textsPerSecond / sdk.textsPerSecond).toFixed(2)}x)`,
      `${f(r.rssBaselineMB)} / ${f(r.rssPeakMB)}`,
      `${f(r.heapBaselineMB)} / ${f(r.heapPeakMB)} / ${f(r.heapRetainedMB)}`,
      f(r.heapPeakMB - r.heapRetainedMB, 1),
      f(r.liveHeapPeakOverHeldMB, 1),
    ];
  });
  const header = ["client", "model", "texts", "calls", "CPU µs/text (x sdk)", "texts/s (x sdk)", "RSS MB base / peak", "heap MB base / peak / held after", "peak heap over held MB", "live heap over held MB"];
  process.stdout.write(`${lines.join("\n")}\n${markdownTable(header, rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});

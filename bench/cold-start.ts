/**
 * Cold start: what the first call costs a fresh process (a serverless function's cold start, a CLI run, a
 * short script), per client. Each run is a new Node process (bench/lib/cold-start-child.ts) that imports one
 * client's library, creates its client, makes one call to the emulator over TLS (a new connection, as on a
 * cold start) and then a second one on the warm client. Clients take turns in every round, so drift in the
 * machine's load hits them all. Prints medians, and each client's ratio to the raw SDK's
 * InvokeModelWithResponseStream (streaming clients) or InvokeModel (non-streaming) in this run.
 *
 *   npm run bench:cold-start -- [--runs 15] [--clients a,b] [--from-source]
 */
import { execFile } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { buildBench } from "./lib/build-bench.js";
import { benchTarget } from "./lib/clients/client-adapter.js";
import type { ColdStartResult } from "./lib/cold-start-child.js";
import { startEmulatorProcess } from "./lib/emulator-process.js";
import { machineInfo } from "./lib/machine.js";
import { markdownTable } from "./lib/report.js";
import { clientEnvironment } from "./lib/run-worker.js";
import { percentile } from "./lib/stats.js";

const CLIENTS = [
  "minion.generateStream",
  "sdk.InvokeModelWithResponseStream",
  "ai-sdk.streamText",
  "langchain.stream",
  "anthropic.messages.stream",
  "minion.generate",
  "sdk.InvokeModel",
];
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

const baselineOf = (client: string) => (client === "minion.generate" || client === "sdk.InvokeModel" ? "sdk.InvokeModel" : "sdk.InvokeModelWithResponseStream");

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

async function coldStart(file: string, compiled: boolean, client: string, target: string, caFile: string | undefined): Promise<ColdStartResult> {
  const args = [...(compiled ? [] : ["--import", "tsx"]), file, client, target];
  const { stdout } = await promisify(execFile)(process.execPath, args, { env: clientEnvironment(caFile), timeout: 120_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ColdStartResult;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "15" }, clients: { type: "string", default: CLIENTS.join(",") }, "from-source": { type: "boolean", default: false } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number >= 1, got "${values.runs}"`);
  const clients = values.clients!.split(",");
  const start = os.loadavg();
  const built = values["from-source"] ? undefined : await buildBench();
  const file = built?.coldStartChild ?? fileURLToPath(new URL("./lib/cold-start-child.ts", import.meta.url));
  const emulator = await startEmulatorProcess({ tls: true, firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 20 }, built?.emulatorChild);
  const results = new Map<string, ColdStartResult[]>(clients.map((client) => [client, []]));
  try {
    const target = JSON.stringify(benchTarget(emulator, MODEL));
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? clients : [...clients].reverse();
      for (const client of order) results.get(client)!.push(await coldStart(file, built !== undefined, client, target, emulator.caFile));
      process.stderr.write(`round ${round + 1}/${runs}\n`);
    }
  } finally {
    await emulator.close();
  }
  const medians = new Map([...results].map(([client, list]) => [client, {
    imported: median(list.map((r) => r.importedMs)),
    firstText: median(list.map((r) => r.firstTextMs)),
    firstAnswer: median(list.map((r) => r.firstAnswerMs)),
    cpu: median(list.map((r) => r.cpuToFirstAnswerMs)),
    warm: median(list.map((r) => r.warmCallMs)),
    rss: median(list.map((r) => r.maxRssMB)),
  }]));
  const ratio = (client: string, key: "firstAnswer" | "cpu") => {
    const base = medians.get(baselineOf(client));
    return base ? ` (${(medians.get(client)![key] / base[key]).toFixed(2)}x)` : "";
  };
  const rows = clients.map((client) => {
    const m = medians.get(client)!;
    return [client, m.imported.toFixed(0), m.firstText.toFixed(0), `${m.firstAnswer.toFixed(0)}${ratio(client, "firstAnswer")}`, `${m.cpu.toFixed(0)}${ratio(client, "cpu")}`, m.warm.toFixed(1), m.rss.toFixed(0)];
  });
  const machine = machineInfo();
  process.stdout.write([
    `Command: \`npm run bench:cold-start${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\``,
    `Date: ${new Date().toISOString()}; ${machine.nproc} CPUs (${machine.cpu}), Node ${machine.node}; load average at start ${start.map((l) => l.toFixed(2)).join(" ")}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `${runs} fresh processes per client (medians); emulator in its own process over TLS, 20 chunks per answer, no added latency; ratios to the raw SDK (streamed or not like the row).`,
    "",
    markdownTable(["client", "library imported ms", "first text ms", "first answer ms (x sdk)", "CPU ms to first answer (x sdk)", "warm call ms", "max RSS MB"], rows),
    "",
  ].join("\n"));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});

/**
 * How much of the "added latency to the first token" at concurrency 1 any client pays on this machine, and how
 * much minion-ts adds on top. The floor client sends one request signed in advance over a keep-alive
 * https.Agent and takes the frame carrying the first text delta (the third write of the emulator) without
 * decoding it; minion-ts runs generateStream through the bench's own adapter. Both against the emulator in its
 * own process over TLS. Requests alternate between the clients one by one, so a drift in the machine's speed
 * hits all of them alike; each request's added latency = what the client observed minus the emulator's own
 * time for that request (body received -> first delta written), and the p50 of those is reported.
 *
 * `--compare DIR` adds a third client: minion-ts from another checkout (e.g. a `git worktree` of main, with a
 * `node_modules` of its own or a symlink to this one's), to measure a change against what it replaces in one run.
 *
 *   node --import tsx bench/first-token-floor.ts [--requests 300] [--compare ../main-before]
 */
import https from "node:https";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { DEFAULT_MODEL } from "./lib/args.js";
import { anthropicBody, benchTarget, type BenchTarget, type ClientInstance } from "./lib/clients/client-adapter.js";
import { minionGenerateStream, provider, streamText } from "./lib/clients/minion.js";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process.js";
import { percentile } from "./lib/stats.js";
import { SigV4Signer } from "../src/providers/bedrock/transport/sign-sigv4.js";

interface Client {
  /** One request; resolves with the ms from the call to the first text. */
  call(): Promise<number>;
  close(): Promise<void>;
}

function floorClient(emulator: EmulatorProcess, target: BenchTarget): Client {
  const url = new URL(emulator.url);
  const body = JSON.stringify(anthropicBody(target));
  const path = `/model/${encodeURIComponent(target.model)}/invoke-with-response-stream`;
  const headers: Record<string, string> = { host: url.host, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), "x-amzn-bedrock-accept": "application/json" };
  const signer = new SigV4Signer("us-east-1");
  let signedAt = 0;
  const agent = new https.Agent({ keepAlive: true, ca: emulator.ca });
  const call = (): Promise<number> =>
    new Promise((resolve, reject) => {
      // A signature holds for 15 minutes; signing again, outside the timed span, keeps long runs valid.
      if (Date.now() - signedAt > 5 * 60_000) {
        signer.sign({ method: "POST", path, headers, body }, emulator.credentials);
        signedAt = Date.now();
      }
      const start = performance.now();
      const request = https.request({ agent, host: url.hostname, port: url.port, method: "POST", path, headers }, (response) => {
        let writes = 0;
        let first = 0;
        response.on("data", () => void (++writes === 3 && (first = performance.now() - start)));
        response.on("end", () => (writes >= 3 ? resolve(first) : reject(new Error(`the floor client got HTTP ${response.statusCode} with ${writes} writes; expected 200 with the first delta in the third`))));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  return { call, close: async () => agent.destroy() };
}

function timedToFirstText(instance: ClientInstance): Client {
  const call = async (): Promise<number> => {
    const start = performance.now();
    let first = 0;
    await instance.call(() => void (first === 0 && (first = performance.now() - start)));
    if (first === 0) throw new Error("a stream ended without any text");
    return first;
  };
  return { call, close: () => instance.close() };
}

/** generateStream of the minion-ts in another checkout (its sources run through tsx, as this script's do). */
async function minionFrom(dir: string, target: BenchTarget): Promise<ClientInstance> {
  const registry = pathToFileURL(resolve(dir, "src/providers/registry.ts")).href;
  const { createLlmProvider } = (await import(registry)) as typeof import("../src/providers/registry.js");
  const llm = await provider(target, {}, createLlmProvider);
  return { call: (onText) => streamText(llm, target, onText), close: () => llm.close() };
}

/** p50 of each client's added latency, its requests interleaved with the others'. */
async function measure(emulator: EmulatorProcess, clients: Record<string, Client>, requests: number): Promise<Record<string, number>> {
  const names = Object.keys(clients);
  for (let i = 0; i < 30; i++) for (const name of names) await clients[name]!.call();
  await emulator.stats(); // drops the warm-up's server timings
  const observed: number[] = [];
  for (let i = 0; i < requests * names.length; i++) observed.push(await clients[names[i % names.length]!]!.call());
  const server = (await emulator.stats()).timings.firstDeltaMs;
  if (server.length !== observed.length) throw new Error(`the emulator timed ${server.length} streams, the clients ${observed.length}`);
  const added = names.map((): number[] => []);
  observed.forEach((ms, i) => added[i % names.length]!.push(ms - server[i]!));
  return Object.fromEntries(names.map((name, i) => [name, percentile(added[i]!.sort((a, b) => a - b), 50)]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "300" }, compare: { type: "string" } } });
  const requests = Number(values.requests);
  if (!Number.isInteger(requests) || requests < 1) throw new Error(`--requests takes a whole number >= 1, got "${values.requests}"`);
  const emulator = await startEmulatorProcess({ tls: true, firstByteLatencyMs: 10, chunkDelayMs: 1, chunksPerAnswer: 50 });
  const clients: Record<string, Client> = {};
  try {
    const target = benchTarget(emulator, DEFAULT_MODEL);
    clients["floor"] = floorClient(emulator, target);
    clients["minion.generateStream"] = timedToFirstText(await minionGenerateStream.create(target));
    if (values.compare) clients[`minion (${values.compare})`] = timedToFirstText(await minionFrom(values.compare, target));
    const p50 = await measure(emulator, clients, requests);
    console.log(`added latency to the first token, p50 over ${requests} requests each (interleaved):`);
    for (const [name, ms] of Object.entries(p50)) console.log(`  ${name.padEnd(40)} ${ms.toFixed(2)} ms  (floor + ${(ms - p50["floor"]!).toFixed(2)})`);
  } finally {
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

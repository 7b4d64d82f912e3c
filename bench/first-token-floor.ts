/**
 * How much of the "added latency to the first token" at concurrency 1 any client pays on this machine, and how
 * much minion-ts adds on top. The floor client sends one request signed in advance over a keep-alive
 * https.Agent and takes the frame carrying the first text delta (the third write of the emulator) without
 * decoding it; minion-ts runs generateStream through the bench's own adapter. Both against the emulator in its
 * own process over TLS, with
 * alternating rounds; added = observed p50 minus the emulator's own p50 (body received -> first delta written).
 *
 *   node --import tsx bench/first-token-floor.ts [--requests 200] [--rounds 2]
 */
import https from "node:https";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { DEFAULT_MODEL } from "./lib/args.js";
import { anthropicBody, benchTarget, type BenchTarget } from "./lib/clients/client-adapter.js";
import { minionGenerateStream } from "./lib/clients/minion.js";
import { startEmulatorProcess, type EmulatorProcess } from "./lib/emulator-process.js";
import { percentile } from "./lib/stats.js";
import { SigV4Signer } from "../src/providers/bedrock/event-stream/sign-sigv4.js";

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
  new SigV4Signer("us-east-1").sign({ method: "POST", path, headers, body }, emulator.credentials); // valid for 15 minutes
  const agent = new https.Agent({ keepAlive: true, ca: emulator.ca });
  const call = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const request = https.request({ agent, host: url.hostname, port: url.port, method: "POST", path, headers }, (response) => {
        let writes = 0;
        let first = 0;
        response.on("data", () => void (++writes === 3 && (first = performance.now() - start)));
        response.on("end", () => resolve(first));
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  return { call, close: async () => agent.destroy() };
}

async function minionClient(target: BenchTarget): Promise<Client> {
  const instance = await minionGenerateStream.create(target);
  const call = async (): Promise<number> => {
    const start = performance.now();
    let first = 0;
    await instance.call(() => void (first === 0 && (first = performance.now() - start)));
    return first;
  };
  return { call, close: () => instance.close() };
}

async function addedMs(emulator: EmulatorProcess, call: Client["call"], requests: number): Promise<number> {
  for (let i = 0; i < 30; i++) await call();
  await emulator.stats(); // drops the warm-up's server timings
  const observed: number[] = [];
  for (let i = 0; i < requests; i++) observed.push(await call());
  const server = (await emulator.stats()).timings.firstDeltaMs;
  const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  return p50(observed) - p50(server);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: "string", default: "200" }, rounds: { type: "string", default: "2" } } });
  const requests = Number(values.requests);
  const rounds = Number(values.rounds);
  const emulator = await startEmulatorProcess({ tls: true, firstByteLatencyMs: 10, chunkDelayMs: 1, chunksPerAnswer: 50 });
  try {
    const target = benchTarget(emulator, DEFAULT_MODEL);
    const clients = { floor: floorClient(emulator, target), "minion.generateStream": await minionClient(target) };
    try {
      for (let round = 1; round <= rounds; round++) {
        for (const [name, client] of Object.entries(clients)) {
          const added = await addedMs(emulator, client.call, requests);
          console.log(`round ${round}  ${name.padEnd(22)} added latency to the first token, p50: ${added.toFixed(2)} ms`);
        }
      }
    } finally {
      await Promise.all(Object.values(clients).map((client) => client.close()));
    }
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

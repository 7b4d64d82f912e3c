/**
 * Load test for the Bedrock Runtime emulator: N concurrent streaming requests (default 1,000) from the official
 * AWS SDK against the emulator running in a CHILD process (so client and server do not share an event loop).
 *
 *   node --import tsx bench/emulator-load.ts [--concurrency 1000] [--chunks 8] [--chunk-delay 10]
 *        [--operation ConverseStream|InvokeModelWithResponseStream] [--modes sdk-default,sdk-h2-multiplexed,sdk-http1,raw-h2]
 *        [--tls] [--bearer]
 *
 * Modes: sdk-default = the SDK's own default handler (HTTP/2, a new session per request);
 * sdk-h2-multiplexed = NodeHttp2Handler sharing sessions (up to 1,000 streams each);
 * sdk-http1 = NodeHttpHandler with a 1,000-socket keep-alive agent;
 * raw-h2 = node:http2 with a bearer API key over 10 sessions (a light client, so the server is the bottleneck).
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import os from "node:os";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttp2Handler, NodeHttpHandler } from "@smithy/node-http-handler";

interface ChildStats {
  requests: number;
  errors: number;
  streamsInFlight: number;
  streamsStarted: number;
  cpuUs: number;
  rssMB: number;
}

const MODEL_ID = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
/** --bearer: SDK clients authenticate with the emulator's API key instead of SigV4. */
let bearer = false;
const MODES = ["sdk-default", "sdk-h2-multiplexed", "sdk-http1", "raw-h2"] as const;
type Mode = (typeof MODES)[number];

async function runChild(): Promise<void> {
  const { startEmulator } = await import("../src/emulator/index.js");
  const emulator = await startEmulator(JSON.parse(process.env["EMULATOR_LOAD_OPTIONS"] ?? "{}"));
  process.send?.({ type: "ready", url: emulator.url, ca: emulator.ca });
  process.on("message", (message: { type: string }) => {
    if (message.type === "stats") {
      const cpu = process.cpuUsage();
      const m = emulator.metrics;
      process.send?.({
        type: "stats",
        requests: m.requests,
        errors: m.errors,
        streamsInFlight: m.streamsInFlight,
        streamsStarted: m.streamsStarted,
        cpuUs: cpu.user + cpu.system,
        rssMB: Math.round(process.memoryUsage.rss() / 1048576),
      } satisfies ChildStats & { type: string });
    } else if (message.type === "close") {
      void emulator.close().then(() => process.exit(0));
    }
  });
}

async function runParent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      concurrency: { type: "string", default: "1000" },
      chunks: { type: "string", default: "8" },
      "chunk-delay": { type: "string", default: "10" },
      operation: { type: "string", default: "ConverseStream" },
      modes: { type: "string", default: MODES.join(",") },
      tls: { type: "boolean", default: false },
      bearer: { type: "boolean", default: false },
    },
  });
  const concurrency = Number(values.concurrency);
  const modes = values.modes!.split(",") as Mode[];
  bearer = values.bearer === true;
  const options = { chunksPerAnswer: Number(values.chunks), chunkDelayMs: Number(values["chunk-delay"]), tls: values.tls, recordRequests: false };
  const child = fork(fileURLToPath(import.meta.url), ["--child"], {
    // EMULATOR_LOAD_CHILD_ARGS="--cpu-prof" profiles the emulator process.
    execArgv: ["--import", "tsx", ...(process.env["EMULATOR_LOAD_CHILD_ARGS"]?.split(" ").filter(Boolean) ?? [])],
    env: { ...process.env, EMULATOR_LOAD_OPTIONS: JSON.stringify(options) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await nextMessage<{ url: string; ca?: string }>(child, "ready");
  process.stdout.write(
    `emulator-load: ${concurrency} concurrent ${values.operation} requests per mode, ${options.chunksPerAnswer} chunks/answer, ` +
      `${options.chunkDelayMs} ms between frames, ${values.tls ? "TLS" : "plain"}; emulator in a child process at ${ready.url}\n` +
      `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${new Date().toISOString()}\n\n`,
  );
  const rows: string[][] = [["mode", "completed", "errors", "elapsed ms", "req/s", "events/s", "max in flight", "server CPU ms", "client CPU ms", "server RSS MB"]];
  try {
    for (const mode of modes) rows.push(await runMode(mode, ready, child, concurrency, values.operation!));
  } finally {
    child.send({ type: "close" });
  }
  process.stdout.write(formatTable(rows));
}

async function runMode(mode: Mode, server: { url: string; ca?: string }, child: ChildProcess, concurrency: number, operation: string): Promise<string[]> {
  const client = mode === "raw-h2" ? new RawH2Client(server) : makeClient(mode, server, concurrency);
  await Promise.all(Array.from({ length: 20 }, () => oneStream(client, operation))); // warm-up
  const before = await stats(child);
  let maxInFlight = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxInFlight = Math.max(maxInFlight, (await stats(child)).streamsInFlight);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const started = performance.now();
  const clientCpu = process.cpuUsage();
  const results = await Promise.all(Array.from({ length: concurrency }, () => oneStream(client, operation).then((events) => ({ events }), (error: unknown) => ({ error }))));
  const elapsed = performance.now() - started;
  const clientCpuUsed = process.cpuUsage(clientCpu);
  sampling = false;
  await sampler;
  const after = await stats(child);
  client.destroy();
  const completed = results.filter((result) => "events" in result).length;
  const events = results.reduce((sum, result) => sum + ("events" in result ? result.events : 0), 0);
  const firstError = results.find((result) => "error" in result);
  if (firstError && "error" in firstError) process.stderr.write(`${mode}: first error: ${String(firstError.error)}\n`);
  return [
    mode,
    String(completed),
    String(concurrency - completed),
    elapsed.toFixed(0),
    ((completed / elapsed) * 1000).toFixed(0),
    ((events / elapsed) * 1000).toFixed(0),
    String(maxInFlight),
    ((after.cpuUs - before.cpuUs) / 1000).toFixed(0),
    ((clientCpuUsed.user + clientCpuUsed.system) / 1000).toFixed(0),
    String(after.rssMB),
  ];
}

function makeClient(mode: Mode, server: { url: string; ca?: string }, concurrency: number): BedrockRuntimeClient {
  const base = {
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    maxAttempts: 1,
    ...(bearer ? { token: { token: "minion-emulator-local-key" }, authSchemePreference: ["httpBearerAuth"] } : {}),
  };
  const tls = server.ca ? { ca: server.ca } : undefined;
  if (mode === "sdk-default") {
    return new BedrockRuntimeClient(tls ? { ...base, requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: true, nodeHttp2ConnectOptions: tls }) } : base);
  }
  if (mode === "sdk-h2-multiplexed") {
    return new BedrockRuntimeClient({
      ...base,
      requestHandler: new NodeHttp2Handler({ disableConcurrentStreams: false, maxConcurrentStreams: 1000, nodeHttp2ConnectOptions: tls }),
    });
  }
  const agentOptions = { keepAlive: true, maxSockets: concurrency, ...tls };
  return new BedrockRuntimeClient({
    ...base,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent(agentOptions), httpsAgent: new https.Agent(agentOptions) }),
  });
}

/** node:http2 sessions sending bearer-authenticated requests and counting event-stream frames. */
class RawH2Client {
  private readonly sessions: http2.ClientHttp2Session[];
  private next = 0;

  constructor(server: { url: string; ca?: string }) {
    this.sessions = Array.from({ length: 10 }, () => http2.connect(server.url, server.ca ? { ca: server.ca } : {}));
  }

  stream(operation: string): Promise<number> {
    const session = this.sessions[this.next++ % this.sessions.length]!;
    const suffix = operation === "InvokeModelWithResponseStream" ? "invoke-with-response-stream" : "converse-stream";
    const body =
      operation === "InvokeModelWithResponseStream"
        ? JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: "Tell me a story." }] })
        : JSON.stringify({ messages: [{ role: "user", content: [{ text: "Tell me a story." }] }] });
    return new Promise((resolve, reject) => {
      const request = session.request({
        ":method": "POST",
        ":path": `/model/${encodeURIComponent(MODEL_ID)}/${suffix}`,
        "content-type": "application/json",
        authorization: "Bearer minion-emulator-local-key",
      });
      const chunks: Buffer[] = [];
      let status = 0;
      request.on("response", (headers) => (status = Number(headers[":status"])));
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (status !== 200) return reject(new Error(`HTTP ${status}`));
        const data = Buffer.concat(chunks);
        let frames = 0;
        for (let offset = 0; offset < data.length; offset += data.readUInt32BE(offset)) frames += 1;
        resolve(frames);
      });
      request.on("error", reject);
      request.end(body);
    });
  }

  destroy(): void {
    for (const session of this.sessions) session.close();
  }
}

/** One streaming call read to the end; resolves with the number of events received. */
async function oneStream(client: BedrockRuntimeClient | RawH2Client, operation: string): Promise<number> {
  if (client instanceof RawH2Client) return client.stream(operation);
  let events = 0;
  if (operation === "InvokeModelWithResponseStream") {
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 200, messages: [{ role: "user", content: "Tell me a story." }] });
    const output = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, body }));
    for await (const event of output.body!) if (event.chunk) events += 1;
  } else {
    const output = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: "user", content: [{ text: "Tell me a story." }] }] }));
    let done = false;
    for await (const event of output.stream!) {
      events += 1;
      if (event.metadata) done = true;
    }
    if (!done) throw new Error("stream ended without metadata");
  }
  return events;
}

function stats(child: ChildProcess): Promise<ChildStats> {
  child.send({ type: "stats" });
  return nextMessage<ChildStats>(child, "stats");
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type === type) {
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`emulator child exited with code ${code}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")).join("\n")}\n`;
}

if (process.argv.includes("--child")) {
  await runChild();
} else {
  await runParent();
}

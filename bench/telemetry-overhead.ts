/**
 * What telemetry costs a streamed call, in one run: client CPU per streamed request (user + system, this
 * process; the emulator runs in a child process) and the time to the first chunk, with rounds interleaved
 * across four set-ups:
 *   - "no API"          @opentelemetry/api not installed (simulated: the loader reports it missing)
 *   - "no API (again)"  the same set-up a second time: the spread between the two is the noise floor
 *   - "API, no SDK"     the API installed, no SDK registered: what most users of the library run
 *   - "SDK registered"  a BasicTracerProvider + MeterProvider with in-memory exporters (for scale)
 *
 *   node --import tsx bench/telemetry-overhead.ts [--rounds 20] [--requests 100] [--concurrency 10]
 */
import { metrics, trace } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BedrockAsyncProvider } from "../src/providers/bedrock/bedrock-provider.js";
import { resetOtelApiForTests } from "../src/providers/telemetry/otel-api.js";
import { startEmulatorProcess } from "./lib/emulator-process.js";
import { summarize } from "./lib/stats.js";

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ROUNDS = arg("rounds", 20);
const REQUESTS = arg("requests", 100);
const CONCURRENCY = arg("concurrency", 10);
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

interface Setup {
  name: string;
  enter(): void;
  leave(): void;
}

function sdkSetup(): Setup {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 })] });
  return {
    name: "SDK registered",
    enter() {
      trace.setGlobalTracerProvider(tracerProvider);
      metrics.setGlobalMeterProvider(meterProvider);
      resetOtelApiForTests(undefined);
    },
    leave() {
      spans.reset();
      trace.disable();
      metrics.disable();
      resetOtelApiForTests(undefined);
    },
  };
}

const SETUPS: Setup[] = [
  { name: "no API", enter: () => resetOtelApiForTests(null), leave: () => resetOtelApiForTests(undefined) },
  { name: "API, no SDK", enter: () => resetOtelApiForTests(undefined), leave: () => {} },
  { name: "no API (again)", enter: () => resetOtelApiForTests(null), leave: () => resetOtelApiForTests(undefined) },
  sdkSetup(),
];

async function round(provider: BedrockAsyncProvider, firstChunkMs: number[]): Promise<number> {
  let next = 0;
  const cpu = process.cpuUsage();
  const worker = async () => {
    while (next++ < REQUESTS) {
      const started = performance.now();
      let first = true;
      for await (const chunk of provider.generateStream([{ role: "user", content: "Tell me a story about the sea." }])) {
        if (first && chunk) {
          firstChunkMs.push(performance.now() - started);
          first = false;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / REQUESTS;
}

async function main(): Promise<void> {
  const emulator = await startEmulatorProcess({ tls: false, firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 20 });
  const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: MODEL, region: "us-east-1", endpoint: emulator.url, access_key_id: emulator.credentials.accessKeyId, secret_access_key: emulator.credentials.secretAccessKey });
  const cpuPerRequest = new Map<string, number[]>(SETUPS.map((setup) => [setup.name, []]));
  const firstChunk = new Map<string, number[]>(SETUPS.map((setup) => [setup.name, []]));
  try {
    for (const setup of SETUPS) {
      setup.enter();
      await round(provider, []); // warm-up
      setup.leave();
    }
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order each round so no set-up always runs first (or right after the SDK one).
      for (let i = 0; i < SETUPS.length; i++) {
        const setup = SETUPS[(i + r) % SETUPS.length]!;
        setup.enter();
        cpuPerRequest.get(setup.name)!.push(await round(provider, firstChunk.get(setup.name)!));
        setup.leave();
      }
    }
  } finally {
    await provider.close();
    await emulator.close();
  }
  const median = (values: number[]) => summarize(values)!.p50;
  const base = median(cpuPerRequest.get("no API")!);
  const baseFirst = median(firstChunk.get("no API")!);
  const rows = SETUPS.map(({ name }) => {
    const cpu = median(cpuPerRequest.get(name)!);
    const first = median(firstChunk.get(name)!);
    return {
      setup: name,
      "CPU µs/req (median of rounds)": Math.round(cpu),
      "x no API": (cpu / base).toFixed(3),
      "first chunk ms p50": first.toFixed(3),
      "x no API ": (first / baseFirst).toFixed(3),
    };
  });
  console.log(`${ROUNDS} rounds x ${REQUESTS} streamed requests (20 chunks each) at concurrency ${CONCURRENCY}, set-ups interleaved; Node ${process.version}, load ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`);
  console.table(rows);
}

await main();

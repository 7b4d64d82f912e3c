/**
 * What telemetry costs a streamed call, in one run: client CPU per streamed request (user + system, this
 * process; the emulator runs in a child process) and the time to the first chunk, with rounds interleaved
 * across four set-ups:
 *   - "no API"          @opentelemetry/api not installed (simulated: the loader reports it missing)
 *   - "no API (again)"  the same set-up a second time: the spread between the two is the noise floor
 *   - "API, no SDK"     the API installed, no SDK registered: what most users of the library run
 *   - "SDK registered"  a BasicTracerProvider + MeterProvider with in-memory exporters (for scale)
 *
 * Ratios are per round (each set-up against the "no API" run of the same round, so slow spells of a shared
 * machine cancel out), then the median over rounds. Last, the telemetry's own work per call (deciding there is
 * nothing to record, or recording) is timed alone, 200,000 calls, against the CPU of a whole streamed request.
 *
 *   node --import tsx bench/telemetry-overhead.ts [--rounds 20] [--requests 100] [--concurrency 10]
 */
import { metrics, trace } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BedrockAsyncProvider } from "../src/providers/bedrock/bedrock-provider.js";
import { resetOtelApiForTests } from "../src/providers/telemetry/otel-api.js";
import { ProviderTelemetry } from "../src/providers/telemetry/provider-telemetry.js";
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
  const base = cpuPerRequest.get("no API")!;
  const baseFirst = median(firstChunk.get("no API")!);
  const rows = SETUPS.map(({ name }) => {
    const cpu = cpuPerRequest.get(name)!;
    const first = median(firstChunk.get(name)!);
    return {
      setup: name,
      "CPU µs/req (median)": Math.round(median(cpu)),
      "x no API (median of per-round ratios)": median(cpu.map((value, round) => value / base[round]!)).toFixed(3),
      "first chunk ms p50": first.toFixed(3),
      "x no API": (first / baseFirst).toFixed(3),
    };
  });
  console.log(`${ROUNDS} rounds x ${REQUESTS} streamed requests (20 chunks each) at concurrency ${CONCURRENCY}, set-ups interleaved; Node ${process.version}, load ${(await import("node:os")).loadavg()[0]!.toFixed(2)}`);
  console.table(rows);
  const perRequest = median(base);
  console.log(`The telemetry's own work per call, timed alone (200,000 calls), as a share of the ${Math.round(perRequest)} µs of CPU a streamed request costs:`);
  console.table(SETUPS.filter(({ name }) => name !== "no API (again)").map((setup) => {
    const micros = timeStart(setup);
    return { setup: setup.name, "µs per call": micros.toFixed(3), "share of a request": `${((100 * micros) / perRequest).toFixed(3)}%` };
  }));
}

/** Starting and ending one call's trace (what a streamed call adds besides passing events on), in µs. */
function timeStart(setup: Setup): number {
  const telemetry = new ProviderTelemetry({ model: MODEL, endpoint: () => new URL("http://127.0.0.1:8080") });
  const completion = { id: "x", object: "chat.completion" as const, created: 0, model: MODEL, choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } };
  setup.enter();
  const once = () => {
    const trace = telemetry.start("chat", true, { temperature: 0.2 });
    if (!trace) return;
    trace.firstChunk();
    trace.succeed({ responseModel: completion.model, usage: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0 } });
  };
  for (let i = 0; i < 20_000; i++) once();
  const calls = 200_000;
  const cpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) once();
  const used = process.cpuUsage(cpu);
  setup.leave();
  return (used.user + used.system) / calls;
}

await main();

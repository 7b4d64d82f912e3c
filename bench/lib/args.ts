/** Command-line flags of bench/run.ts. */
import { parseArgs } from "node:util";

export interface BenchOptions {
  quick: boolean;
  tls: boolean;
  scale: boolean;
  /** Skip the load workloads (with --scale: run only the scale run). */
  scaleOnly: boolean;
  concurrency: number[];
  /** Requests per measured run at each concurrency (index-aligned with `concurrency`). */
  requests: number[];
  clients: string[] | null;
  streamingOnly: boolean;
  firstByteLatencyMs: number;
  chunkDelayMs: number;
  chunksPerAnswer: number;
  scaleStreams: number;
  scaleClients: string[];
  scaleChunkDelayMs: number;
  model: string;
  writeResults: boolean;
  out: string | null;
  jobTimeoutMs: number;
  /** Measure every (client, concurrency) this many times, alternating the order; report the median-CPU round. */
  rounds: number;
  /** Run the workers and the emulator from TypeScript through tsx instead of the tsc-compiled build. */
  fromSource: boolean;
  /** No warm-up: every measured request starts on a fresh client, all at once up to the concurrency (a cold burst). */
  cold: boolean;
}

/** Model id the clients send unless --model says otherwise. */
export const DEFAULT_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

export const HELP = `Usage: npm run bench -- [flags]

  --quick                 fast iteration: concurrency 1 and 100, fewer requests
  --http                  plain HTTP instead of TLS (h2c / HTTP/1.1 by client)
  --concurrency 1,100,1000  concurrency levels (default 1,100,1000)
  --requests 200,1000,1000 measured requests per level (default: 200 at 1, else max(1000, level))
  --clients a,b           client ids or library names (minion-ts, aws-sdk, ai-sdk, langchain, anthropic)
  --streaming-only        only the streamed calls
  --first-byte-ms N       emulator first-byte latency (default 10)
  --chunk-delay-ms N      emulator delay between chunks (default 1)
  --chunks N              text chunks per answer (default 50)
  --scale                 add the 10,000-stream TLS scale run (RSS vs in-flight)
  --scale-only            run only the scale run
  --scale-streams N       streams in the scale run (default 10000)
  --scale-clients a,b     clients in the scale run (default minion-uncapped.generateStream,sdk.InvokeModelWithResponseStream)
  --scale-chunk-delay-ms N  delay between frames in the scale run, keeps streams open (default 1000)
  --rounds N              measure each client N times in alternating order, report the median (default 1)
  --cold                  no warm-up: a cold burst (e.g. --concurrency 1000 --requests 1000 opens 1,000 streams at once)
  --from-source           run clients and emulator through tsx (default: compiled by tsc into bench/out/build)
  --model ID              model id sent (default ${DEFAULT_MODEL})
  --write-results         also write bench/results.svg and the figures section of bench/RESULTS.md
  --out FILE              JSON output path (default bench/out/bench-<date>.json)
`;

const list = (value: string | undefined) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : null);
const numbers = (value: string | undefined) => list(value)?.map(Number) ?? null;

/** A numeric flag's value, or a clear error for a value that is not a number >= min (whole when `integer`). */
function numberFlag(name: string, value: string | undefined, fallback: number, min: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} takes ${integer ? "an integer" : "a number"} >= ${min}, got "${value}"`);
  }
  return n;
}

function defaultRequests(concurrency: number, quick: boolean): number {
  // At concurrency 1 each request is a latency sample (~60 ms each): 200 give a stable p50.
  if (concurrency <= 1) return quick ? 20 : 200;
  if (quick) return Math.max(concurrency, 300);
  return Math.max(concurrency, 1000);
}

export function parseBenchArgs(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: "boolean" },
      quick: { type: "boolean" },
      http: { type: "boolean" },
      scale: { type: "boolean" },
      "scale-only": { type: "boolean" },
      concurrency: { type: "string" },
      requests: { type: "string" },
      clients: { type: "string" },
      "streaming-only": { type: "boolean" },
      "first-byte-ms": { type: "string" },
      "chunk-delay-ms": { type: "string" },
      chunks: { type: "string" },
      "scale-streams": { type: "string" },
      "scale-clients": { type: "string" },
      "scale-chunk-delay-ms": { type: "string" },
      model: { type: "string" },
      "write-results": { type: "boolean" },
      out: { type: "string" },
      "job-timeout-s": { type: "string" },
      rounds: { type: "string" },
      "from-source": { type: "boolean" },
      cold: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const quick = values.quick ?? false;
  const concurrency = numbers(values.concurrency) ?? (quick ? [1, 100] : [1, 100, 1000]);
  const requests = numbers(values.requests) ?? concurrency.map((c) => defaultRequests(c, quick));
  if (requests.length !== concurrency.length) throw new Error("--requests needs one number per --concurrency level");
  for (const n of [...concurrency, ...requests]) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`--concurrency/--requests take positive integers, got ${n}`);
  }
  return {
    quick,
    tls: !values.http,
    scale: (values.scale ?? false) || (values["scale-only"] ?? false),
    scaleOnly: values["scale-only"] ?? false,
    concurrency,
    requests,
    clients: list(values.clients),
    streamingOnly: values["streaming-only"] ?? false,
    firstByteLatencyMs: numberFlag("first-byte-ms", values["first-byte-ms"], 10, 0),
    chunkDelayMs: numberFlag("chunk-delay-ms", values["chunk-delay-ms"], 1, 0),
    chunksPerAnswer: numberFlag("chunks", values.chunks, 50, 1, true),
    scaleStreams: numberFlag("scale-streams", values["scale-streams"], 10_000, 1, true),
    // minion's default maxConcurrency (50 sockets) would queue 10,000 streams; the scale run raises it.
    scaleClients: list(values["scale-clients"]) ?? ["minion-uncapped.generateStream", "sdk.InvokeModelWithResponseStream"],
    scaleChunkDelayMs: numberFlag("scale-chunk-delay-ms", values["scale-chunk-delay-ms"], 1000, 0),
    model: values.model ?? DEFAULT_MODEL,
    writeResults: values["write-results"] ?? false,
    out: values.out ?? null,
    jobTimeoutMs: numberFlag("job-timeout-s", values["job-timeout-s"], 240, 1) * 1000,
    rounds: numberFlag("rounds", values.rounds, 1, 1, true),
    fromSource: values["from-source"] ?? false,
    cold: values.cold ?? false,
  };
}

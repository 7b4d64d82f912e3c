/**
 * `minion emulator`: runs the local Bedrock Runtime emulator until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, startEmulator, type EmulatorOptions } from "../emulator/index.js";
import { UsageError } from "./usage-error.js";

export const EMULATOR_HELP = `Usage: minion emulator [options]

Runs a local Bedrock Runtime server (InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream,
CountTokens) on HTTP/1.1 and HTTP/2 until Ctrl-C.

Options:
  --port N                 port to listen on (default 0: a free port)
  --host H                 address to bind (default 127.0.0.1)
  --tls                    serve HTTPS with a self-signed certificate (printed at start)
  --script FILE            YAML or JSON script of scripted answers, errors and faults
  --first-byte-latency MS  delay before the first response byte
  --chunk-delay MS         delay between stream frames
  --chunks N               delta frames per answer text
  --throttle-rate R        share of requests answered with ThrottlingException (0..1)
  --error-rate R           share of requests answered with a 5xx error (0..1)
  --fault-rate R           share of streams that break mid-stream (0..1)
  --seed N                 seed for the rates (same seed, same faults)
  --no-auth                accept requests without checking signatures or API keys
  --s3-endpoint URL        S3-compatible server (path-style) for batch jobs (CreateModelInvocationJob, ...);
                           the emulator signs its S3 requests with the AWS documentation example key pair
  --batch-status-delay MS  time a batch job stays Submitted, then Validating, and InProgress after its last record (default 1000)
  --batch-scheduled-delay MS  time a validated batch job waits Scheduled before it starts (default: the status delay)
  --batch-hour-ms MS       ms counted as one hour of a job's timeoutDurationInHours (default 3600000)
  --batch-record-delay MS  time a batch job spends on each record (default 0)
  -h, --help               show this help
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  tls: { type: "boolean" },
  script: { type: "string" },
  "first-byte-latency": { type: "string" },
  "chunk-delay": { type: "string" },
  chunks: { type: "string" },
  "throttle-rate": { type: "string" },
  "error-rate": { type: "string" },
  "fault-rate": { type: "string" },
  seed: { type: "string" },
  "no-auth": { type: "boolean" },
  "s3-endpoint": { type: "string" },
  "batch-status-delay": { type: "string" },
  "batch-record-delay": { type: "string" },
  "batch-scheduled-delay": { type: "string" },
  "batch-hour-ms": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export interface EmulatorCommandIo {
  stdout?: NodeJS.WritableStream;
  /** Stops the emulator when aborted (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** Parses `minion emulator` arguments into emulator options, or throws a UsageError saying what is wrong. */
export function parseEmulatorArgs(args: string[]): EmulatorOptions | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message, EMULATOR_HELP);
  }
  if (values["help"]) return "help";
  return {
    port: integer(values, "port", 0, 65535),
    host: values["host"] as string | undefined,
    tls: values["tls"] === true,
    script: values["script"] as string | undefined,
    firstByteLatencyMs: integer(values, "first-byte-latency", 0),
    chunkDelayMs: integer(values, "chunk-delay", 0),
    chunksPerAnswer: integer(values, "chunks", 1),
    throttleRate: rate(values, "throttle-rate"),
    errorRate: rate(values, "error-rate"),
    faultRate: rate(values, "fault-rate"),
    seed: integer(values, "seed", Number.MIN_SAFE_INTEGER),
    auth: values["no-auth"] !== true,
    batch: batchOptions(values),
  };
}

export async function runEmulatorCommand(args: string[], io: EmulatorCommandIo = {}): Promise<void> {
  const stdout = io.stdout ?? process.stdout;
  const options = parseEmulatorArgs(args);
  if (options === "help") {
    stdout.write(EMULATOR_HELP);
    return;
  }
  // A long-running server keeps no request log (it would only grow).
  const emulator = await startEmulator({ ...options, recordRequests: false });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.signal?.removeEventListener("abort", stop);
      void emulator.close().then(() => {
        stdout.write("Bedrock Runtime emulator stopped.\n");
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    // The banner comes after the handlers: a signal sent as soon as the URL is read must not kill the process.
    stdout.write(startBanner(emulator.url, options, emulator.ca));
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener("abort", stop, { once: true });
  });
}

function batchOptions(values: Record<string, string | boolean | undefined>): EmulatorOptions["batch"] {
  const s3Endpoint = values["s3-endpoint"] as string | undefined;
  if (s3Endpoint !== undefined && !/^https?:\/\/[^/]/.test(s3Endpoint)) throw new UsageError(`--s3-endpoint needs an http:// or https:// URL, got "${s3Endpoint}".`, EMULATOR_HELP);
  const statusDelayMs = integer(values, "batch-status-delay", 0);
  const recordDelayMs = integer(values, "batch-record-delay", 0);
  const scheduledDelayMs = integer(values, "batch-scheduled-delay", 0);
  const hourMs = integer(values, "batch-hour-ms", 1);
  return {
    ...(scheduledDelayMs !== undefined ? { scheduledDelayMs } : {}),
    ...(hourMs !== undefined ? { hourMs } : {}),
    ...(s3Endpoint !== undefined ? { s3Endpoint } : {}),
    ...(statusDelayMs !== undefined ? { statusDelayMs } : {}),
    ...(recordDelayMs !== undefined ? { recordDelayMs } : {}),
  };
}

function startBanner(url: string, options: EmulatorOptions, ca: string | undefined): string {
  const lines = [`Bedrock Runtime emulator listening on ${url}`];
  if (options.auth === false) {
    lines.push("Authentication is off: any credentials (or none) are accepted.");
  } else {
    lines.push(
      `Credentials: AWS_ACCESS_KEY_ID=${EXAMPLE_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=<the AWS documentation example secret> (any region)`,
      `  (the example pair from the AWS docs; see docs/emulator.md), or AWS_BEARER_TOKEN_BEDROCK=${EMULATOR_API_KEY}`,
    );
  }
  lines.push(`Point a client at it with endpoint ${url}. Stop with Ctrl-C.`);
  if (ca) lines.push("Self-signed certificate (trust it as a CA):", ca.trim());
  return `${lines.join("\n")}\n`;
}

function integer(values: Record<string, unknown>, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${String(raw)}".`, EMULATOR_HELP);
  }
  return value;
}

function rate(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new UsageError(`--${name} must be a number from 0 to 1, got "${String(raw)}".`, EMULATOR_HELP);
  return value;
}

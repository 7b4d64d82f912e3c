import type { AddressInfo } from "node:net";
import type { PlanRequest } from "./answer-plan.js";
import { RequestAuthenticator } from "./authenticate-request.js";
import { MetricsRecorder, type EmulatorMetrics } from "./emulator-metrics.js";
import { handleExchange, type HandlerContext } from "./handle-request.js";
import { createProtocolServer } from "./protocol-server.js";
import { DEFAULT_CONNECTION_TIMEOUTS, type ConnectionTimeouts } from "./connection-timeouts.js";
import { ConfigError } from "../schema/errors.js";
import { DEFAULT_MAX_BODY_BYTES } from "./read-request-body.js";
import type { RecordedRequest } from "./recorded-request.js";
import { createPlanner, type ModelOptions } from "./model/index.js";
import { registerListeningInThread } from "./thread-registry.js";
import { createTlsCertificate } from "./tls-certificate.js";
import type { EmulatorCredentials } from "./verify-sigv4.js";
import { toExchange } from "./wire-exchange.js";
import { BatchJobStore } from "./batch/batch-job-store.js";
import { resolveBatchJobOptions, type BatchJobOptions } from "./batch/batch-job-options.js";
import { describeJob } from "./batch/batch-job.js";

export type { EmulatorMetrics } from "./emulator-metrics.js";
export type { RecordedRequest } from "./recorded-request.js";
export type { EmulatorCredentials } from "./verify-sigv4.js";
export type { BatchJobOptions } from "./batch/batch-job-options.js";
export type * from "./answer-plan.js";
export type { ModelOptions, ScriptInput, Script } from "./model/index.js";
export { createPlanner, loadScript, parseScriptText, validateScript } from "./model/index.js";

/**
 * The AWS documentation's example key pair: the credentials the emulator accepts by default. Not frozen,
 * because the AWS SDK annotates the credentials object it is given.
 */
export const EXAMPLE_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** The Bedrock API key (`Authorization: Bearer ...`) the emulator accepts by default. */
export const EMULATOR_API_KEY = "minion-emulator-local-key";

export interface WireOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 over ALPN) with a self-signed certificate generated at start. */
  tls?: boolean;
  /** SigV4 credentials accepted; default the AWS documentation example pair. */
  credentials?: EmulatorCredentials[];
  /** Bearer API keys accepted; default [EMULATOR_API_KEY]. */
  apiKeys?: string[];
  /** Check authentication (default true). */
  auth?: boolean;
  /** Largest request body accepted, in bytes; default 25,000,000 (Bedrock's documented limit). */
  maxBodyBytes?: number;
  /** Close a connection whose first request's headers are not complete after this many ms (default 60,000; 0 = off). */
  headersTimeoutMs?: number;
  /** Cut a request whose body is not complete this many ms after its headers (default 120,000; 0 = off). */
  requestTimeoutMs?: number;
  /** Close a connection with no request in progress after this many ms (default 60,000; 0 = off). */
  idleTimeoutMs?: number;
  /** Keep every accepted request in `emulator.requests` (default true). */
  recordRequests?: boolean;
  /** Advanced: replaces the built-in model and script with your own planner (see answer-plan.ts). */
  planner?: PlanRequest;
  /** Control-plane batch jobs (CreateModelInvocationJob, ...): the S3 server they use, their pace, their limits. */
  batch?: BatchJobOptions;
}

/** Model options (script, latency, chunks, fault rates; see docs/emulator.md) plus the server options. */
export type EmulatorOptions = ModelOptions & WireOptions;

const WIRE_KEYS = [
  "port",
  "host",
  "tls",
  "credentials",
  "apiKeys",
  "auth",
  "maxBodyBytes",
  "headersTimeoutMs",
  "requestTimeoutMs",
  "idleTimeoutMs",
  "recordRequests",
  "planner",
  "batch",
] as const;

function modelOptions(options: EmulatorOptions): ModelOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const key of WIRE_KEYS) delete copy[key];
  return copy as ModelOptions;
}

export interface Emulator {
  /** Base URL to use as the AWS SDK `endpoint`, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  /** PEM of the self-signed certificate, when started with `tls: true` (trust it as a CA). */
  readonly ca?: string;
  readonly metrics: EmulatorMetrics;
  /** Requests accepted so far (when recordRequests is on). */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** Every batch job created so far, oldest first, as GetModelInvocationJob describes it, plus `statusHistory`: every status it has had, in order. */
  batchJobs(): Record<string, unknown>[];
  /** Stops listening and ends every connection, including stalled streams. */
  close(): Promise<void>;
}

function connectionTimeouts(options: WireOptions): ConnectionTimeouts {
  const timeouts = { ...DEFAULT_CONNECTION_TIMEOUTS };
  for (const key of ["headersTimeoutMs", "requestTimeoutMs", "idleTimeoutMs"] as const) {
    const value = options[key];
    if (value === undefined) continue;
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new ConfigError(`Emulator option ${key} must be a whole number of milliseconds, 0 or more (0 turns it off), got ${String(value)}.`);
    }
    timeouts[key] = value;
  }
  return timeouts;
}

/** Starts a Bedrock Runtime emulator. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const planner = options.planner ?? createPlanner(modelOptions(options));
  const metrics = new MetricsRecorder();
  const recorded: RecordedRequest[] = [];
  const batchJobs = new BatchJobStore(resolveBatchJobOptions(options.batch), planner);
  const context: HandlerContext = {
    batchJobs,
    metrics,
    authenticator: new RequestAuthenticator(options.credentials ?? [{ ...EXAMPLE_CREDENTIALS }], options.apiKeys ?? [EMULATOR_API_KEY], options.auth ?? true),
    planner,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    recordRequests: options.recordRequests ?? true,
    recorded,
    active: new Set(),
  };
  const certificate = options.tls ? await createTlsCertificate() : undefined;
  const server = createProtocolServer((req, res) => void handleExchange(context, toExchange(req, res)), connectionTimeouts(options), certificate);
  metrics.connections = server;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.listener.once("error", reject);
    server.listener.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      server.listener.off("error", reject);
      resolve();
    });
  });
  registerListeningInThread(server.listener);
  const { port } = server.listener.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `${certificate ? "https" : "http"}://${urlHost}:${port}`,
    ca: certificate?.cert,
    metrics: metrics.view(),
    requests: recorded,
    clearRequests: () => {
      recorded.length = 0;
    },
    batchJobs: () => batchJobs.jobs.map((job) => ({ ...describeJob(job), statusHistory: [...job.statusHistory] })),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        batchJobs.close();
        server.listener.close(() => resolve());
        for (const controller of context.active) controller.abort();
        context.active.clear();
        server.destroyAll();
      });
      return closing;
    },
  };
}

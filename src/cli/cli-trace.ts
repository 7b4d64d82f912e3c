/**
 * `--trace`: an in-process OpenTelemetry tracer provider, set up only for this command, that keeps the spans
 * in memory and prints them as a tree on stderr when the command ends. It needs the optional packages
 * @opentelemetry/api, @opentelemetry/sdk-trace-base and @opentelemetry/context-async-hooks.
 */
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { MissingDependencyError } from "../schema/errors.js";
import type { CliIo } from "./cli-io.js";
import { formatSpanTree, type TreeSpan } from "./span-tree.js";

export interface CliTrace {
  /** The span tree of everything traced so far. */
  tree(): string;
  /** Unregisters the provider and the context manager. */
  stop(): Promise<void>;
}

async function load<T>(packageName: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    throw new MissingDependencyError(packageName, { cause: error });
  }
}

export async function startCliTrace(): Promise<CliTrace> {
  const api = await load("@opentelemetry/api", () => import("@opentelemetry/api"));
  const sdk = await load("@opentelemetry/sdk-trace-base", () => import("@opentelemetry/sdk-trace-base"));
  const hooks = await load("@opentelemetry/context-async-hooks", () => import("@opentelemetry/context-async-hooks"));
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  const contextManager = new hooks.AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.trace.setGlobalTracerProvider(provider);
  return {
    tree: () => formatSpanTree(exporter.getFinishedSpans().map(toTreeSpan)),
    async stop() {
      await provider.shutdown();
      api.trace.disable();
      api.context.disable();
    },
  };
}

/** Runs a command's body, traced when `enabled`: the span tree goes to stderr at the end, also after an error. */
export async function withCliTrace<T>(io: CliIo, enabled: boolean | undefined, body: () => Promise<T>): Promise<T> {
  if (!enabled) return body();
  const tracing = await startCliTrace();
  try {
    return await body();
  } finally {
    io.stderr.write(`trace:\n${tracing.tree()}\n`);
    await tracing.stop();
  }
}

function toTreeSpan(span: ReadableSpan): TreeSpan {
  const [seconds, nanos] = span.duration;
  const [startSeconds, startNanos] = span.startTime;
  return {
    name: span.name,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId,
    startMs: startSeconds * 1000 + startNanos / 1e6,
    durationMs: seconds * 1000 + nanos / 1e6,
    attributes: { ...span.attributes },
    error: span.status.code === 2 ? (span.status.message ?? "error") : undefined,
  };
}

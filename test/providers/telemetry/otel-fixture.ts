/** The OpenTelemetry SDK registered in-process with in-memory exporters, as an application would register it. */
import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData, type MetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface OtelHarness {
  spans(): ReadableSpan[];
  /** Every data point exported so far for one metric. */
  metric(name: string): Promise<HistogramMetricData["dataPoints"]>;
  reset(): void;
  shutdown(): Promise<void>;
}

export function registerOtel(): OtelHarness {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans: () => spanExporter.getFinishedSpans(),
    async metric(name) {
      await reader.forceFlush();
      const exported = metricExporter.getMetrics().at(-1);
      const all: MetricData[] = exported?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
      return (all.find((data) => data.descriptor.name === name) as HistogramMetricData | undefined)?.dataPoints ?? [];
    },
    reset() {
      spanExporter.reset();
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** The one finished span with this name (fails loudly otherwise). */
export function onlySpan(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((span) => span.name).join(", ")}`);
  return found[0]!;
}

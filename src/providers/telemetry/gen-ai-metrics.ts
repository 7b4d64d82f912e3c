/**
 * The three client metrics of the GenAI conventions, created on the meter the application registered. The
 * metrics API has no proxy provider, so the instruments are rebuilt when the registered meter changes.
 */
import type { Attributes, Histogram, Meter } from "@opentelemetry/api";
import { METRIC, SECONDS_BUCKETS, TOKEN_BUCKETS } from "./gen-ai-conventions.js";
import { minionMeter, type OtelApiModule } from "./otel-api.js";

export interface GenAiInstruments {
  tokenUsage: Histogram<Attributes>;
  operationDuration: Histogram<Attributes>;
  timeToFirstChunk: Histogram<Attributes>;
}

let cached: { meter: Meter; instruments: GenAiInstruments } | undefined;

/** The instruments, or undefined when no meter provider is registered. */
export function genAiInstruments(api: OtelApiModule): GenAiInstruments | undefined {
  const meter = minionMeter(api);
  if (!meter) return undefined;
  if (cached?.meter !== meter) cached = { meter, instruments: createInstruments(meter) };
  return cached.instruments;
}

function createInstruments(meter: Meter): GenAiInstruments {
  return {
    tokenUsage: meter.createHistogram(METRIC.tokenUsage, {
      description: "Number of input and output tokens used.",
      unit: "{token}",
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    operationDuration: meter.createHistogram(METRIC.operationDuration, {
      description: "GenAI operation duration.",
      unit: "s",
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    timeToFirstChunk: meter.createHistogram(METRIC.timeToFirstChunk, {
      description: "Time to receive the first chunk in a streaming response.",
      unit: "s",
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
  };
}

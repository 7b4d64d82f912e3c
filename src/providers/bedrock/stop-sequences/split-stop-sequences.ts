/**
 * The `stop` option split by who enforces each stop sequence. Bedrock rejects whitespace-only ones, so those
 * go to the client only; every stop is enforced on the client as well (text after the first match is cut, the
 * stop excluded, by stop-sequence-filter.ts).
 */
import { InvalidRequestError } from "../../../schema/errors.js";
import type { GenerateOptions } from "../../llm-provider.js";

export interface StopSequences {
  /** Sent as stop_sequences (InvokeModel) / inferenceConfig.stopSequences (Converse). */
  serverStops: string[];
  /** Every stop sequence, enforced on the client too. */
  clientStops: string[];
}

/** InvalidRequestError when `stop` is not a string or an array of strings; empty and repeated stops are dropped. */
export function splitStopSequences(stop: GenerateOptions["stop"]): StopSequences {
  const split: StopSequences = { serverStops: [], clientStops: [] };
  for (const sequence of normalizeStops(stop)) {
    split.clientStops.push(sequence);
    if (sequence.trim() !== "") split.serverStops.push(sequence);
  }
  return split;
}

function normalizeStops(stop: GenerateOptions["stop"]): string[] {
  if (stop === undefined || stop === null) return [];
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) throw new InvalidRequestError("stop must be a string or an array of strings.");
  return [...new Set(list.filter((s) => s !== ""))];
}

/**
 * Which server-side stop sequence ended the answer. InvokeModel (Claude) reports it in `stop_sequence`.
 * Converse reports it only for Anthropic models, and only when asked through
 * `additionalModelResponseFieldPaths`; for other models, when exactly one was sent, it is the one.
 * (A client-side stop is known from the filter: see stream-accumulator.ts.)
 */
import type { ModelStreamPart } from "../output/model-stream-part.js";
import { isAnthropicModel } from "../select-bedrock-api.js";

/** The path, in Anthropic responses, of the stop sequence that ended the answer. */
const STOP_SEQUENCE_FIELD_PATH = "/stop_sequence";

/** The Converse `additionalModelResponseFieldPaths` that make the model report its stop sequence (none when it cannot). */
export function stopSequenceFieldPaths(model: string, serverStops: readonly string[]): string[] {
  return serverStops.length > 0 && isAnthropicModel(model) ? [STOP_SEQUENCE_FIELD_PATH] : [];
}

/** The stop sequence from Converse `additionalModelResponseFields` (Anthropic models report `stop_sequence`). */
export function stopSequenceOf(fields: unknown): string | null {
  if (fields === null || typeof fields !== "object") return null;
  const value = (fields as Record<string, unknown>)["stop_sequence"];
  return typeof value === "string" ? value : null;
}

/** A Converse finish part that names no stop sequence gets the only one sent, if exactly one was. */
export function fillStopSequence(part: ModelStreamPart, stops: readonly string[]): ModelStreamPart {
  if (part.type !== "finish" || part.stopReason !== "stop_sequence" || part.stopSequence !== null || stops.length !== 1) return part;
  return { ...part, stopSequence: stops[0]! };
}

/**
 * Sampling options of one call: the call's value wins over the config's, which wins over the model default.
 * Values are checked here (before any network call). Stop sequences are split by stop-sequences/.
 */
import { warnOnce } from "../../../config/warn-once.js";
import { InvalidRequestError } from "../../../schema/errors.js";
import { splitStopSequences, type StopSequences } from "../stop-sequences/split-stop-sequences.js";
import { checkGenerateOptions } from "../../check-generate-options.js";
import type { GenerateOptions } from "../../llm-provider.js";
import { modelTokenLimits } from "./model-limits.js";
import type { KnobDefaults } from "./request-knobs.js";

/** The config fields that give call defaults. */
export interface CallDefaults extends KnobDefaults {
  temperature?: number | undefined;
  topP?: number | undefined;
  topK?: number | undefined;
  maxTokens?: number | undefined;
}

export interface ResolvedCallOptions extends StopSequences {
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
}

export function resolveCallOptions(model: string, callOptions: GenerateOptions, defaults: CallDefaults): ResolvedCallOptions {
  const options = checkGenerateOptions(callOptions);
  const limits = modelTokenLimits(model);
  let maxTokens = checkInteger("maxTokens", options.maxTokens ?? defaults.maxTokens, 1) ?? limits.defaultMaxTokens;
  if (limits.maxOutputTokens !== undefined && maxTokens > limits.maxOutputTokens) {
    warnOnce(
      `max-tokens-cap:${model}:${maxTokens}`,
      `maxTokens ${maxTokens} is more than ${model} can produce; sending ${limits.maxOutputTokens}.`,
      "MINION_MAX_TOKENS_CAPPED",
    );
    maxTokens = limits.maxOutputTokens;
  }
  const temperature = checkRange("temperature", options.temperature ?? defaults.temperature, 0, 1);
  const topP = checkRange("topP", options.topP ?? defaults.topP, 0, 1);
  const topK = checkInteger("topK", options.topK ?? defaults.topK, 0);
  const resolved: ResolvedCallOptions = { maxTokens, ...splitStopSequences(options.stop) };
  if (temperature !== undefined) resolved.temperature = temperature;
  if (topP !== undefined) resolved.topP = topP;
  if (topK !== undefined) resolved.topK = topK;
  return resolved;
}

function checkRange(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidRequestError(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

function checkInteger(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new InvalidRequestError(`${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}.`);
  }
  return value;
}

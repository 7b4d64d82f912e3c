/**
 * Bedrock's checks of the request knobs, worded like Bedrock's ValidationExceptions (constraints from
 * bedrock-runtime-2023-09-30.json): Converse `serviceTier`, `performanceConfig`, `requestMetadata`,
 * `outputConfig.effort`; InvokeModel's `X-Amzn-Bedrock-Service-Tier`, `-PerformanceConfig-Latency` and
 * `-Request-Metadata` headers and the Anthropic body's `output_config.effort`, whose levels depend on the
 * model (effort-support.ts). Request metadata is a sensitive shape: its values are never quoted back.
 */
import { effortExpected, effortSupport } from "./effort-support.js";
import { isRecord } from "./json-shape.js";
import type { ResolvedModel } from "./resolve-model-id.js";
import { constraintError, modelReturnedError, validationError } from "./request-rejected.js";

// The service model's enums and limits, kept here apart from the library's copy: the emulator checks the client.
const SERVICE_TIERS = ["priority", "default", "flex", "reserved"] as const;
const LATENCIES = ["standard", "optimized"] as const;
const EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;
const REQUEST_METADATA_MAX_PAIRS = 16;
const REQUEST_METADATA_MAX_LENGTH = 256;
const REQUEST_METADATA_TEXT = /^[a-zA-Z0-9\s:_@$#=/+,\-.]*$/;
const REQUEST_METADATA_JSON_MAX = 8500;
const EFFORT_MAX_LENGTH = 16;
const enumSet = (values: readonly string[]) => `Member must satisfy enum value set: [${values.join(", ")}]`;
const EFFORT_EXPECTED = effortExpected(EFFORTS);
const NO_EFFORT = "output_config.effort: This model does not support the effort parameter.";

export function checkConverseKnobs(body: Record<string, unknown>, model: ResolvedModel): void {
  const { serviceTier, performanceConfig, requestMetadata, outputConfig } = body;
  if (serviceTier !== undefined) {
    const type = isRecord(serviceTier) ? serviceTier.type : undefined;
    if (typeof type !== "string" || !(SERVICE_TIERS as readonly string[]).includes(type)) throw constraintError(type ?? null, "serviceTier.type", enumSet(SERVICE_TIERS));
  }
  if (performanceConfig !== undefined) {
    const latency = isRecord(performanceConfig) ? performanceConfig.latency : undefined;
    if (latency !== undefined && (typeof latency !== "string" || !(LATENCIES as readonly string[]).includes(latency))) {
      throw constraintError(latency, "performanceConfig.latency", enumSet(LATENCIES));
    }
  }
  if (requestMetadata !== undefined) checkRequestMetadata(requestMetadata);
  if (outputConfig !== undefined && isRecord(outputConfig) && outputConfig.effort !== undefined) {
    const effort = outputConfig.effort;
    if (typeof effort !== "string" || effort.length > EFFORT_MAX_LENGTH) {
      throw constraintError(effort, "outputConfig.effort", `Member must have length less than or equal to ${EFFORT_MAX_LENGTH}`);
    }
    if (!(EFFORTS as readonly string[]).includes(effort)) throw modelReturnedError(`output_config.effort: ${EFFORT_EXPECTED}`);
    const support = effortSupport(model);
    if (support === undefined) return;
    if (support.levels.length === 0) {
      if (model.family === "anthropic") throw modelReturnedError(NO_EFFORT);
      throw validationError("This model doesn't support the outputConfig.effort field. Remove it and try again.");
    }
    if (!support.levels.includes(effort)) throw modelReturnedError(`output_config.effort: ${effortExpected(support.levels)}`);
  }
}

export function checkInvokeKnobs(headers: Record<string, string>, body: Record<string, unknown>, model: ResolvedModel): void {
  const tier = headers["x-amzn-bedrock-service-tier"];
  if (tier !== undefined && !(SERVICE_TIERS as readonly string[]).includes(tier)) throw constraintError(tier, "serviceTier", enumSet(SERVICE_TIERS));
  const latency = headers["x-amzn-bedrock-performanceconfig-latency"];
  if (latency !== undefined && !(LATENCIES as readonly string[]).includes(latency)) throw constraintError(latency, "performanceConfigLatency", enumSet(LATENCIES));
  const metadata = headers["x-amzn-bedrock-request-metadata"];
  if (metadata !== undefined) {
    if (metadata.length > REQUEST_METADATA_JSON_MAX) {
      throw validationError(`1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: Member must have length less than or equal to ${REQUEST_METADATA_JSON_MAX}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(metadata);
    } catch {
      throw validationError("The X-Amzn-Bedrock-Request-Metadata header must be a JSON object of string keys and string values.");
    }
    checkRequestMetadata(parsed);
  }
  const outputConfig = body["output_config"];
  if (outputConfig !== undefined) {
    if (!isRecord(outputConfig)) throw validationError("output_config: Input should be a valid dictionary or object to extract fields from");
    if (outputConfig.effort !== undefined && (typeof outputConfig.effort !== "string" || !(EFFORTS as readonly string[]).includes(outputConfig.effort))) {
      throw validationError(`output_config.effort: ${EFFORT_EXPECTED}`);
    }
    if (outputConfig.effort !== undefined) checkInvokeEffort(outputConfig.effort as string, body, model);
  }
}

function checkInvokeEffort(effort: string, body: Record<string, unknown>, model: ResolvedModel): void {
  const support = effortSupport(model);
  if (support === undefined) return;
  if (support.levels.length === 0) throw validationError(NO_EFFORT);
  const betas = Array.isArray(body["anthropic_beta"]) ? (body["anthropic_beta"] as unknown[]) : [];
  if (support.beta !== undefined && !betas.includes(support.beta)) {
    throw validationError(`output_config.effort: this model reads effort only with the anthropic_beta flag "${support.beta}".`);
  }
  if (!support.levels.includes(effort)) throw validationError(`output_config.effort: ${effortExpected(support.levels)}`);
}

function checkRequestMetadata(value: unknown): void {
  const fail = (constraint: string) => validationError(`1 validation error detected: Value at 'requestMetadata' failed to satisfy constraint: ${constraint}`);
  if (!isRecord(value)) throw fail("Member must be a map of string keys to string values");
  const entries = Object.entries(value);
  if (entries.length < 1) throw fail("Member must have length greater than or equal to 1");
  if (entries.length > REQUEST_METADATA_MAX_PAIRS) throw fail(`Member must have length less than or equal to ${REQUEST_METADATA_MAX_PAIRS}`);
  const pattern = `[a-zA-Z0-9\\s:_@$#=/+,-.]`;
  for (const [key, text] of entries) {
    if (key.length < 1 || key.length > REQUEST_METADATA_MAX_LENGTH || !REQUEST_METADATA_TEXT.test(key)) {
      throw fail(`Map keys must satisfy constraint: [Member must have length less than or equal to ${REQUEST_METADATA_MAX_LENGTH}, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${pattern}{1,256}]`);
    }
    if (typeof text !== "string" || text.length > REQUEST_METADATA_MAX_LENGTH || !REQUEST_METADATA_TEXT.test(text)) {
      throw fail(`Map value must satisfy constraint: [Member must have length less than or equal to ${REQUEST_METADATA_MAX_LENGTH}, Member must satisfy regular expression pattern: ${pattern}{0,256}]`);
    }
  }
}

/**
 * Bedrock reports the service tier and latency setting that served a call: Converse in the response's (or
 * ConverseStream's metadata event's) `serviceTier` / `performanceConfig`, InvokeModel* in the
 * `X-Amzn-Bedrock-Service-Tier` / `X-Amzn-Bedrock-PerformanceConfig-Latency` response headers. The
 * emulator serves every request in the tier asked for, so it reports what the (already validated) request asked.
 */
import { isRecord } from "./model/json-shape.js";

export function converseKnobEcho(requestBody: unknown): Record<string, unknown> {
  if (!isRecord(requestBody)) return {};
  const echo: Record<string, unknown> = {};
  if (isRecord(requestBody.serviceTier)) echo["serviceTier"] = { type: requestBody.serviceTier.type };
  if (isRecord(requestBody.performanceConfig) && requestBody.performanceConfig.latency !== undefined) echo["performanceConfig"] = { latency: requestBody.performanceConfig.latency };
  return echo;
}

export function invokeKnobEchoHeaders(requestHeaders: Record<string, string>): Record<string, string> {
  const echo: Record<string, string> = {};
  const tier = requestHeaders["x-amzn-bedrock-service-tier"];
  const latency = requestHeaders["x-amzn-bedrock-performanceconfig-latency"];
  if (tier) echo["x-amzn-bedrock-service-tier"] = tier;
  if (latency) echo["x-amzn-bedrock-performanceconfig-latency"] = latency;
  return echo;
}

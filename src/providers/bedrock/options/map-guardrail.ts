/**
 * Guardrails: `guardrail: {identifier, version, trace}` becomes the InvokeModel parameters sent as
 * `X-Amzn-Bedrock-GuardrailIdentifier` / `-GuardrailVersion` / `X-Amzn-Bedrock-Trace` headers, or Converse
 * `guardrailConfig`. An intervention is reported as finish_reason "content_filter" with
 * stop_reason "guardrail_intervened" and the trace kept on the completion.
 */
import type { GenerateOptions } from "../../llm-provider.js";
import type { ModelStreamPart } from "../output/model-stream-part.js";
import { InvalidRequestError } from "../../../schema/errors.js";

export type GuardrailOption = NonNullable<GenerateOptions["guardrail"]>;

/**
 * Bedrock's GuardrailIdentifier pattern (its service model): an id, or a guardrail's ARN. The model allows
 * any characters but ':' in the partition suffix; partitions are letters and hyphens (aws-cn, aws-us-gov), and
 * a control character there would reach an HTTP header.
 */
const GUARDRAIL_IDENTIFIER = /^(?:[a-z0-9]+|arn:aws(?:-[a-z-]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/;

function check(guardrail: GuardrailOption): void {
  if (typeof guardrail.identifier !== "string" || guardrail.identifier.length > 2048 || !GUARDRAIL_IDENTIFIER.test(guardrail.identifier)) {
    throw new InvalidRequestError(
      "guardrail.identifier must be the guardrail's id (lowercase letters and digits, e.g. \"gr1abc2def3\") or its ARN (arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID).",
    );
  }
  if (typeof guardrail.version !== "string" || !/^(DRAFT|[1-9][0-9]{0,7})$/.test(guardrail.version)) {
    throw new InvalidRequestError(`guardrail.version must be "DRAFT" or a version number as a string such as "1" (got ${JSON.stringify(guardrail.version)}).`);
  }
}

/** InvokeModel / InvokeModelWithResponseStream command parameters (the SDK sends them as headers). */
export function guardrailInvokeParams(guardrail: GuardrailOption | undefined): { guardrailIdentifier?: string; guardrailVersion?: string; trace?: "ENABLED" | "DISABLED" } {
  if (guardrail === undefined) return {};
  check(guardrail);
  return { guardrailIdentifier: guardrail.identifier, guardrailVersion: guardrail.version, trace: guardrail.trace ? "ENABLED" : "DISABLED" };
}

/** The same parameters as the HTTP headers InvokeModelWithResponseStream carries them in. */
export function guardrailInvokeHeaders(params: ReturnType<typeof guardrailInvokeParams>): Record<string, string> {
  if (params.guardrailIdentifier === undefined) return {};
  return {
    "x-amzn-bedrock-guardrailidentifier": params.guardrailIdentifier,
    "x-amzn-bedrock-guardrailversion": params.guardrailVersion!,
    "x-amzn-bedrock-trace": params.trace!,
  };
}

/** Converse / ConverseStream `guardrailConfig`. */
export function guardrailConverseConfig(guardrail: GuardrailOption | undefined): { guardrailIdentifier: string; guardrailVersion: string; trace: "enabled" | "disabled" } | undefined {
  if (guardrail === undefined) return undefined;
  check(guardrail);
  return { guardrailIdentifier: guardrail.identifier, guardrailVersion: guardrail.version, trace: guardrail.trace ? "enabled" : "disabled" };
}

/**
 * InvokeModel answers carry the guardrail outcome in `amazon-bedrock-guardrailAction` ("INTERVENED" or
 * "NONE") and the trace in `amazon-bedrock-trace`; reads both from a response body or final stream chunk.
 */
export function readInvokeGuardrail(body: Record<string, unknown>): { intervened: boolean; trace?: unknown } | undefined {
  const action = body["amazon-bedrock-guardrailAction"];
  if (action === undefined) return undefined;
  const result: { intervened: boolean; trace?: unknown } = { intervened: action === "INTERVENED" };
  if (body["amazon-bedrock-trace"] !== undefined) result.trace = body["amazon-bedrock-trace"];
  return result;
}

/**
 * Parts for the guardrail outcome carried by an InvokeModel body or stream event: the trace, and when the
 * guardrail intervened a finish with stop reason "guardrail_intervened" (reported as content_filter).
 */
export function invokeGuardrailParts(event: unknown): ModelStreamPart[] {
  if (event === null || typeof event !== "object") return [];
  const outcome = readInvokeGuardrail(event as Record<string, unknown>);
  if (outcome === undefined) return [];
  const parts: ModelStreamPart[] = [];
  if (outcome.trace !== null && typeof outcome.trace === "object") parts.push({ type: "trace", trace: outcome.trace as Record<string, unknown> });
  if (outcome.intervened) parts.push({ type: "finish", stopReason: "guardrail_intervened", stopSequence: null });
  return parts;
}

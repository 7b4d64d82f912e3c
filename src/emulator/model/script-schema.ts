import { z } from "zod";

/**
 * The shape of an emulator script (YAML or JSON): top-level defaults and a list of rules. Each rule matches
 * requests and says how to respond; the first matching rule wins, otherwise the built-in model answers.
 * Objects are strict, so a misspelt field is reported by name.
 */

const OPERATIONS = ["InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "CountTokens"] as const;
const ERROR_NAMES = [
  "ValidationException",
  "AccessDeniedException",
  "ResourceNotFoundException",
  "ThrottlingException",
  "ServiceUnavailableException",
  "InternalServerException",
  "ModelTimeoutException",
  "ModelNotReadyException",
  "ModelErrorException",
  "ServiceQuotaExceededException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
] as const;
const STREAM_EXCEPTIONS = [
  "internalServerException",
  "modelStreamErrorException",
  "validationException",
  "throttlingException",
  "modelTimeoutException",
  "serviceUnavailableException",
] as const;
const STOP_REASONS = ["end_turn", "max_tokens", "stop_sequence", "tool_use", "guardrail_intervened", "content_filtered"] as const;
const FAULT_TYPES = ["reset", "stall", "corrupt_frame", "truncate", "exception"] as const;

const count = z.number().int().min(0);
const rate = z.number().min(0).max(1);

const regexSource = z.string().refine((source) => compileRegex(source) !== null, { message: "not a valid regular expression" });

export const scriptMatchSchema = z.strictObject({
  model: z.string().min(1).optional(),
  operation: z.union([z.enum(OPERATIONS), z.array(z.enum(OPERATIONS)).min(1)]).optional(),
  text: z.string().optional(),
  regex: regexSource.optional(),
  anyText: z.string().optional(),
  toolResult: z.union([z.boolean(), z.string().min(1)]).optional(),
});

export const scriptRespondSchema = z.strictObject({
  text: z.string().optional(),
  toolCalls: z
    .array(z.strictObject({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/), input: z.record(z.string(), z.unknown()).default({}), id: z.string().min(1).optional() }))
    .min(1)
    .optional(),
  thinking: z.string().min(1).optional(),
  redactedThinking: z.string().min(1).optional(),
  error: z.strictObject({ name: z.enum(ERROR_NAMES), message: z.string().optional(), status: z.number().int().min(400).max(599).optional() }).optional(),
  fault: z
    .strictObject({ type: z.enum(FAULT_TYPES), afterChunks: count.default(0), name: z.enum(STREAM_EXCEPTIONS).optional(), message: z.string().optional() })
    .optional(),
  connectionFault: z.enum(["reset", "stall"]).optional(),
  stopReason: z.enum(STOP_REASONS).optional(),
  usage: z
    .strictObject({ inputTokens: count.optional(), outputTokens: count.optional(), cacheReadInputTokens: count.optional(), cacheWriteInputTokens: count.optional() })
    .optional(),
  retryAfterSeconds: count.optional(),
  firstByteLatencyMs: count.optional(),
  chunkDelayMs: count.optional(),
  chunksPerAnswer: z.number().int().min(1).optional(),
});

export const scriptRuleSchema = z
  .strictObject({
    match: scriptMatchSchema.default({}),
    respond: scriptRespondSchema.optional(),
    sequence: z.array(scriptRespondSchema).min(1).optional(),
    times: z.number().int().min(1).optional(),
    loop: z.boolean().optional(),
  })
  .refine((rule) => (rule.respond === undefined) !== (rule.sequence === undefined), {
    message: "a rule needs exactly one of `respond` or `sequence`",
  });

export const scriptDefaultsSchema = z.strictObject({
  firstByteLatencyMs: count.optional(),
  chunkDelayMs: count.optional(),
  chunksPerAnswer: z.number().int().min(1).optional(),
  throttleRate: rate.optional(),
  errorRate: rate.optional(),
  faultRate: rate.optional(),
  faultTypes: z.array(z.enum(FAULT_TYPES)).min(1).optional(),
  retryAfterSeconds: count.optional(),
  seed: z.number().int().optional(),
  maxRequestsPerSecond: z.number().positive().finite().optional(),
  profileOnlyModels: z.array(z.string().min(1)).optional(),
});

export const scriptSchema = z.union([
  z.strictObject({ defaults: scriptDefaultsSchema.default({}), rules: z.array(scriptRuleSchema).default([]) }),
  z.array(scriptRuleSchema).transform((rules) => ({ defaults: {}, rules })),
]);

export type ScriptMatch = z.infer<typeof scriptMatchSchema>;
export type ScriptRespond = z.infer<typeof scriptRespondSchema>;
export type ScriptRule = z.infer<typeof scriptRuleSchema>;
export type ScriptDefaults = z.infer<typeof scriptDefaultsSchema>;
/** A parsed script. */
export type Script = { defaults: ScriptDefaults; rules: ScriptRule[] };
/** A script as written (what `loadScript` reads and `createPlanner({ script })` accepts). */
export type ScriptInput = z.input<typeof scriptSchema>;

/** `"/pattern/flags"` or a bare pattern -> RegExp; null when it does not compile. */
export function compileRegex(source: string): RegExp | null {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(source);
  try {
    return literal ? new RegExp(literal[1] as string, (literal[2] as string).replace("g", "")) : new RegExp(source);
  } catch {
    return null;
  }
}

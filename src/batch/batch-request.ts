/**
 * One input line: `{"id": ..., "messages": [...], ...call options}`. Keys are checked strictly so a typo
 * (`"temprature"`) is an error rather than silently ignored. Deeper message checks are the provider's: a
 * request it rejects becomes that line's error record.
 */
import { z } from "zod";
import type { GenerateOptions } from "../providers/llm-provider.js";
import type { MessageInput } from "../schema/message.js";

export type BatchId = string | number;

export interface BatchRequest {
  id: BatchId;
  messages: MessageInput[];
  options: GenerateOptions;
  /** A JSON Schema: the answer is asked for and validated as a structured object (see docs/structured-output.md). */
  schema?: Record<string, unknown>;
}

const MAX_ID_LENGTH = 1024;

const idSchema = z.union([
  z.string().min(1, "must not be empty").max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
  z.number().int("must be a whole number or a string").nonnegative("must not be negative").max(Number.MAX_SAFE_INTEGER),
]);

const stopSchema = z.union([z.string(), z.array(z.string())]);

const lineSchema = z.strictObject({
  id: idSchema,
  messages: z.array(z.looseObject({ role: z.enum(["system", "user", "assistant", "tool"]) })).min(1, "must hold at least one message"),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  top_p: z.number().optional(),
  topK: z.number().optional(),
  top_k: z.number().optional(),
  maxTokens: z.number().optional(),
  max_tokens: z.number().optional(),
  stop: stopSchema.optional(),
  stop_sequences: stopSchema.optional(),
  tools: z.array(z.looseObject({ type: z.literal("function") })).optional(),
  toolChoice: z.unknown().optional(),
  tool_choice: z.unknown().optional(),
  thinking: z.union([z.boolean(), z.strictObject({ budgetTokens: z.number() })]).optional(),
  cache: z.unknown().optional(),
  timeout: z.number().positive().optional(),
  schema: z.record(z.string(), z.unknown()).optional(),
});

export type ParsedLine = { ok: true; request: BatchRequest } | { ok: false; message: string; id?: BatchId };

/** Parses one input line; a failure says what is wrong with it. */
export function parseBatchLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, message: "must be a JSON object with an id and messages" };
  const result = lineSchema.safeParse(value);
  if (!result.success) return { ok: false, message: describeIssues(result.error) };
  const { id, messages, tool_choice, toolChoice, schema, ...rest } = result.data;
  const options = { ...rest, ...(toolChoice ?? tool_choice ? { toolChoice: toolChoice ?? tool_choice } : {}) } as GenerateOptions;
  return { ok: true, request: { id, messages: messages as unknown as MessageInput[], options, ...(schema ? { schema } : {}) } };
}

/** The key under which an id is remembered: 7 and "7" are different ids. */
export function idKey(id: BatchId): string {
  return typeof id === "number" ? `#${id}` : `"${id}`;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length ? issue.path.join(".") : "line";
      if (issue.code === "unrecognized_keys") return `unknown key(s) ${issue.keys.map((key) => `"${key}"`).join(", ")} (allowed: id, messages and call options such as temperature, max_tokens, stop)`;
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

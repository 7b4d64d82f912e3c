/**
 * One structured call's request and the raw JSON text of its answer. Native: `responseFormat` (the answer's
 * text is the JSON). Tool: one tool named after the schema, called by force where the model allows it (its
 * arguments are the JSON).
 */
import type { ChatCompletion } from "../../schema/chat-completion.js";
import { InvalidRequestError } from "../../schema/errors.js";
import type { GenerateOptions } from "../llm-provider.js";
import type { JsonSchema, ObjectSchema } from "./object-schema.js";
import { acceptsForcedToolChoice, resolveStructuredMode, supportsStrictTools, type StructuredMode } from "./structured-mode.js";
import { toWireSchema } from "./wire-schema.js";

/** Options of generateObject / streamObject: a call's options (without tools) plus the schema. */
export interface GenerateObjectOptions<S extends ObjectSchema = ObjectSchema> extends Omit<GenerateOptions, "tools" | "toolChoice" | "responseFormat"> {
  schema: S;
  /** A name for the schema (the tool's name in tool mode; 1-64 letters, digits, "_" or "-"). Default "json_output". */
  schemaName?: string;
  /** What the object is, for the model. */
  schemaDescription?: string;
  /** "auto" (default): native structured output where the model has it, a forced tool call elsewhere. */
  mode?: StructuredMode;
  /** Re-ask the model once, with the validation issues, when its answer does not match. Default false. */
  repair?: boolean;
}

export interface StructuredPlan {
  mode: "native" | "tool";
  toolName: string;
  options: GenerateOptions;
  /** A system instruction to add (tool mode on models that refuse a forced tool choice). */
  instruction?: string;
}

const DEFAULT_NAME = "json_output";
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function planStructuredCall(model: string, jsonSchema: JsonSchema, options: GenerateObjectOptions): StructuredPlan {
  const { schema: _schema, schemaName, schemaDescription, mode: requested, repair: _repair, ...callOptions } = options;
  for (const key of ["tools", "toolChoice", "responseFormat"]) {
    if ((options as unknown as Record<string, unknown>)[key] !== undefined) throw new InvalidRequestError(`${key} cannot be given to generateObject/streamObject: the schema decides what the model answers.`);
  }
  const toolName = schemaName ?? DEFAULT_NAME;
  if (!NAME.test(toolName)) throw new InvalidRequestError(`schemaName ${JSON.stringify(toolName)} must be 1-64 letters, digits, "_" or "-".`);
  const mode = resolveStructuredMode(model, requested);
  if (mode === "native") {
    const responseFormat = { type: "json_schema" as const, schema: toWireSchema(jsonSchema), name: toolName, ...(schemaDescription ? { description: schemaDescription } : {}) };
    return { mode, toolName, options: { ...callOptions, responseFormat } };
  }
  const strict = supportsStrictTools(model);
  const description = schemaDescription ?? "Give the answer as this tool's input.";
  const tool = { type: "function" as const, function: { name: toolName, description, parameters: strict ? toWireSchema(jsonSchema) : jsonSchema, ...(strict ? { strict } : {}) } };
  if (acceptsForcedToolChoice(model)) {
    return { mode, toolName, options: { ...callOptions, tools: [tool], toolChoice: { type: "function", function: { name: toolName } } } };
  }
  const instruction = `Answer only by calling the tool ${toolName}, with the answer as its input.`;
  return { mode, toolName, options: { ...callOptions, tools: [tool], toolChoice: "auto" }, instruction };
}

/** The raw JSON text of an answer: the forced tool call's arguments, or the answer's text. */
export function rawAnswerText(plan: StructuredPlan, completion: ChatCompletion): string {
  const message = completion.choices[0]?.message;
  if (plan.mode === "tool") {
    const call = message?.tool_calls?.find((candidate) => candidate.function.name === plan.toolName);
    if (call) return call.function.arguments;
  }
  return message?.content ?? "";
}

/** The follow-up turn of a repair attempt. */
export function repairMessage(issues: readonly { path: string; message: string }[]): string {
  const list = issues.slice(0, 20).map((issue) => `- ${issue.path || "(root)"}: ${issue.message}`).join("\n");
  return `Your answer does not match the required JSON schema:\n${list}\nAnswer again with only the corrected JSON, matching the schema exactly.`;
}

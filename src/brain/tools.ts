/**
 * Tools the Brain can use: plain TypeScript functions with a JSON Schema or a zod schema for their argument.
 * The react route offers them through native tool use; the code route exposes them as async functions.
 */
import { z } from "zod";
import type { ToolDefinition } from "../providers/llm-provider.js";
import { AbortError, InvalidRequestError } from "../schema/errors.js";
import { sandboxNameProblem } from "./sandbox/sandbox-names.js";

export interface ToolContext {
  /** Fires when the step is aborted or the sandbox run that called the tool ends. */
  signal: AbortSignal;
}

/** A zod schema (v4), recognised by shape so callers may use their own zod copy. */
interface ZodLike<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

export interface BrainTool<Args = any> {
  /** 1-64 letters, digits or "_", not starting with a digit (usable both as a Bedrock tool name and a JS name). */
  name: string;
  description?: string;
  /** JSON Schema of the single argument object, or a zod object schema (arguments are then validated). */
  parameters?: Record<string, unknown> | ZodLike<Args>;
  execute(args: Args, context: ToolContext): unknown;
}

/** Defines a tool; with a zod schema the argument type of `execute` is inferred from it. */
export function tool<Schema extends z.ZodType>(definition: {
  name: string;
  description?: string;
  parameters: Schema;
  execute(args: z.infer<Schema>, context: ToolContext): unknown;
}): BrainTool<z.infer<Schema>>;
export function tool<Args = Record<string, unknown>>(definition: BrainTool<Args>): BrainTool<Args>;
export function tool(definition: BrainTool): BrainTool {
  return definition;
}

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Merges Brain and step tools (step wins by name) and checks every definition. */
export function mergeTools(base: readonly BrainTool[], extra: readonly BrainTool[] | undefined): Map<string, BrainTool> {
  const tools = new Map<string, BrainTool>();
  for (const [i, candidate] of [...base, ...(extra ?? [])].entries()) {
    checkTool(candidate, i);
    tools.set(candidate.name, candidate);
  }
  return tools;
}

function checkTool(candidate: BrainTool, index: number): void {
  const where = `tools[${index}]`;
  if (!candidate || typeof candidate !== "object") throw new InvalidRequestError(`${where} must be {name, description?, parameters?, execute}.`);
  if (typeof candidate.name !== "string" || !TOOL_NAME.test(candidate.name)) {
    throw new InvalidRequestError(`${where}: tool name ${JSON.stringify(candidate.name)} must be 1-64 letters, digits or "_", not starting with a digit.`);
  }
  const problem = sandboxNameProblem(candidate.name);
  if (problem) throw new InvalidRequestError(`${where}: tool name ${problem} (tools are functions in the code sandbox).`);
  if (typeof candidate.execute !== "function") throw new InvalidRequestError(`${where} ("${candidate.name}") needs an execute(args) function.`);
}

function isZod(value: unknown): value is ZodLike<unknown> & z.ZodType {
  return typeof value === "object" && value !== null && typeof (value as { safeParse?: unknown }).safeParse === "function";
}

/** The JSON Schema of a tool's argument. */
export function toolJsonSchema(definition: BrainTool): Record<string, unknown> {
  const parameters = definition.parameters;
  if (parameters === undefined) return { type: "object", properties: {} };
  if (!isZod(parameters)) return parameters as Record<string, unknown>;
  const schema = z.toJSONSchema(parameters) as Record<string, unknown>;
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/** Tools in the OpenAI function format that providers take. */
export function toToolDefinitions(tools: ReadonlyMap<string, BrainTool>): ToolDefinition[] {
  return [...tools.values()].map((definition) => ({
    type: "function",
    function: {
      name: definition.name,
      ...(definition.description ? { description: definition.description } : {}),
      parameters: toolJsonSchema(definition),
    },
  }));
}

/**
 * Runs a tool: validates zod arguments, awaits the result; errors are thrown as Errors with a readable message.
 * When the signal fires first, it throws an AbortError at once: a tool that ignores its signal cannot hold the step.
 */
export async function executeTool(tools: ReadonlyMap<string, BrainTool>, name: string, args: unknown, context: ToolContext): Promise<unknown> {
  const definition = tools.get(name);
  if (!definition) {
    const known = [...tools.keys()];
    throw new Error(`Unknown tool "${name}". Available tools: ${known.length > 0 ? known.join(", ") : "(none)"}.`);
  }
  let input = args;
  if (isZod(definition.parameters)) {
    const parsed = definition.parameters.safeParse(args);
    if (!parsed.success) throw new Error(`Invalid arguments for tool "${name}": ${parsed.error.message}`);
    input = parsed.data;
  }
  if (context.signal.aborted) throw new AbortError(context.signal.reason);
  return await untilAborted(definition.execute(input, context), context.signal);
}

function untilAborted(work: unknown, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new AbortError(signal.reason));
    if (signal.aborted) onAbort(); // aborted while the tool started
    else signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A tool result as text for the model: strings as they are, everything else as JSON. */
export function toolResultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "null";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Public types of the Brain: step options, the trace, the result and the streamed progress events. */
import type { FinishReason } from "../schema/chat-completion.js";
import type { SandboxCall, SandboxRunError } from "./sandbox/sandbox-types.js";
import type { BrainTool } from "./tools.js";

export const ROUTES = ["raw", "cot", "react", "code"] as const;
export type RouteName = (typeof ROUTES)[number];

export interface StepOptions {
  query: string;
  /** raw: one call; cot: reasoning then an extracted answer; react: native tool-use loop; code: JavaScript in a sandbox. */
  route: RouteName;
  /** Extra system instructions, placed before the route's own. */
  system?: string;
  /** Tools for this step, added to the Brain's tools (a step tool replaces a Brain tool of the same name). */
  tools?: BrainTool[];
  /** Most model calls the step may make (react and code). Default 8. */
  maxSteps?: number;
  /** Sampling temperature for this step only (the shared config is never changed). */
  temperature?: number;
  /** Max tokens per model call for this step. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface StreamStepOptions extends StepOptions {
  stream: true;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ToolCallRecord {
  id: string;
  name: string;
  args: unknown;
}

/** One model call. */
export interface ModelTraceStep {
  type: "model";
  /** Everything the model wrote (for cot, the full reasoning). */
  text: string;
  toolCalls: ToolCallRecord[];
  finishReason: FinishReason;
  usage: TokenUsage;
}

/** One tool call made through native tool use (react) or from sandboxed code (code). */
export interface ToolTraceStep {
  type: "tool";
  id: string;
  name: string;
  /** The arguments. On the code route a value longer than maxOutputChars as JSON is kept cut, as a string with a note. */
  args: unknown;
  /** The tool's return value, when it succeeded (cut as `args` is, on the code route). */
  result?: unknown;
  /** The error given back to the model or the code, when it failed. */
  error?: string;
}

/** One sandbox run of model-written code. */
export interface CodeTraceStep {
  type: "code";
  code: string;
  /** What the code printed (bounded). */
  output: string;
  error?: SandboxRunError;
  finalAnswer?: { value: unknown };
  /** Tool calls the code made and the step ran, in call order, as their tool steps keep them. */
  calls: SandboxCall[];
}

export type TraceStep = ModelTraceStep | ToolTraceStep | CodeTraceStep;

/** "final": the route reached an answer; "max_steps": maxSteps model calls were made without one. */
export type StepOutcome = "final" | "max_steps";

export interface StepResult {
  /** The answer as text (a non-string final value is JSON). */
  output: string;
  /** The answer as a value: what `finalAnswer(value)` received on the code route, else the same as output. */
  value: unknown;
  route: RouteName;
  outcome: StepOutcome;
  /** What happened, in order: model calls, tool calls (with arguments and results), code runs (with output). */
  steps: TraceStep[];
  /** Tokens over every model call of the step. */
  usage: TokenUsage;
  /** Cost of the step in USD (0 for models with no known price). */
  cost: number;
}

/** Progress of a streamed step; the last event is always `result` (or the iteration throws). */
export type BrainEvent =
  /** Model text as it arrives. */
  | { type: "text"; text: string }
  /** A tool is about to run. */
  | { type: "tool_call"; id: string; name: string; args: unknown }
  /** Model-written code is about to run in the sandbox. */
  | { type: "code"; code: string }
  /** A trace step finished (the same objects as `result.steps`). */
  | { type: "step"; step: TraceStep }
  | { type: "result"; result: StepResult };

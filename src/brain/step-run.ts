/**
 * The state of one `brain.step`: the provider, the tools, the trace, token and cost totals, and the sink for
 * streamed progress events. Routes use it to call the model and to record what happened.
 */
import { CostManager } from "../providers/cost-manager.js";
import type { GenerateOptions, LlmProvider } from "../providers/llm-provider.js";
import type { ChatCompletion, ChatCompletionUsage } from "../schema/chat-completion.js";
import { AbortError, ProviderError } from "../schema/errors.js";
import type { MessageInput } from "../schema/message.js";
import type { BrainEvent, ModelTraceStep, RouteName, StepOptions, StepOutcome, StepResult, TokenUsage, ToolCallRecord, TraceStep } from "./brain-types.js";
import { parseUntrustedJson } from "./sandbox/json-crossing.js";
import type { Sandbox } from "./sandbox/quickjs-sandbox.js";
import type { SandboxLimits, ToolCallLimits } from "./sandbox/sandbox-types.js";
import type { StepTrace } from "./step-telemetry.js";
import { executeTool, type BrainTool } from "./tools.js";

export const DEFAULT_MAX_STEPS = 8;

export interface StepRunInit {
  provider: LlmProvider;
  tools: Map<string, BrainTool>;
  sandbox: Sandbox;
  /** Caps on tool calls (both routes), and the characters of output or error text given back to the model. */
  limits: Readonly<StepLimits>;
  options: StepOptions;
  signal: AbortSignal;
  /** Receives progress events when the step is streamed. */
  emit?: (event: BrainEvent) => void;
  /** The step's span, when OpenTelemetry records it. */
  trace?: StepTrace;
}

export type StepLimits = Required<ToolCallLimits> & Pick<Required<SandboxLimits>, "maxOutputChars">;

export interface ModelReply {
  step: ModelTraceStep;
  completion: ChatCompletion;
}

export class StepRun {
  readonly provider: LlmProvider;
  readonly tools: Map<string, BrainTool>;
  readonly sandbox: Sandbox;
  readonly limits: Readonly<StepLimits>;
  readonly options: StepOptions;
  readonly signal: AbortSignal;
  readonly maxSteps: number;
  readonly steps: TraceStep[] = [];
  private readonly emitEvent: ((event: BrainEvent) => void) | undefined;
  private readonly costs = new CostManager({ warn: () => {} });
  private readonly trace: StepTrace | undefined;

  constructor(init: StepRunInit) {
    this.provider = init.provider;
    this.tools = init.tools;
    this.sandbox = init.sandbox;
    this.limits = init.limits;
    this.options = init.options;
    this.signal = init.signal;
    this.emitEvent = init.emit;
    this.trace = init.trace;
    this.maxSteps = init.options.maxSteps ?? DEFAULT_MAX_STEPS;
  }

  emit(event: BrainEvent): void {
    this.emitEvent?.(event);
  }

  record(step: TraceStep): void {
    this.steps.push(step);
    this.emit({ type: "step", step });
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw new AbortError(this.signal.reason);
  }

  /** One model call (streamed when the step is streamed), recorded in the trace with its usage. */
  async callModel(messages: MessageInput[], extra: GenerateOptions = {}): Promise<ModelReply> {
    this.throwIfAborted();
    const options: GenerateOptions = { ...extra, signal: this.signal };
    if (this.options.temperature !== undefined) options.temperature = this.options.temperature;
    if (this.options.maxTokens !== undefined) options.maxTokens = this.options.maxTokens;
    const call = () => (this.emitEvent ? this.streamCompletion(messages, options) : this.provider.generateStreamResponse(messages, options));
    const completion = await (this.trace ? this.trace.within(call) : call());
    const step = toModelStep(completion);
    this.costs.update({
      model: this.provider.model,
      promptTokens: step.usage.promptTokens,
      completionTokens: step.usage.completionTokens,
      cacheReadTokens: step.usage.cacheReadTokens,
      cacheWriteTokens: step.usage.cacheWriteTokens,
    });
    this.record(step);
    return { step, completion };
  }

  /** Runs one tool (validated, awaited), traced as a child of the step. */
  runTool(name: string, callId: string, args: unknown, signal: AbortSignal): Promise<unknown> {
    const work = () => executeTool(this.tools, name, args, { signal });
    return this.trace ? this.trace.tool(name, callId, work) : work();
  }

  private async streamCompletion(messages: MessageInput[], options: GenerateOptions): Promise<ChatCompletion> {
    let completion: ChatCompletion | undefined;
    for await (const event of this.provider.streamEvents(messages, options)) {
      if (event.type === "text" && event.text !== "") this.emit({ type: "text", text: event.text });
      else if (event.type === "finish") completion = event.completion;
    }
    if (!completion) throw new ProviderError("The model stream ended without a final completion.", "stream_incomplete", true);
    return completion;
  }

  result(route: RouteName, outcome: StepOutcome, output: string, value: unknown = output): StepResult {
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    for (const step of this.steps) {
      if (step.type !== "model") continue;
      for (const key of Object.keys(usage) as Array<keyof TokenUsage>) usage[key] += step.usage[key];
    }
    return { output, value, route, outcome, steps: this.steps, usage, cost: this.costs.snapshot().totalCost };
  }
}

function toModelStep(completion: ChatCompletion): ModelTraceStep {
  const choice = completion.choices[0];
  const toolCalls: ToolCallRecord[] = (choice?.message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    args: parseArguments(call.function.arguments),
  }));
  return {
    type: "model",
    text: choice?.message.content ?? "",
    toolCalls,
    finishReason: choice?.finish_reason ?? "stop",
    usage: toTokenUsage(completion.usage),
  };
}

function toTokenUsage(usage: ChatCompletionUsage | undefined): TokenUsage {
  return {
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_write_input_tokens ?? 0,
  };
}

/**
 * Tool-call arguments as an object, parsed as the sandbox parses what its code sends (a `__proto__` key is
 * dropped); text that is not JSON, or nested too deep to handle, is kept as a string (the tool will report it).
 */
export function parseArguments(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return parseUntrustedJson(text);
  } catch {
    return text;
  }
}

/**
 * The Brain: an agent on top of an LlmProvider. `step()` answers one query by a route (raw, cot, react,
 * code) and returns the answer with the trace of what happened; `stepStream()` (or `step({stream: true})`)
 * yields progress events as they happen, ending with the result.
 */
import { getModelConfig, loadConfig, type Config, type LoadConfigOptions } from "../config/load-config.js";
import type { LLMConfig } from "../config/llm-config.js";
import type { LlmProvider } from "../providers/llm-provider.js";
import { createLlmProvider } from "../providers/registry.js";
import { InvalidRequestError } from "../schema/errors.js";
import type { BrainEvent, StepOptions, StepResult, StreamStepOptions } from "./brain-types.js";
import { EventChannel } from "./event-channel.js";
import { routeFor } from "./routes/route-table.js";
import { Sandbox } from "./sandbox/quickjs-sandbox.js";
import { resolveLimits, TOOL_LIMIT_KEYS } from "./sandbox/sandbox-limits.js";
import type { SandboxLimits, ToolCallLimits } from "./sandbox/sandbox-types.js";
import { StepRun, type StepLimits } from "./step-run.js";
import { StepTrace } from "./step-telemetry.js";
import { mergeTools, type BrainTool } from "./tools.js";

export interface BrainOptions {
  /** A model name from the config (resolved at the first step), or a provider. Default: the config's default model. */
  llm?: string | LlmProvider;
  /** Tools every step may use (react: native tool use; code: async functions in the sandbox). */
  tools?: BrainTool[];
  /** The code route's sandbox, or limits for the one the Brain creates. Its tool-call caps apply to react too. */
  sandbox?: Sandbox | SandboxLimits;
  /**
   * Caps on tool calls, for both routes; they override the sandbox's own. Code route: per run. React route:
   * calls per step, calls running at once, bytes of each argument and result. Defaults: the sandbox's.
   */
  toolLimits?: ToolCallLimits;
  /** The loaded config, or how to load it (default: `loadConfig()`), for resolving model names. */
  config?: Config | LoadConfigOptions;
  /** Builds the provider for a named model (default: createLlmProvider). */
  createProvider?: (config: LLMConfig) => LlmProvider | Promise<LlmProvider>;
}

export class Brain {
  readonly sandbox: Sandbox;
  /** The caps tool calls run under (toolLimits over the sandbox's), and maxOutputChars for what goes back to the model. */
  readonly toolLimits: Readonly<StepLimits>;
  private readonly options: BrainOptions;
  private readonly tools: readonly BrainTool[];
  private providerPromise: Promise<LlmProvider> | undefined;
  /** Set when the Brain built the provider itself (then `close()` releases it). */
  private ownsProvider = false;

  constructor(options: BrainOptions = {}) {
    this.options = options;
    this.tools = [...(options.tools ?? [])];
    mergeTools(this.tools, undefined);
    this.sandbox = options.sandbox instanceof Sandbox ? options.sandbox : new Sandbox(options.sandbox ?? {});
    this.toolLimits = Object.freeze(brainToolLimits(this.sandbox, options.toolLimits));
    if (options.llm !== undefined && typeof options.llm !== "string") {
      if (typeof options.llm !== "object" || options.llm === null || typeof options.llm.generateStreamResponse !== "function") {
        throw new InvalidRequestError("Brain llm must be a model name from the config or an LlmProvider instance.");
      }
      this.providerPromise = Promise.resolve(options.llm);
    }
  }

  /** Answers one query; with `stream: true`, yields progress events instead, ending with a `result` event. */
  step(options: StreamStepOptions): AsyncIterable<BrainEvent>;
  step(options: StepOptions & { stream?: false }): Promise<StepResult>;
  step(options: StepOptions & { stream?: boolean }): Promise<StepResult> | AsyncIterable<BrainEvent>;
  step(options: StepOptions & { stream?: boolean }): Promise<StepResult> | AsyncIterable<BrainEvent> {
    if (options?.stream === true) return this.stepStream(options);
    return this.execute(options, options?.signal);
  }

  /** Progress events of one step: model text as it arrives, tool calls, code runs, trace steps, then the result. */
  async *stepStream(options: StepOptions): AsyncGenerator<BrainEvent, void, undefined> {
    const channel = new EventChannel<BrainEvent>();
    const stop = new AbortController();
    const signal = options?.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const running = this.execute(options, signal, (event) => channel.push(event)).then(
      (result) => {
        channel.push({ type: "result", result });
        channel.close();
      },
      (error: unknown) => channel.fail(error),
    );
    try {
      yield* channel;
    } finally {
      stop.abort();
      await running;
    }
  }

  /** The provider the Brain uses (resolving a model name on first use). */
  getProvider(): Promise<LlmProvider> {
    if (!this.providerPromise) {
      const resolving = this.resolveProvider();
      resolving.catch(() => {
        if (this.providerPromise === resolving) this.providerPromise = undefined;
      });
      this.providerPromise = resolving;
    }
    return this.providerPromise;
  }

  /** Releases the provider if the Brain created it from a model name. */
  async close(): Promise<void> {
    if (!this.ownsProvider || !this.providerPromise) return;
    const provider = await this.providerPromise.catch(() => undefined);
    this.providerPromise = undefined;
    this.ownsProvider = false;
    await provider?.close();
  }

  private async execute(options: StepOptions, signal: AbortSignal | undefined, emit?: (event: BrainEvent) => void): Promise<StepResult> {
    checkStepOptions(options);
    const route = routeFor(options.route);
    const tools = mergeTools(this.tools, options.tools);
    const provider = await this.getProvider();
    const trace = StepTrace.start(options.route, provider.model);
    const run = new StepRun({ provider, tools, sandbox: this.sandbox, limits: this.toolLimits, options, signal: signal ?? new AbortController().signal, ...(emit ? { emit } : {}), ...(trace ? { trace } : {}) });
    if (!trace) return route(run);
    try {
      const result = await trace.within(() => route(run));
      trace.succeed(result);
      return result;
    } catch (error) {
      trace.fail(error);
      throw error;
    }
  }

  private async resolveProvider(): Promise<LlmProvider> {
    const configOption = this.options.config;
    const config = isConfig(configOption) ? configOption : await loadConfig(configOption ?? {});
    const name = typeof this.options.llm === "string" ? this.options.llm : undefined;
    const modelConfig = name !== undefined ? getModelConfig(config, name) : config.llm;
    const create = this.options.createProvider ?? ((llmConfig: LLMConfig) => createLlmProvider(llmConfig));
    const provider = await create(modelConfig);
    this.ownsProvider = true;
    return provider;
  }
}

function brainToolLimits(sandbox: Sandbox, over: ToolCallLimits | undefined): StepLimits {
  if (over !== undefined && (typeof over !== "object" || over === null)) throw new InvalidRequestError("Brain toolLimits must be an object.");
  const picked: ToolCallLimits = {};
  for (const key of TOOL_LIMIT_KEYS) if (over?.[key] !== undefined) picked[key] = over[key];
  const all = resolveLimits(sandbox.limits, picked);
  return { maxToolCalls: all.maxToolCalls, maxConcurrentToolCalls: all.maxConcurrentToolCalls, maxToolBytes: all.maxToolBytes, maxOutputChars: all.maxOutputChars };
}

function isConfig(value: Config | LoadConfigOptions | undefined): value is Config {
  return typeof value === "object" && value !== null && "models" in value && "llm" in value;
}

function checkStepOptions(options: StepOptions): void {
  if (typeof options !== "object" || options === null) throw new InvalidRequestError("brain.step needs an options object: { query, route }.");
  if (typeof options.query !== "string" || options.query.trim() === "") {
    throw new InvalidRequestError("brain.step needs a non-empty `query` string.");
  }
  const { maxSteps } = options;
  if (maxSteps !== undefined && (!Number.isInteger(maxSteps) || maxSteps < 1)) {
    throw new InvalidRequestError(`maxSteps must be a positive integer, got ${String(maxSteps)}.`);
  }
  if (options.tools !== undefined && !Array.isArray(options.tools)) throw new InvalidRequestError("step tools must be an array.");
}

/**
 * A Brain step as OpenTelemetry spans (GenAI agent conventions): an INTERNAL span "invoke_agent minion.brain"
 * for the step, with every model call (the provider's "chat {model}" span) and every tool call
 * ("execute_tool {name}") as its children. Tool arguments and results are not recorded (they may hold user
 * data). Without `@opentelemetry/api`, or with no tracer provider registered, there is no StepTrace at all.
 */
import type { Context, Span } from "@opentelemetry/api";
import { errorType } from "../providers/telemetry/error-type.js";
import { ATTR } from "../providers/telemetry/gen-ai-conventions.js";
import { minionTracer, otelApi, type OtelApiModule } from "../providers/telemetry/otel-api.js";
import type { RouteName, StepResult } from "./brain-types.js";

const AGENT_NAME = "minion.brain";

export class StepTrace {
  readonly #api: OtelApiModule;
  readonly #span: Span;
  readonly #context: Context;

  private constructor(api: OtelApiModule, span: Span) {
    this.#api = api;
    this.#span = span;
    this.#context = api.trace.setSpan(api.context.active(), span);
  }

  /** A trace for one step, or undefined when no tracer provider records it. */
  static start(route: RouteName, model: string): StepTrace | undefined {
    const api = otelApi();
    if (!api) return undefined;
    const span = minionTracer(api).startSpan(`invoke_agent ${AGENT_NAME}`, {
      kind: api.SpanKind.INTERNAL,
      attributes: { [ATTR.operationName]: "invoke_agent", [ATTR.agentName]: AGENT_NAME, [ATTR.requestModel]: model, "minion.brain.route": route },
    });
    return span.isRecording() ? new StepTrace(api, span) : undefined;
  }

  /** Runs `work` with the step's span as the active one (model calls made inside become its children). */
  within<T>(work: () => T): T {
    return this.#api.context.with(this.#context, work);
  }

  /** One tool call as a child span of the step (explicitly: sandbox callbacks do not carry the caller's context). */
  async tool<T>(name: string, callId: string, work: () => Promise<T>): Promise<T> {
    const span = minionTracer(this.#api).startSpan(
      `execute_tool ${name}`,
      { kind: this.#api.SpanKind.INTERNAL, attributes: { [ATTR.operationName]: "execute_tool", [ATTR.toolName]: name, [ATTR.toolCallId]: callId, [ATTR.toolType]: "function" } },
      this.#context,
    );
    try {
      return await this.#api.context.with(this.#api.trace.setSpan(this.#context, span), work);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  succeed(result: StepResult): void {
    this.#span.setAttributes({
      [ATTR.usageInputTokens]: result.usage.promptTokens,
      [ATTR.usageOutputTokens]: result.usage.completionTokens,
      "minion.brain.outcome": result.outcome,
      "minion.brain.steps": result.steps.length,
    });
    this.#span.end();
  }

  fail(error: unknown): void {
    markFailed(this.#span, error);
    this.#span.end();
  }
}

function markFailed(span: Span, error: unknown): void {
  span.setAttribute(ATTR.errorType, errorType(error));
  span.setStatus({ code: 2 /* SpanStatusCode.ERROR */, message: error instanceof Error ? error.message : String(error) });
}

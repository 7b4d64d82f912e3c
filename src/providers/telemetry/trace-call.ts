/** Wrapping a provider call (a promise or a stream of events) in its CallTrace. */
import type { ChatCompletion } from "../../schema/chat-completion.js";
import type { StreamEvent } from "../llm-provider.js";
import type { CallOutcome, CallTrace } from "./call-trace.js";
import type { TelemetryUsage } from "./telemetry-hooks.js";

/** Runs one call and ends its trace with the outcome or the error. */
export async function traceCall<T>(trace: CallTrace | undefined, run: () => Promise<T>, outcome: (value: T) => CallOutcome): Promise<T> {
  if (!trace) return run();
  try {
    const value = await run();
    trace.succeed(outcome(value));
    return value;
  } catch (error) {
    trace.fail(error);
    throw error;
  }
}

/** Passes a stream's events through, marking the first one and ending the trace with the final completion. */
export async function* traceStream(trace: CallTrace, events: AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent, void, undefined> {
  try {
    for await (const event of events) {
      if (event.type === "finish") trace.succeed(completionOutcome(event.completion));
      else trace.firstChunk();
      yield event;
    }
  } catch (error) {
    trace.fail(error);
    throw error;
  } finally {
    trace.abandon();
  }
}

/** A ChatCompletion as the trace reports it (prompt_tokens already includes cache reads and writes). */
export function completionOutcome(completion: ChatCompletion): CallOutcome {
  const usage = completion.usage;
  const finishReasons = completion.choices.map((choice) => choice.finish_reason ?? "stop");
  const reported: TelemetryUsage | undefined = usage
    ? {
        inputTokens: usage.prompt_tokens,
        outputTokens: usage.completion_tokens,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: usage.cache_write_input_tokens ?? 0,
      }
    : undefined;
  return { responseModel: completion.model, responseId: completion.id, finishReasons, usage: reported };
}

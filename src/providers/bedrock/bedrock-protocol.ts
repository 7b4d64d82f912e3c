/**
 * The seam between the provider core (retries, timeouts, accounting, events) and one Bedrock API. A protocol
 * turns messages + options into a prepared call (all validation happens in `prepare`, before any network
 * call), and knows how to send it and decode the answer into ModelStreamParts. Claude uses the Anthropic
 * Messages body over InvokeModel (anthropic-invoke-protocol.ts); Converse plugs in the same way.
 */
import type { TimeoutError } from "../../schema/errors.js";
import type { MessageInput } from "../../schema/message.js";
import type { GenerateOptions } from "../llm-provider.js";
import type { BedrockClientHandle } from "./create-bedrock-client.js";
import type { ModelStreamPart } from "./output/model-stream-part.js";
import type { CallDefaults } from "./options/resolve-call-options.js";
import type { EventStreamReader } from "./transport/read-event-stream.js";

/** What one attempt needs beyond the prepared request: its cancellation and its idle timeout. */
export interface AttemptOptions {
  signal: AbortSignal;
  /** Longest silence while the response is awaited or read, ms; undefined = none. */
  idleMs?: number | undefined;
  /** Called once when a stream's idle timeout fires, to cut the call. */
  onIdle?: ((error: TimeoutError) => void) | undefined;
}

export interface PreparedCall {
  /** Stop sequences to enforce on the client. */
  readonly clientStops: readonly string[];
  /** One non-streaming call; resolves with every part of the answer. */
  invoke(handle: BedrockClientHandle, options: AttemptOptions): Promise<ModelStreamPart[]>;
  /**
   * One streaming call; resolves once the response has started. Parts arrive as the body streams, in
   * batches (all the parts decoded from one network read), so the per-part cost has no async step in it.
   * The reader enforces the idle timeout and the signal; `return()` releases the response.
   */
  openStream(handle: BedrockClientHandle, options: AttemptOptions): Promise<EventStreamReader<ModelStreamPart>>;
  /**
   * CountTokens for this request's input: the input tokens the same call would be billed for, uncached.
   * `modelId` is the id to count for (a profile's base id: CountTokens does not take profile ids).
   */
  countTokens(handle: BedrockClientHandle, options: AttemptOptions, modelId: string): Promise<number>;
  /** The library's estimate of the same count, for models CountTokens does not serve. */
  estimateInputTokens(): number;
}

export interface BedrockProtocol {
  prepare(model: string, messages: readonly MessageInput[], options: GenerateOptions, defaults: CallDefaults): PreparedCall;
}

/**
 * ConverseStream events -> model parts. Converse sends `messageStop` before the `metadata` event that
 * carries usage and the trace, so the finish part is held back until metadata (or the end of the stream):
 * a consumer that stops at "finish" still gets the usage.
 */
import type { ConverseStreamOutput } from "@aws-sdk/client-bedrock-runtime";
import { headerString, type Message } from "../transport/read-event-stream.js";
import { base64Of, converseUsage, fillStopSequence, stopSequenceOf, type ConversePart } from "./converse-part.js";

const utf8 = new TextDecoder();

/**
 * Event-stream messages -> ConverseStream events: `{[":event-type"]: JSON body}`, the shape the SDK gives,
 * except that bytes (`redactedContent`) stay base64 text, which the decoder accepts as well.
 */
export function converseEventsOf(messages: Message[]): ConverseStreamOutput[] {
  const events: ConverseStreamOutput[] = [];
  for (const message of messages) {
    const type = headerString(message, ":event-type");
    if (type !== undefined) events.push({ [type]: JSON.parse(utf8.decode(message.body)) } as unknown as ConverseStreamOutput);
  }
  return events;
}

export class ConverseStreamDecoder {
  #finish: ConversePart | undefined;

  /** Parts for one event (exception frames are thrown while the stream is read, not seen here). */
  push(event: ConverseStreamOutput): ConversePart[] {
    if (event.messageStart) return [{ type: "start" }];
    if (event.contentBlockStart) {
      const { contentBlockIndex: blockIndex = 0, start } = event.contentBlockStart;
      const toolUse = start?.toolUse;
      return toolUse ? [{ type: "tool_call_start", blockIndex, id: toolUse.toolUseId ?? "", name: toolUse.name ?? "" }] : [];
    }
    if (event.contentBlockDelta) return this.#delta(event.contentBlockDelta.contentBlockIndex ?? 0, event.contentBlockDelta.delta);
    if (event.contentBlockStop) return [{ type: "block_stop", blockIndex: event.contentBlockStop.contentBlockIndex ?? 0 }];
    if (event.messageStop) {
      const { stopReason, additionalModelResponseFields } = event.messageStop;
      this.#finish = { type: "finish", stopReason: stopReason ?? null, stopSequence: stopSequenceOf(additionalModelResponseFields) };
      return [];
    }
    if (event.metadata) {
      const parts: ConversePart[] = [{ type: "usage", usage: converseUsage(event.metadata.usage) }];
      if (event.metadata.trace !== undefined) parts.push({ type: "trace", trace: event.metadata.trace as Record<string, unknown> });
      return [...parts, ...this.end()];
    }
    return [];
  }

  /** The held finish part, once (call when the stream ends). */
  end(): ConversePart[] {
    const finish = this.#finish;
    this.#finish = undefined;
    return finish ? [finish] : [];
  }

  #delta(blockIndex: number, delta: NonNullable<ConverseStreamOutput["contentBlockDelta"]>["delta"]): ConversePart[] {
    if (delta === undefined) return [];
    if (delta.text !== undefined) return [{ type: "text", blockIndex, text: delta.text }];
    if (delta.toolUse !== undefined) return [{ type: "tool_call_delta", blockIndex, argumentsDelta: delta.toolUse.input ?? "" }];
    const reasoning = delta.reasoningContent;
    if (reasoning?.text !== undefined) return [{ type: "thinking", blockIndex, text: reasoning.text }];
    if (reasoning?.signature !== undefined) return [{ type: "thinking_signature", blockIndex, signature: reasoning.signature }];
    if (reasoning?.redactedContent !== undefined) return [{ type: "redacted_thinking", blockIndex, data: base64Of(reasoning.redactedContent) }];
    return [];
  }
}

/** Batches of ConverseStream events -> batches of parts. */
export async function* decodeConverseStream(batches: AsyncIterable<ConverseStreamOutput[]>, stops: readonly string[] = []): AsyncGenerator<ConversePart[]> {
  const decoder = new ConverseStreamDecoder();
  for await (const events of batches) {
    const parts = events.flatMap((event) => decoder.push(event));
    if (parts.length > 0) yield parts.map((part) => fillStopSequence(part, stops));
  }
  const last = decoder.end();
  if (last.length > 0) yield last.map((part) => fillStopSequence(part, stops));
}

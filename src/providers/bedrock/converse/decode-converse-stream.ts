/**
 * ConverseStream events -> model parts. Converse sends `messageStop` before the `metadata` event that
 * carries usage and the trace, so the finish part is held back until metadata (or the end of the stream):
 * a consumer that stops at "finish" still gets the usage.
 */
import { headerString, type Message } from "../transport/read-event-stream.js";
import { countField, objectField, optionalObjectField, stringField, type JsonObject } from "../errors/read-response-fields.js";
import { bytesField, citationParts, converseUsage, serviceTierParts, type ConversePart } from "./converse-part.js";
import { fillStopSequence, stopSequenceOf } from "../stop-sequences/reported-stop-sequence.js";

const utf8 = new TextDecoder();

/** One ConverseStream event as read from the wire: `{<event type>: <JSON body>}` (one key). */
export type ConverseStreamEvent = Record<string, unknown>;

/**
 * Event-stream messages -> ConverseStream events: `{[":event-type"]: JSON body}`, the shape the SDK gives,
 * except that bytes (`redactedContent`) stay base64 text, which the decoder accepts as well.
 */
export function converseEventsOf(messages: Message[]): ConverseStreamEvent[] {
  const events: ConverseStreamEvent[] = [];
  for (const message of messages) {
    const type = headerString(message, ":event-type");
    if (type !== undefined) events.push({ [type]: JSON.parse(utf8.decode(message.body)) });
  }
  return events;
}

/**
 * ConverseStream events -> parts, every field read checked (a missing or mistyped one is a NetworkError
 * "corrupt_response" naming it). Event types this library does not read are skipped.
 */
export class ConverseStreamDecoder {
  readonly #stops: readonly string[];
  #finish: ConversePart | undefined;

  /** `stops`: the request's stop sequences (a finish on one of them is told which, when there is only one). */
  constructor(stops: readonly string[] = []) {
    this.#stops = stops;
  }

  /** Parts for the event-stream messages of one network read. */
  decode(messages: Message[]): ConversePart[] {
    const parts: ConversePart[] = [];
    for (const event of converseEventsOf(messages)) for (const part of this.push(event)) parts.push(part);
    return parts;
  }

  /** Parts for one event (exception frames are thrown while the stream is read, not seen here). */
  push(event: ConverseStreamEvent): ConversePart[] {
    if (event["contentBlockDelta"] !== undefined) {
      const body = objectField(event["contentBlockDelta"], "a contentBlockDelta event", "(body)");
      return this.#delta(body);
    }
    if (event["messageStart"] !== undefined) return [{ type: "start" }];
    if (event["contentBlockStart"] !== undefined) return blockStart(objectField(event["contentBlockStart"], "a contentBlockStart event", "(body)"));
    if (event["contentBlockStop"] !== undefined) {
      const body = objectField(event["contentBlockStop"], "a contentBlockStop event", "(body)");
      return [{ type: "block_stop", blockIndex: countField(body["contentBlockIndex"], "a contentBlockStop event", "contentBlockIndex") }];
    }
    if (event["messageStop"] !== undefined) {
      const item = "a messageStop event";
      const body = objectField(event["messageStop"], item, "(body)");
      this.#finish = { type: "finish", stopReason: stringField(body["stopReason"], item, "stopReason"), stopSequence: stopSequenceOf(body["additionalModelResponseFields"]) };
      return [];
    }
    if (event["metadata"] !== undefined) {
      const item = "a metadata event";
      const body = objectField(event["metadata"], item, "(body)");
      const parts: ConversePart[] = [
        { type: "usage", usage: converseUsage(optionalObjectField(body["usage"], item, "usage"), item, "usage") },
        ...serviceTierParts(optionalObjectField(body["serviceTier"], item, "serviceTier"), item, "serviceTier"),
      ];
      const trace = optionalObjectField(body["trace"], item, "trace");
      if (trace !== undefined) parts.push({ type: "trace", trace });
      return [...parts, ...this.end()];
    }
    return [];
  }

  /** The held finish part, once (call when the stream ends). */
  end(): ConversePart[] {
    const finish = this.#finish;
    this.#finish = undefined;
    return finish ? [fillStopSequence(finish, this.#stops)] : [];
  }

  #delta(body: JsonObject): ConversePart[] {
    const item = "a contentBlockDelta event";
    const blockIndex = countField(body["contentBlockIndex"], item, "contentBlockIndex");
    const delta = objectField(body["delta"], item, "delta");
    if (delta["text"] !== undefined) return [{ type: "text", blockIndex, text: stringField(delta["text"], item, "delta.text") }];
    if (delta["citation"] !== undefined) return citationParts(blockIndex, [delta["citation"]]);
    if (delta["toolUse"] !== undefined) {
      const toolUse = objectField(delta["toolUse"], item, "delta.toolUse");
      return [{ type: "tool_call_delta", blockIndex, argumentsDelta: stringField(toolUse["input"], item, "delta.toolUse.input") }];
    }
    const reasoning = optionalObjectField(delta["reasoningContent"], item, "delta.reasoningContent");
    if (reasoning === undefined) return [];
    if (reasoning["text"] !== undefined) return [{ type: "thinking", blockIndex, text: stringField(reasoning["text"], item, "delta.reasoningContent.text") }];
    if (reasoning["signature"] !== undefined) return [{ type: "thinking_signature", blockIndex, signature: stringField(reasoning["signature"], item, "delta.reasoningContent.signature") }];
    if (reasoning["redactedContent"] !== undefined) return [{ type: "redacted_thinking", blockIndex, data: bytesField(reasoning["redactedContent"], item, "delta.reasoningContent.redactedContent") }];
    return [];
  }
}

function blockStart(body: JsonObject): ConversePart[] {
  const item = "a contentBlockStart event";
  const blockIndex = countField(body["contentBlockIndex"], item, "contentBlockIndex");
  const start = optionalObjectField(body["start"], item, "start");
  const toolUse = optionalObjectField(start?.["toolUse"], item, "start.toolUse");
  if (toolUse === undefined) return [];
  return [{ type: "tool_call_start", blockIndex, id: stringField(toolUse["toolUseId"], item, "start.toolUse.toolUseId"), name: stringField(toolUse["name"], item, "start.toolUse.name") }];
}

/**
 * Micro-benchmark: what checking every field of a streamed Converse event costs, per event, in one process
 * (the Converse twin of decode-validation.ts):
 *  - "parse only": the work every decoder does anyway (the event's JSON), no checks, no parts;
 *  - "unchecked decoder": the parsing plus the same parts built from casts, as the decoder did before it
 *    checked fields (`as unknown as ConverseStreamOutput`);
 *  - "guards": minion's decoder, ConverseStreamDecoder.decode (the parsing + the field guards + the parts).
 * Printed: CPU µs per event (median of 5 rounds), and per answer the cost of the guards over the unchecked
 * decoder and of the whole decoder over parse only.
 *
 *   node --import tsx bench/micro/decode-converse-validation.ts
 */
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { ConverseStreamDecoder } from "../../src/providers/bedrock/converse/decode-converse-stream.js";
import type { ModelStreamPart } from "../../src/providers/bedrock/output/model-stream-part.js";
import { headerString, type Message } from "../../src/providers/bedrock/transport/read-event-stream.js";
import { cpuPerItem } from "../lib/cpu-per-item.js";

const ROUNDS = 5;
const ANSWERS = 2_000;
const TEXT_CHUNKS = 50;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One answer as ConverseStream sends it: messageStart, a text block of 50 deltas, messageStop, metadata. */
function answerEvents(): [string, object][] {
  const events: [string, object][] = [["messageStart", { p: "abcd", role: "assistant" }]];
  for (let i = 0; i < TEXT_CHUNKS; i++) events.push(["contentBlockDelta", { contentBlockIndex: 0, delta: { text: `word${i} ` }, p: "abcdefgh" }]);
  events.push(
    ["contentBlockStop", { contentBlockIndex: 0, p: "abcd" }],
    ["messageStop", { p: "abcdef", stopReason: "end_turn" }],
    ["metadata", { metrics: { latencyMs: 500 }, p: "ab", usage: { inputTokens: 12, outputTokens: 50, totalTokens: 62 } }],
  );
  return events;
}

/** The decoded frames, as the transport hands them to the decoder (encoded and decoded once, up front). */
function frames(): Message[] {
  return answerEvents().map(([type, body]) =>
    codec.decode(
      codec.encode({
        headers: { ":event-type": { type: "string", value: type }, ":message-type": { type: "string", value: "event" }, ":content-type": { type: "string", value: "application/json" } },
        body: fromUtf8(JSON.stringify(body)),
      }),
    ),
  );
}

const utf8 = new TextDecoder();
const parse = (message: Message): unknown => JSON.parse(utf8.decode(message.body));

interface UncheckedBody {
  contentBlockIndex: number;
  delta: { text?: string };
  stopReason: string;
  usage?: { inputTokens: number; outputTokens: number };
}

/**
 * The parts the decoder builds for this answer, from casts (no field checked), over the same event shape
 * (`{[event type]: body}`, as the SDK gives it) and the same dispatch on it.
 */
function unchecked(messages: Message[]): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  let finish: ModelStreamPart | undefined;
  for (const message of messages) {
    const type = headerString(message, ":event-type");
    if (type === undefined) continue;
    const event = { [type]: parse(message) } as Record<string, UncheckedBody | undefined>;
    let body: UncheckedBody | undefined;
    if ((body = event["contentBlockDelta"]) !== undefined) {
      if (body.delta.text !== undefined) parts.push({ type: "text", blockIndex: body.contentBlockIndex, text: body.delta.text });
    } else if (event["messageStart"] !== undefined) parts.push({ type: "start" });
    else if ((body = event["contentBlockStop"]) !== undefined) parts.push({ type: "block_stop", blockIndex: body.contentBlockIndex });
    else if ((body = event["messageStop"]) !== undefined) finish = { type: "finish", stopReason: body.stopReason, stopSequence: null };
    else if ((body = event["metadata"]) !== undefined) {
      parts.push({ type: "usage", usage: { inputTokens: body.usage?.inputTokens ?? 0, outputTokens: body.usage?.outputTokens ?? 0, cacheReadTokens: 0, cacheWriteTokens: 0 } });
      if (finish) parts.push(finish);
    }
  }
  return parts;
}

function main(): void {
  const messages = frames();
  const checked = new ConverseStreamDecoder().decode(messages);
  if (JSON.stringify(checked) !== JSON.stringify(unchecked(messages))) throw new Error("the unchecked decoder does not build the same parts");
  const variants: [string, (messages: Message[]) => number][] = [
    ["parse only (no checks, no parts)", (list) => list.reduce((n, m) => n + (parse(m) === null ? 0 : 1), 0)],
    ["unchecked decoder (casts)", (list) => unchecked(list).length],
    ["guards (ConverseStreamDecoder)", (list) => new ConverseStreamDecoder().decode(list).length],
  ];
  for (const [, run] of variants) cpuPerItem(messages, ANSWERS, run); // warm-up
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of variants) results.set(name, [...(results.get(name) ?? []), cpuPerItem(messages, ANSWERS, run)]);
  }
  const median = (name: string): number => [...results.get(name)!].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  const base = median("unchecked decoder (casts)");
  process.stdout.write(`${messages.length} events per answer, ${ANSWERS} answers per round, median of ${ROUNDS} rounds\n`);
  for (const [name] of variants) {
    const value = median(name);
    const extra = name.startsWith("guards") ? `  (+${(value - base).toFixed(2)} µs over the unchecked decoder, ${(value / base).toFixed(2)}x)` : "";
    process.stdout.write(`${name.padEnd(34)} ${value.toFixed(2)} µs CPU per event${extra}\n`);
  }
  const guards = median("guards (ConverseStreamDecoder)");
  const parseOnly = median("parse only (no checks, no parts)");
  process.stdout.write(
    `per streamed answer of ${messages.length} events: guards +${((guards - base) * messages.length).toFixed(1)} µs over the unchecked decoder, ` +
      `decoding as a whole +${((guards - parseOnly) * messages.length).toFixed(1)} µs over parse only\n`,
  );
}

main();

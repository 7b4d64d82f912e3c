/**
 * Micro-benchmark: what checking every field of a streamed Anthropic chunk costs, per chunk, and the choice
 * between hand-written guards and a schema library (zod, already a dependency), in one process:
 *  - "parse only": the work every decoder does anyway (event JSON, base64, inner JSON), no checks;
 *  - "guards": minion's decoder, anthropicStreamParts (the same parsing + the field guards + parts);
 *  - "parse + zod": the parsing plus zod's safeParse of the event against a schema of the fields read.
 * Printed: CPU µs per chunk (median of 5 rounds), and the per-chunk overhead of each check over "parse only".
 *
 *   node --import tsx bench/micro/decode-validation.ts
 */
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { z } from "zod";
import { anthropicStreamParts } from "../../src/providers/bedrock/anthropic/decode-anthropic-stream.js";
import type { Message } from "../../src/providers/bedrock/transport/read-event-stream.js";
import { cpuPerItem } from "../lib/cpu-per-item.js";

const ROUNDS = 5;
const ANSWERS = 2_000;
const TEXT_CHUNKS = 50;

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One answer as InvokeModelWithResponseStream sends it: message_start, a text block of 50 deltas, message_delta, message_stop. */
function answerEvents(): object[] {
  const events: object[] = [
    { type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", usage: { input_tokens: 12, output_tokens: 1 } } },
    { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  ];
  for (let i = 0; i < TEXT_CHUNKS; i++) events.push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `word${i} ` } });
  events.push(
    { type: "content_block_stop", index: 0 },
    { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 50 } },
    { type: "message_stop", "amazon-bedrock-invocationMetrics": { inputTokenCount: 12, outputTokenCount: 50, invocationLatency: 500, firstByteLatency: 10 } },
  );
  return events;
}

/** The decoded frames, as the transport hands them to the decoder (encoded and decoded once, up front). */
function frames(): Message[] {
  return answerEvents().map((event) => {
    const bytes = Buffer.from(JSON.stringify(event)).toString("base64");
    const encoded = codec.encode({
      headers: { ":event-type": { type: "string", value: "chunk" }, ":message-type": { type: "string", value: "event" }, ":content-type": { type: "string", value: "application/json" } },
      body: fromUtf8(JSON.stringify({ bytes })),
    });
    return codec.decode(encoded);
  });
}

const decoder = new TextDecoder();
const parse = (message: Message): unknown => {
  const payload = JSON.parse(decoder.decode(message.body)) as { bytes: string };
  return JSON.parse(Buffer.from(payload.bytes, "base64").toString("utf8"));
};

const usage = z.object({ input_tokens: z.number().int().nonnegative().optional(), output_tokens: z.number().int().nonnegative().optional() }).optional();
const anthropicEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message_start"), message: z.object({ id: z.string().optional(), usage }) }),
  z.object({ type: z.literal("content_block_start"), index: z.number().int().nonnegative(), content_block: z.object({ type: z.string(), text: z.string().optional(), id: z.string().optional(), name: z.string().optional() }) }),
  z.object({
    type: z.literal("content_block_delta"),
    index: z.number().int().nonnegative(),
    delta: z.discriminatedUnion("type", [
      z.object({ type: z.literal("text_delta"), text: z.string() }),
      z.object({ type: z.literal("input_json_delta"), partial_json: z.string() }),
      z.object({ type: z.literal("thinking_delta"), thinking: z.string() }),
      z.object({ type: z.literal("signature_delta"), signature: z.string() }),
    ]),
  }),
  z.object({ type: z.literal("content_block_stop"), index: z.number().int().nonnegative() }),
  z.object({ type: z.literal("message_delta"), delta: z.object({ stop_reason: z.string().nullable().optional(), stop_sequence: z.string().nullable().optional() }), usage }),
  z.object({ type: z.literal("message_stop"), "amazon-bedrock-invocationMetrics": z.object({ inputTokenCount: z.number().int().nonnegative(), outputTokenCount: z.number().int().nonnegative() }).optional() }),
]);

function main(): void {
  const messages = frames();
  const variants: [string, (messages: Message[]) => number][] = [
    ["parse only (no checks)", (list) => list.reduce((n, m) => n + (parse(m) === null ? 0 : 1), 0)],
    ["guards (anthropicStreamParts)", (list) => anthropicStreamParts(list).length],
    [
      "parse + zod safeParse",
      (list) =>
        list.reduce((n, m) => {
          const result = anthropicEvent.safeParse(parse(m));
          if (!result.success) throw new Error(result.error.message);
          return n + 1;
        }, 0),
    ],
  ];
  for (const [, run] of variants) cpuPerItem(messages, ANSWERS, run); // warm-up
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of variants) results.set(name, [...(results.get(name) ?? []), cpuPerItem(messages, ANSWERS, run)]);
  }
  const median = (name: string): number => [...results.get(name)!].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  const base = median("parse only (no checks)");
  process.stdout.write(`${messages.length} chunks per answer, ${ANSWERS} answers per round, median of ${ROUNDS} rounds\n`);
  for (const [name] of variants) {
    const value = median(name);
    const extra = name.startsWith("parse only") ? "" : `  (+${(value - base).toFixed(2)} µs over parse only, ${(value / base).toFixed(2)}x)`;
    process.stdout.write(`${name.padEnd(32)} ${value.toFixed(2)} µs CPU per chunk${extra}\n`);
  }
  process.stdout.write(`per streamed answer of ${messages.length} chunks: guards +${((median("guards (anthropicStreamParts)") - base) * messages.length).toFixed(0)} µs, zod +${((median("parse + zod safeParse") - base) * messages.length).toFixed(0)} µs\n`);
}

main();

/**
 * Micro-benchmark: CPU per event-stream frame of minion's reader (read-event-stream.ts) with its idle timer
 * and abort signal, without them, and a bare `data` listener with the same codec (the floor), in one process.
 * The body is a Readable that hands over one frame per read, as a socket does with one frame per packet.
 *
 *   node --import tsx bench/micro/stream-timeouts.ts
 */
import { Readable } from "node:stream";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { readEventStream, type Message, type ReadEventStreamOptions } from "../../src/providers/bedrock/transport/read-event-stream.js";

const FRAMES = 100_000;
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: "string" as const, value });
const frame = Buffer.from(
  codec.encode({ headers: { ":message-type": str("event"), ":event-type": str("chunk"), ":content-type": str("application/json") }, body: fromUtf8(JSON.stringify({ bytes: "eyJ0eXBlIjoicGluZyJ9" })) }),
);

function body(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      this.push(sent++ < FRAMES ? frame : null);
    },
  });
}

const count = (messages: Message[], into: number[]): void => void into.push(messages.length);

async function reader(options: ReadEventStreamOptions<number>): Promise<number> {
  let total = 0;
  for await (const batch of await readEventStream(body(), count, options)) for (const n of batch) total += n;
  return total;
}

function bare(): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    const source = body();
    source.on("data", (bytes: Buffer) => (total += codec.decode(bytes).body.length > 0 ? 1 : 0));
    source.on("end", () => resolve(total));
  });
}

async function cpuPerFrame(run: () => Promise<number>): Promise<number> {
  const start = process.cpuUsage();
  const total = await run();
  const used = process.cpuUsage(start);
  if (total !== FRAMES) throw new Error(`read ${total} frames, expected ${FRAMES}`);
  return (used.user + used.system) / FRAMES;
}

async function main(): Promise<void> {
  const signal = new AbortController().signal;
  const variants: [string, () => Promise<number>][] = [
    ["bare data listener + codec (floor)", bare],
    ["readEventStream, no timeouts", () => reader({})],
    ["readEventStream, signal + idle 60 s", () => reader({ signal, idleMs: 60_000 })],
  ];
  const results = new Map<string, number[]>();
  for (let round = 0; round < 5; round++) {
    for (const [name, run] of variants) results.set(name, [...(results.get(name) ?? []), await cpuPerFrame(run)]);
  }
  for (const [name, values] of results) {
    const sorted = [...values].sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(42)} ${sorted[2]!.toFixed(2)} µs CPU per frame (median of 5)\n`);
  }
}

void main();

/**
 * Micro-benchmark: CPU per stream part of minion's withStreamTimeouts (one abort listener and one refreshed
 * idle timer per stream) against a bare async generator, in one process.
 *
 *   node --import tsx bench/micro/stream-timeouts.ts
 */
import { withStreamTimeouts } from "../../src/providers/bedrock/transport/idle-timeout.js";

const PARTS = 200_000;

async function* parts(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function cpuPerPart(wrap: (source: AsyncIterable<number>) => AsyncIterable<number>): Promise<number> {
  const start = process.cpuUsage();
  let sum = 0;
  for await (const value of wrap(parts(PARTS))) sum += value;
  const used = process.cpuUsage(start);
  if (sum < 0) throw new Error("unreachable");
  return (used.user + used.system) / PARTS;
}

async function main(): Promise<void> {
  const signal = new AbortController().signal;
  const variants: [string, (s: AsyncIterable<number>) => AsyncIterable<number>][] = [
    ["bare async generator", (s) => s],
    ["withStreamTimeouts (signal + idle 60 s)", (s) => withStreamTimeouts(s, { signal, idleMs: 60_000 })],
  ];
  const results = new Map<string, number[]>();
  for (let round = 0; round < 5; round++) {
    for (const [name, wrap] of variants) results.set(name, [...(results.get(name) ?? []), await cpuPerPart(wrap)]);
  }
  for (const [name, values] of results) {
    const sorted = [...values].sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(42)} ${sorted[2]!.toFixed(2)} µs CPU per part (median of 5)\n`);
  }
}

void main();

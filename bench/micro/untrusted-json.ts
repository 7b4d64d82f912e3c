/**
 * Micro-benchmark: the host parsing a big finalAnswer from the sandbox. Before: JSON.parse with a reviver that
 * drops `__proto__` keys, on every value. After: parseUntrustedJson (the depth scan, a plain JSON.parse, a
 * regex for any spelling of the key, and a walk deleting such keys only when it matches). Plain JSON.parse is
 * the floor. Payloads: a 3,000,000-element array of digits (6 MB), the same with one "__proto__" string in it
 * (the walk is forced), and 300,000 small objects. Then one sandbox run whose finalAnswer is the 6 MB array:
 * the host's longest event-loop gap meanwhile. Printed: median ms of 7 per parse, and the after/before ratio.
 *
 *   node --import tsx bench/micro/untrusted-json.ts
 */
import { parseUntrustedJson } from "../../src/brain/sandbox/json-crossing.js";
import { Sandbox } from "../../src/brain/sandbox/quickjs-sandbox.js";

const ROUNDS = 7;

const digits = Array.from({ length: 3_000_000 }, (_, i) => i % 10);
const payloads: Array<[string, string]> = [
  ["3,000,000 digits", JSON.stringify(digits)],
  ["3,000,000 digits + a \"__proto__\" value", JSON.stringify([...digits, "__proto__"])],
  ["300,000 objects", JSON.stringify(Array.from({ length: 300_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "b"] })))],
];

const withReviver = (text: string): unknown => JSON.parse(text, (key, value: unknown) => (key === "__proto__" ? undefined : value));

function median(parse: (text: string) => unknown, text: string): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    parse(text);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

console.log(`median of ${ROUNDS}, ms per parse`);
for (const [name, text] of payloads) {
  const floor = median(JSON.parse, text);
  const before = median(withReviver, text);
  const after = median(parseUntrustedJson, text);
  console.log(
    `${name} (${(text.length / 1e6).toFixed(1)} MB): JSON.parse ${floor.toFixed(1)}, reviver (before) ${before.toFixed(1)}, ` +
      `parseUntrustedJson (after) ${after.toFixed(1)}; after/before ${(after / before).toFixed(3)}x`,
  );
}

const sandbox = new Sandbox({ memoryLimitBytes: 256 * 1024 * 1024, timeoutMs: 30_000 });
await sandbox.run("finalAnswer(1)"); // a warm worker
let last = performance.now();
let maxGap = 0;
const timer = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
}, 10);
const result = await sandbox.run("const a = []; for (let i = 0; i < 3000000; i++) a.push(i % 10); finalAnswer(a)");
clearInterval(timer);
maxGap = Math.max(maxGap, performance.now() - last); // the parse ends right before the run resolves
if ((result.finalAnswer?.value as unknown[] | undefined)?.length !== 3_000_000) throw new Error(`the run failed: ${result.error?.message}`);
console.log(`sandbox finalAnswer of 3,000,000 digits: the host's longest event-loop gap ${maxGap.toFixed(0)} ms (10 ms interval)`);
process.exit(0);

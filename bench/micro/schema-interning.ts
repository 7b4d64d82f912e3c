/**
 * Micro-benchmark: what preparing a structured request costs per batch line when every line carries its own
 * copy of the same schema (each a fresh object: the schema compiler's cache, keyed by object, misses) and when
 * the copies are interned (src/batch/bedrock/intern-schema.ts: one object per schema text). Printed: ms per
 * line (mean over 2,000 lines) and the ratio.
 *
 *   node --import tsx bench/micro/schema-interning.ts
 */
import { internSchema } from "../../src/batch/bedrock/intern-schema.js";
import { prepareStructured } from "../../src/providers/structured/generate-object.js";

const LINES = 2_000;
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const text = JSON.stringify({ type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city", "days"], additionalProperties: false });

function perLine(schemaOf: () => Record<string, unknown>): number {
  const started = performance.now();
  for (let line = 0; line < LINES; line++) prepareStructured(MODEL, [{ role: "user", content: "x" }], { schema: schemaOf() as never });
  return (performance.now() - started) / LINES;
}

const fresh = perLine(() => JSON.parse(text) as Record<string, unknown>);
const interned = perLine(() => internSchema(JSON.parse(text) as Record<string, unknown>));
console.log(`each line's own schema object: ${fresh.toFixed(3)} ms/line`);
console.log(`interned:                      ${interned.toFixed(3)} ms/line`);
console.log(`ratio fresh/interned: ${(fresh / interned).toFixed(0)}x`);

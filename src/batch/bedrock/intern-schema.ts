/**
 * One object per distinct schema text. Every line of a batch parses its own copy of what is usually the same
 * schema, and the schema compiler caches by object: interned, a schema is compiled once, not once per line
 * (bench/micro/schema-interning.ts: 3.0 ms against 0.011 ms a line; bench/RESULTS.md). Bounded: past
 * MAX_SCHEMAS distinct schemas the table starts over.
 */
const MAX_SCHEMAS = 256;
const interned = new Map<string, Record<string, unknown>>();

export function internSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const key = JSON.stringify(schema);
  const known = interned.get(key);
  if (known) return known;
  if (interned.size >= MAX_SCHEMAS) interned.clear();
  interned.set(key, schema);
  return schema;
}

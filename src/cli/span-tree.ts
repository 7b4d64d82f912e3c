/**
 * Finished spans as an indented tree for a terminal: name, duration, and the attributes a reader looks for
 * (models, tokens, time to first chunk, finish reasons, tool, error). Children sorted by start time.
 */
export interface TreeSpan {
  name: string;
  spanId: string;
  parentSpanId: string | undefined;
  startMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
  error: string | undefined;
}

const SHOWN: [key: string, label: string][] = [
  ["gen_ai.response.model", "model"],
  ["server.address", "server"],
  ["gen_ai.usage.input_tokens", "in"],
  ["gen_ai.usage.output_tokens", "out"],
  ["gen_ai.usage.cache_read.input_tokens", "cache_read"],
  ["gen_ai.usage.cache_creation.input_tokens", "cache_write"],
  ["gen_ai.response.finish_reasons", "finish"],
  ["gen_ai.tool.call.id", "call"],
  ["minion.brain.route", "route"],
  ["minion.brain.outcome", "outcome"],
  ["error.type", "error"],
];

export function formatSpanTree(spans: readonly TreeSpan[]): string {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, TreeSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, prefix: string): void => {
    const level = (children.get(parent) ?? []).sort((a, b) => a.startMs - b.startMs);
    level.forEach((span, index) => {
      const last = index === level.length - 1;
      const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
      lines.push(`${prefix}${branch}${describe(span)}`);
      walk(span.spanId, parent === undefined ? prefix : prefix + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  return lines.join("\n");
}

function describe(span: TreeSpan): string {
  const parts = [`${span.name}  ${span.durationMs.toFixed(1)} ms`];
  const ttft = span.attributes["gen_ai.response.time_to_first_chunk"];
  if (typeof ttft === "number") parts.push(`ttft=${(ttft * 1000).toFixed(1)} ms`);
  for (const [key, label] of SHOWN) {
    const value = span.attributes[key];
    if (value === undefined) continue;
    if (key === "gen_ai.response.model" && value === span.attributes["gen_ai.request.model"] && span.name.endsWith(String(value))) continue;
    const port = key === "server.address" ? span.attributes["server.port"] : undefined;
    parts.push(`${label}=${Array.isArray(value) ? value.join(",") : String(value)}${port !== undefined ? `:${String(port)}` : ""}`);
  }
  if (span.error && span.attributes["error.type"] === undefined) parts.push(`error=${span.error}`);
  return parts.join("  ");
}

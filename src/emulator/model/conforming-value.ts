/**
 * A deterministic value that conforms to a JSON Schema: what the built-in model answers under structured
 * output and in forced tool calls. It follows $ref (local), const, enum, anyOf/oneOf (the first non-null
 * option), allOf (merged), type (the first non-null one), every property of an object, minItems/maxItems,
 * string formats and length limits, and numeric ranges. `pattern` is not followed (the emulator does not
 * generate from regular expressions); schemas nested deeper than MAX_DEPTH end in null.
 */
import { isRecord } from "./json-shape.js";

const MAX_DEPTH = 32;

const FORMAT_EXAMPLES: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  duration: "P1D",
  email: "user@example.com",
  hostname: "example.com",
  uri: "https://example.com/",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uuid: "00000000-0000-4000-8000-000000000000",
};

export function conformingValue(schema: unknown): unknown {
  return valueFor(schema, isRecord(schema) ? schema : {}, "value", 0);
}

function valueFor(node: unknown, root: Record<string, unknown>, name: string, depth: number): unknown {
  if (!isRecord(node) || depth > MAX_DEPTH) return node === false ? null : {};
  if (typeof node.$ref === "string") return valueFor(resolveRef(root, node.$ref), root, name, depth + 1);
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  const options = (node.anyOf ?? node.oneOf) as unknown;
  if (Array.isArray(options) && options.length > 0) {
    const chosen = options.find((option) => !(isRecord(option) && option.type === "null")) ?? options[0];
    return valueFor(chosen, root, name, depth + 1);
  }
  if (Array.isArray(node.allOf) && node.allOf.length > 0) {
    const parts = node.allOf.map((part) => valueFor(part, root, name, depth + 1));
    return parts.every(isRecord) ? Object.assign({}, ...parts) : parts[0];
  }
  switch (typeOf(node)) {
    case "object":
      return objectFor(node, root, depth);
    case "array":
      return arrayFor(node, root, name, depth);
    case "string":
      return stringFor(node, name);
    case "integer":
      return numberFor(node, true);
    case "number":
      return numberFor(node, false);
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}

function typeOf(node: Record<string, unknown>): string | undefined {
  const type = node.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((entry) => entry !== "null") ?? type[0]) as string | undefined;
  if (isRecord(node.properties)) return "object";
  if (node.items !== undefined) return "array";
  return undefined;
}

function objectFor(node: Record<string, unknown>, root: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isRecord(node.properties) ? node.properties : {};
  for (const [key, child] of Object.entries(properties)) {
    Object.defineProperty(out, key, { value: valueFor(child, root, key, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function arrayFor(node: Record<string, unknown>, root: Record<string, unknown>, name: string, depth: number): unknown[] {
  const min = typeof node.minItems === "number" ? node.minItems : 1;
  const max = typeof node.maxItems === "number" ? node.maxItems : Math.max(min, 1);
  const count = Math.min(Math.max(min, 1), max, 100);
  const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
  return Array.from({ length: Math.max(count, prefix.length) }, (_, index) => valueFor(prefix[index] ?? node.items ?? {}, root, name, depth + 1));
}

function stringFor(node: Record<string, unknown>, name: string): string {
  const format = typeof node.format === "string" ? FORMAT_EXAMPLES[node.format] : undefined;
  let text = format ?? `example ${name}`;
  const min = typeof node.minLength === "number" ? node.minLength : 0;
  const max = typeof node.maxLength === "number" ? node.maxLength : Infinity;
  if (text.length < min) text = text.padEnd(min, "x");
  return text.length > max ? text.slice(0, max) : text;
}

function numberFor(node: Record<string, unknown>, integer: boolean): number {
  const num = (key: string) => (typeof node[key] === "number" ? (node[key] as number) : undefined);
  const low = num("minimum") ?? (num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + (integer ? 1 : 0.5) : undefined);
  const high = num("maximum") ?? (num("exclusiveMaximum") !== undefined ? num("exclusiveMaximum")! - (integer ? 1 : 0.5) : undefined);
  let value = Math.min(Math.max(1, low ?? -Infinity), high ?? Infinity);
  if (integer) value = Math.ceil(value);
  const step = num("multipleOf");
  if (step !== undefined && step > 0) value = Math.ceil(value / step) * step;
  return value;
}

function resolveRef(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("#")) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, key)) return {};
    node = node[key];
  }
  return node;
}

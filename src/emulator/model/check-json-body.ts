/**
 * Bedrock's JSON-schema checks of an InvokeModel body, worded as Bedrock words them
 * ("Malformed input request: #/dimensions: 300 is not a valid enum value, please reformat ...").
 * Each check throws the ValidationException at the first violation.
 */
import { malformedInput } from "./request-rejected.js";

export type JsonBody = Record<string, unknown>;

export function objectBody(body: unknown, allowed: readonly string[]): JsonBody {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw malformedInput([`#: expected type: JSONObject, found: ${typeName(body)}`]);
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw malformedInput(extra.map((key) => `#: extraneous key [${key}] is not permitted`));
  return body as JsonBody;
}

export function typeName(value: unknown): string {
  if (value === null) return "Null";
  if (Array.isArray(value)) return "JSONArray";
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "BigDecimal";
  return "JSONObject";
}

export function required(body: JsonBody, key: string): unknown {
  if (body[key] === undefined) throw malformedInput([`#: required key [${key}] not found`]);
  return body[key];
}

export function stringAt(value: unknown, path: string, limits: { min?: number; max?: number } = {}): string {
  if (typeof value !== "string") throw malformedInput([`#/${path}: expected type: String, found: ${typeName(value)}`]);
  if (limits.min !== undefined && value.length < limits.min) throw malformedInput([`#/${path}: expected minLength: ${limits.min}, actual: ${value.length}`]);
  if (limits.max !== undefined && value.length > limits.max) throw malformedInput([`#/${path}: expected maxLength: ${limits.max}, actual: ${value.length}`]);
  return value;
}

export function integerAt(value: unknown, path: string, min?: number, max?: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw malformedInput([`#/${path}: expected type: Integer, found: ${typeName(value)}`]);
  if (min !== undefined && value < min) throw malformedInput([`#/${path}: ${value} is not greater or equal to ${min}`]);
  if (max !== undefined && value > max) throw malformedInput([`#/${path}: ${value} is not less or equal to ${max}`]);
  return value;
}

export function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw malformedInput([`#/${path}: expected type: Boolean, found: ${typeName(value)}`]);
  return value;
}

export function enumAt<T extends string | number>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw malformedInput([`#/${path}: ${JSON.stringify(value)} is not a valid enum value`]);
  return value as T;
}

export function arrayAt(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw malformedInput([`#/${path}: expected type: JSONArray, found: ${typeName(value)}`]);
  if (value.length < min) throw malformedInput([`#/${path}: expected minimum item count: ${min}, found: ${value.length}`]);
  if (value.length > max) throw malformedInput([`#/${path}: expected maximum item count: ${max}, found: ${value.length}`]);
  return value;
}

export function enumListAt<T extends string>(value: unknown, path: string, allowed: readonly T[]): T[] {
  const list = arrayAt(value, path, 1, allowed.length);
  const items = list.map((item, index) => enumAt(item, `${path}/${index}`, allowed));
  if (new Set(items).size !== items.length) throw malformedInput([`#/${path}: array items are not unique`]);
  return items;
}

import { createHash } from "node:crypto";

/** Small helpers for reading untrusted JSON. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Type names as Bedrock's JSON-schema validator prints them ("expected type: JSONArray, found: String"). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return "Null";
  if (Array.isArray(value)) return "JSONArray";
  if (typeof value === "object") return "JSONObject";
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "BigDecimal";
  return typeof value;
}

/** Decodes base64 (standard or URL alphabet); null when the text is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const trimmed = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(trimmed)) return null;
  return Buffer.from(trimmed, "base64");
}

/** Pages in a PDF, counted from its page objects; at least 1. */
export function countPdfPages(bytes: Buffer): number {
  const matches = bytes.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g);
  return Math.max(1, matches ? matches.length : 0);
}

/** A short digest of (base64) content: identifies attachments without keeping them. */
export function contentDigest(data: string): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}

/**
 * AWS Signature Version 4 for the event-stream requests this library sends itself (service "bedrock").
 *
 * Why not `@smithy/signature-v4`: its sign() measured ~53 µs in a hot loop and ~330 µs per request in a stream
 * at concurrency 1 (the CPU is cold after waiting on the network), a third of the whole 1 ms budget for the
 * latency added to the first token. These few synchronous hashes measured ~9 µs hot and ~120 µs there.
 * The emulator verifies every signature with `@smithy/signature-v4`, and a test checks both sign alike.
 */
import crypto, { createHmac } from "node:crypto";
import { encodeUriSegment } from "./encode-uri-segment.js";

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface RequestToSign {
  method: string;
  /** The path as sent (labels already URI-encoded once). */
  path: string;
  /** Lower-case header names; must include `host`. Signing adds x-amz-date, x-amz-content-sha256, authorization. */
  headers: Record<string, string>;
  body: string;
}

const SERVICE = "bedrock";
/** Never signed (a proxy or the HTTP stack may change them). */
const UNSIGNED = new Set(["authorization", "user-agent", "connection", "expect", "te", "transfer-encoding", "x-amzn-trace-id"]);

export class SigV4Signer {
  readonly #region: string;
  #key: { day: string; credentials: SigningCredentials; signWith: (stringToSign: string) => string } | undefined;
  /** Reused while they hold: the x-amz-date of the current second, the canonical form of the last path. */
  #date: { second: number; amzDate: string } | undefined;
  #path: { path: string; canonical: string } | undefined;

  constructor(region: string) {
    this.#region = region;
  }

  /** Adds the signature headers to `request.headers`; `now` is for tests. */
  sign(request: RequestToSign, credentials: SigningCredentials, now: Date = new Date()): void {
    const amzDate = this.#amzDate(now);
    const day = amzDate.slice(0, 8);
    const headers = request.headers;
    const payloadHash = sha256Hex(request.body);
    headers["x-amz-date"] = amzDate;
    headers["x-amz-content-sha256"] = payloadHash;
    if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
    const names = Object.keys(headers)
      .filter((name) => !UNSIGNED.has(name))
      .sort();
    let canonicalHeaders = "";
    for (const name of names) canonicalHeaders += `${name}:${headers[name]!.trim().replace(/\s+/g, " ")}\n`;
    const signedHeaders = names.join(";");
    const canonicalRequest = `${request.method}\n${this.#canonicalPath(request.path)}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${day}/${this.#region}/${SERVICE}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = this.#signingKey(day, credentials)(stringToSign);
    headers["authorization"] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  }

  #amzDate(now: Date): string {
    const second = Math.floor(now.getTime() / 1000);
    if (this.#date?.second === second) return this.#date.amzDate;
    const iso = now.toISOString(); // 2026-11-25T09:30:00.000Z -> 20261125T093000Z
    const amzDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
    this.#date = { second, amzDate };
    return amzDate;
  }

  #canonicalPath(path: string): string {
    if (this.#path?.path !== path) this.#path = { path, canonical: canonicalPath(path) };
    return this.#path.canonical;
  }

  /** The derived key changes once a day (or with the credentials); deriving it takes four HMACs. */
  #signingKey(day: string, credentials: SigningCredentials): (stringToSign: string) => string {
    const cached = this.#key;
    if (cached && cached.day === day && cached.credentials === credentials) return cached.signWith;
    let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
    for (const part of [this.#region, SERVICE, "aws4_request"]) key = hmac(key, part);
    this.#key = { day, credentials, signWith: hmacHexWith(key) };
    return this.#key.signWith;
  }
}

/** Services other than S3 sign the path URI-encoded a second time, segment by segment. */
function canonicalPath(path: string): string {
  return path.split("/").map(encodeUriSegment).join("/");
}

/** One-shot `crypto.hash` where Node has it (20.12+), else a Hash object. */
const sha256Hex: (data: string) => string =
  typeof crypto.hash === "function" ? (data) => crypto.hash("sha256", data, "hex") : (data) => crypto.createHash("sha256").update(data).digest("hex");

/**
 * HMAC-SHA256 under one key as two one-shot hashes over the key's pads, computed once (RFC 2104):
 * sha256((K ^ opad) || sha256((K ^ ipad) || message)). Same result as createHmac, whose per-call key and
 * object set-up took ~58 µs of each request's signing at concurrency 1 (its code goes cold between requests).
 */
function hmacHexWith(key: Buffer): (message: string) => string {
  const viaHmac = (message: string): string => createHmac("sha256", key).update(message).digest("hex");
  if (typeof crypto.hash !== "function") return viaHmac;
  // Reused by every call (signing is synchronous): the pad, then room for the message / the inner digest.
  const room = 768;
  const inner = Buffer.alloc(64 + room, 0x36);
  const outer = Buffer.alloc(64 + 32, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i]! ^= key[i]!; // the key (32 bytes) is shorter than the hash's 64-byte block
    outer[i]! ^= key[i]!;
  }
  return (message) => {
    if (message.length * 3 > room) return viaHmac(message); // a UTF-16 unit is at most 3 bytes of UTF-8
    const length = inner.write(message, 64, "utf8");
    crypto.hash("sha256", inner.subarray(0, 64 + length), "buffer").copy(outer, 64);
    return crypto.hash("sha256", outer, "hex");
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

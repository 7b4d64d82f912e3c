import { createHash, timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { WireError } from "./send-error.js";
import { headerValue, type WireRequest } from "./wire-exchange.js";

export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
interface SignatureScope {
  credential: EmulatorCredentials;
  region: string;
  token: string | undefined;
  signedHeaders: string[];
  signature: string;
  signingDate: Date;
}

const MAX_SKEW_MS = 15 * 60 * 1000;
const INVALID_TOKEN = "The security token included in the request is invalid.";
const sha256 = Hash.bind(null, "sha256");

/** Verifies AWS Signature Version 4 (service "bedrock", any region) the way Bedrock's front end does. */
export class SigV4Verifier {
  private readonly byAccessKey = new Map<string, EmulatorCredentials>();
  private readonly signers = new Map<string, SignatureV4>();

  constructor(credentials: EmulatorCredentials[]) {
    for (const credential of credentials) this.byAccessKey.set(credential.accessKeyId, credential);
  }

  /**
   * Checks everything the headers alone can prove, before the body is read, and returns the check that
   * needs the body. When `x-amz-content-sha256` is signed, the signature covers that header instead of the
   * body, so it is verified here and only the body's hash is left; otherwise (boto3 signs without it) the
   * signature itself needs the body.
   */
  async verifyHeaders(req: WireRequest, rawPath: string, authorization: string): Promise<(body: Buffer) => Promise<void>> {
    const parts = AUTH_PATTERN.exec(authorization);
    if (!parts) {
      throw new WireError("IncompleteSignature", 403, "The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.");
    }
    const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = parts as unknown as string[];
    const credential = this.byAccessKey.get(accessKeyId!);
    if (!credential) throw new WireError("UnrecognizedClientException", 403, INVALID_TOKEN);
    if (service !== "bedrock") {
      throw new WireError("InvalidSignatureException", 403, `Credential should be scoped to correct service: 'bedrock'.`);
    }
    const token = headerValue(req.headers, "x-amz-security-token");
    if ((credential.sessionToken ?? undefined) !== token) throw new WireError("UnrecognizedClientException", 403, INVALID_TOKEN);
    const signedHeaders = signedHeaderList!.split(";");
    if (token !== undefined && !signedHeaders.includes("x-amz-security-token")) {
      throw new WireError("InvalidSignatureException", 403, "The x-amz-security-token header must be signed.");
    }
    const signingDate = checkAmzDate(headerValue(req.headers, "x-amz-date"), scopeDate!);
    const claimedHash = headerValue(req.headers, "x-amz-content-sha256");
    const check = (body: Buffer | undefined) => this.checkSignature(req, rawPath, { credential, region: region!, token, signedHeaders, signature: signature!, signingDate }, body);
    if (claimedHash !== undefined && signedHeaders.includes("x-amz-content-sha256")) {
      await check(undefined);
      return async (body) => checkPayloadHash(claimedHash, body);
    }
    return async (body) => {
      checkPayloadHash(claimedHash, body);
      await check(body);
    };
  }

  private async checkSignature(req: WireRequest, rawPath: string, scope: SignatureScope, body: Buffer | undefined): Promise<void> {
    const request = new HttpRequest({
      method: req.method ?? "POST",
      protocol: "http:",
      hostname: "localhost",
      path: rawPath,
      query: queryOf(req.url),
      headers: pickHeaders(req, scope.signedHeaders),
      body,
    });
    const signer = this.signer(scope.credential, scope.region, scope.token);
    const signed = await signer.sign(request, { signingDate: scope.signingDate, signingRegion: scope.region });
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers["authorization"] ?? ""))?.[1] ?? "";
    if (expected.length !== 64 || !timingSafeEqual(Buffer.from(expected), Buffer.from(scope.signature))) {
      throw new WireError(
        "InvalidSignatureException",
        403,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
      );
    }
  }

  private signer(credential: EmulatorCredentials, region: string, token: string | undefined): SignatureV4 {
    const key = `${credential.accessKeyId}\u0000${region}`;
    let signer = this.signers.get(key);
    if (!signer) {
      signer = new SignatureV4({
        service: "bedrock",
        region,
        credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: token },
        sha256,
        uriEscapePath: true,
        applyChecksum: false,
      });
      if (this.signers.size > 1000) this.signers.clear();
      this.signers.set(key, signer);
    }
    return signer;
  }
}

/** The query string as the signer canonicalizes it (the control plane's List operations have one). */
function queryOf(url: string | undefined): Record<string, string | string[]> {
  const start = url?.indexOf("?") ?? -1;
  if (!url || start === -1) return {};
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(url.slice(start + 1))) {
    // Object.hasOwn: a parameter named like an Object.prototype member ("constructor") is not an earlier value.
    const earlier = Object.hasOwn(query, name) ? query[name] : undefined;
    const entry = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    Object.defineProperty(query, name, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return query;
}

function pickHeaders(req: WireRequest, names: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(req.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

function checkAmzDate(amzDate: string | undefined, scopeDate: string): Date {
  const parts = amzDate ? AMZ_DATE_PATTERN.exec(amzDate) : null;
  if (!parts || !amzDate) {
    throw new WireError("IncompleteSignature", 403, "The request must contain an X-Amz-Date header in the form YYYYMMDDTHHMMSSZ.");
  }
  const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (amzDate.slice(0, 8) !== scopeDate) {
    throw new WireError("InvalidSignatureException", 403, `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'.`);
  }
  const now = Date.now();
  if (Math.abs(now - date.getTime()) > MAX_SKEW_MS) {
    const edge = new Date(date.getTime() < now ? now - MAX_SKEW_MS : now + MAX_SKEW_MS);
    const relation = date.getTime() < now ? "earlier" : "later";
    throw new WireError(
      "InvalidSignatureException",
      403,
      `Signature expired: ${amzDate} is now ${relation} than ${toAmzDate(edge)} (${toAmzDate(new Date(now))} ${relation === "earlier" ? "-" : "+"} 15 min.)`,
    );
  }
  return date;
}

function checkPayloadHash(claimed: string | undefined, body: Buffer): void {
  if (claimed === undefined || claimed === "UNSIGNED-PAYLOAD") return;
  const actual = createHash("sha256").update(body).digest("hex");
  if (claimed !== actual) {
    throw new WireError("InvalidSignatureException", 403, "The x-amz-content-sha256 header does not match the SHA-256 hash of the request body.");
  }
}

function toAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

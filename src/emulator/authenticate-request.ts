import { createHash, timingSafeEqual } from "node:crypto";
import { WireError } from "./send-error.js";
import { SigV4Verifier, type EmulatorCredentials } from "./verify-sigv4.js";
import { headerValue, type WireRequest } from "./wire-exchange.js";

export type AuthType = "sigv4" | "bearer" | "none";

export interface HeaderAuth {
  type: AuthType;
  /** What is left to check once the body is read (SigV4's payload hash, or the whole signature). */
  checkBody(body: Buffer): Promise<void>;
}

/** Checks `Authorization` (SigV4 or Bearer API key) and says which scheme the request used. */
export class RequestAuthenticator {
  private readonly sigv4: SigV4Verifier;
  private readonly apiKeyDigests: Buffer[];

  constructor(
    credentials: EmulatorCredentials[],
    apiKeys: string[],
    private readonly enabled: boolean,
  ) {
    this.sigv4 = new SigV4Verifier(credentials);
    this.apiKeyDigests = apiKeys.map(digest);
  }

  /**
   * Checks the headers before the body is read, so an unauthenticated upload is refused without being
   * buffered. Returns the scheme and the check that still needs the body (SigV4's payload hash).
   */
  async authenticateHeaders(req: WireRequest, rawPath: string): Promise<HeaderAuth> {
    const authorization = headerValue(req.headers, "authorization");
    const type = authTypeOf(authorization);
    if (!this.enabled) return { type, checkBody: async () => undefined };
    if (authorization === undefined) {
      throw new WireError("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
    }
    if (type === "bearer") {
      this.checkApiKey(authorization.slice(7).trim());
      return { type, checkBody: async () => undefined };
    }
    if (type === "sigv4") return { type, checkBody: await this.sigv4.verifyHeaders(req, rawPath, authorization) };
    throw new WireError("IncompleteSignature", 403, "The Authorization header must be an AWS4-HMAC-SHA256 signature or 'Bearer <API key>'.");
  }

  private checkApiKey(key: string): void {
    const candidate = digest(key);
    if (!this.apiKeyDigests.some((known) => timingSafeEqual(known, candidate))) {
      throw new WireError("UnrecognizedClientException", 403, "The API key included in the request is invalid.");
    }
  }
}

function authTypeOf(authorization: string | undefined): AuthType {
  if (authorization === undefined) return "none";
  if (/^Bearer\s/i.test(authorization)) return "bearer";
  if (authorization.startsWith("AWS4-HMAC-SHA256")) return "sigv4";
  return "none";
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Request headers safe to keep in a recording: signatures, API keys and session tokens are masked. */
export function redactHeaders(headers: WireRequest["headers"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(", ") : raw;
    if (name === "authorization") result[name] = redactAuthorization(value);
    else if (name === "x-amz-security-token") result[name] = "[redacted]";
    else result[name] = value;
  }
  return result;
}

function redactAuthorization(value: string): string {
  if (/^Bearer\s/i.test(value)) return "Bearer [redacted]";
  return value.replace(/Signature=[0-9a-fA-F]+/, "Signature=[redacted]").replace(/Credential=[^/]+\//, "Credential=[redacted]/");
}

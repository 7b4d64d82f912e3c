/**
 * Removes credentials from text bound for an error message: the known secrets, anything shaped like an AWS
 * access key id, and the values of credential headers a server or proxy may echo back.
 */
const ACCESS_KEY_SHAPE = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
/** A header name, then a token-shaped value (long, base64/URL-safe characters): not an ordinary word after it. */
const ECHOED_CREDENTIAL = /(x-amz-security-token[ \t]*[:=][ \t]*|\bBearer[ \t]+)[A-Za-z0-9._~+/=-]{16,}/gi;

export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(ACCESS_KEY_SHAPE, "[redacted]").replace(ECHOED_CREDENTIAL, "$1[redacted]");
}

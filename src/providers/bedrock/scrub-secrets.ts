/**
 * Removes credentials from text bound for an error message: the known secrets, anything shaped like an AWS
 * access key id, and the values of credential headers a server or proxy may echo back.
 */
const ACCESS_KEY_SHAPE = /\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
const ECHOED_CREDENTIAL = /(x-amz-security-token\s*[:=]\s*|\bBearer\s+)[^\s'",;]+/gi;

export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out.replace(ACCESS_KEY_SHAPE, "[redacted]").replace(ECHOED_CREDENTIAL, "$1[redacted]");
}

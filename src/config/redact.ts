/** How credentials are shown wherever a config is printed: never in full. */

export const REDACTED = "[redacted]";

/** Keys of free-form settings (`extra`) that look like they hold a credential. */
const SECRET_LOOKING_KEY = /key|secret|token|password|passwd|credential|auth/i;

/** An AWS access key id keeps its 4-letter type prefix (AKIA = long-term, ASIA = temporary); the rest is hidden. */
export function redactAccessKeyId(value: string): string {
  return /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}$/.test(value) ? `${value.slice(0, 4)}****` : REDACTED;
}

export function redactSecret(field: string, value: unknown): unknown {
  if (value === undefined || value === null || value === "") return value;
  if (field === "accessKeyId" && typeof value === "string") return redactAccessKeyId(value);
  return REDACTED;
}

/** A copy of free-form settings with secret-looking keys redacted (recursively). */
export function redactExtra(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) {
    if (SECRET_LOOKING_KEY.test(key) && value !== undefined && value !== null && value !== "") out[key] = REDACTED;
    else if (value !== null && typeof value === "object" && !Array.isArray(value)) out[key] = redactExtra(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
}

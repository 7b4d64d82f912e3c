/**
 * A failure of the connection itself (refused, DNS, TLS, reset, cut) -> a retryable NetworkError whose
 * `networkCode` is the system or TLS code, and whose `cause` holds only that code and the scrubbed message.
 */
import { MinionError, NetworkError } from "../../../schema/errors.js";
import { scrub } from "../errors/scrub-secrets.js";

export function networkErrorOf(thrown: unknown, secrets: readonly string[], when: string): MinionError {
  if (thrown instanceof MinionError) return thrown;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const code = codeOf(error) ?? "connection_closed";
  const message = scrub(error.message || code, secrets);
  return new NetworkError(`Connection to Bedrock failed ${when}: ${message}`, true, {
    networkCode: code,
    cause: Object.freeze({ name: error.name, code, message }),
  });
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : undefined;
}

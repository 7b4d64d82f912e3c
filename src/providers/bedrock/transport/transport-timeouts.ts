/**
 * The default timeouts, and how a call's or config's value is read (`0` turns one off).
 *
 * Chosen from what Bedrock users hit. A non-streaming InvokeModel/Converse sends its response headers only
 * when the whole answer is generated, and long answers (64K output tokens, extended thinking) take many
 * minutes: botocore's default 60 s read timeout cut them, and AWS now tells users to raise it to 3,600 s,
 * the longest a Bedrock inference call may run. So no default cuts a call that Bedrock itself would finish:
 *  - total: 60 min, Bedrock's own limit for one call;
 *  - idle: 5 min without a byte while a stream's headers or frames, a body, or an error body are awaited
 *    (a live stream sends frames every few hundred ms; the first one comes after the prompt is read);
 *  - connect: 10 s for the proxy tunnel, TCP and TLS (a handshake with AWS takes well under a second).
 */
import { InvalidRequestError } from "../../../schema/errors.js";

export const DEFAULT_TOTAL_TIMEOUT_MS = 3_600_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A timeout option: `undefined` -> the default, `0` -> none (undefined), a positive number -> itself.
 * Anything else is an InvalidRequestError naming the option.
 */
export function timeoutOption(name: string, value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidRequestError(`${name} must be a number of milliseconds (0 turns it off), got ${JSON.stringify(value)}.`);
  }
  return value === 0 ? undefined : value;
}

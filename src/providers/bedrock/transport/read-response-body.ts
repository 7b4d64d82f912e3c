/**
 * Reads a whole response body, bounded: at most `maxBytes` are kept (the response is destroyed past that, so
 * a body that never ends costs nothing more), and a silence longer than `idleMs` stops the read. Says whether
 * the body was read to its end and, if not, why. Rejects only when the connection fails or the call is aborted.
 */
import type { Readable } from "node:stream";

export interface BodyRead {
  /** The body as it arrived, in chunks (Buffer.concat(chunks) is the whole of it). */
  chunks: Buffer[];
  /** "end": the whole body; "idle": silent for idleMs; "too_large": past maxBytes. */
  outcome: "end" | "idle" | "too_large";
}

export function readResponseBody(response: Readable, limits: { maxBytes: number; idleMs?: number | undefined }): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: BodyRead["outcome"] | Error): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      response.off("data", onData);
      if (outcome instanceof Error) return reject(outcome);
      if (outcome !== "end") response.destroy();
      resolve({ chunks, outcome });
    };
    const onData = (chunk: Buffer): void => {
      const room = limits.maxBytes - size;
      size += chunk.length;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        return settle("too_large");
      }
      chunks.push(chunk);
      timer?.refresh();
    };
    const timer = limits.idleMs === undefined ? undefined : setTimeout(() => settle("idle"), limits.idleMs);
    response.on("data", onData);
    response.once("end", () => settle("end"));
    response.once("error", (error) => settle(error));
    // Destroyed without an error (our abort) or cut before its end.
    response.once("close", () => settle(Object.assign(new Error("The connection closed before the response body ended."), { code: "ECONNRESET" })));
  });
}

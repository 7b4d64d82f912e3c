/**
 * Ends a response with a body of any size without leaving an HTTP/1.1 socket in need of draining. Node's
 * HTTP/1.1 server pauses reading a connection when a request arrives while the socket's write buffer is over
 * its high-water mark; the client's next keep-alive request does exactly that when the previous answer (a
 * 230 KB Cohere answer) was written in one piece and has reached the client before the server's 'drain'.
 * On Node 20 that pause then fails the new request with HPE_PAUSED and the server drops the connection, which
 * Bedrock does not do (bench/RESULTS.md, embeddings 2026-12-06: 4 in 10 Cohere calls were cut and retried).
 * Writing in pieces and waiting for 'drain' keeps the buffer below the mark once the body is out.
 */
import type { WireResponse } from "./wire-exchange.js";

/** Below Node's default high-water mark (16 KiB), so that a piece written to an empty buffer leaves no need to drain. */
const PIECE = 8 * 1024;

/** Writes `body` and ends `res`; resolves once ended, or when the client goes away first. */
export async function endInPieces(res: WireResponse, body: Uint8Array): Promise<void> {
  for (let at = 0; at < body.length; at += PIECE) {
    if (!res.write(body.subarray(at, at + PIECE)) && !(await drained(res))) return;
  }
  res.end();
}

/** True on 'drain', false if the response closes first. */
function drained(res: WireResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => {
      res.off("close", onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    res.once("close", onClose);
  });
}

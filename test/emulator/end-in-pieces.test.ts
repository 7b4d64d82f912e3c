import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import { endInPieces } from "../../src/emulator/end-in-pieces.js";
import type { WireResponse } from "../../src/emulator/wire-exchange.js";

/** A response whose buffer holds `room` bytes: write() says false once it is full, and 'drain' empties it later. */
class FakeResponse extends EventEmitter {
  readonly pieces: Buffer[] = [];
  buffered = 0;
  ended = false;
  writesWhileFull = 0;
  constructor(private readonly room: number) {
    super();
  }
  write(chunk: Uint8Array): boolean {
    if (this.buffered >= this.room) this.writesWhileFull++;
    this.pieces.push(Buffer.from(chunk));
    this.buffered += chunk.length;
    if (this.buffered < this.room) return true;
    setImmediate(() => {
      this.buffered = 0;
      this.emit("drain");
    });
    return false;
  }
  end(): void {
    this.ended = true;
  }
}

describe("endInPieces", () => {
  it("writes the whole body in pieces of at most 8 KiB, never into a full buffer, then ends", async () => {
    const body = Buffer.from(Array.from({ length: 230_000 }, (_, i) => i % 251));
    const res = new FakeResponse(16 * 1024);
    await endInPieces(res as unknown as WireResponse, body);
    assert.ok(res.pieces.every((piece) => piece.length <= 8 * 1024));
    assert.deepEqual(Buffer.concat(res.pieces), body);
    assert.equal(res.writesWhileFull, 0);
    assert.equal(res.ended, true);
    assert.ok(res.buffered < 16 * 1024, "the buffer is below its mark once ended");
  });

  it("stops without ending when the client goes away while it waits for drain", async () => {
    const res = new FakeResponse(16 * 1024);
    res.write = function (this: FakeResponse, chunk: Uint8Array) {
      this.pieces.push(Buffer.from(chunk));
      setImmediate(() => this.emit("close"));
      return false;
    };
    await endInPieces(res as unknown as WireResponse, Buffer.alloc(100_000));
    assert.equal(res.pieces.length, 1);
    assert.equal(res.ended, false);
  });
});

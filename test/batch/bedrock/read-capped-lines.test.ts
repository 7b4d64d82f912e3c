/** readCappedLines: lines split anywhere across chunks, and a hostile line over the cap never held whole. */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { readCappedLines, type CappedLine } from "../../../src/batch/bedrock/read-capped-lines.js";

async function collect(chunks: (string | Buffer)[], cap: number, head?: number): Promise<CappedLine[]> {
  const lines: CappedLine[] = [];
  for await (const line of readCappedLines(Readable.from(chunks.map((chunk) => Buffer.from(chunk))), cap, head)) lines.push(line);
  return lines;
}

describe("readCappedLines", () => {
  it("splits lines across chunk boundaries, drops a CR before LF, keeps a last line without newline, and a multi-byte character split in two", async () => {
    const euro = Buffer.from("€"); // 3 bytes
    const lines = await collect(["ab", "c\nde\r\n", "\n", Buffer.concat([Buffer.from("x"), euro.subarray(0, 1)]), Buffer.concat([euro.subarray(1), Buffer.from("y\nlast")])], 100);
    assert.deepEqual(lines, [
      { kind: "line", text: "abc" },
      { kind: "line", text: "de" },
      { kind: "line", text: "" },
      { kind: "line", text: "x€y" },
      { kind: "line", text: "last" },
    ]);
  });

  it("reports a line over the cap as oversized, with its head and byte count, and reads on", async () => {
    const big = `{"recordId":"R0000000002","modelOutput":"${"z".repeat(5000)}"}`;
    const lines = await collect(["short\n", big.slice(0, 700), big.slice(700), "\nafter\n"], 1000, 40);
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0], { kind: "line", text: "short" });
    assert.deepEqual(lines[1], { kind: "oversized", bytes: Buffer.byteLength(big), head: big.slice(0, 40) });
    assert.deepEqual(lines[2], { kind: "line", text: "after" });
    // A head that spans several chunks.
    assert.deepEqual(await collect(["ab", "cd", "e".repeat(2000), "\n"], 1000, 3), [{ kind: "oversized", bytes: 2004, head: "abc" }]);
    // Exactly at the cap is a line.
    assert.deepEqual(await collect(["x".repeat(1000)], 1000), [{ kind: "line", text: "x".repeat(1000) }]);
  });

  it("passes a 256 MiB line without holding it: array-buffer memory stays far below the line's size", async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61); // one 1 MiB buffer, sent 256 times
    const total = 256;
    async function* hostile() {
      yield Buffer.from('{"recordId":"R0000000001","modelOutput":"');
      for (let i = 0; i < total; i++) yield chunk;
      yield Buffer.from('"}\n{"recordId":"R0000000003"}\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const lines: CappedLine[] = [];
    for await (const line of readCappedLines(Readable.from(hostile()), 4 * 1024 * 1024)) {
      lines.push(line);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.kind, "oversized");
    assert.equal((lines[0] as { bytes: number }).bytes, total * chunk.length + 43);
    assert.match((lines[0] as { head: string }).head, /^\{"recordId":"R0000000001"/);
    assert.deepEqual(lines[1], { kind: "line", text: '{"recordId":"R0000000003"}' });
    assert.ok(peak < 64 * 1024 * 1024, `array buffers grew by ${peak} bytes`);
  });
});

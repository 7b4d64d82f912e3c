import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { OutputWriter } from "../../src/batch/output-writer.js";
import { readDoneIds } from "../../src/batch/read-done-ids.js";
import { tempDir } from "./batch-fixture.js";

describe("OutputWriter and readDoneIds", () => {
  it("appends concurrent records as whole lines, after what the file held", async () => {
    const files = tempDir();
    try {
      const path = files.path("out.jsonl");
      writeFileSync(path, '{"id":"old"}\n');
      const writer = await OutputWriter.open(path);
      const big = "x".repeat(200_000);
      await Promise.all(Array.from({ length: 50 }, (_, index) => writer.append({ id: index, text: index % 10 === 0 ? big : "short" })));
      await writer.close();
      const lines = readFileSync(path, "utf8").split("\n");
      assert.equal(lines.pop(), "");
      assert.equal(lines.length, 51);
      assert.deepEqual(lines.map((line) => (JSON.parse(line) as { id: unknown }).id).sort(), ["old", ...Array.from({ length: 50 }, (_, index) => index)].sort());
    } finally {
      files.cleanup();
    }
  });

  it("finds a torn last line; cuts it only when asked to repair", async () => {
    const files = tempDir();
    try {
      const path = files.path("out.jsonl");
      const whole = '{"id":"a"}\n{"id":7}\n';
      writeFileSync(path, `${whole}{"id":"b","output":"half`);
      const look = await readDoneIds(path, { repair: false });
      assert.deepEqual([...look.ids].sort(), ['"a', "#7"]);
      assert.equal(look.tornBytes, '{"id":"b","output":"half'.length);
      assert.equal(readFileSync(path, "utf8").length, whole.length + look.tornBytes, "a look changes nothing");
      const repaired = await readDoneIds(path, { repair: true });
      assert.equal(repaired.tornBytes, look.tornBytes);
      assert.equal(readFileSync(path, "utf8"), whole);
    } finally {
      files.cleanup();
    }
  });

  it("treats a file holding only a torn line, and a missing file, as nothing done", async () => {
    const files = tempDir();
    try {
      writeFileSync(files.path("torn.jsonl"), '{"id":"a');
      const torn = await readDoneIds(files.path("torn.jsonl"), { repair: true });
      assert.equal(torn.ids.size, 0);
      assert.equal(readFileSync(files.path("torn.jsonl"), "utf8"), "");
      const missing = await readDoneIds(files.path("missing.jsonl"), { repair: true });
      assert.deepEqual(missing, { ids: new Set(), tornBytes: 0 });
    } finally {
      files.cleanup();
    }
  });
});

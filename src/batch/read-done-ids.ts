/**
 * What an earlier run already wrote: the ids in the output file. Every line is written whole in one append,
 * so only the last line can be torn (the process was killed mid-write); `repair` cuts it away so appending
 * starts on a line boundary. Its id was not recorded and is run again.
 */
import { createReadStream } from "node:fs";
import { open, stat, truncate } from "node:fs/promises";
import { createInterface } from "node:readline";
import { BatchOutputError } from "./batch-errors.js";
import { idKey, type BatchId } from "./batch-request.js";

export interface DoneIds {
  /** idKey() of every id in the output. */
  ids: Set<string>;
  /** Bytes of a torn last line that were (or, without repair, would be) cut away. */
  tornBytes: number;
}

export async function readDoneIds(path: string, options: { repair: boolean }): Promise<DoneIds> {
  const size = await fileSize(path);
  if (size === undefined) return { ids: new Set(), tornBytes: 0 };
  const whole = await lastNewlineEnd(path, size);
  if (whole < size && options.repair) await truncate(path, whole);
  const ids = new Set<string>();
  if (whole > 0) await collectIds(path, whole, ids);
  return { ids, tornBytes: size - whole };
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The offset just past the file's last "\n" (0 when it has none), scanning backwards in blocks. */
async function lastNewlineEnd(path: string, size: number): Promise<number> {
  const handle = await open(path, "r");
  try {
    const block = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const { bytesRead } = await handle.read(block, 0, end - start, start);
      const index = block.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (index !== -1) return start + index + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}

async function collectIds(path: string, end: number, ids: Set<string>): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { end: end - 1, encoding: "utf8" }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === "") continue;
    ids.add(idKey(recordId(line, path, number)));
  }
}

function recordId(line: string, path: string, number: number): BatchId {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw new BatchOutputError(
      `Line ${number} of the output ${path} is not valid JSON, and it is not a torn last line. ` +
        "The file was changed by something other than the batch runner; fix or remove that line, or choose another --output.",
    );
  }
  const id = (record as { id?: unknown } | null)?.id;
  if ((typeof id === "string" && id !== "") || (typeof id === "number" && Number.isSafeInteger(id))) return id;
  throw new BatchOutputError(`Line ${number} of the output ${path} has no id; fix or remove it, or choose another --output.`);
}

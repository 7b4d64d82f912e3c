import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveMediaParts } from "../../../../src/providers/bedrock/media/resolve-media-parts.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import { Message, type ContentPart } from "../../../../src/schema/message.js";

export const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "minion-media-"));
  await writeFile(join(dir, "pixel.png"), PNG);
  await writeFile(join(dir, "mislabelled.jpg"), PNG);
  await writeFile(join(dir, "report.pdf"), PDF);
  await writeFile(join(dir, "notes.csv"), "a,b\n1,2\n");
  await writeFile(join(dir, "big.png"), Buffer.concat([PNG, Buffer.alloc(4 * 1024 * 1024)]));
  await writeFile(join(dir, "binary.bin"), Buffer.from([0, 1, 2, 3, 255, 254]));
});
after(() => rm(dir, { recursive: true, force: true }));

async function resolveOne(part: ContentPart): Promise<ContentPart> {
  const [message] = await resolveMediaParts([{ role: "user", content: [part] }]);
  return (message!.content as ContentPart[])[0]!;
}

describe("resolveMediaParts", () => {
  it("reads an image file, base64-encodes it and takes its type from the bytes", async () => {
    assert.deepEqual(await resolveOne({ type: "image", path: join(dir, "pixel.png") }), { type: "image", data: PNG.toString("base64"), mediaType: "image/png" });
    const mislabelled = await resolveOne({ type: "image", path: join(dir, "mislabelled.jpg") });
    assert.equal((mislabelled as { mediaType: string }).mediaType, "image/png");
  });

  it("accepts data URLs in image and image_url parts, and base64 with a media type", async () => {
    const url = `data:image/png;base64,${PNG.toString("base64")}`;
    assert.deepEqual(await resolveOne({ type: "image_url", image_url: { url } }), { type: "image", data: PNG.toString("base64"), mediaType: "image/png" });
    assert.deepEqual(await resolveOne({ type: "image", data: url }), { type: "image", data: PNG.toString("base64"), mediaType: "image/png" });
    assert.deepEqual(await resolveOne({ type: "image", data: PNG.toString("base64"), mediaType: "image/png" }), { type: "image", data: PNG.toString("base64"), mediaType: "image/png" });
  });

  it("reads documents, names them after the file, keeps cacheControl", async () => {
    const pdf = await resolveOne({ type: "document", path: join(dir, "report.pdf"), cacheControl: { type: "ephemeral" } });
    assert.deepEqual(pdf, { type: "document", data: PDF.toString("base64"), mediaType: "application/pdf", name: "report", cacheControl: { type: "ephemeral" } });
    const csv = await resolveOne({ type: "document", path: join(dir, "notes.csv") });
    assert.equal((csv as { mediaType: string }).mediaType, "text/csv");
    const unnamed = await resolveOne({ type: "document", data: PDF.toString("base64"), mediaType: "application/pdf" });
    assert.equal((unnamed as { name: string }).name, "document-1");
  });

  it("rejects remote URLs, missing files, oversize files and wrong kinds with InvalidRequestError", async () => {
    const cases: [ContentPart, RegExp][] = [
      [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }, /remote image URLs are not fetched.*Download/],
      [{ type: "image", path: join(dir, "nope.png") }, /does not exist/],
      [{ type: "image", path: join(dir, "big.png") }, /at most 3\.75 MB/],
      [{ type: "image", path: join(dir, "report.pdf") }, /application\/pdf data, not an image/],
      [{ type: "document", path: join(dir, "binary.bin") }, /not a supported document format/],
      [{ type: "image", data: "!!!not base64!!!", mediaType: "image/png" }, /not valid base64/],
      [{ type: "image", data: PNG.toString("base64"), mediaType: "image/tiff" }, /not supported for images/],
      [{ type: "image" }, /has no content/],
    ];
    for (const [part, pattern] of cases) {
      await assert.rejects(resolveOne(part), (error: unknown) => error instanceof InvalidRequestError && pattern.test(error.message));
    }
  });

  it("leaves messages without media untouched and keeps Message fields", async () => {
    const plain = { role: "user" as const, content: "hi" };
    const withImage = new Message({ role: "user", name: "bob", content: [{ type: "text", text: "look" }, { type: "image", path: join(dir, "pixel.png") }] });
    const [first, second] = await resolveMediaParts([plain, withImage]);
    assert.equal(first, plain);
    assert.equal(second!.name, "bob");
    assert.deepEqual((second!.content as ContentPart[])[0], { type: "text", text: "look" });
  });
});

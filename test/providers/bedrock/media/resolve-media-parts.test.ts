import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveMediaParts } from "../../../../src/providers/bedrock/media/resolve-media-parts.js";
import { resolvedMediaOf } from "../../../../src/providers/bedrock/media/resolved-media.js";
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

  it("resolves Anthropic-native image blocks, and takes the type from the bytes over a wrong mediaType", async () => {
    const native = await resolveOne({ type: "image", source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") } } as never);
    assert.deepEqual(native, { type: "image", data: PNG.toString("base64"), mediaType: "image/png" });
    const mislabelled = await resolveOne({ type: "image", data: PNG.toString("base64"), mediaType: "image/jpeg" });
    assert.equal((mislabelled as { mediaType: string }).mediaType, "image/png");
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

  it("resolves images and documents inside a raw tool_result part, leaving its other fields and items as they are", async () => {
    const text = { type: "text", text: "done" };
    const part = {
      type: "tool_result",
      tool_use_id: "t1",
      is_error: false,
      content: [
        text,
        { type: "image", path: join(dir, "pixel.png") },
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF.toString("base64") }, title: "Q3" },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "plain words" } },
      ],
    };
    const [message] = await resolveMediaParts([{ role: "user", content: [part as never] }]);
    const resolved = (message!.content as unknown as (typeof part)[])[0]!;
    assert.deepEqual(resolved, {
      type: "tool_result",
      tool_use_id: "t1",
      is_error: false,
      content: [
        text,
        { type: "image", data: PNG.toString("base64"), mediaType: "image/png" },
        { type: "document", data: PDF.toString("base64"), mediaType: "application/pdf", name: "Q3" },
        { type: "document", data: Buffer.from("plain words").toString("base64"), mediaType: "text/plain", name: "document-2" },
      ],
    });
    assert.equal(resolved.content[0], text);
    assert.equal(part.content[1]!.type, "image");
    assert.equal("path" in part.content[1]!, true, "the caller's part is not modified");
    assert.equal(resolvedMediaOf(resolved.content[1]!, "image", "test").format.mediaType, "image/png");
  });

  it("names the nested part that is wrong", async () => {
    const part = { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "a" }, { type: "image", path: join(dir, "report.pdf") }] };
    await assert.rejects(
      resolveMediaParts([{ role: "user", content: "hi" }, { role: "user", content: [{ type: "text", text: "x" }, part as never] }]),
      (error: unknown) => error instanceof InvalidRequestError && /^The image file ".*report\.pdf" contains application\/pdf data/.test(error.message),
    );
    const inline = { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "a" }, { type: "image", data: PDF.toString("base64"), mediaType: "image/png" }] };
    await assert.rejects(
      resolveMediaParts([{ role: "user", content: "hi" }, { role: "user", content: [{ type: "text", text: "x" }, inline as never] }]),
      /^InvalidRequestError: The image in message 1 \(user\) content\[1\] tool_result content\[1\] contains application\/pdf data/,
    );
  });

  it("returns messages whose tool results hold no media as they are", async () => {
    const message = { role: "user" as const, content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "ok" }] } as never] };
    const [same] = await resolveMediaParts([message]);
    assert.equal(same, message);
  });

  it("checks the size of base64 data exactly, before decoding it", async () => {
    const limit = 3.75 * 1024 * 1024;
    const exact = Buffer.concat([PNG, Buffer.alloc(limit - PNG.length)]).toString("base64");
    const over = Buffer.concat([PNG, Buffer.alloc(limit - PNG.length + 1)]).toString("base64");
    assert.equal((await resolveOne({ type: "image", data: exact, mediaType: "image/png" }) as { data: string }).data, exact);
    await assert.rejects(resolveOne({ type: "image", data: over, mediaType: "image/png" }), /at most 3\.75 MB/);
    // Whitespace (line-wrapped base64) does not count.
    const wrapped = PNG.toString("base64").replace(/(.{16})/g, "$1\n");
    assert.equal((await resolveOne({ type: "image", data: wrapped, mediaType: "image/png" }) as { data: string }).data, PNG.toString("base64"));
    // A length that no base64 encoding has, and padding in the middle, are not base64.
    await assert.rejects(resolveOne({ type: "image", data: `${PNG.toString("base64")}A`, mediaType: "image/png" }), /not valid base64/);
    await assert.rejects(resolveOne({ type: "image", data: "iVBO=Rw0", mediaType: "image/png" }), /not valid base64/);
    await assert.rejects(resolveOne({ type: "image", data: "data:image/png;base64,", mediaType: "image/png" }), /has no content|is empty/);
  });
});


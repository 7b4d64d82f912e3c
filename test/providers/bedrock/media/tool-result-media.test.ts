/**
 * Media inside a raw `tool_result` part goes through the same resolution and checks as top-level media, on
 * both APIs: Claude (InvokeModel, Anthropic body) and Nova (Converse).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../../../../src/emulator/index.js";
import type { BedrockAsyncProvider } from "../../../../src/providers/bedrock/index.js";
import { InvalidRequestError } from "../../../../src/schema/errors.js";
import type { MessageInput } from "../../../../src/schema/message.js";
import { bodyOf, collect, emulatorWith, providerFor } from "../emulator-fixture.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const B64 = PNG.toString("base64");
const TOOLS = { tools: [{ type: "function" as const, function: { name: "screenshot", parameters: { type: "object", properties: {} } } }] };

/** A history whose last user turn answers a tool call with a raw tool_result part holding `content`. */
function withToolResult(content: unknown): MessageInput[] {
  return [
    { role: "user", content: "Take a screenshot." },
    { role: "assistant", content: null, toolCalls: [{ id: "t1", type: "function", function: { name: "screenshot", arguments: "{}" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content } as never, { type: "text", text: "What does it show?" }] },
  ];
}

let emulator: Emulator;
let claude: BedrockAsyncProvider;
let nova: BedrockAsyncProvider;
let dir: string;

before(async () => {
  emulator = await emulatorWith();
  claude = providerFor(emulator);
  nova = providerFor(emulator, { model: "amazon.nova-lite-v1:0" });
  dir = await mkdtemp(join(tmpdir(), "minion-tool-media-"));
  await writeFile(join(dir, "shot.png"), PNG);
  await writeFile(join(dir, "report.pdf"), PDF);
  await writeFile(join(dir, "fake.png"), Buffer.from("definitely not a png"));
});
after(async () => {
  await claude.close();
  await nova.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe("media inside a tool_result part", () => {
  const content = () => [
    { type: "text", text: "Here it is." },
    { type: "image", path: join(dir, "shot.png") },
    // Mislabelled: the bytes are a PNG, so PNG is what is sent.
    { type: "image", source: { type: "base64", media_type: "image/jpeg", data: B64 } },
    { type: "image_url", image_url: { url: `data:image/png;base64,${B64}` } },
    { type: "document", path: join(dir, "report.pdf") },
  ];

  it("Claude (InvokeModel): resolves every nested image and document to base64 with the type of its bytes", async () => {
    await claude.generate(withToolResult(content()), TOOLS);
    const result = bodyOf(emulator).messages[2].content[0];
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: B64 } };
    assert.deepEqual(result, {
      type: "tool_result",
      tool_use_id: "t1",
      content: [{ type: "text", text: "Here it is." }, image, image, image, { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF.toString("base64") }, title: "report" }],
    });
  });

  it("Nova (Converse): the same tool result becomes image and document blocks with their bytes", async () => {
    await nova.generate(withToolResult(content()), TOOLS);
    const result = bodyOf(emulator).messages[2].content[0].toolResult;
    const image = { image: { format: "png", source: { bytes: B64 } } };
    assert.deepEqual(result, {
      toolUseId: "t1",
      content: [{ text: "Here it is." }, image, image, image, { document: { format: "pdf", name: "report", source: { bytes: PDF.toString("base64") } } }],
    });
  });

  it("a tool result whose content is one media part on its own (not a list) is resolved the same way, on both APIs", async () => {
    const single = { type: "image", path: join(dir, "shot.png") };
    await claude.generate(withToolResult(single), TOOLS);
    assert.deepEqual(bodyOf(emulator).messages[2].content[0].content, [{ type: "image", source: { type: "base64", media_type: "image/png", data: B64 } }]);
    await nova.generate(withToolResult(single), TOOLS);
    assert.deepEqual(bodyOf(emulator).messages[2].content[0].toolResult.content, [{ image: { format: "png", source: { bytes: B64 } } }]);
    const before = emulator.requests.length;
    await assert.rejects(claude.generate(withToolResult({ type: "image", path: join(dir, "fake.png") }), TOOLS), InvalidRequestError);
    assert.equal(emulator.requests.length, before, "a bad single part is refused before sending");
  });

  it("refuses bad nested media and malformed tool results with InvalidRequestError, sending nothing", async () => {
    const oversized = Buffer.concat([PNG, Buffer.alloc(4 * 1024 * 1024)]).toString("base64");
    const cases: [unknown, RegExp][] = [
      [[{ type: "image", data: Buffer.from("just some text").toString("base64"), mediaType: "image/png" }], /tool_result content\[0\] contains text\/plain data, not an image/],
      [[{ type: "image", path: join(dir, "fake.png") }], /fake\.png" contains text\/plain data, not an image/],
      [[{ type: "text", text: "ok" }, { type: "image", data: oversized, mediaType: "image/png" }], /tool_result content\[1\] is 4 MB; Bedrock accepts images of at most 3\.75 MB/],
      [[{ type: "image", data: "data:image/png,not-base64" }], /data: URL without base64 data/],
      [[{ type: "image", source: { type: "base64", media_type: "image/png", data: "@@@@" } }], /not valid base64/],
      [[{ type: "image", path: join(dir, "missing.png") }], /missing\.png" does not exist/],
      [[{ type: "image", source: { type: "url", url: "https://example.com/x.png" } }], /has no content/],
      [[{ type: "document", data: PNG.toString("base64"), mediaType: "application/pdf" }], /contains image\/png data, not an document/],
      [[null], /content\[0\]: a tool result holds text, image and document parts, got null/],
      [[{ type: "video", data: B64 }], /content\[0\]: a tool result may contain only text, image and document parts, got type "video"/],
      [[{ type: "text", text: 7 }], /content\[0\]: a text part needs a string "text"/],
      [42, /a tool result's content must be a string or a list/],
    ];
    for (const provider of [claude, nova]) {
      for (const [bad, pattern] of cases) {
        const before = emulator.metrics.requests;
        const messages = withToolResult(bad);
        await assert.rejects(provider.generate(messages, TOOLS), (error: unknown) => error instanceof InvalidRequestError && pattern.test(error.message), `${provider.model}: ${pattern}`);
        await assert.rejects(collect(provider.generateStream(messages, TOOLS)), InvalidRequestError);
        assert.equal(emulator.metrics.requests, before, `${provider.model}: ${pattern} sent a request`);
      }
    }
  });

  it("refuses a malformed tool_result part itself (id, is_error) before sending", async () => {
    const before = emulator.metrics.requests;
    const bad: [unknown, RegExp][] = [
      [{ type: "tool_result", content: "x" }, /needs "tool_use_id"/],
      [{ type: "tool_result", tool_use_id: "t1", is_error: "yes", content: "x" }, /is_error must be true or false/],
    ];
    // A null part beside media: a typed error, not a TypeError from the media scan.
    bad.push([null, /content\[0\]: a content part must be a string or an object/]);
    for (const [part, pattern] of bad) {
      const messages: MessageInput[] = [...withToolResult("x").slice(0, 2), { role: "user", content: [part as never, { type: "image", data: B64, mediaType: "image/png" }] }];
      for (const provider of [claude, nova]) await assert.rejects(provider.generate(messages, TOOLS), (error: unknown) => error instanceof InvalidRequestError && pattern.test(error.message));
    }
    assert.equal(emulator.metrics.requests, before);
  });

  it("sends Office documents in a tool result to Converse, and tells Claude on InvokeModel to use Converse", async () => {
    const docx = { type: "document", data: Buffer.from("PK\u0003\u0004 word/document.xml").toString("base64"), mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name: "Brief" };
    await nova.generate(withToolResult([docx]), TOOLS);
    assert.equal(bodyOf(emulator).messages[2].content[0].toolResult.content[0].document.format, "docx");
    const before = emulator.metrics.requests;
    await assert.rejects(claude.generate(withToolResult([docx]), TOOLS), (error: unknown) => error instanceof InvalidRequestError && /documents need the Converse API/.test(error.message));
    assert.equal(emulator.metrics.requests, before);
  });

  it("sends only the known fields of a tool_result: a hostile extra field is dropped, not serialised", async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    const part = { type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "fine", extra: deep }], meta: deep };
    const messages: MessageInput[] = [...withToolResult("x").slice(0, 2), { role: "user", content: [part as never] }];
    await claude.generate(messages, TOOLS);
    assert.deepEqual(bodyOf(emulator).messages[2].content, [{ type: "tool_result", tool_use_id: "t1", content: "fine" }]);
  });

  it("refuses deeply nested and huge tool results with a typed error, without overflowing the stack", async () => {
    const before = emulator.metrics.requests;
    let nested: Record<string, unknown> = { type: "text", text: "bottom" };
    for (let i = 0; i < 100_000; i++) nested = { type: "tool_result", tool_use_id: `t${i}`, content: [nested] };
    let arrays: unknown = [];
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ type: "text", text: `line ${i}` }));
    huge.push({ type: "image", data: "data:image/png;base64,QUJD" } as never);
    const cases: [unknown, RegExp][] = [
      [[nested], /content\[0\]: a tool result may contain only text, image and document parts, got type "tool_result"/],
      [[arrays], /content\[0\]: a tool result holds text, image and document parts, got an array/],
      [[{ type: nested }], /got type object/],
      [huge, /tool_result content\[200000\] contains text\/plain data, not an image/],
    ];
    for (const provider of [claude, nova]) {
      for (const [bad, pattern] of cases) {
        await assert.rejects(provider.generate(withToolResult(bad), TOOLS), (error: unknown) => error instanceof InvalidRequestError && pattern.test(error.message), `${provider.model}: ${pattern}`);
      }
    }
    assert.equal(emulator.metrics.requests, before);
  });
});

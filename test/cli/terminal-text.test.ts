import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { streamedOutput } from "../../src/cli/terminal-text.js";

function captured(isTTY: boolean): { stream: NodeJS.WritableStream; text(): string } {
  let text = "";
  const stream = Object.assign(new PassThrough(), { isTTY });
  stream.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  return { stream, text: () => text };
}

describe("streamedOutput", () => {
  it("on a terminal, a CRLF split between two pieces stays a line end; escapes and a lone CR are made visible", async () => {
    const tty = captured(true);
    const output = streamedOutput(tty.stream);
    for (const piece of ["line one\r", "\nline two\x1b[2J", "\rover", "written\r"]) output.write(piece);
    output.end();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(tty.text(), "line one\r\nline two\\x1b[2J\\x0doverwritten\\x0d");
  });

  it("piped, the pieces are written as they are", async () => {
    const pipe = captured(false);
    const output = streamedOutput(pipe.stream);
    for (const piece of ["a\r", "\nb\x1b[2J"]) output.write(piece);
    output.end();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(pipe.text(), "a\r\nb\x1b[2J");
  });
});

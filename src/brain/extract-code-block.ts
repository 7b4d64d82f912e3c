/** Finds the JavaScript a model wrote: the first fenced block tagged js/javascript (or untagged). */
const FENCE = /```([A-Za-z0-9_+-]*)[^\S\n]*\n([\s\S]*?)```/g;
const JS_TAGS = new Set(["", "js", "javascript", "mjs"]);
/** Fences that hold data or output rather than a program in another language. */
const NOT_CODE = new Set(["text", "txt", "json", "output", "console", "markdown", "md", "plaintext"]);

export type CodeBlock = { kind: "js"; code: string } | { kind: "other"; language: string } | { kind: "none" };

export function findCodeBlock(text: string): CodeBlock {
  let other: string | undefined;
  for (const match of text.matchAll(FENCE)) {
    const tag = (match[1] ?? "").toLowerCase();
    const code = match[2] ?? "";
    if (code.trim() === "") continue;
    if (JS_TAGS.has(tag)) return { kind: "js", code };
    if (!NOT_CODE.has(tag)) other ??= tag;
  }
  return other !== undefined ? { kind: "other", language: other } : { kind: "none" };
}

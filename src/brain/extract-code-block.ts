/** Finds the JavaScript a model wrote: the first fenced block tagged js/javascript (or untagged). */
const FENCE = /```([A-Za-z]*)[^\S\n]*\n([\s\S]*?)```/g;
const JS_TAGS = new Set(["", "js", "javascript", "mjs"]);

export function extractCodeBlock(text: string): string | undefined {
  for (const match of text.matchAll(FENCE)) {
    const tag = (match[1] ?? "").toLowerCase();
    if (JS_TAGS.has(tag)) {
      const code = match[2] ?? "";
      if (code.trim() !== "") return code;
    }
  }
  return undefined;
}

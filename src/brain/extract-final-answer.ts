/** Finds the answer after the last "Final answer:" marker of a chain-of-thought reply. */
const MARKER = /final answer\s*[:：]\s*/gi;

export interface ExtractedAnswer {
  answer: string;
  /** False when the reply had no marker (the whole reply is then the answer). */
  found: boolean;
}

export function extractFinalAnswer(text: string): ExtractedAnswer {
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(MARKER)) last = match as RegExpExecArray;
  if (!last) return { answer: text.trim(), found: false };
  const rest = text.slice(last.index + last[0].length).trim();
  return { answer: stripEmphasis(rest), found: true };
}

/** "**Paris**" -> "Paris" (models like to bold the answer). */
function stripEmphasis(text: string): string {
  const match = /^(\*\*|__)([\s\S]*)\1$/.exec(text);
  return match ? match[2]!.trim() : text;
}

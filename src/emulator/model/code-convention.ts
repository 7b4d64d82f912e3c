import type { Conversation } from "./conversation.js";

/**
 * The built-in model's code convention: when the system prompt mentions `finalAnswer(` (as a code-writing
 * agent's prompt does: "call finalAnswer(value) in your code"), the model replies with one ```js block.
 * - If the last user message holds a simple arithmetic expression (non-negative numbers, + - * / % **,
 *   parentheses, spaces), the code computes it: `const result = <expr>;\nconsole.log(result);\nfinalAnswer(result);`
 * - Otherwise the code is `finalAnswer(<the usual echo answer as a JSON string>)`.
 * The rule reads only the request, so it stays deterministic; it applies to whatever the last user message is.
 */
export const CODE_MARKER = "finalAnswer(";

const NUMBER = String.raw`(?:0|[1-9]\d*)(?:\.\d+)?`;
const OPERAND = String.raw`\(*\s*${NUMBER}\s*\)*`;
const EXPRESSION = new RegExp(String.raw`^${OPERAND}(?:\s*(?:\*\*|[-+*/%])\s*${OPERAND})+$`);
const MAX_EXPRESSION = 200;
const CANDIDATE = /[\d.\s+\-*/%()]+/g;

export function wantsCode(conversation: Conversation): boolean {
  return conversation.system.some((part) => part.kind === "text" && part.text.includes(CODE_MARKER));
}

/** The first simple arithmetic expression in the text (at least one operator, balanced parentheses), or null. */
export function arithmeticExpression(text: string): string | null {
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = match[0].trim().replace(/\.+$/, "").trim();
    if (candidate.length > MAX_EXPRESSION) continue;
    if (EXPRESSION.test(candidate) && balanced(candidate)) return candidate;
  }
  return null;
}

/** The ```js answer text: compute the expression, or hand back the echo answer. */
export function codeAnswerText(question: string, echo: string): string {
  const expression = arithmeticExpression(question);
  const code = expression !== null
    ? `const result = ${expression};\nconsole.log(result);\nfinalAnswer(result);`
    : `finalAnswer(${JSON.stringify(echo).replaceAll("`", "\\u0060")});`;
  return `\`\`\`js\n${code}\n\`\`\``;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "(") depth++;
    else if (char === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A first pass over the input, before anything is sent: every line is checked (so a bad line 90,000 is
 * reported now, not after an hour of spending), duplicate ids are found, and the requests still to run are
 * counted and their tokens estimated (for progress, ETA and --dry-run). Streams the file; keeps only ids.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { MessageInput } from "../schema/message.js";
import type { InputProblem } from "./batch-errors.js";
import { idKey, parseBatchLine, type BatchRequest } from "./batch-request.js";

export interface InputScan {
  /** Requests in the input. */
  total: number;
  /** Requests whose id is not in the output yet. */
  pending: number;
  /** Estimated input tokens of the pending requests (4 characters a token). */
  pendingInputTokens: number;
  /** Sum of the pending requests' max_tokens; `unboundedRequests` of them set none. */
  pendingMaxOutputTokens: number;
  unboundedRequests: number;
  problems: InputProblem[];
  problemCount: number;
}

const KEPT_PROBLEMS = 10;
export const CHARS_PER_TOKEN = 4;

export async function scanInput(path: string, done: Set<string>): Promise<InputScan> {
  const scan: InputScan = { total: 0, pending: 0, pendingInputTokens: 0, pendingMaxOutputTokens: 0, unboundedRequests: 0, problems: [], problemCount: 0 };
  const firstLine = new Map<string, number>();
  let number = 0;
  for await (const text of inputLines(path)) {
    number += 1;
    if (text.trim() === "") continue;
    const parsed = parseBatchLine(text);
    if (!parsed.ok) {
      addProblem(scan, number, parsed.message);
      continue;
    }
    const key = idKey(parsed.request.id);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      addProblem(scan, number, `duplicate id ${JSON.stringify(parsed.request.id)} (first on line ${earlier}); ids must be unique`);
      continue;
    }
    firstLine.set(key, number);
    scan.total += 1;
    if (!done.has(key)) countPending(scan, parsed.request);
  }
  return scan;
}

/** The input's lines, streamed (CRLF tolerated). */
export function inputLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
}

function addProblem(scan: InputScan, line: number, message: string): void {
  scan.problemCount += 1;
  if (scan.problems.length < KEPT_PROBLEMS) scan.problems.push({ line, message });
}

function countPending(scan: InputScan, request: BatchRequest): void {
  scan.pending += 1;
  scan.pendingInputTokens += Math.ceil(messageCharacters(request.messages) / CHARS_PER_TOKEN);
  const maxTokens = request.options.maxTokens ?? request.options.max_tokens;
  if (maxTokens === undefined) scan.unboundedRequests += 1;
  else scan.pendingMaxOutputTokens += maxTokens;
}

/** Characters of text in the messages (text content and text parts; images and documents are not counted). */
function messageCharacters(messages: MessageInput[]): number {
  let characters = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === "string") characters += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === "string") characters += text.length;
      }
    }
  }
  return characters;
}

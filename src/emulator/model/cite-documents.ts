/**
 * Citations for documents sent with citations on: the built-in model answers with one cited text block per
 * such document (at most three), quoting its first sentence (text documents: a character range) or pointing
 * at its first page (PDFs: a page range, end exclusive). `documentIndex` counts every document of the
 * request in order, as Claude numbers them.
 */
import type { AnswerBlock, AnswerCitation } from "../answer-plan.js";
import type { Conversation, ConversationPart } from "./conversation.js";

const MAX_CITED = 3;
const MAX_QUOTE = 200;

export function citedBlocks(conversation: Conversation): AnswerBlock[] {
  const documents = conversation.messages.flatMap((message) => message.parts).filter((part): part is Extract<ConversationPart, { kind: "document" }> => part.kind === "document");
  const blocks: AnswerBlock[] = [];
  documents.forEach((document, documentIndex) => {
    if (!document.citations || blocks.length >= MAX_CITED) return;
    const citation = citationOf(document, documentIndex);
    const text = citation.location.kind === "char" ? `${document.name} says: "${citation.citedText}"` : `${document.name} covers this on page ${citation.location.start}.`;
    blocks.push({ type: "text", text, citations: [citation] });
  });
  return blocks;
}

function citationOf(document: Extract<ConversationPart, { kind: "document" }>, documentIndex: number): AnswerCitation {
  if (document.text === null) return { documentIndex, title: document.name, citedText: "", location: { kind: "page", start: 1, end: 2 } };
  const sentence = /^[\s\S]*?[.!?](\s|$)/.exec(document.text)?.[0] ?? document.text;
  const quote = sentence.slice(0, MAX_QUOTE).trimEnd();
  const start = document.text.indexOf(quote);
  return { documentIndex, title: document.name, citedText: quote, location: { kind: "char", start, end: start + quote.length } };
}

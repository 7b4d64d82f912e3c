import type { ConversationMessage, ConversationPart } from "./conversation.js";
import { contentDigest, countPdfPages, decodeBase64, isRecord } from "./json-shape.js";
import { constraintError, modelReturnedError, validationError } from "./request-rejected.js";
import { isValidThinkingSignature } from "./thinking-signature.js";

/**
 * Converse `messages` and `system` -> conversation parts, with Bedrock's Converse wording
 * ("The text field in the ContentBlock object at messages.0.content.0 is blank. ...").
 */

const BLOCK_KEYS = ["text", "image", "document", "video", "audio", "toolUse", "toolResult", "reasoningContent", "cachePoint", "guardContent", "citationsContent", "searchResult"];
const IMAGE_FORMATS = ["png", "jpeg", "gif", "webp"];
const DOCUMENT_FORMATS = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"];
const TEXT_DOCUMENTS = new Set(["csv", "html", "txt", "md"]);
const DOCUMENT_NAME = /^[a-zA-Z0-9\s\-()[\]]+$/;

export interface ConverseContentOptions {
  /** Video and audio are accepted only for models that take them (Amazon Nova). */
  acceptsMedia: boolean;
  /** Claude checks the signatures of reasoning blocks sent back; other families do not sign them. */
  verifiesSignatures: boolean;
  cachePoints: { count: number };
}

export function convertConverseMessages(messages: unknown, options: ConverseContentOptions): ConversationMessage[] {
  if (messages === undefined || messages === null) throw constraintError(null, "messages", "Member must not be null");
  if (!Array.isArray(messages)) throw validationError("The messages field must be a list of Message objects.");
  if (messages.length === 0) throw validationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
  const converted = messages.map((message, index): ConversationMessage => {
    if (!isRecord(message)) throw validationError(`The Message object at messages.${index} must be an object.`);
    const role = message.role;
    if (role !== "user" && role !== "assistant") {
      throw constraintError(role, `messages.${index}.member.role`, "Member must satisfy enum value set: [user, assistant]");
    }
    if (index === 0 && role !== "user") {
      throw validationError("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    }
    const previous = messages[index - 1] as Record<string, unknown> | undefined;
    if (previous && previous.role === role) {
      throw validationError("A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.");
    }
    const content = message.content;
    if (!Array.isArray(content) || content.length === 0) {
      throw validationError(`The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    return { role, parts: content.flatMap((block, blockIndex) => convertBlock(block, index, blockIndex, role, options)) };
  });
  checkDocuments(converted);
  return converted;
}

/** Bedrock's rules for Converse documents: a text block alongside, unique names, at most 5. */
function checkDocuments(messages: ConversationMessage[]): void {
  const names = new Set<string>();
  let count = 0;
  for (const message of messages) {
    const documents = message.parts.flatMap((part) => (part.kind === "document" ? [part] : []));
    if (documents.length === 0) continue;
    if (!message.parts.some((part) => part.kind === "text")) throw validationError("A text block must be included when using documents.");
    for (const document of documents) {
      if (names.has(document.name)) throw validationError("Messages can't contain duplicate document names.");
      names.add(document.name);
    }
    count += documents.length;
  }
  if (count > 5) throw validationError("You can't include more than 5 documents in a request.");
}

export function convertConverseSystem(system: unknown, cachePoints: { count: number }): ConversationPart[] {
  if (system === undefined) return [];
  if (!Array.isArray(system)) throw validationError("The system field must be a list of SystemContentBlock objects.");
  return system.flatMap((block, index): ConversationPart[] => {
    const key = singleKey(block, `system.${index}`, "SystemContentBlock", ["text", "cachePoint", "guardContent"]);
    const value = (block as Record<string, unknown>)[key];
    if (key === "cachePoint") return [cachePoint(value, `system.${index}.member.cachePoint.type`, cachePoints)];
    const text = key === "text" ? value : guardText(value);
    if (typeof text !== "string" || text.trim().length === 0) {
      throw validationError(`The text field in the SystemContentBlock object at system.${index} is blank. Add text to the text field, and try again.`);
    }
    return [{ kind: "text", text }];
  });
}

function singleKey(block: unknown, path: string, shape: string, allowed: string[]): string {
  if (!isRecord(block)) throw validationError(`The ${shape} object at ${path} must be an object.`);
  const keys = Object.keys(block).filter((key) => block[key] !== undefined && block[key] !== null);
  if (keys.length !== 1 || !allowed.includes(keys[0] as string)) {
    const found = keys.length === 0 ? "none" : keys.join(", ");
    throw validationError(`${shape} object at ${path} must set one of the following keys: ${allowed.join(", ")}. Found: ${found}.`);
  }
  return keys[0] as string;
}

function convertBlock(block: unknown, index: number, blockIndex: number, role: string, options: ConverseContentOptions): ConversationPart[] {
  const path = `messages.${index}.content.${blockIndex}`;
  const member = `messages.${index}.member.content.${blockIndex}.member`;
  const key = singleKey(block, path, "ContentBlock", BLOCK_KEYS);
  const value = (block as Record<string, unknown>)[key];
  switch (key) {
    case "text":
    case "guardContent": {
      const text = key === "text" ? value : guardText(value);
      if (typeof text !== "string" || text.trim().length === 0) {
        throw validationError(`The text field in the ContentBlock object at ${path} is blank. Add text to the text field, and try again.`);
      }
      return [{ kind: "text", text }];
    }
    case "image":
      return [convertImage(value, `${member}.image`)];
    case "document":
      return [convertDocument(value, `${member}.document`)];
    case "video":
    case "audio":
      if (!options.acceptsMedia) throw validationError(`This model doesn't support the ${key} content block that you provided. Try again with a model that supports ${key}.`);
      return [{ kind: "image", format: key, digest: contentDigest(JSON.stringify(value)) }];
    case "toolUse":
      return [convertToolUse(value, path, role)];
    case "toolResult":
      return [convertToolResult(value, path, member, role)];
    case "reasoningContent":
      return [convertReasoning(value, path, options.verifiesSignatures)];
    case "cachePoint":
      return [cachePoint(value, `${member}.cachePoint.type`, options.cachePoints)];
    default:
      return [{ kind: "text", text: JSON.stringify(value) }];
  }
}

function guardText(value: unknown): unknown {
  return isRecord(value) && isRecord(value.text) ? value.text.text : undefined;
}

function convertImage(value: unknown, path: string): ConversationPart {
  if (!isRecord(value)) throw constraintError(null, path, "Member must not be null");
  if (typeof value.format !== "string" || !IMAGE_FORMATS.includes(value.format)) {
    throw constraintError(value.format, `${path}.format`, `Member must satisfy enum value set: [${IMAGE_FORMATS.join(", ")}]`);
  }
  checkSource(value.source, `${path}.source`, "ImageSource");
  return { kind: "image", format: value.format, digest: contentDigest(JSON.stringify(value.source)) };
}

function checkSource(source: unknown, path: string, shape: "ImageSource" | "DocumentSource"): Buffer | null {
  if (!isRecord(source)) throw constraintError(null, path, "Member must not be null");
  if (isRecord(source.s3Location) && typeof source.s3Location.uri === "string") return null;
  if (typeof source.bytes === "string" && source.bytes.length > 0) {
    const bytes = decodeBase64(source.bytes);
    if (bytes === null) throw validationError(`The bytes at ${path.replace(/\.member/g, "")}.bytes are not valid base64.`);
    return bytes;
  }
  if (typeof source.text === "string" || Array.isArray(source.content)) return null;
  throw validationError(`${shape} object at ${path.replace(/\.member/g, "")} must set one of the following keys: bytes, s3Location.`);
}

function convertDocument(value: unknown, path: string): ConversationPart {
  if (!isRecord(value)) throw constraintError(null, path, "Member must not be null");
  const format = value.format ?? "txt";
  if (typeof format !== "string" || !DOCUMENT_FORMATS.includes(format)) {
    throw constraintError(format, `${path}.format`, `Member must satisfy enum value set: [${DOCUMENT_FORMATS.join(", ")}]`);
  }
  const name = value.name;
  if (typeof name !== "string" || name.length === 0) throw constraintError(null, `${path}.name`, "Member must not be null");
  if (!DOCUMENT_NAME.test(name) || /\s\s/.test(name)) {
    throw validationError(
      "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character.",
    );
  }
  const source = value.source;
  const bytes = checkSource(source, `${path}.source`, "DocumentSource");
  const digest = contentDigest(JSON.stringify(source));
  const citations = converseCitations(value.citations, path);
  if (isRecord(source) && typeof source.text === "string") return { kind: "document", format, name, pages: 1, text: source.text, digest, ...citations };
  if (bytes && format === "pdf") return { kind: "document", format, name, pages: countPdfPages(bytes), text: null, digest, ...citations };
  if (bytes && TEXT_DOCUMENTS.has(format)) return { kind: "document", format, name, pages: 1, text: bytes.toString("utf8"), digest, ...citations };
  return { kind: "document", format, name, pages: 1, text: null, digest, ...citations };
}

/** DocumentBlock `citations` (CitationsConfig: `enabled` is required). */
function converseCitations(value: unknown, path: string): { citations?: boolean } {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || typeof value.enabled !== "boolean") {
    throw constraintError(isRecord(value) ? (value.enabled ?? null) : value, `${path}.citations.enabled`, "Member must not be null");
  }
  return { citations: value.enabled };
}

function convertToolUse(value: unknown, path: string, role: string): ConversationPart {
  if (role !== "assistant") throw validationError(`The toolUse block at ${path} can only be used in an assistant message.`);
  if (!isRecord(value) || typeof value.toolUseId !== "string" || typeof value.name !== "string") {
    throw validationError(`The toolUse block at ${path} must have a toolUseId, a name and an input.`);
  }
  if (!isRecord(value.input)) {
    throw validationError(`The format of the value at ${path}.toolUse.input is invalid. Provide a json object for the field and try again.`);
  }
  return { kind: "tool_use", id: value.toolUseId, name: value.name, input: value.input };
}

function convertToolResult(value: unknown, path: string, member: string, role: string): ConversationPart {
  if (role !== "user") throw validationError(`The toolResult block at ${path} can only be used in a user message.`);
  if (!isRecord(value) || typeof value.toolUseId !== "string") throw constraintError(null, `${member}.toolResult.toolUseId`, "Member must not be null");
  const status = value.status;
  if (status !== undefined && status !== "success" && status !== "error") {
    throw constraintError(status, `${member}.toolResult.status`, "Member must satisfy enum value set: [success, error]");
  }
  const content = Array.isArray(value.content) ? value.content : [];
  if (content.length === 0 && status === "error") {
    throw validationError(`The content field at ${path}.toolResult cannot be empty when status value is error.`);
  }
  const texts: string[] = [];
  let images = 0;
  content.forEach((item, index) => {
    const key = singleKey(item, `${path}.toolResult.content.${index}`, "ToolResultContentBlock", ["text", "json", "image", "document", "video", "searchResult"]);
    const inner = (item as Record<string, unknown>)[key];
    if (key === "text") texts.push(String(inner));
    else if (key === "json") texts.push(JSON.stringify(inner));
    else if (key === "image") {
      convertImage(inner, `${member}.toolResult.content.${index}.member.image`);
      images++;
    } else texts.push(`[${key}]`);
  });
  return { kind: "tool_result", toolUseId: value.toolUseId, text: texts.join("\n"), isError: status === "error", images };
}

function convertReasoning(value: unknown, path: string, verify: boolean): ConversationPart {
  if (isRecord(value) && typeof value.redactedContent === "string") return { kind: "redacted_thinking", data: value.redactedContent };
  const reasoning = isRecord(value) && isRecord(value.reasoningText) ? value.reasoningText : null;
  if (!reasoning || typeof reasoning.text !== "string") throw validationError(`The reasoningContent block at ${path} must set reasoningText or redactedContent.`);
  const signature = typeof reasoning.signature === "string" ? reasoning.signature : "";
  if (verify && typeof reasoning.signature !== "string") throw modelReturnedError(`${path}.thinking.signature: Field required`);
  if (verify && !isValidThinkingSignature(reasoning.text, signature)) throw modelReturnedError(`${path}: Invalid \`signature\` in \`thinking\` block`);
  return { kind: "thinking", text: reasoning.text, signature };
}

function cachePoint(value: unknown, path: string, cachePoints: { count: number }): ConversationPart {
  const type = isRecord(value) ? value.type : undefined;
  if (type !== "default") throw constraintError(type ?? null, path, "Member must satisfy enum value set: [default]");
  const ttl = isRecord(value) ? value.ttl : undefined;
  if (ttl !== undefined && ttl !== "5m" && ttl !== "1h") throw constraintError(ttl, path.replace(/\.type$/, ".ttl"), "Member must satisfy enum value set: [5m, 1h]");
  cachePoints.count++;
  return ttl === undefined ? { kind: "cache_point" } : { kind: "cache_point", ttl };
}

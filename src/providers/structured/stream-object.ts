/**
 * streamObject: the answer's JSON as it streams, parsed by `partial-json` into partial objects (each yielded
 * when it changed), then the final object, validated. Partial objects are previews: they are not validated,
 * and numbers appear only once complete. Parsing stops past MAX_PARTIAL_CHARS or MAX_JSON_DEPTH (the final
 * object is still checked), and is spaced out as the text grows so a long answer is not re-parsed per chunk.
 */
import { Allow, parse as parsePartialJson } from "partial-json";
import type { ChatCompletion } from "../../schema/chat-completion.js";
import type { MessageInput } from "../../schema/message.js";
import { StructuredOutputError } from "../../schema/structured-output-error.js";
import { checkAnswer } from "./check-answer.js";
import { prepareStructured, repairOnce } from "./generate-object.js";
import type { InferObject, ObjectSchema } from "./object-schema.js";
import { MAX_JSON_DEPTH, plainCopy } from "./parse-model-json.js";
import type { StructuredCaller } from "./structured-caller.js";
import { rawAnswerText, type GenerateObjectOptions, type StructuredPlan } from "./structured-request.js";

export const MAX_PARTIAL_CHARS = 1024 * 1024;

/** Partial previews first, then exactly one `object` part with the validated object. */
export type ObjectStreamPart<T> = { type: "partial"; object: DeepPartial<T> } | { type: "object"; object: T };

export type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export async function* streamObject<S extends ObjectSchema>(
  caller: StructuredCaller,
  messages: MessageInput[],
  options: GenerateObjectOptions<S>,
): AsyncGenerator<ObjectStreamPart<InferObject<S>>, void, undefined> {
  const { schema, plan, input } = await prepareStructured(caller.model, messages, options);
  const previews = new PartialPreviews();
  let completion: ChatCompletion | undefined;
  let toolIndex: number | undefined;
  for await (const event of caller.streamEvents(input, plan.options)) {
    let chunk: string | undefined;
    if (event.type === "text" && plan.mode === "native") chunk = event.text;
    else if (event.type === "tool_call_start" && event.name === plan.toolName) toolIndex ??= event.index;
    else if (event.type === "tool_call_delta" && event.index === toolIndex) chunk = event.argumentsDelta;
    else if (event.type === "finish") completion = event.completion;
    const preview = chunk === undefined ? undefined : previews.push(chunk);
    if (preview !== undefined) yield { type: "partial", object: preview as DeepPartial<InferObject<S>> };
  }
  if (!completion) throw new Error("The stream ended without a finish event.");
  yield { type: "object", object: await finalObject(caller, schema, plan, input, completion, options.repair === true) };
}

async function finalObject<T>(
  caller: StructuredCaller,
  schema: Parameters<typeof checkAnswer<T>>[0],
  plan: StructuredPlan,
  input: MessageInput[],
  completion: ChatCompletion,
  repair: boolean,
): Promise<T> {
  const text = rawAnswerText(plan, completion);
  const checked = checkAnswer(schema, text);
  if (checked.success) return checked.value;
  const failure = { text, issues: checked.issues, finishReason: completion.choices[0]?.finish_reason };
  if (!repair) throw new StructuredOutputError({ ...failure, attempts: 1 });
  return repairOnce(caller, schema, plan, input, failure);
}

/** Accumulates the JSON text and returns a new preview when the parsed value changed. */
class PartialPreviews {
  #text = "";
  #parsedAt = 0;
  #last = "";
  #depth = 0;
  #deepest = 0;
  #inString = false;
  #escaped = false;

  push(chunk: string): unknown {
    this.#track(chunk);
    this.#text += chunk;
    const length = this.#text.length;
    if (length > MAX_PARTIAL_CHARS || this.#deepest > MAX_JSON_DEPTH) return undefined;
    if (length - this.#parsedAt < Math.max(1, length >> 4)) return undefined;
    this.#parsedAt = length;
    let value: unknown;
    try {
      value = plainCopy(parsePartialJson(this.#text.trimStart(), Allow.ALL & ~Allow.NUM));
    } catch {
      return undefined;
    }
    if (value === undefined) return undefined;
    const key = JSON.stringify(value);
    if (key === this.#last) return undefined;
    this.#last = key;
    return value;
  }

  /** Nesting depth, tracked chunk by chunk (partial-json parses recursively: deep input is not handed to it). */
  #track(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const char = chunk.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (char === 0x5c) this.#escaped = true;
        else if (char === 0x22) this.#inString = false;
      } else if (char === 0x22) this.#inString = true;
      else if (char === 0x7b || char === 0x5b) this.#deepest = Math.max(this.#deepest, ++this.#depth);
      else if (char === 0x7d || char === 0x5d) this.#depth--;
    }
  }
}

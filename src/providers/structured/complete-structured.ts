/**
 * One streamed structured call that keeps its ChatCompletion (usage, finish reason) beside the validated
 * object: for callers that report both, such as the batch runner. Usage is recorded by the provider.
 */
import type { ChatCompletion } from "../../schema/chat-completion.js";
import type { MessageInput } from "../../schema/message.js";
import { StructuredOutputError } from "../../schema/structured-output-error.js";
import type { LlmProvider } from "../llm-provider.js";
import { checkAnswer } from "./check-answer.js";
import { prepareStructured } from "./generate-object.js";
import type { InferObject, ObjectSchema } from "./object-schema.js";
import { rawAnswerText, type GenerateObjectOptions } from "./structured-request.js";

export async function completeStructured<S extends ObjectSchema>(
  provider: Pick<LlmProvider, "model" | "generateStreamResponse">,
  messages: MessageInput[],
  options: GenerateObjectOptions<S>,
): Promise<{ completion: ChatCompletion; object: InferObject<S> }> {
  const { schema, plan, input } = await prepareStructured(provider.model, messages, options);
  const completion = await provider.generateStreamResponse(input, plan.options);
  const text = rawAnswerText(plan, completion);
  const checked = checkAnswer(schema, text);
  if (!checked.success) throw new StructuredOutputError({ text, issues: checked.issues, attempts: 1, finishReason: completion.choices[0]?.finish_reason });
  return { completion, object: checked.value };
}

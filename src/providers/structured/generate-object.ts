/**
 * generateObject: one call asking for the schema (natively or by a forced tool), the answer parsed and
 * validated; with `repair: true`, one more call that shows the model its answer's issues. Every call's usage
 * is recorded by the caller. Never returns an unvalidated object.
 */
import type { MessageInput } from "../../schema/message.js";
import { StructuredOutputError } from "../../schema/structured-output-error.js";
import { checkAnswer } from "./check-answer.js";
import { resolveObjectSchema, type InferObject, type ObjectSchema, type ResolvedSchema } from "./object-schema.js";
import type { StructuredCaller } from "./structured-caller.js";
import { planStructuredCall, rawAnswerText, repairMessage, type GenerateObjectOptions, type StructuredPlan } from "./structured-request.js";

export async function generateObject<S extends ObjectSchema>(caller: StructuredCaller, messages: MessageInput[], options: GenerateObjectOptions<S>): Promise<InferObject<S>> {
  const { schema, plan, input } = await prepareStructured(caller.model, messages, options);
  const completion = await caller.complete(input, plan.options);
  const text = rawAnswerText(plan, completion);
  const checked = checkAnswer(schema, text);
  if (checked.success) return checked.value;
  const failure = { text, issues: checked.issues, finishReason: completion.choices[0]?.finish_reason };
  if (options.repair !== true) throw new StructuredOutputError({ ...failure, attempts: 1 });
  return repairOnce(caller, schema, plan, input, failure);
}

export async function prepareStructured<S extends ObjectSchema>(model: string, messages: MessageInput[], options: GenerateObjectOptions<S>): Promise<{
  schema: ResolvedSchema<InferObject<S>>;
  plan: StructuredPlan;
  input: MessageInput[];
}> {
  if (options === null || typeof options !== "object") throw new TypeError("options must be an object with a schema.");
  const schema = await resolveObjectSchema(options.schema);
  const plan = planStructuredCall(model, schema.jsonSchema, options);
  const input = Array.isArray(messages) && plan.instruction ? [{ role: "system" as const, content: plan.instruction }, ...messages] : messages;
  return { schema, plan, input };
}

export async function repairOnce<T>(
  caller: StructuredCaller,
  schema: ResolvedSchema<T>,
  plan: StructuredPlan,
  input: MessageInput[],
  failure: { text: string; issues: StructuredOutputError["issues"] },
): Promise<T> {
  const retry: MessageInput[] = [...input, { role: "assistant", content: failure.text.trim() || "(an empty answer)" }, { role: "user", content: repairMessage(failure.issues) }];
  const completion = await caller.complete(retry, plan.options);
  const text = rawAnswerText(plan, completion);
  const checked = checkAnswer(schema, text);
  if (checked.success) return checked.value;
  throw new StructuredOutputError({ text, issues: checked.issues, attempts: 2, finishReason: completion.choices[0]?.finish_reason });
}

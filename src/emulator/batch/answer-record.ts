/** One batch record answered by the emulator's model, in the .jsonl.out shape Bedrock documents. */
import { randomBytes } from "node:crypto";
import type { Plan, PlanRequest } from "../answer-plan.js";
import { exceptionAsErrorPlan } from "../exception-as-error.js";
import { renderConverse, renderInvokeModel } from "../render-json-answer.js";

export interface OutputRecord {
  recordId: string;
  modelInput?: unknown;
  modelOutput?: unknown;
  error?: { errorCode: number; errorMessage: string };
}

export interface AnsweredRecord {
  record: OutputRecord;
  inputTokens: number;
  outputTokens: number;
}

export async function answerRecord(planner: PlanRequest, modelId: string, type: "InvokeModel" | "Converse", line: string): Promise<AnsweredRecord> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return failed({ recordId: newRecordId() }, 400, "The record is not valid JSON.");
  }
  const input = (parsed ?? {}) as { recordId?: unknown; modelInput?: unknown };
  const recordId = typeof input.recordId === "string" && input.recordId !== "" ? input.recordId : newRecordId();
  if (input.modelInput === null || typeof input.modelInput !== "object") return failed({ recordId }, 400, "The record has no modelInput object.");
  const base = { recordId, modelInput: input.modelInput };
  if (type === "Converse" && "toolConfig" in input.modelInput) {
    return failed(base, 400, "Batch inference jobs of the Converse type do not support tool calling: remove toolConfig from the record, or send the model's native body in an InvokeModel-type job.");
  }
  let plan: Plan;
  try {
    plan = await planner({ operation: type, modelId, body: input.modelInput, headers: {} });
  } catch (error) {
    return failed(base, 400, error instanceof Error ? error.message : String(error));
  }
  if (plan.kind === "answer" && plan.fault?.type === "exception") plan = exceptionAsErrorPlan(plan.fault);
  switch (plan.kind) {
    case "error":
      return failed(base, plan.status, plan.message);
    case "connection_fault":
      return failed(base, 500, "The model failed to answer this record (InternalServerException).");
    case "json":
      return { record: { ...base, modelOutput: plan.body }, inputTokens: plan.inputTokens, outputTokens: 0 };
    case "answer": {
      const rendered = type === "Converse" ? renderConverse(plan, input.modelInput, 0) : renderInvokeModel(plan, modelId, 0, {});
      const usage = plan.usage;
      const inputTokens = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
      return { record: { ...base, modelOutput: JSON.parse(rendered.body.toString("utf8")) }, inputTokens, outputTokens: usage.outputTokens };
    }
  }
}

function failed(record: OutputRecord, errorCode: number, errorMessage: string): AnsweredRecord {
  return { record: { ...record, error: { errorCode, errorMessage } }, inputTokens: 0, outputTokens: 0 };
}

/** Bedrock adds an 11-character alphanumeric recordId to a record that has none. */
function newRecordId(): string {
  return randomBytes(8).toString("hex").slice(0, 11).toUpperCase();
}

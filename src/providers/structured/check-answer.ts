import type { StructuredOutputIssue } from "../../schema/structured-output-error.js";
import type { ResolvedSchema, Validation } from "./object-schema.js";
import { parseModelJson } from "./parse-model-json.js";

/** The raw answer parsed (safely) and validated against the schema. */
export function checkAnswer<T>(schema: ResolvedSchema<T>, text: string): Validation<T> {
  const parsed = parseModelJson(text);
  if (!parsed.ok) return { success: false, issues: [parsed.issue] };
  return schema.validate(parsed.value);
}

export type { StructuredOutputIssue };

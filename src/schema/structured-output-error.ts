import { ProviderError } from "./errors.js";

/** One way the model's answer fails its schema: where (a JSON Pointer, "" for the root) and what. */
export interface StructuredOutputIssue {
  path: string;
  message: string;
}

/**
 * The model's answer to `generateObject` / `streamObject` is not JSON that matches the schema (or not JSON at
 * all). Holds the raw text the model sent and every issue found; no unvalidated object is ever returned.
 * Pass `repair: true` to re-ask the model once with these issues before this is raised.
 */
export class StructuredOutputError extends ProviderError {
  /** The model's raw answer (the JSON text, or the forced tool call's arguments). */
  readonly text: string;
  readonly issues: StructuredOutputIssue[];
  /** How many calls were made (2 when a repair was tried). */
  readonly attempts: number;
  /** The finish reason of the last call ("length" means the answer was cut at maxTokens). */
  readonly finishReason: string | undefined;

  constructor(fields: { text: string; issues: StructuredOutputIssue[]; attempts: number; finishReason?: string | undefined }) {
    const shown = fields.issues.slice(0, 3).map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ");
    const more = fields.issues.length > 3 ? ` (and ${fields.issues.length - 3} more)` : "";
    const cut = fields.finishReason === "length" ? " The answer was cut at maxTokens: raise maxTokens." : "";
    const hint = fields.attempts < 2 ? " Pass repair: true to re-ask the model once with these issues." : "";
    super(`The model's answer does not match the schema: ${shown}${more}.${cut}${hint}`, "structured_output_invalid", false);
    this.text = fields.text;
    this.issues = fields.issues;
    this.attempts = fields.attempts;
    this.finishReason = fields.finishReason;
  }
}

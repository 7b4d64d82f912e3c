/**
 * The emulator's model side: decides WHAT each request is answered with (see ../answer-plan.ts).
 * The wire side calls the planner once per authenticated request and renders the plan.
 */
export { createPlanner, type ModelOptions } from "./planner.js";
export { loadScript, parseScriptText, validateScript } from "./load-script.js";
export type { Script, ScriptInput, ScriptRule, ScriptRespond, ScriptMatch, ScriptDefaults } from "./script-schema.js";
export { resolveModelId, type ResolvedModel, type ModelFamily, INVALID_MODEL_ID_MESSAGE, MODEL_NOT_FOUND_MESSAGE } from "./resolve-model-id.js";
export { textTokens, IMAGE_TOKENS, DOCUMENT_PAGE_TOKENS } from "./count-tokens.js";
export { GUARDRAIL_TRIGGER, GUARDRAIL_BLOCKED_MESSAGE } from "./guardrail.js";
export { GREETING, REDACTED_THINKING_TRIGGER } from "./builtin-model.js";
export { DEFAULT_MAX_TOKENS } from "./validate-converse-body.js";
export { signThinking } from "./thinking-signature.js";

/** The Brain: routes raw, cot, react and code on top of an LlmProvider, with a QuickJS sandbox for model code. */
export { Brain, type BrainOptions } from "./brain.js";
export * from "./brain-types.js";
export { tool, type BrainTool, type ToolContext } from "./tools.js";
export { Sandbox, DEFAULT_SANDBOX_LIMITS, MAX_STACK_BYTES } from "./sandbox/quickjs-sandbox.js";
export type * from "./sandbox/sandbox-types.js";

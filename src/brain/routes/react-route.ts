/**
 * react: Bedrock native tool use. Each model call may ask for tools (several at once); they run concurrently,
 * their results go back as `tool` messages (tool_result blocks), and the loop ends when the model answers
 * without a tool call, or after maxSteps model calls.
 */
import type { MessageInit } from "../../schema/message.js";
import type { StepResult, ToolCallRecord, ToolTraceStep } from "../brain-types.js";
import { REACT_SYSTEM } from "../prompts.js";
import type { StepRun } from "../step-run.js";
import { errorMessage, executeTool, toolResultText, toToolDefinitions } from "../tools.js";
import { initialMessages } from "./initial-messages.js";

export async function runReactRoute(run: StepRun): Promise<StepResult> {
  const messages: MessageInit[] = initialMessages(run, REACT_SYSTEM);
  const tools = toToolDefinitions(run.tools);
  let lastText = "";
  for (let call = 0; call < run.maxSteps; call++) {
    const { step, completion } = await run.callModel(messages, tools.length > 0 ? { tools } : {});
    lastText = step.text;
    const toolCalls = completion.choices[0]?.message.tool_calls ?? [];
    if (toolCalls.length === 0) return run.result("react", "final", step.text);
    messages.push({ role: "assistant", content: step.text, tool_calls: toolCalls });
    const results = await Promise.all(step.toolCalls.map((request) => runTool(run, request)));
    for (const result of results) {
      run.record(result);
      messages.push({ role: "tool", tool_call_id: result.id, content: result.error !== undefined ? `Error: ${result.error}` : toolResultText(result.result) });
    }
  }
  return run.result("react", "max_steps", lastText);
}

async function runTool(run: StepRun, request: ToolCallRecord): Promise<ToolTraceStep> {
  run.emit({ type: "tool_call", id: request.id, name: request.name, args: request.args });
  const step: ToolTraceStep = { type: "tool", id: request.id, name: request.name, args: request.args };
  try {
    step.result = await executeTool(run.tools, request.name, request.args, { signal: run.signal });
  } catch (error) {
    run.throwIfAborted();
    step.error = errorMessage(error);
  }
  return step;
}

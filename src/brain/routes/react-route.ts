/**
 * react: Bedrock native tool use. Each model call may ask for tools (several at once); they run concurrently,
 * at most maxConcurrentToolCalls at once, their results go back as `tool` messages (tool_result blocks), and
 * the loop ends when the model answers without a tool call, or after maxSteps model calls. Calls past the
 * step's maxToolCalls are not run, and arguments or results over maxToolBytes are refused: the model gets an
 * error for each instead.
 */
import type { MessageInit } from "../../schema/message.js";
import type { StepResult, ToolCallRecord, ToolTraceStep } from "../brain-types.js";
import { REACT_SYSTEM } from "../prompts.js";
import type { StepRun } from "../step-run.js";
import { clipText } from "../sandbox/describe-sandbox-error.js";
import { mapLimited } from "../map-limited.js";
import { errorMessage, toolResultText, toToolDefinitions } from "../tools.js";
import { initialMessages } from "./initial-messages.js";

export async function runReactRoute(run: StepRun): Promise<StepResult> {
  const messages: MessageInit[] = initialMessages(run, REACT_SYSTEM);
  const tools = toToolDefinitions(run.tools);
  let lastText = "";
  let callsLeft = run.limits.maxToolCalls;
  for (let call = 0; call < run.maxSteps; call++) {
    const { step, completion } = await run.callModel(messages, tools.length > 0 ? { tools } : {});
    lastText = step.text;
    const toolCalls = completion.choices[0]?.message.tool_calls ?? [];
    if (toolCalls.length === 0) return run.result("react", "final", step.text);
    messages.push({ role: "assistant", content: step.text, tool_calls: toolCalls });
    const allowed = step.toolCalls.map(() => callsLeft-- > 0);
    const results = await mapLimited(step.toolCalls, run.limits.maxConcurrentToolCalls, (request, i) => runTool(run, request, allowed[i]!));
    for (const result of results) {
      run.record(result);
      messages.push({ role: "tool", tool_call_id: result.id, content: result.error !== undefined ? `Error: ${result.error}` : toolResultText(result.result) });
    }
  }
  return run.result("react", "max_steps", lastText);
}

async function runTool(run: StepRun, request: ToolCallRecord, allowed: boolean): Promise<ToolTraceStep> {
  run.emit({ type: "tool_call", id: request.id, name: request.name, args: request.args });
  const step: ToolTraceStep = { type: "tool", id: request.id, name: request.name, args: request.args };
  const { maxToolCalls, maxToolBytes, maxOutputChars } = run.limits;
  try {
    if (!allowed) throw new Error(`Not run: this step already made ${maxToolCalls} tool calls, the limit (maxToolCalls). Answer with what you have.`);
    if (byteLength(toolResultText(request.args)) > maxToolBytes) throw new Error(`Not run: the arguments are larger than ${maxToolBytes} bytes as JSON, the limit (maxToolBytes).`);
    const result = await run.runTool(request.name, request.id, request.args, run.signal);
    if (byteLength(toolResultText(result)) > maxToolBytes) throw new Error(`The tool's result is larger than ${maxToolBytes} bytes as JSON, the limit (maxToolBytes); ask for less data.`);
    step.result = result;
  } catch (error) {
    run.throwIfAborted();
    step.error = clipText(errorMessage(error), maxOutputChars);
  }
  return step;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text);
}

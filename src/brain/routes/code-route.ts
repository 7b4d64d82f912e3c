/**
 * code: the model writes JavaScript in a ```js block; it runs in the QuickJS sandbox with the tools as async
 * functions; the printed output and any error go back to the model; the step ends when the code calls
 * `finalAnswer(value)`. A reply without a code block is taken as the answer itself (after a "Final answer:"
 * marker if it has one); a block in another language is sent back unrun. Bounded by maxSteps.
 *
 * Tool calls are counted per step, over all its runs, as on the react route: calls past maxToolCalls are not
 * run (the code gets an Error) and not traced. The trace keeps each argument and result as `traceValue` clips
 * it, so what a step holds stays bounded however much its code sends.
 */
import type { MessageInit } from "../../schema/message.js";
import type { CodeTraceStep, StepResult, ToolTraceStep } from "../brain-types.js";
import { findCodeBlock } from "../extract-code-block.js";
import { extractFinalAnswer } from "../extract-final-answer.js";
import { codeObservation, codeSystem, wrongLanguage } from "../prompts.js";
import type { HostFunction, SandboxCall } from "../sandbox/sandbox-types.js";
import type { StepRun } from "../step-run.js";
import { errorMessage } from "../tools.js";
import { traceText, traceValue } from "../trace-value.js";
import { initialMessages } from "./initial-messages.js";

export async function runCodeRoute(run: StepRun): Promise<StepResult> {
  void run.sandbox.warm(); // the worker starts while the model writes the code
  const messages: MessageInit[] = initialMessages(run, codeSystem([...run.tools.values()]));
  let lastText = "";
  const calls: StepCalls = { left: run.limits.maxToolCalls, made: 0 };
  for (let call = 0; call < run.maxSteps; call++) {
    const { step } = await run.callModel(messages);
    lastText = step.text;
    const block = findCodeBlock(step.text);
    if (block.kind === "none") return run.result("code", "final", extractFinalAnswer(step.text).answer);
    messages.push({ role: "assistant", content: step.text });
    if (block.kind === "other") {
      messages.push({ role: "user", content: wrongLanguage(block.language) });
      continue;
    }
    const codeStep = await runCode(run, block.code, calls);
    if (codeStep.finalAnswer) return run.result("code", "final", answerText(codeStep.finalAnswer.value), codeStep.finalAnswer.value);
    messages.push({ role: "user", content: codeObservation(codeStep.output, codeStep.error?.message) });
  }
  return run.result("code", "max_steps", lastText.trim());
}

/** The tool calls a step may still make, over all its runs, and how many it made (for their ids). */
interface StepCalls {
  left: number;
  made: number;
}

async function runCode(run: StepRun, code: string, calls: StepCalls): Promise<CodeTraceStep> {
  run.emit({ type: "code", code });
  const { maxToolCalls, maxConcurrentToolCalls, maxToolBytes } = run.limits;
  const traced: SandboxCall[] = [];
  const functions = sandboxFunctions(run, calls, traced);
  // The step keeps its own trace (`traced`, cut by traceValue): the sandbox need not hold every argument too.
  const result = await run.sandbox.run(code, { functions, signal: run.signal, maxToolCalls, maxConcurrentToolCalls, maxToolBytes, keepCalls: false });
  run.throwIfAborted();
  const step: CodeTraceStep = { type: "code", code, output: result.output, calls: traced };
  if (result.error) step.error = result.error;
  if (result.finalAnswer) step.finalAnswer = result.finalAnswer;
  run.record(step);
  return step;
}

/**
 * Each tool as a sandbox function. A call within the step's budget is traced (and streamed) as a tool step and
 * added to `traced`, the run's calls; one past it is refused before it runs.
 */
function sandboxFunctions(run: StepRun, calls: StepCalls, traced: SandboxCall[]): Record<string, HostFunction> {
  const functions: Record<string, HostFunction> = {};
  const { maxToolCalls, maxOutputChars } = run.limits;
  for (const name of run.tools.keys()) {
    functions[name] = async (args, context) => {
      if (calls.left <= 0) throw new Error(`Not run: this step already made ${maxToolCalls} tool calls, the limit (maxToolCalls). Answer with what you have.`);
      calls.left--;
      const id = `code_call_${++calls.made}`;
      const kept = traceValue(args, maxOutputChars);
      run.emit({ type: "tool_call", id, name, args: kept });
      const step: ToolTraceStep = { type: "tool", id, name, args: kept };
      const call: SandboxCall = { name, args: kept };
      traced.push(call);
      try {
        const result = await run.runTool(name, id, args, anySignal(run.signal, context.signal));
        step.result = call.result = traceValue(result, maxOutputChars);
        return result;
      } catch (error) {
        step.error = call.error = traceText(errorMessage(error), maxOutputChars);
        throw error instanceof Error ? error : new Error(step.error);
      } finally {
        run.record(step);
      }
    };
  }
  return functions;
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  return AbortSignal.any([a, b]);
}

function answerText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * code: the model writes JavaScript in a ```js block; it runs in the QuickJS sandbox with the tools as async
 * functions; the printed output and any error go back to the model; the step ends when the code calls
 * `finalAnswer(value)`. A reply without a code block is taken as the answer itself (after a "Final answer:"
 * marker if it has one); a block in another language is sent back unrun. Bounded by maxSteps.
 */
import type { MessageInit } from "../../schema/message.js";
import type { CodeTraceStep, StepResult, ToolTraceStep } from "../brain-types.js";
import { findCodeBlock } from "../extract-code-block.js";
import { extractFinalAnswer } from "../extract-final-answer.js";
import { codeObservation, codeSystem, wrongLanguage } from "../prompts.js";
import type { HostFunction } from "../sandbox/sandbox-types.js";
import type { StepRun } from "../step-run.js";
import { errorMessage } from "../tools.js";
import { initialMessages } from "./initial-messages.js";

export async function runCodeRoute(run: StepRun): Promise<StepResult> {
  void run.sandbox.warm(); // the worker starts while the model writes the code
  const messages: MessageInit[] = initialMessages(run, codeSystem([...run.tools.values()]));
  let lastText = "";
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
    const codeStep = await runCode(run, block.code);
    if (codeStep.finalAnswer) return run.result("code", "final", answerText(codeStep.finalAnswer.value), codeStep.finalAnswer.value);
    messages.push({ role: "user", content: codeObservation(codeStep.output, codeStep.error?.message) });
  }
  return run.result("code", "max_steps", lastText.trim());
}

async function runCode(run: StepRun, code: string): Promise<CodeTraceStep> {
  run.emit({ type: "code", code });
  const { maxToolCalls, maxConcurrentToolCalls, maxToolBytes } = run.limits;
  const result = await run.sandbox.run(code, { functions: sandboxFunctions(run), signal: run.signal, maxToolCalls, maxConcurrentToolCalls, maxToolBytes });
  run.throwIfAborted();
  const step: CodeTraceStep = { type: "code", code, output: result.output, calls: result.calls };
  if (result.error) step.error = result.error;
  if (result.finalAnswer) step.finalAnswer = result.finalAnswer;
  run.record(step);
  return step;
}

/** Each tool as a sandbox function; every call is traced (and streamed) as a tool step. */
function sandboxFunctions(run: StepRun): Record<string, HostFunction> {
  const functions: Record<string, HostFunction> = {};
  let counter = 0;
  for (const name of run.tools.keys()) {
    functions[name] = async (args, context) => {
      const id = `code_call_${++counter}`;
      run.emit({ type: "tool_call", id, name, args });
      const step: ToolTraceStep = { type: "tool", id, name, args };
      try {
        step.result = await run.runTool(name, id, args, anySignal(run.signal, context.signal));
        return step.result;
      } catch (error) {
        step.error = errorMessage(error);
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

/** cot: the model reasons step by step; the answer after its last "Final answer:" line is the output. */
import type { StepResult } from "../brain-types.js";
import { extractFinalAnswer } from "../extract-final-answer.js";
import { COT_SYSTEM } from "../prompts.js";
import type { StepRun } from "../step-run.js";
import { initialMessages } from "./initial-messages.js";

export async function runCotRoute(run: StepRun): Promise<StepResult> {
  const { step } = await run.callModel(initialMessages(run, COT_SYSTEM));
  return run.result("cot", "final", extractFinalAnswer(step.text).answer);
}

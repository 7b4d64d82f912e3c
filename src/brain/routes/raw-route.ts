/** raw: the query goes to the model as it is, in one call; the reply is the answer. */
import type { StepResult } from "../brain-types.js";
import type { StepRun } from "../step-run.js";
import { initialMessages } from "./initial-messages.js";

export async function runRawRoute(run: StepRun): Promise<StepResult> {
  const { step } = await run.callModel(initialMessages(run));
  return run.result("raw", "final", step.text);
}

import type { AnswerPlan, Plan, PlanRequest } from "../../../src/emulator/answer-plan.js";

/** A fixed answer used by wire tests: they check how a plan looks on the wire, not how it is chosen. */
export function answerPlan(overrides: Partial<AnswerPlan> = {}): AnswerPlan {
  return {
    kind: "answer",
    blocks: [{ type: "text", text: "Hello from the emulator." }],
    stopReason: "end_turn",
    stopSequence: null,
    usage: { inputTokens: 12, outputTokens: 6, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    timing: { firstByteLatencyMs: 0, chunkDelayMs: 0, chunksPerAnswer: 4 },
    ...overrides,
  };
}

/** A planner whose answer a test can swap at any time. */
export class SwitchablePlanner {
  plan: Plan = answerPlan();
  readonly planRequest: PlanRequest = () => this.plan;
}

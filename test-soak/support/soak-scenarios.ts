import type { ScriptInput } from "../../src/emulator/index.js";

/** What a soak call asks for; the emulator's script recognises the marker in the prompt. */
export type Scenario = "plain" | "reset" | "stall" | "corrupt" | "truncate" | "exception" | "abort" | "silent_server";

/** Shares of the calls (throttling comes on top: the emulator throttles 20% of all requests). */
export const SCENARIO_WEIGHTS: Record<Scenario, number> = {
  plain: 45,
  reset: 10,
  stall: 5,
  corrupt: 8,
  truncate: 5,
  exception: 7,
  abort: 15,
  silent_server: 5,
};

const MARKERS: Partial<Record<Scenario, string>> = {
  reset: "soak-reset",
  stall: "soak-stall",
  corrupt: "soak-corrupt",
  truncate: "soak-truncate",
  exception: "soak-exception",
};

export function promptFor(scenario: Scenario, index: number): string {
  const marker = MARKERS[scenario];
  return `${marker ? `${marker} ` : ""}call ${index}: tell me something about the number ${index}.`;
}

/** Faults by marker; aborts and the silent server need no rule. Stalls pace their frames so aborts land mid-way. */
export const SOAK_SCRIPT: ScriptInput = {
  rules: [
    { match: { text: "soak-reset" }, respond: { fault: { type: "reset", afterChunks: 2 } } },
    { match: { text: "soak-stall" }, respond: { fault: { type: "stall", afterChunks: 1 } } },
    { match: { text: "soak-corrupt" }, respond: { fault: { type: "corrupt_frame", afterChunks: 3 } } },
    { match: { text: "soak-truncate" }, respond: { fault: { type: "truncate", afterChunks: 2 } } },
    { match: { text: "soak-exception" }, respond: { fault: { type: "exception", name: "throttlingException", afterChunks: 1 } } },
  ],
};

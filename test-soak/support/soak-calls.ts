import { BedrockServiceError, MinionError, type LlmProvider } from "../../src/index.js";
import { pickWeighted } from "./pick-weighted.js";
import { promptFor, SCENARIO_WEIGHTS, type Scenario } from "./soak-scenarios.js";

export type Method = "generate" | "generateStream" | "generateStreamResponse";
export type AbortPoint = { kind: "none" } | { kind: "before" } | { kind: "timer"; ms: number } | { kind: "after_text"; events: number };

export interface Call {
  index: number;
  method: Method;
  scenario: Scenario;
  provider: LlmProvider;
  timeoutMs: number;
  abort: AbortPoint;
}

export interface Outcome {
  /** "ok", the AWS error name of a BedrockServiceError, or the MinionError class name. */
  kind: string;
  typed: boolean;
  elapsedMs: number;
}

export interface SoakProviders {
  /** Throttling only. */
  clean: LlmProvider[];
  /** Scripted faults: resets, stalls, corrupt frames, truncated streams, mid-stream exceptions. */
  cut: LlmProvider[];
  /** Aborts at random points. */
  abort: LlmProvider[];
  /** Pointed at the server that never answers. */
  silent: LlmProvider[];
}

export type Lane = keyof SoakProviders;

export function laneOf(scenario: Scenario): Lane {
  if (scenario === "plain") return "clean";
  if (scenario === "abort") return "abort";
  if (scenario === "silent_server") return "silent";
  return "cut";
}

/** One call, drawn from the seeded `random`: method, scenario, provider and abort point. */
/** `timeouts` per lane, and for non-streaming stalls (which only the total timeout ends); each call passes its own as `timeout`. */
export function planCall(index: number, random: () => number, providers: SoakProviders, timeouts: Record<Lane | "stall", number>): Call {
  const method = pickWeighted<Method>(random, { generate: 1, generateStream: 1, generateStreamResponse: 1 });
  const scenario = pickWeighted(random, SCENARIO_WEIGHTS);
  const lane = laneOf(scenario);
  const provider = providers[lane][Math.floor(random() * providers[lane].length)]!;
  const roll = random();
  let abort: AbortPoint = { kind: "none" };
  if (scenario === "abort") {
    if (roll < 0.1) abort = { kind: "before" };
    else if (roll < 0.6 || method !== "generateStream") abort = { kind: "timer", ms: Math.floor(random() * 40) };
    else abort = { kind: "after_text", events: 1 + Math.floor(random() * 5) };
  }
  // A stalled stream is ended by the idle timeout; a stalled non-streaming call (no response at all) by `stall`.
  const timeoutMs = scenario === "stall" && method === "generate" ? timeouts.stall : timeouts[lane];
  return { index, method, scenario, provider, timeoutMs, abort };
}

/** Runs one call to its end; never throws. */
export async function runCall(call: Call): Promise<Outcome> {
  const controller = new AbortController();
  const messages = [{ role: "user" as const, content: promptFor(call.scenario, call.index) }];
  const options = { signal: controller.signal, timeout: call.timeoutMs, maxTokens: 200 };
  let timer: NodeJS.Timeout | undefined;
  if (call.abort.kind === "before") controller.abort();
  if (call.abort.kind === "timer") timer = setTimeout(() => controller.abort(), call.abort.ms);
  const started = performance.now();
  try {
    if (call.method === "generate") {
      await call.provider.generate(messages, options);
    } else if (call.method === "generateStreamResponse") {
      await call.provider.generateStreamResponse(messages, options);
    } else {
      let events = 0;
      for await (const text of call.provider.generateStream(messages, options)) {
        void text;
        events += 1;
        if (call.abort.kind === "after_text" && events === call.abort.events) controller.abort();
      }
    }
    return { kind: "ok", typed: true, elapsedMs: performance.now() - started };
  } catch (error) {
    const elapsedMs = performance.now() - started;
    if (!(error instanceof MinionError)) return { kind: `untyped: ${String(error)}`, typed: false, elapsedMs };
    return { kind: error instanceof BedrockServiceError ? error.awsName : error.constructor.name, typed: true, elapsedMs };
  } finally {
    clearTimeout(timer);
  }
}

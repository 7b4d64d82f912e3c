/**
 * Which models take `effort`, and at which levels, as Bedrock answers (kept apart from the library's copy:
 * the emulator checks the client). Claude (Anthropic's effort page): Opus 4.5 low..high, and on InvokeModel
 * only with the `effort-2025-11-24` beta flag; Opus 4.6 and Sonnet 4.6 add max; Opus 4.7, Sonnet 5, Fable
 * and Mythos add xhigh; other Claude models take none. Other families read their effort from
 * additionalModelRequestFields (open-model-reasoning.ts), not from outputConfig. Opaque ARNs are let through.
 */
import type { ResolvedModel } from "./resolve-model-id.js";

export const OPUS_4_5_EFFORT_BETA = "effort-2025-11-24";
const BASIC = ["low", "medium", "high"] as const;
const WITH_MAX = [...BASIC, "max"] as const;
const ALL = [...BASIC, "xhigh", "max"] as const;

export interface EffortSupport {
  /** The levels the model takes; empty when it takes no effort at all. */
  levels: readonly string[];
  /** The beta flag an InvokeModel body must carry for the field to be read. */
  beta?: string;
}

/** Undefined when the id names no model (an application inference profile ARN): Bedrock decides. */
export function effortSupport(model: ResolvedModel): EffortSupport | undefined {
  if (model.baseId === null) return undefined;
  if (model.family !== "anthropic") return { levels: [] };
  const id = model.baseId;
  if (/claude-mythos-preview/.test(id)) return { levels: WITH_MAX };
  const named = /claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d)(?!\d))?/.exec(id);
  if (!named) return { levels: [] };
  const version = Number(named[2]) + Number(named[3] ?? 0) / 10;
  switch (named[1]) {
    case "fable":
    case "mythos":
      return { levels: ALL };
    case "opus":
      if (version >= 4.7) return { levels: ALL };
      if (version >= 4.6) return { levels: WITH_MAX };
      return version >= 4.5 ? { levels: BASIC, beta: OPUS_4_5_EFFORT_BETA } : { levels: [] };
    case "sonnet":
      if (version >= 5) return { levels: ALL };
      return version >= 4.6 ? { levels: WITH_MAX } : { levels: [] };
    default:
      return { levels: [] };
  }
}

/** Pydantic-style wording of Anthropic's validation: "Input should be 'low', 'medium' or 'high'". */
export function effortExpected(levels: readonly string[]): string {
  return `Input should be ${levels.slice(0, -1).map((e) => `'${e}'`).join(", ")} or '${levels[levels.length - 1]}'`;
}

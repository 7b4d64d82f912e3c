/** Messages between the host and a sandbox worker. Only strings and plain data cross; guest values never do. */
import type { SandboxLimits, SandboxRunError } from "./sandbox-types.js";

/** Host -> worker: start a run. */
export interface RunRequest {
  type: "run";
  runId: number;
  code: string;
  globalsJson: string;
  functionNames: string[];
  limits: Required<SandboxLimits>;
}

/** Host -> worker: how a tool call ended (JSON text of the result, an error message, or a limit that ends the run). */
export type CallReply =
  | { type: "reply"; runId: number; callId: number; ok: true; json: string | undefined }
  | { type: "reply"; runId: number; callId: number; ok: false; message: string }
  | { type: "reply"; runId: number; callId: number; ok: false; limit: SandboxRunError };

export type HostMessage = RunRequest | CallReply;

/** Worker -> host. */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "write"; runId: number; text: string }
  | { type: "call"; runId: number; callId: number; name: string; argsJson: string }
  | { type: "done"; runId: number; error?: SandboxRunError; finalAnswerJson?: string; droppedChars: number; retire: boolean };

export type DoneMessage = Extract<WorkerMessage, { type: "done" }>;

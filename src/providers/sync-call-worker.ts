/** The worker side of generateSync (see sync-call.ts): rebuilds the provider once, answers each call. */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { ConfigError } from "../schema/errors.js";
import type { MessageInput } from "../schema/message.js";
import type { BaseProvider } from "./base-provider.js";
import type { GenerateOptions } from "./llm-provider.js";
import { serializeError } from "./serialize-error.js";
import { SYNC_DONE, type SyncReply, type SyncWorkerData } from "./sync-call.js";
import { completionOutcome } from "./telemetry/trace-call.js";

interface SyncRequest {
  flag: Int32Array;
  port: MessagePort;
  messages: MessageInput[];
  options: GenerateOptions;
}

const spec = workerData as SyncWorkerData;
const pending = new Set<Int32Array>();
wake(spec.started);

const providerReady: Promise<BaseProvider> = import(spec.moduleUrl).then((module: Record<string, unknown>) => {
  const ProviderClass = module[spec.exportName];
  if (typeof ProviderClass !== "function") {
    throw new ConfigError(`generateSync: ${spec.moduleUrl} has no export named ${spec.exportName}; fix the class's static syncModule.`);
  }
  return new (ProviderClass as new (...args: unknown[]) => BaseProvider)(...spec.args);
});
providerReady.catch(() => undefined);

// If this thread dies, wake the blocked caller instead of leaving it waiting forever.
process.on("exit", () => {
  for (const flag of pending) wake(flag);
});

parentPort!.on("message", (request: SyncRequest) => {
  pending.add(request.flag);
  void answer(request).finally(() => {
    pending.delete(request.flag);
    wake(request.flag);
  });
});

async function answer(request: SyncRequest): Promise<void> {
  let reply: SyncReply;
  try {
    const provider = await providerReady;
    const { completion, usage, model } = await provider.completeUnrecorded(request.messages, request.options);
    reply = { ok: true, result: { text: completion.choices[0]?.message.content ?? "", usage, model, outcome: completionOutcome(completion) } };
  } catch (error) {
    reply = { ok: false, error: serializeError(error) };
  }
  request.port.postMessage(reply);
  request.port.close();
}

function wake(flag: Int32Array): void {
  Atomics.store(flag, 0, SYNC_DONE);
  Atomics.notify(flag, 0);
}

import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EmulatorMetrics, EmulatorOptions } from "../../src/emulator/index.js";

/** An emulator in a child process, so the client and the server do not share one event loop (or one core). */
export interface EmulatorProcess {
  readonly url: string;
  metrics(): Promise<EmulatorMetrics>;
  close(): Promise<void>;
}

type Reply = { id: number; url?: string; metrics?: EmulatorMetrics; error?: string };

/** Starts `emulator-process-main.ts` in a child and the emulator in it; `options` must be plain data. */
export async function startEmulatorProcess(options: EmulatorOptions): Promise<EmulatorProcess> {
  const main = fileURLToPath(new URL("./emulator-process-main.ts", import.meta.url));
  const child = fork(main, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ask = requester(child);
  const { url } = await ask({ type: "start", options });
  let closing: Promise<void> | undefined;
  return {
    url: url!,
    metrics: async () => (await ask({ type: "metrics" })).metrics!,
    close: () => {
      closing ??= ask({ type: "close" }).then(
        () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve()))),
      );
      return closing;
    },
  };
}

function requester(child: ChildProcess): (message: Record<string, unknown>) => Promise<Reply> {
  let next = 0;
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  child.on("message", (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) waiter?.reject(new Error(reply.error));
    else waiter?.resolve(reply);
  });
  child.on("exit", (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the emulator process exited (code ${code})`));
    pending.clear();
  });
  return (message) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });
}

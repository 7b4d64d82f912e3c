/**
 * Runs an emulator on its own thread, for tests that block the main thread (generateSync): an in-process
 * emulator could not answer while the caller sleeps in Atomics.wait.
 */
import { Worker } from "node:worker_threads";
import { CHILD_LOADER, childModule } from "../../support/child-modules.js";

const SOURCE = `
import { parentPort, workerData } from "node:worker_threads";
if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
const { startEmulator } = await import(workerData.emulatorUrl);
const { createPlanner } = await import(workerData.modelUrl);
const emulator = await startEmulator({ planner: createPlanner(workerData.options) });
parentPort.postMessage({ url: emulator.url });
parentPort.on("message", async (message) => {
  if (message === "requests") parentPort.postMessage({ requests: emulator.requests.map((r) => ({ operation: r.operation, body: r.body })) });
  if (message === "close") { await emulator.close(); parentPort.close(); }
});
`;

export interface ThreadEmulator {
  url: string;
  requests(): Promise<{ operation: string; body: any }[]>;
  close(): Promise<void>;
}

export async function startEmulatorThread(options: Record<string, unknown> = {}): Promise<ThreadEmulator> {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(SOURCE)}`), {
    workerData: {
      tsxApi: CHILD_LOADER.length > 0 ? import.meta.resolve("tsx/esm/api") : undefined,
      emulatorUrl: childModule(new URL("../../../src/emulator/index.ts", import.meta.url)).href,
      modelUrl: childModule(new URL("../../../src/emulator/model/index.ts", import.meta.url)).href,
      options,
    },
  });
  const next = (): Promise<any> =>
    new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  const { url } = await next();
  return {
    url,
    requests: async () => {
      const reply = next();
      worker.postMessage("requests");
      return (await reply).requests;
    },
    close: async () => {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

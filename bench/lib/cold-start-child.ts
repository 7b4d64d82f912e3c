/**
 * One cold start, in a fresh process: import one client's library, create its client, make one call, make a
 * second (warm) call, and print what each step cost as one JSON line. Only the chosen client's module is
 * imported, so the process loads that library alone.
 */
import type { BenchTarget, ClientAdapter } from "./clients/client-adapter.js";

export interface ColdStartResult {
  client: string;
  /** ms from process start until the client's library was imported. */
  importedMs: number;
  /** ms from process start until the first call's answer was complete (import + create + call). */
  firstAnswerMs: number;
  /** ms from process start until the first text reached the caller (the answer's end for non-streaming clients). */
  firstTextMs: number;
  /** CPU ms (user + system) of the whole process until the first answer was complete. */
  cpuToFirstAnswerMs: number;
  /** ms of the second call, on the warm client. */
  warmCallMs: number;
  /** Peak resident memory of the process, MB. */
  maxRssMB: number;
}

/** Where each client lives: the module to import and its export. */
const MODULES: Record<string, [string, string]> = {
  "minion.generateStream": ["./clients/minion.js", "minionGenerateStream"],
  "minion.generate": ["./clients/minion.js", "minionGenerate"],
  "sdk.InvokeModelWithResponseStream": ["./clients/aws-sdk.js", "sdkInvokeStream"],
  "sdk.InvokeModel": ["./clients/aws-sdk.js", "sdkInvoke"],
  "ai-sdk.streamText": ["./clients/ai-sdk.js", "aiSdkStreamText"],
  "langchain.stream": ["./clients/langchain.js", "langchainStream"],
  "anthropic.messages.stream": ["./clients/anthropic.js", "anthropicStream"],
};

async function main(): Promise<void> {
  const [clientId, targetJson] = process.argv.slice(2);
  const where = MODULES[clientId!];
  if (!where || !targetJson) throw new Error(`usage: cold-start-child <${Object.keys(MODULES).join("|")}> <target JSON>`);
  const target = JSON.parse(targetJson) as BenchTarget;
  const module = (await import(where[0])) as Record<string, ClientAdapter>;
  const importedMs = performance.now();
  const client = await module[where[1]]!.create(target);
  let firstTextMs = 0;
  await client.call(() => (firstTextMs ||= performance.now()));
  const firstAnswerMs = performance.now();
  const cpu = process.cpuUsage();
  const warmStart = performance.now();
  await client.call(() => undefined);
  const warmCallMs = performance.now() - warmStart;
  await client.close();
  const result: ColdStartResult = {
    client: clientId!,
    importedMs,
    firstAnswerMs,
    firstTextMs: firstTextMs || firstAnswerMs,
    cpuToFirstAnswerMs: (cpu.user + cpu.system) / 1000,
    warmCallMs,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`cold start failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});

/** Every benchmarked client, in table order. Baselines for the ratios are the raw SDK's defaults. */
import { aiSdkGenerateText, aiSdkStreamText } from "./ai-sdk.js";
import { anthropicCreate, anthropicStream } from "./anthropic.js";
import { sdkConverse, sdkConverseStream, sdkInvoke, sdkInvokeStream, sdkKeepAliveInvokeStream } from "./aws-sdk.js";
import type { ClientAdapter } from "./client-adapter.js";
import { floorInvoke, floorInvokeStream } from "./floor.js";
import { langchainInvoke, langchainStream } from "./langchain.js";
import { minionConverseGenerateStream, minionGenerate, minionGenerateStream, minionGenerateStreamResponse, minionHttp2GenerateStream, minionUncappedGenerateStream } from "./minion.js";

export const ALL_CLIENTS: readonly ClientAdapter[] = [
  minionGenerateStream,
  minionGenerateStreamResponse,
  minionGenerate,
  sdkInvokeStream,
  sdkConverseStream,
  sdkInvoke,
  sdkConverse,
  aiSdkStreamText,
  aiSdkGenerateText,
  langchainStream,
  langchainInvoke,
  anthropicStream,
  anthropicCreate,
  floorInvokeStream,
  floorInvoke,
];

/** Extra clients, run only when named with --clients (what-if variants, not what users get by default). */
export const EXTRA_CLIENTS: readonly ClientAdapter[] = [sdkKeepAliveInvokeStream, minionUncappedGenerateStream, minionHttp2GenerateStream, minionConverseGenerateStream];

/** Ratio baselines: the raw SDK with its defaults, streamed or not like the row it is compared with. */
export const BASELINE_STREAMING = sdkInvokeStream.id;
export const BASELINE_NON_STREAMING = sdkInvoke.id;
/** The floor (issue 18): a pre-built request on a keep-alive pool that only decodes the answer. */
export const FLOOR_STREAMING = floorInvokeStream.id;
export const FLOOR_NON_STREAMING = floorInvoke.id;

export function clientById(id: string): ClientAdapter {
  const found = [...ALL_CLIENTS, ...EXTRA_CLIENTS].find((c) => c.id === id);
  if (!found) {
    const known = [...ALL_CLIENTS, ...EXTRA_CLIENTS].map((c) => c.id).join(", ");
    throw new Error(`Unknown bench client "${id}". Known: ${known}`);
  }
  return found;
}

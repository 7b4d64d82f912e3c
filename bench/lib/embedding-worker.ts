/**
 * One embedding client, one process (bench/embeddings.ts forks this file per client, model and input size):
 * embeds `texts` texts after a warm-up and reports the process's CPU per text, its RSS and heap sampled every
 * 20 ms, and the heap still held after a GC once the vectors are returned (the vectors themselves). The job
 * comes in BENCH_EMBED_JOB; the result goes back over IPC.
 */
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import { performance } from "node:perf_hooks";
import { createEmbeddingProvider } from "../../src/providers/embedding-registry.js";
import { saveProfile, startProfiler } from "./cpu-profile.js";
import { collectGarbage, errorText } from "./worker-util.js";

export interface EmbedJob {
  client: "minion" | "sdk";
  model: string;
  texts: number;
  concurrency: number;
  url: string;
  ca?: string | undefined;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, the measured phase is CPU-profiled to this .cpuprofile file. */
  profilePath?: string | undefined;
  /** minion-ts' transport (its config's `transport`); the SDK keeps its own. */
  transport?: "http1" | "http2" | undefined;
}

export interface EmbedResult {
  client: EmbedJob["client"];
  model: string;
  texts: number;
  calls: number;
  wallMs: number;
  cpuUs: number;
  cpuPerTextUs: number;
  textsPerSecond: number;
  rssBaselineMB: number;
  rssPeakMB: number;
  heapBaselineMB: number;
  heapPeakMB: number;
  /** heapUsed after a GC with the vectors still held: what the answer itself takes. */
  heapRetainedMB: number;
  /**
   * A second pass over the same texts, the heap sampled right after a forced GC every LIVE_SAMPLE_MS: the most
   * live memory seen, minus the held answer. What is left is the work in flight, without the garbage that
   * heapPeakMB also counts (V8 lets more of it pile up the more the process holds).
   */
  liveHeapPeakOverHeldMB: number;
  dimensions: number;
}

/** Holds the answer through the GC that measures it, as a caller keeping the vectors would. */
const held: unknown[] = [];

type Embedder = { embed(texts: string[]): Promise<number[][]>; batchSize: number; close(): Promise<void> };

const MB = 1024 * 1024;
const LIVE_SAMPLE_MS = 100;
const WORDS = ["sea", "harbour", "tide", "river", "mountain", "forest", "engine", "market", "ledger", "invoice", "garden", "winter"];

/** Deterministic texts of ~25 words (~180 characters), different from one another. */
export function benchTexts(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    const words = Array.from({ length: 24 }, (_, w) => WORDS[(n * 7 + w * (n % 5 + 1)) % WORDS.length]);
    return `Document ${n}: ${words.join(" ")}.`;
  });
}

const cohere = (model: string) => model.startsWith("cohere.");

function minionEmbedder(job: EmbedJob): Embedder {
  const provider = createEmbeddingProvider({
    apiType: "bedrock_embedding",
    model: job.model,
    endpoint: job.url,
    ca: job.ca,
    region: job.region,
    accessKeyId: job.accessKeyId,
    secretAccessKey: job.secretAccessKey,
    transport: job.transport,
  });
  return {
    embed: (texts) => provider.embed(texts, { concurrency: job.concurrency }),
    batchSize: cohere(job.model) ? 96 : 1,
    close: () => provider.close(),
  };
}

/** The raw SDK with its defaults, InvokeModel per batch (Titan: 1 text, Cohere: 96), `concurrency` in flight, order kept. */
function sdkEmbedder(job: EmbedJob): Embedder {
  const client = new BedrockRuntimeClient({
    region: job.region,
    endpoint: job.url,
    credentials: { accessKeyId: job.accessKeyId, secretAccessKey: job.secretAccessKey },
  });
  const decoder = new TextDecoder();
  const batchSize = cohere(job.model) ? 96 : 1;
  const bodyOf = (batch: string[]) =>
    cohere(job.model) ? { texts: batch, input_type: "search_document", embedding_types: ["float"] } : { inputText: batch[0], normalize: true };
  const vectorsOf = (parsed: { embedding?: number[]; embeddings?: { float?: number[][] } }): number[][] =>
    cohere(job.model) ? parsed.embeddings!.float! : [parsed.embedding!];
  const embed = async (texts: string[]): Promise<number[][]> => {
    const out: number[][][] = new Array(Math.ceil(texts.length / batchSize));
    let next = 0;
    const lane = async () => {
      while (next < out.length) {
        const index = next++;
        const batch = texts.slice(index * batchSize, (index + 1) * batchSize);
        const answer = await client.send(
          new InvokeModelCommand({ modelId: job.model, body: JSON.stringify(bodyOf(batch)), contentType: "application/json", accept: "application/json" }),
        );
        out[index] = vectorsOf(JSON.parse(decoder.decode(answer.body)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(job.concurrency, out.length) }, lane));
    return out.flat();
  };
  return { embed, batchSize, close: async () => client.destroy() };
}

/** The live-heap pass (see EmbedResult.liveHeapPeakOverHeldMB), in bytes. */
async function liveHeapOverHeld(embedder: Embedder, texts: string[]): Promise<number> {
  collectGarbage();
  let livePeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    collectGarbage();
    livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
  }, LIVE_SAMPLE_MS);
  const vectors = await embedder.embed(texts);
  clearInterval(sampler);
  held.push(vectors);
  collectGarbage();
  const heldHeap = process.memoryUsage().heapUsed;
  held.length = 0;
  return livePeak - heldHeap;
}

async function run(job: EmbedJob): Promise<EmbedResult> {
  const embedder = job.client === "minion" ? minionEmbedder(job) : sdkEmbedder(job);
  try {
    // Warm-up on other texts: connections, JIT, module loading.
    await embedder.embed(benchTexts(Math.max(job.concurrency * embedder.batchSize * 2, 200), 1_000_000));
    const texts = benchTexts(job.texts);
    collectGarbage();
    const rssBaseline = process.memoryUsage.rss();
    const heapBaseline = process.memoryUsage().heapUsed;
    let rssPeak = rssBaseline;
    let heapPeak = heapBaseline;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rssPeak = Math.max(rssPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
    }, 20);
    const stopProfiler = job.profilePath ? await startProfiler() : undefined;
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const vectors = await embedder.embed(texts);
    const wallMs = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    if (stopProfiler) saveProfile(await stopProfiler(), job.profilePath!);
    clearInterval(sampler);
    if (vectors.length !== texts.length || !vectors.every((v) => Array.isArray(v) && v.length === vectors[0]!.length)) {
      throw new Error(`expected ${texts.length} vectors of one size, got ${vectors.length}`);
    }
    held.push(vectors);
    collectGarbage();
    const heapRetained = process.memoryUsage().heapUsed;
    held.length = 0;
    const liveHeapPeakOverHeld = await liveHeapOverHeld(embedder, texts);
    const cpuUs = cpu.user + cpu.system;
    return {
      client: job.client,
      model: job.model,
      texts: texts.length,
      calls: Math.ceil(texts.length / embedder.batchSize),
      wallMs,
      cpuUs,
      cpuPerTextUs: cpuUs / texts.length,
      textsPerSecond: texts.length / (wallMs / 1000),
      rssBaselineMB: rssBaseline / MB,
      rssPeakMB: rssPeak / MB,
      heapBaselineMB: heapBaseline / MB,
      heapPeakMB: heapPeak / MB,
      heapRetainedMB: heapRetained / MB,
      liveHeapPeakOverHeldMB: liveHeapPeakOverHeld / MB,
      dimensions: vectors[0]!.length,
    };
  } finally {
    held.length = 0;
    await embedder.close();
  }
}

if (process.env.BENCH_EMBED_JOB) {
  run(JSON.parse(process.env.BENCH_EMBED_JOB) as EmbedJob).then(
    (result) => process.send?.({ type: "result", result }, () => process.disconnect?.()),
    (error: unknown) => process.send?.({ type: "fatal", message: errorText(error) }, () => process.disconnect?.()),
  );
}

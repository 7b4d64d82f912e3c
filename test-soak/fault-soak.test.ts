/**
 * The fault soak: 10,000 calls through the public provider API against the emulator, with throttling on 20% of
 * requests, resets, stalls, corrupt frames, truncated streams and mid-stream exceptions by script, a server
 * that accepts and never answers, and aborts at random points. Seeded: SOAK_SEED replays a run, SOAK_CALLS
 * changes its size. Checks that every call ends typed or answered within its timeout, that no connection stays
 * open, and that the providers' cost equals the usage the emulator reports having sent.
 *
 * One emulator per kind of call (throttled or answered; cut streams; aborts), so each kind's accounting is
 * checked on its own.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createLlmProvider, type LlmProvider } from "../src/index.js";
import { EMULATOR_API_KEY, EXAMPLE_CREDENTIALS, type EmulatorOptions } from "../src/emulator/index.js";
import { startBlackHole, type BlackHole } from "./support/black-hole-server.js";
import { clientSocketsTo, settlesToZero } from "./support/client-sockets.js";
import { startEmulatorProcess, type EmulatorProcess } from "./support/emulator-process.js";
import { createPrng as seededRandom } from "../src/emulator/model/prng.js";
import { planCall, runCall, type Call, type Outcome } from "./support/soak-calls.js";
import { SOAK_SCRIPT } from "./support/soak-scenarios.js";

const CALLS = Number(process.env["SOAK_CALLS"] ?? 10_000);
const SEED = Number(process.env["SOAK_SEED"] ?? 20261205);
const CONCURRENCY = 96;
/**
 * Calls that are meant to finish get a long timeout (a hang guard): a call the client cancels while its answer
 * is on the wire has usage the server sent and the client never read, which no accounting can match. A stalled
 * stream is ended by the idle timeout, a stalled non-streaming call (no response at all) by STALL_TIMEOUT_MS;
 * aborts and the silent server by the abort or a short timeout.
 */
const FINISHING_TIMEOUT_MS = 30_000;
const STALL_TIMEOUT_MS = 2_000;
const ABORT_TIMEOUT_MS = 2_000;
const SILENT_TIMEOUT_MS = 600;
const IDLE_TIMEOUT_MS = 1_000;
/** Added to a call's timeout before it counts as overdue: the event loop is shared by client and server. */
const SLACK_MS = 5_000;
const HANG_GUARD_MS = 15_000;
const CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0";

/**
 * Usage the client cannot read is not counted as if it had been (docs/cost.md, "Cut and aborted streams"):
 * a stream cut before its final usage counts its output tokens from the text received (4 characters a token),
 * never fewer than the service reported; an aborted call counts the usage it read before the abort.
 */

interface EmulatorLane {
  emulator: EmulatorProcess;
  providers: LlmProvider[];
}

describe(`fault soak: ${CALLS} calls, seed ${SEED}`, () => {
  let lanes: Record<"clean" | "cut" | "abort", EmulatorLane>;
  let blackHole: BlackHole;
  let silentProviders: LlmProvider[];
  let calls: Call[];
  let outcomes: Outcome[];
  const emulatorLanes = () => Object.values(lanes);
  const allProviders = () => [...emulatorLanes().flatMap((lane) => lane.providers), ...silentProviders];

  before(async () => {
    const base: EmulatorOptions = { throttleRate: 0.2, retryAfterSeconds: 0, chunksPerAnswer: 6, seed: SEED, recordRequests: false };
    lanes = {
      clean: await emulatorLane(base),
      cut: await emulatorLane({ ...base, script: SOAK_SCRIPT }),
      abort: await emulatorLane(base),
    };
    blackHole = await startBlackHole();
    silentProviders = authVariants().map((auth) =>
      createLlmProvider({ provider: "bedrock_async", region: "us-east-1", ...auth, model: CLAUDE, endpoint: blackHole.url, idleTimeout: IDLE_TIMEOUT_MS }),
    );

    const random = seededRandom(SEED);
    const providers = { clean: lanes.clean.providers, cut: lanes.cut.providers, abort: lanes.abort.providers, silent: silentProviders };
    const timeouts = { clean: FINISHING_TIMEOUT_MS, cut: FINISHING_TIMEOUT_MS, stall: STALL_TIMEOUT_MS, abort: ABORT_TIMEOUT_MS, silent: SILENT_TIMEOUT_MS };
    calls = Array.from({ length: CALLS }, (_, index) => planCall(index, random, providers, timeouts));
    outcomes = new Array(calls.length);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < calls.length) {
          const call = calls[next++]!;
          outcomes[call.index] = await runCall(call);
        }
      }),
    );
    const requests = (await Promise.all(emulatorLanes().map((lane) => lane.emulator.metrics()))).reduce((sum, metrics) => sum + metrics.requests, 0);
    console.log(
      `soak: ${CALLS} calls (seed ${SEED}) in ${((Date.now() - started) / 1000).toFixed(1)} s, ${requests} requests, ` +
        `${blackHole.accepted} connections to the silent server: ${tally(outcomes)}`,
    );
    for (const scenario of new Set(calls.map((call) => call.scenario))) {
      console.log(`soak:   ${scenario}: ${tally(outcomes.filter((_, index) => calls[index]!.scenario === scenario))}`);
    }
  });

  after(async () => {
    await Promise.all(allProviders().map((provider) => provider.close()));
    for (const lane of emulatorLanes()) await lane.emulator.close();
    await blackHole?.close();
  });

  it("every call ends with a MinionError or an answer, within its timeout (+ slack), and the mix covers every outcome", () => {
    const untyped = outcomes.filter((outcome) => !outcome.typed);
    assert.deepEqual(untyped.slice(0, 5), [], `${untyped.length} calls ended with an error that is not a MinionError`);
    const overdue = outcomes.filter((outcome, index) => outcome.elapsedMs > calls[index]!.timeoutMs + SLACK_MS);
    assert.deepEqual(overdue.slice(0, 5), [], `${overdue.length} calls ran past their timeout + ${SLACK_MS} ms`);
    const kinds = new Set(outcomes.map((outcome) => outcome.kind));
    for (const kind of ["ok", "ThrottlingException", "NetworkError", "TimeoutError", "AbortError"]) assert.ok(kinds.has(kind), `no ${kind} outcome`);
  });

  it("throttled or answered calls: getCost() equals the usage the emulator sent", async () => {
    const { counted, sent } = await costAndUsageSent(lanes.clean, "throttled or answered");
    assert.deepEqual(counted, sent);
  });

  it("cut streams: the prompt tokens counted equal those sent", async () => {
    assert.equal(await settlesToZero(async () => (await lanes.cut.emulator.metrics()).streamsInFlight, HANG_GUARD_MS), 0, "streams still in flight");
    const { counted, sent } = await costAndUsageSent(lanes.cut, "cut streams");
    assert.equal(counted.prompt, sent.prompt);
  });

  it("cut streams: the completion tokens counted are never fewer than the service reported", async () => {
    const { counted, sent } = await costAndUsageSent(lanes.cut);
    assert.ok(counted.completion >= sent.completion, `counted ${counted.completion} completion tokens, the emulator reported ${sent.completion}`);
  });

  it("aborted calls: the prompt tokens counted never exceed those sent", async () => {
    assert.equal(await settlesToZero(async () => (await lanes.abort.emulator.metrics()).streamsInFlight, HANG_GUARD_MS), 0, "streams still in flight");
    const { counted, sent } = await costAndUsageSent(lanes.abort, "aborted");
    assert.ok(counted.prompt <= sent.prompt, `counted ${counted.prompt} prompt tokens, the emulator sent ${sent.prompt}`);
  });

  it("no stream in flight once the calls ended, and no connection open on either side after close()", async () => {
    const metrics = () => Promise.all(emulatorLanes().map((lane) => lane.emulator.metrics()));
    const inFlight = async () => (await metrics()).reduce((sum, lane) => sum + lane.streamsInFlight, 0);
    assert.equal(await settlesToZero(inFlight, HANG_GUARD_MS), 0, "streams in flight");
    await Promise.all(allProviders().map((provider) => provider.close()));
    const ports = [...emulatorLanes().map((lane) => lane.emulator.url), blackHole.url].map((url) => Number(new URL(url).port));
    assert.equal(await settlesToZero(() => clientSocketsTo(ports).length, HANG_GUARD_MS), 0, "client sockets still open after close()");
    const serverSide = async () => (await metrics()).reduce((sum, lane) => sum + lane.openConnections, 0);
    assert.equal(await settlesToZero(serverSide, HANG_GUARD_MS), 0, "emulator connections still open");
    assert.equal(await settlesToZero(() => blackHole.openConnections(), HANG_GUARD_MS), 0, "silent-server connections still open");
  });
});

/** "kind=count" for each outcome kind, most frequent first. */
function tally(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome.kind, (counts.get(outcome.kind) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind}=${count}`)
    .join(" ");
}

function authVariants(): Array<Record<string, string>> {
  return [{ accessKeyId: EXAMPLE_CREDENTIALS.accessKeyId, secretAccessKey: EXAMPLE_CREDENTIALS.secretAccessKey }, { apiKey: EMULATOR_API_KEY }];
}

/** An emulator (in a child process) and four providers on it: Claude (InvokeModel) and Nova (Converse), each with SigV4 and an API key. */
async function emulatorLane(options: EmulatorOptions): Promise<EmulatorLane> {
  const emulator = await startEmulatorProcess(options);
  const providers = [CLAUDE, "us.amazon.nova-lite-v1:0"].flatMap((model) =>
    authVariants().map((auth) => createLlmProvider({ provider: "bedrock_async", region: "us-east-1", ...auth, model, endpoint: emulator.url, idleTimeout: IDLE_TIMEOUT_MS })),
  );
  return { emulator, providers };
}

interface TokenTotals {
  prompt: number;
  completion: number;
}

/** The lane's providers' getCost() totals and the emulator's usageSent, printed when `what` is given. */
async function costAndUsageSent(lane: EmulatorLane, what?: string): Promise<{ counted: TokenTotals; sent: TokenTotals }> {
  const cost = lane.providers.map((provider) => provider.getCost());
  const counted = {
    prompt: cost.reduce((sum, snapshot) => sum + snapshot.totalPromptTokens, 0),
    completion: cost.reduce((sum, snapshot) => sum + snapshot.totalCompletionTokens, 0),
  };
  const usage = (await lane.emulator.metrics()).usageSent;
  const sent = { prompt: usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens, completion: usage.outputTokens };
  if (what) console.log(`soak (${what}): getCost() counted ${counted.prompt} prompt + ${counted.completion} completion tokens; the emulator sent ${sent.prompt} + ${sent.completion}`);
  return { counted, sent };
}

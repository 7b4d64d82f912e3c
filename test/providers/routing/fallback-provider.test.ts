import assert from "node:assert/strict";
import { inspect } from "node:util";
import { after, before, beforeEach, describe, it } from "node:test";
import { z } from "zod";
import { EXAMPLE_CREDENTIALS, startEmulator, type Emulator } from "../../../src/emulator/index.js";
import type { LLMConfigInput } from "../../../src/config/llm-config.js";
import type { StreamEvent } from "../../../src/providers/llm-provider.js";
import { CostManager } from "../../../src/providers/cost-manager.js";
import { createLlmProvider } from "../../../src/providers/registry.js";
import type { FallbackEvent, FallbackProvider } from "../../../src/providers/routing/fallback-provider.js";
import { createServer } from "node:net";
import { AbortError, BedrockServiceError, NetworkError, TimeoutError } from "../../../src/schema/errors.js";

const PRIMARY = "anthropic.claude-3-5-haiku-20241022-v1:0";
const BACKUP = "anthropic.claude-3-haiku-20240307-v1:0";
/** A second, plainly fake key pair: the backup signs with it, against a second emulator. */
const OTHER_KEYS = { accessKeyId: "FAKE-FALLBACK-ACCESS-KEY-ID", secretAccessKey: "fakeFallbackSecretKey/0002/NOTREAL", sessionToken: "FakeSessionTokenForTheFallbackTest" };

const user = (content: string) => [{ role: "user" as const, content }];

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function model(emulator: Emulator, id: string, extra: LLMConfigInput = {}): LLMConfigInput {
  return {
    api_type: "bedrock_async",
    model: id,
    region: "us-east-1",
    endpoint: emulator.url,
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
    secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
    max_attempts: 1,
    ...extra,
  };
}

describe("fallbacks against the emulator", () => {
  let emulator: Emulator;
  let backupOnly: Emulator;

  before(async () => {
    const cut = { text: "Some text that is cut off midway.", chunksPerAnswer: 6, fault: { type: "exception", afterChunks: 1, name: "throttlingException" } };
    emulator = await startEmulator({
      retryAfterSeconds: 0,
      script: {
        rules: [
          { match: { model: PRIMARY, text: "busy" }, respond: { error: { name: "ThrottlingException" } } },
          { match: { model: PRIMARY, text: "broken" }, respond: { error: { name: "InternalServerException" } } },
          { match: { model: PRIMARY, text: "not ready" }, respond: { error: { name: "ModelNotReadyException" } } },
          { match: { model: PRIMARY, text: "bad request" }, respond: { error: { name: "ValidationException", message: "messages.0: something is wrong with the request" } } },
          { match: { model: PRIMARY, text: "cut" }, respond: cut },
          { match: { text: "everyone is busy" }, respond: { error: { name: "ThrottlingException" } } },
          { match: { model: PRIMARY, text: "hang" }, respond: { connectionFault: "stall" } },
        ] as never,
      },
    });
    backupOnly = await startEmulator({ credentials: [OTHER_KEYS], script: { rules: [{ match: { text: "everyone is busy" }, respond: { error: { name: "ServiceUnavailableException" } } }] } });
  });
  after(async () => {
    await emulator.close();
    await backupOnly.close();
  });
  beforeEach(() => {
    emulator.clearRequests();
    backupOnly.clearRequests();
  });

  const sentTo = (server: Emulator, id: string) => server.requests.filter((request) => request.modelId === id).length;

  function chain(options: { primary?: LLMConfigInput; onFallback?: (event: FallbackEvent) => void } = {}): FallbackProvider {
    const models = { primary: model(emulator, PRIMARY, { fallbacks: ["backup"], ...options.primary }), backup: model(emulator, BACKUP) };
    return createLlmProvider("primary", { models, ...(options.onFallback ? { onFallback: options.onFallback } : {}) }) as FallbackProvider;
  }

  it("moves on after throttling outlasted the model's own retries", async () => {
    const moves: FallbackEvent[] = [];
    const llm = chain({ primary: { max_attempts: 2 }, onFallback: (event) => moves.push(event) });
    const text = await llm.generate(user("busy: say hi"));
    assert.match(text, /You said: busy: say hi/);
    assert.equal(sentTo(emulator, PRIMARY), 2, "the primary's own retries ran first");
    assert.equal(sentTo(emulator, BACKUP), 1);
    assert.equal(moves.length, 1);
    assert.deepEqual([moves[0]!.from, moves[0]!.to], [{ name: "primary", model: PRIMARY }, { name: "backup", model: BACKUP }]);
    assert.ok(moves[0]!.error instanceof BedrockServiceError && moves[0]!.error.throttling);
    await llm.close();
  });

  it("moves on after a 5xx, and the stream says which model answered", async () => {
    const llm = chain();
    const events = await collect(llm.streamEvents(user("broken: stream please")));
    const route = events[0] as Extract<StreamEvent, { type: "route" }>;
    assert.equal(route.type, "route");
    assert.deepEqual({ name: route.name, model: route.model, position: route.position }, { name: "backup", model: BACKUP, position: 2 });
    assert.equal(route.skipped.length, 1);
    assert.equal(route.skipped[0]!.name, "primary");
    assert.match(route.skipped[0]!.error, /^InternalServerException: /);
    assert.equal(events.filter((event) => event.type === "route").length, 1);
    const finish = events.at(-1) as Extract<StreamEvent, { type: "finish" }>;
    assert.equal(finish.completion.model, BACKUP);
    assert.deepEqual(finish.completion.route, { name: "backup", model: BACKUP, position: 2, skipped: route.skipped });
    const text = events.flatMap((event) => (event.type === "text" ? [event.text] : [])).join("");
    assert.match(text, /You said: broken: stream please/);

    const completion = await llm.generateStreamResponse(user("not ready: response please"));
    assert.equal(completion.model, BACKUP);
    assert.equal(completion.route?.position, 2);
    assert.match(completion.route!.skipped[0]!.error, /^ModelNotReadyException: /);
    assert.match((await collect(llm.generateStream(user("broken: text stream")))).join(""), /You said: broken: text stream/);
    await llm.close();
  });

  it("answers from the primary when it works, with route position 1", async () => {
    const llm = chain();
    const completion = await llm.generateStreamResponse(user("all fine"));
    assert.equal(completion.model, PRIMARY);
    assert.deepEqual(completion.route, { name: "primary", model: PRIMARY, position: 1, skipped: [] });
    assert.equal(sentTo(emulator, BACKUP), 0);
    await llm.close();
  });

  it("does not move on once the first chunk reached the caller", async () => {
    const llm = chain();
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of llm.generateStream(user("cut me"))) seen.push(chunk);
      })(),
      (error: Error) => error instanceof BedrockServiceError && error.midStream && error.awsName === "ThrottlingException",
    );
    assert.ok(seen.length >= 1, "a chunk was yielded before the error");
    assert.equal(sentTo(emulator, BACKUP), 0);
    await llm.close();
  });

  it("does not move on for an invalid request or an abort", async () => {
    const llm = chain();
    await assert.rejects(llm.generate(user("bad request")), (error: Error) => error instanceof BedrockServiceError && error.awsName === "ValidationException");
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(llm.generate(user("busy"), { signal: controller.signal }), AbortError);
    assert.equal(sentTo(emulator, BACKUP), 0);
    await llm.close();
  });

  it("moves on for generateObject and streamObject", async () => {
    const llm = chain();
    const schema = z.object({ city: z.string() });
    const object = await llm.generateObject(user("broken: which city?"), { schema });
    assert.equal(typeof object.city, "string");
    const parts = await collect(llm.streamObject(user("busy: which city?"), { schema }));
    assert.equal(parts.at(-1)!.type, "object");
    assert.equal(sentTo(emulator, BACKUP), 2);
    await llm.close();
  });

  it("keeps cost per model, and the totals are their sum", async () => {
    const llm = chain();
    const first = await llm.generateStreamResponse(user("all fine, primary"));
    const second = await llm.generateStreamResponse(user("busy, so the backup"));
    const byModel = llm.getCostByModel();
    assert.deepEqual(Object.keys(byModel).sort(), [BACKUP, PRIMARY].sort());
    assert.equal(byModel[PRIMARY]!.totalPromptTokens, first.usage.prompt_tokens);
    assert.equal(byModel[PRIMARY]!.totalCompletionTokens, first.usage.completion_tokens);
    assert.equal(byModel[BACKUP]!.totalPromptTokens, second.usage.prompt_tokens);
    assert.ok(byModel[PRIMARY]!.totalCost > 0 && byModel[BACKUP]!.totalCost > 0);
    // The two models have different prices: the same tokens cost more on the primary.
    const perToken = (snapshot: { totalCost: number; totalTokens: number }) => snapshot.totalCost / snapshot.totalTokens;
    assert.ok(perToken(byModel[PRIMARY]!) > perToken(byModel[BACKUP]!));
    const total = llm.getCost();
    assert.equal(total.totalTokens, byModel[PRIMARY]!.totalTokens + byModel[BACKUP]!.totalTokens);
    assert.ok(Math.abs(total.totalCost - (byModel[PRIMARY]!.totalCost + byModel[BACKUP]!.totalCost)) < 1e-12);
    llm.reset();
    assert.equal(llm.getCost().totalTokens, 0);
    await llm.close();
  });

  it("with a shared cost manager, counts each call once", async () => {
    const costManager = new CostManager();
    const models = { primary: model(emulator, PRIMARY, { fallbacks: ["backup"] }), backup: model(emulator, BACKUP) };
    const llm = createLlmProvider("primary", { models, costManager });
    const first = await llm.generateStreamResponse(user("all fine, shared"));
    const second = await llm.generateStreamResponse(user("busy, shared"));
    assert.equal(llm.getCost().totalTokens, first.usage.total_tokens + second.usage.total_tokens);
    assert.deepEqual(llm.getCost(), costManager.snapshot());
    assert.deepEqual(Object.keys(llm.getCostByModel!()).sort(), [BACKUP, PRIMARY].sort());
    await llm.close();
  });

  it("uses each model's own endpoint and credentials, and never shows either secret", async () => {
    const models = {
      primary: model(emulator, PRIMARY, { fallbacks: ["backup"] }),
      backup: {
        ...model(backupOnly, BACKUP),
        region: "eu-west-1",
        access_key_id: OTHER_KEYS.accessKeyId,
        secret_access_key: OTHER_KEYS.secretAccessKey,
        session_token: OTHER_KEYS.sessionToken,
      },
    };
    const llm = createLlmProvider("primary", { models }) as FallbackProvider;
    const completion = await llm.generateStreamResponse(user("busy: from the other account"));
    assert.equal(completion.route?.name, "backup");
    const signed = backupOnly.requests.at(-1)!.headers["authorization"] ?? "";
    // The backup's emulator accepts only OTHER_KEYS (with their session token): it answering shows they signed.
    assert.equal(backupOnly.requests.at(-1)!.authType, "sigv4");
    assert.match(signed, /\/eu-west-1\/bedrock\/aws4_request/);
    assert.match(signed, /x-amz-security-token/);
    assert.equal(sentTo(backupOnly, BACKUP), 1);

    const secrets = [EXAMPLE_CREDENTIALS.secretAccessKey, OTHER_KEYS.secretAccessKey, OTHER_KEYS.sessionToken];
    const failed = await llm.generate(user("everyone is busy")).then(
      () => assert.fail("every model failed, so the call must fail"),
      (error: unknown) => error,
    );
    assert.ok(failed instanceof BedrockServiceError);
    assert.equal(failed.awsName, "ServiceUnavailableException", "the last model's error is thrown");
    const shown = [inspect(llm, { depth: 10 }), JSON.stringify(llm), inspect(failed, { depth: 10 }), JSON.stringify(failed), String(failed), JSON.stringify(completion)].join("\n");
    for (const secret of secrets) assert.ok(!shown.includes(secret), "a secret was shown");
    assert.match(inspect(llm), /FallbackProvider/);
    assert.match(inspect(llm), /backup/);
    await llm.close();
  });

  it("gives a later model what is left of the call's timeout", async () => {
    const llm = chain();
    const completion = await llm.generateStreamResponse(user("busy: within budget"), { timeout: 30_000 });
    assert.equal(completion.route?.name, "backup");
    await llm.close();
  });

  it("moves on when the model's endpoint cannot be reached", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const models = { primary: { ...model(emulator, PRIMARY, { fallbacks: ["backup"] }), endpoint: `http://127.0.0.1:${closed}` }, backup: model(emulator, BACKUP) };
    const moves: FallbackEvent[] = [];
    const llm = createLlmProvider("primary", { models, onFallback: (event) => moves.push(event) });
    assert.match(await llm.generate(user("nobody home")), /You said: nobody home/);
    assert.ok(moves[0]!.error instanceof NetworkError);
    await llm.close();
  });

  it("does not move on when the call's own timeout ran out", async () => {
    const llm = chain();
    await assert.rejects(llm.generate(user("hang on"), { timeout: 300 }), TimeoutError);
    assert.equal(sentTo(emulator, BACKUP), 0);
    await llm.close();
  });

  it("builds a chain of providers made by hand, and checks its input", async () => {
    const { FallbackProvider: Chain } = await import("../../../src/index.js");
    assert.throws(() => new Chain([]), /at least one model/);
    assert.throws(() => new Chain([{ name: "a", provider: {} as never }]), /entry 0 must be \{ name: string, provider: LlmProvider \}/);
    const primary = createLlmProvider(model(emulator, PRIMARY));
    const backup = createLlmProvider(model(emulator, BACKUP));
    assert.throws(() => new Chain([{ name: "a", provider: primary }], { onFallback: "yes" as never }), /onFallback must be a function/);
    const llm = new Chain([
      { name: "a", provider: primary },
      { name: "b", provider: backup },
    ]);
    const completion = await llm.generateStreamResponse(user("busy by hand"));
    assert.equal(completion.route?.name, "b");
    await llm.close();
  });

  it("counts tokens with the primary model", async () => {
    const llm = chain();
    const count = await llm.countTokens(user("How long is this prompt?"));
    assert.equal(count.estimated, false);
    assert.ok(count.inputTokens > 0);
    assert.deepEqual(emulator.requests.map((request) => [request.operation, request.modelId]), [["CountTokens", PRIMARY]]);
    await llm.close();

    const { FallbackProvider: Chain } = await import("../../../src/index.js");
    const cannotCount = { model: "registered-elsewhere", streamEvents: () => [] } as never;
    await assert.rejects(new Chain([{ name: "plain", provider: cannotCount }]).countTokens(user("hi")), /model 'plain' \(the first of the chain\) cannot count tokens/);
  });

  it("shows each model by name and id, through the provider's own safe view", () => {
    const llm = chain();
    const shown = JSON.parse(JSON.stringify(llm)) as { chain: { name: string; model: string; provider: Record<string, unknown> }[] };
    assert.deepEqual(shown.chain.map(({ name, model }) => [name, model]), [["primary", PRIMARY], ["backup", BACKUP]]);
    assert.equal(shown.chain[0]!.provider["model"], PRIMARY);
    assert.ok(!inspect(llm, { depth: 10 }).includes(EXAMPLE_CREDENTIALS.secretAccessKey));
  });
});

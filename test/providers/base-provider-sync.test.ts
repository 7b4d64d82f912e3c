import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { BedrockAsyncProvider, BedrockProvider } from "../../src/providers/bedrock/index.js";
import { BedrockServiceError, ConfigError, InvalidRequestError } from "../../src/schema/errors.js";
import { workerEntryFor } from "../../src/providers/sync-call.js";
import { ConverseOnlyProvider, UndeclaredConverseProvider } from "./fixtures/converse-only-provider.js";
import { startEmulatorThread, type ThreadEmulator } from "./bedrock/emulator-thread.js";

// generateSync blocks this thread, so the emulator runs on its own thread.
describe("generateSync", () => {
  let emulator: ThreadEmulator;
  let provider: BedrockAsyncProvider;

  before(async () => {
    emulator = await startEmulatorThread({ script: { rules: [{ match: { text: "please fail" }, respond: { error: { name: "AccessDeniedException", message: "No access to this model" } } }] } });
    provider = new BedrockProvider({
      api_type: "bedrock",
      model: "anthropic.claude-3-haiku-20240307-v1:0",
      access_key_id: EXAMPLE_CREDENTIALS.accessKeyId,
      secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey,
      endpoint: emulator.url,
      temperature: 0.3,
    });
  });
  after(async () => {
    await provider.close();
    await emulator.close();
  });

  it("returns the answer synchronously and adds its usage to this provider's cost", async () => {
    let settled = false;
    void Promise.resolve().then(() => (settled = true));
    const text = provider.generateSync([{ role: "user", content: "sync hello" }], { maxTokens: 200 });
    assert.equal(settled, false, "no microtask ran: the call blocked this thread");
    assert.equal(text, "Hello! I am the minion-ts emulator's built-in model. You said: sync hello");
    const cost = provider.getCost();
    assert.ok(cost.totalPromptTokens > 0 && cost.totalCompletionTokens > 0);
    const second = provider.generateSync([{ role: "user", content: "sync again" }]);
    assert.match(second, /You said: sync again/);
    assert.ok(provider.getCost().totalTokens > cost.totalTokens);
    const [first] = await emulator.requests();
    assert.equal(first!.operation, "InvokeModel");
    assert.equal(first!.body.temperature, 0.3);
    assert.equal(first!.body.max_tokens, 200);
  });

  it("re-throws errors with their class, name and fields", () => {
    assert.throws(
      () => provider.generateSync([{ role: "user", content: "please fail" }]),
      (error: Error) => {
        assert.ok(error instanceof BedrockServiceError);
        assert.equal(error.name, "BedrockServiceError");
        assert.equal(error.awsName, "AccessDeniedException");
        assert.equal(error.status, 403);
        assert.match(error.message, /No access to this model/);
        return true;
      },
    );
    assert.throws(() => provider.generateSync([{ role: "wizard", content: "x" } as never]), InvalidRequestError);
    assert.throws(() => provider.generateSync([{ role: "user", content: "x" }], { signal: AbortSignal.abort() } as never), /no AbortSignal/);
  });

  it("rebuilds a subclass on the worker, keeping its protocolFor override", async () => {
    const config = { api_type: "bedrock_async", model: "anthropic.claude-3-haiku-20240307-v1:0", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint: emulator.url };
    const subclass = new ConverseOnlyProvider(config);
    try {
      const before = (await emulator.requests()).length;
      assert.match(subclass.generateSync([{ role: "user", content: "sync from a subclass" }]), /You said: sync from a subclass/);
      const requests = await emulator.requests();
      assert.equal(requests.length, before + 1);
      assert.equal(requests.at(-1)!.operation, "Converse", "the subclass's protocol, not the base class's InvokeModel");
      assert.ok(subclass.getCost().totalTokens > 0);
    } finally {
      await subclass.close();
    }
  });

  it("refuses a subclass that does not say where it is exported, before sending anything", async () => {
    const config = { api_type: "bedrock_async", model: "anthropic.claude-3-haiku-20240307-v1:0", access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint: emulator.url };
    const undeclared = new UndeclaredConverseProvider(config);
    try {
      const before = (await emulator.requests()).length;
      assert.throws(
        () => undeclared.generateSync([{ role: "user", content: "x" }]),
        (error: Error) => error instanceof ConfigError && /UndeclaredConverseProvider/.test(error.message) && /static override readonly syncModule/.test(error.message),
      );
      assert.equal((await emulator.requests()).length, before);
    } finally {
      await undeclared.close();
    }
  });
});

describe("generateSync's worker entry", () => {
  it("is the built sync-call-worker.js itself when the library runs from dist (no loader, no dev dependency)", () => {
    const entry = workerEntryFor("file:///app/node_modules/minion-ts/dist/providers/sync-call.js");
    assert.equal(entry.href, "file:///app/node_modules/minion-ts/dist/providers/sync-call-worker.js");
  });

  it("registers the TypeScript loader first only when running from the .ts sources", () => {
    const entry = workerEntryFor("file:///repo/src/providers/sync-call.ts");
    assert.equal(entry.protocol, "data:");
    assert.match(decodeURIComponent(entry.href), /tsx[^"]*esm[^"]*api[\s\S]*file:\/\/\/repo\/src\/providers\/sync-call-worker\.ts/);
  });
});

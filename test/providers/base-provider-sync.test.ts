import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../src/emulator/index.js";
import { BedrockAsyncProvider, BedrockProvider } from "../../src/providers/bedrock/index.js";
import { BedrockServiceError, InvalidRequestError } from "../../src/schema/errors.js";
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
});

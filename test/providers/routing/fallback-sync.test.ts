import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_CREDENTIALS } from "../../../src/emulator/index.js";
import { createLlmProvider } from "../../../src/providers/registry.js";
import { BedrockServiceError } from "../../../src/schema/errors.js";
import { startEmulatorThread, type ThreadEmulator } from "../bedrock/emulator-thread.js";

const PRIMARY = "anthropic.claude-3-5-haiku-20241022-v1:0";
const BACKUP = "anthropic.claude-3-haiku-20240307-v1:0";
const PROFILE_ONLY = "anthropic.claude-sonnet-4-20250514-v1:0";

// generateSync blocks this thread, so the emulator runs on its own thread.
describe("generateSync with fallbacks and inference profiles", () => {
  let emulator: ThreadEmulator;
  const account = () => ({ api_type: "bedrock_async", region: "us-east-1", endpoint: emulator.url, access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, max_attempts: 1 });

  before(async () => {
    emulator = await startEmulatorThread({
      profileOnlyModels: [PROFILE_ONLY],
      script: {
        rules: [
          { match: { model: PRIMARY, text: "busy" }, respond: { error: { name: "ThrottlingException" } } },
          { match: { text: "denied everywhere" }, respond: { error: { name: "AccessDeniedException", message: "No access to this model" } } },
        ],
      },
    });
  });
  after(() => emulator.close());

  it("moves on to the next model, and counts the cost under the model that answered", async () => {
    const llm = createLlmProvider("primary", { models: { primary: { ...account(), model: PRIMARY, fallbacks: ["backup"] }, backup: { ...account(), model: BACKUP } } });
    assert.match(llm.generateSync([{ role: "user", content: "busy, answer synchronously" }]), /You said: busy, answer synchronously/);
    assert.deepEqual(Object.keys(llm.getCostByModel!()), [BACKUP]);
    assert.throws(() => llm.generateSync([{ role: "user", content: "denied everywhere" }]), (error: Error) => error instanceof BedrockServiceError && error.awsName === "AccessDeniedException");
    await llm.close();
  });

  it("counts a call answered through an inference profile under the profile id", async () => {
    const llm = createLlmProvider({ ...account(), model: PROFILE_ONLY });
    assert.match(llm.generateSync([{ role: "user", content: "profile, synchronously" }]), /You said: profile, synchronously/);
    const byModel = llm.getCostByModel!();
    assert.deepEqual(Object.keys(byModel), [`us.${PROFILE_ONLY}`]);
    assert.ok(byModel[`us.${PROFILE_ONLY}`]!.totalCost > 0);
    await llm.close();
  });
});

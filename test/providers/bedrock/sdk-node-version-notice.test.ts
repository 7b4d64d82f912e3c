/**
 * On Node < 22 the AWS SDK prints a 7-line NodeVersionSupportWarning the first time a client is built. The
 * library pins SDK releases that support Node 20, so its scripts must not print it; other warnings must
 * still be printed. Checked on a child process's stderr.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { CHILD_LOADER, childModule } from "../../support/child-modules.js";

const src = (path: string): string => JSON.stringify(childModule(new URL(`../../../src/${path}`, import.meta.url)).href);
const NODE_MAJOR = Number(process.versions.node.split(".")[0]);

const SCRIPT = `
import { startEmulator, EXAMPLE_CREDENTIALS } from ${src("emulator/index.ts")};
import { BedrockAsyncProvider } from ${src("providers/bedrock/index.ts")};
const emulator = await startEmulator();
const base = { api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1", endpoint: emulator.url };
const keys = { access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey };
// Static keys, and the default credential chain (keys from the environment).
for (const config of [{ ...base, ...keys }, base]) {
  const provider = new BedrockAsyncProvider(config);
  await provider.generate([{ role: "user", content: "hi" }]);
  for await (const _ of provider.generateStream([{ role: "user", content: "hi" }]));
  await provider.close();
}
await emulator.close();
// An SDK client of the user's own in the same process (the provider itself builds none since every call
// goes through its own transport; the credential chain may build some, for SSO or roles).
const { BedrockRuntimeClient } = await import("@aws-sdk/client-bedrock-runtime");
new BedrockRuntimeClient({ region: "us-east-1" }).destroy();
process.emitWarning("canary warning from the script");
console.log("done");
`;

function run(extraEnv: Record<string, string>): { stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ...extraEnv };
  delete env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"];
  Object.assign(env, extraEnv);
  const child = spawnSync(process.execPath, [...CHILD_LOADER, "--input-type=module", "-e", SCRIPT], { encoding: "utf8", env, timeout: 120_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /done/);
  return child;
}

describe("the AWS SDK's Node-version notice", { skip: NODE_MAJOR >= 22 ? "the SDK prints it only on Node < 22" : false }, () => {
  it("is not printed by a script that makes calls, while other warnings still are", () => {
    const { stderr } = run({});
    assert.doesNotMatch(stderr, /NodeVersionSupportWarning/);
    assert.match(stderr, /canary warning from the script/);
  });

  it("is printed when the user asks for it (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false)", () => {
    const { stderr } = run({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "false" });
    assert.equal(stderr.match(/NodeVersionSupportWarning/g)?.length, 1);
  });
});

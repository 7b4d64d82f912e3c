/**
 * The default credential chain finding nothing: a ConfigError saying what was tried, for which profile, and how
 * to fix it. Run in a child process with a controlled environment (no AWS variables inherited, instance
 * metadata disabled, so nothing leaves the machine).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { credentialChainError } from "../../../../src/providers/bedrock/auth/credential-chain-error.js";
import { CHILD_LOADER, childModule } from "../../../support/child-modules.js";

const src = (path: string): string => JSON.stringify(childModule(new URL(`../../../../src/${path}`, import.meta.url)).href);
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzSECRET";

const SCRIPT = `
import { BedrockAsyncProvider } from ${src("providers/bedrock/index.ts")};
const config = { api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1", endpoint: "http://127.0.0.1:9", max_attempts: 1 };
if (process.env.TEST_PROFILE) config.profile = process.env.TEST_PROFILE;
const provider = new BedrockAsyncProvider(config);
const results = [];
for (const call of [() => provider.generate([{ role: "user", content: "hi" }]), () => provider.generateStreamResponse([{ role: "user", content: "hi" }])]) {
  try { await call(); results.push({ ok: true }); } catch (error) { results.push({ name: error.name, message: error.message, inspected: String(error.stack) }); }
}
await provider.close();
console.log(JSON.stringify(results));
`;

describe("no AWS credentials anywhere", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "minion-creds-"));
    const failingHelper = `${process.execPath} -e "process.stderr.write('unnamed-token-77 expired'); process.exit(3)" --token unnamed-token-77`;
    writeFileSync(join(dir, "config"), `[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[profile proc]\nregion = us-east-1\ncredential_process = ${failingHelper}\n`);
    writeFileSync(join(dir, "credentials"), "");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(env: Record<string, string>): { name: string; message: string; inspected: string }[] {
    const child = spawnSync(process.execPath, [...CHILD_LOADER, "--input-type=module", "-e", SCRIPT], {
      encoding: "utf8",
      timeout: 120_000,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...env,
      },
    });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout.trim().split("\n").at(-1)!);
  }

  it("says what was tried for the default profile and how to fix it, on every call path", () => {
    for (const result of run({})) {
      assert.equal(result.name, "ConfigError");
      assert.match(result.message, /No AWS credentials were found/);
      assert.match(result.message, /Could not load credentials from any providers/);
      assert.match(result.message, /profile "default" \(no profile set/);
      assert.match(result.message, /AWS_ACCESS_KEY_ID/);
      assert.ok(result.message.includes(join(dir, "credentials")), "names the credentials file it read");
      assert.match(result.message, /aws sso login --profile default/);
    }
  });

  it("names the profile from the config (or AWS_PROFILE), and never a secret from the environment", () => {
    const fromConfig = run({ TEST_PROFILE: "dev", AWS_ACCESS_KEY_ID: "TEST-ACCESS-KEY-ID-FROM-ENV", AWS_SECRET_ACCESS_KEY: SECRET });
    for (const result of fromConfig) {
      assert.equal(result.name, "ConfigError");
      assert.match(result.message, /profile "dev" \(the config's `profile`\)/);
      assert.match(result.message, /aws sso login --profile dev/);
      assert.ok(!result.inspected.includes(SECRET) && !result.inspected.includes("TEST-ACCESS-KEY-ID-FROM-ENV"));
    }
    const fromEnv = run({ AWS_PROFILE: "dev" });
    assert.match(fromEnv[0]!.message, /profile "dev" \(AWS_PROFILE\)/);
  });

  it("a failing credential_process (through the real chain): neither its command line nor its output is shown", () => {
    for (const result of run({ TEST_PROFILE: "proc" })) {
      assert.equal(result.name, "ConfigError");
      assert.match(result.message, /profile "proc"/);
      assert.ok(!result.inspected.includes("unnamed-token-77"), result.inspected);
    }
  });
});

describe("credentialChainError", () => {
  it("scrubs known and environment credentials, and key-shaped strings, from the SDK's message", () => {
    const thrown = Object.assign(new Error(`Profile dev credential_process returned tok-123456789, ${SECRET}, AKIAIOSFODNN7EXAMPLE and sess-abcdefgh`), { name: "CredentialsProviderError" });
    const error = credentialChainError(thrown, "dev", ["tok-123456789"], { AWS_SESSION_TOKEN: "sess-abcdefgh", AWS_SECRET_ACCESS_KEY: SECRET });
    assert.ok(error);
    for (const secret of ["tok-123456789", SECRET, "AKIAIOSFODNN7EXAMPLE", "sess-abcdefgh"]) assert.ok(!error.message.includes(secret), secret);
    assert.match(error.message, /Profile dev credential_process returned \[redacted\]/);
    assert.equal(credentialChainError(new Error("other"), undefined), undefined);
  });

  it("quotes neither the command line nor the output of a failed credential_process (secrets no one named)", () => {
    const thrown = Object.assign(new Error("Command failed: get-creds --token unnamed-token-42\nerror: unnamed-token-42 expired"), { name: "CredentialsProviderError" });
    const error = credentialChainError(thrown, "dev", [], {});
    assert.ok(error);
    assert.ok(!error.message.includes("unnamed-token-42") && !error.message.includes("get-creds"), error.message);
    assert.match(error.message, /credential_process exited with an error; its command line and output are not shown/);
  });
});

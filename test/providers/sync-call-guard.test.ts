import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { runSyncCall, workerExecArgv } from "../../src/providers/sync-call.js";
import { ProviderError, TimeoutError } from "../../src/schema/errors.js";
import { CHILD_LOADER, childModule } from "../support/child-modules.js";

const src = (path: string): string => JSON.stringify(childModule(new URL(`../../src/${path}`, import.meta.url)).href);

// Run in a child process: before the guard existed this deadlocked, and a deadlocked test process cannot fail.
// The script is a file, not `--input-type=module -e`: a worker inherits that flag and Node refuses it for a file entry.
const SCRIPT = `
import { startEmulator, EXAMPLE_CREDENTIALS } from ${src("emulator/index.ts")};
import { BedrockAsyncProvider } from ${src("providers/bedrock/index.ts")};
const emulator = await startEmulator();
const attempt = async (endpoint) => {
  const provider = new BedrockAsyncProvider({ api_type: "bedrock_async", model: "anthropic.claude-3-5-haiku-20241022-v1:0", region: "us-east-1",
    access_key_id: EXAMPLE_CREDENTIALS.accessKeyId, secret_access_key: EXAMPLE_CREDENTIALS.secretAccessKey, endpoint, max_attempts: 1 });
  try { return { text: provider.generateSync([{ role: "user", content: "hi" }]) }; }
  catch (error) { return { name: error.name, message: error.message }; }
  finally { await provider.close(); }
};
const results = [await attempt(emulator.url), await attempt(emulator.url.replace("127.0.0.1", "localhost"))];
await emulator.close();
results.push(await attempt(emulator.url));
console.log(JSON.stringify(results));
`;

describe("generateSync against an emulator in the same thread", () => {
  it("fails at once with an InvalidRequestError that explains, instead of deadlocking", () => {
    const dir = mkdtempSync(join(tmpdir(), "minion-sync-guard-"));
    writeFileSync(join(dir, "script.mjs"), SCRIPT);
    const child = spawnSync(process.execPath, [...CHILD_LOADER, join(dir, "script.mjs")], { encoding: "utf8", timeout: 120_000 });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(child.signal, null, `the child hung and was killed; stderr: ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    const [direct, viaLocalhost, afterClose] = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    for (const result of [direct, viaLocalhost]) {
      assert.equal(result.name, "InvalidRequestError");
      assert.match(result.message, /an emulator started in this thread listens there/);
      assert.match(result.message, /another thread or process/);
    }
    // Once closed, the emulator is no longer registered: the call goes out (and finds nobody listening).
    assert.match(afterClose.name, /^(NetworkError|ProviderError)$/);
    assert.doesNotMatch(afterClose.message, /emulator started in this thread/);
  });
});

describe("generateSync's last-resort time limit", () => {
  it("gives up on a worker that cannot answer, with a TimeoutError, and drops that worker", () => {
    const handle = { spec: { moduleUrl: childModule(new URL("./fixtures/stuck-provider.ts", import.meta.url)).href, exportName: "StuckProvider", args: [], workerGraceMs: 200 } };
    assert.throws(() => runSyncCall(handle, [{ role: "user", content: "hi" }], { timeout: 50 }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.kind, "total");
      assert.equal(error.timeoutMs, 50);
      return true;
    });
    assert.equal((handle as { worker?: unknown }).worker, undefined);
    assert.throws(() => runSyncCall({ spec: handle.spec }, [{ role: "user", content: "hi" }], { timeout: -1 }), /timeout must be a positive number/);
  });
});

describe("generateSync's worker under Node options a worker refuses", () => {
  it("answers in a process started with --input-type=module -e (the option is not passed on to the worker)", () => {
    const syncCall = childModule(new URL("../../src/providers/sync-call.ts", import.meta.url)).href;
    const echo = childModule(new URL("./fixtures/echo-provider.ts", import.meta.url)).href;
    const script = `
      const { runSyncCall } = await import(${JSON.stringify(syncCall)});
      const handle = { spec: { moduleUrl: ${JSON.stringify(echo)}, exportName: "EchoProvider", args: [], workerGraceMs: 20000 } };
      console.log(runSyncCall(handle, [{ role: "user", content: "hi" }], { timeout: 20000 }).result.text);
      await handle.worker.terminate();`;
    const child = spawnSync(process.execPath, [...CHILD_LOADER, "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), "echo: hi");
  });

  it("a worker that has not started within workerStartMs ends the call with a typed error naming the cause, not a wait for the whole timeout", () => {
    const echo = childModule(new URL("./fixtures/echo-provider.ts", import.meta.url)).href;
    const handle = { spec: { moduleUrl: echo, exportName: "EchoProvider", args: [], workerStartMs: 0 } };
    assert.throws(() => runSyncCall(handle, [{ role: "user", content: "hi" }], { timeout: 60_000 }), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, "sync_worker_failed");
      assert.match(error.message, /worker thread did not start.*async generate\(\)/);
      return true;
    });
    assert.equal((handle as { worker?: unknown }).worker, undefined);
  });

  it("a worker that throws while loading ends the call with the typed error, and the process lives on", () => {
    const dir = mkdtempSync(join(tmpdir(), "minion-sync-"));
    try {
      const preload = join(dir, "throw-in-worker.mjs");
      writeFileSync(preload, `import { isMainThread } from "node:worker_threads"; if (!isMainThread) throw new Error("preload refuses workers");`);
      const syncCall = childModule(new URL("../../src/providers/sync-call.ts", import.meta.url)).href;
      const echo = childModule(new URL("./fixtures/echo-provider.ts", import.meta.url)).href;
      const script = join(dir, "main.mjs");
      writeFileSync(script, `
        const { runSyncCall } = await import(${JSON.stringify(syncCall)});
        const handle = { spec: { moduleUrl: ${JSON.stringify(echo)}, exportName: "EchoProvider", args: [], workerStartMs: 3000 } };
        try { runSyncCall(handle, [{ role: "user", content: "hi" }], { timeout: 20000 }); } catch (error) { console.log(error.code); }
        setTimeout(() => console.log("alive"), 200);`);
      const child = spawnSync(process.execPath, [...CHILD_LOADER, "--import", pathToFileURL(preload).href, script], { encoding: "utf8", timeout: 60_000 });
      assert.equal(child.status, 0, child.stderr);
      assert.deepEqual(child.stdout.trim().split("\n"), ["sync_worker_failed", "alive"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps every other option and drops only --input-type, in both spellings", () => {
    assert.deepEqual(workerExecArgv(["--input-type=module", "--enable-source-maps", "--input-type", "commonjs", "-e", "x"]), ["--enable-source-maps", "-e", "x"]);
  });
});

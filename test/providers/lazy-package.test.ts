import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCredentialProviders } from "../../src/providers/bedrock/load-aws-sdk.js";
import { lazyPackage, loadPackage } from "../../src/providers/lazy-package.js";
import { MissingDependencyError } from "../../src/schema/errors.js";

describe("packages imported at their first use", () => {
  it("names the package to install when it cannot be loaded", async () => {
    await assert.rejects(
      loadPackage(() => import("@aws-sdk/this-package-does-not-exist" as string), "@aws-sdk/client-bedrock-runtime"),
      (error: Error) => {
        assert.ok(error instanceof MissingDependencyError);
        assert.equal(error.packageName, "@aws-sdk/client-bedrock-runtime");
        assert.match(error.message, /npm install @aws-sdk\/client-bedrock-runtime/);
        return true;
      },
    );
  });

  it("loads the installed credential providers once and reuses them", async () => {
    const first = await loadCredentialProviders();
    assert.equal(typeof first.fromNodeProviderChain, "function");
    assert.equal(await loadCredentialProviders(), first);
  });

  it("imports once when it succeeds, and tries again after a failure instead of keeping it", async () => {
    let calls = 0;
    const load = lazyPackage("flaky-package", async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error("EMFILE: too many open files"), { code: "EMFILE" });
      return { loaded: calls };
    });
    await assert.rejects(load(), (error: Error) => error instanceof MissingDependencyError && error.packageName === "flaky-package");
    assert.deepEqual(await load(), { loaded: 2 });
    assert.equal(await load(), await load());
    assert.equal(calls, 2);
  });
});

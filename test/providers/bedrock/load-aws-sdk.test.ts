import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadCredentialProviders, loadPackage } from "../../../src/providers/bedrock/load-aws-sdk.js";
import { MissingDependencyError } from "../../../src/schema/errors.js";

describe("lazy AWS SDK loading", () => {
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
});

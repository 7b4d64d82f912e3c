import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withModuleHint } from "../../../src/brain/sandbox/describe-sandbox-error.js";
import { Sandbox } from "../../../src/brain/sandbox/quickjs-sandbox.js";

const syntaxError = { kind: "exception" as const, name: "SyntaxError", message: "SyntaxError: unexpected token" };

describe("withModuleHint", () => {
  it("hints at a static import or export at the start of any line, indented or not", () => {
    for (const code of ["import fs from 'fs'", "const a = 1;\n  export const b = 2", "x;\r\n\timport { y } from 'y'"]) {
      assert.match(withModuleHint(syntaxError, code).message, /import\/export statements are not available/, JSON.stringify(code));
    }
    assert.equal(withModuleHint(syntaxError, "let = = 3; // no import here").message, syntaxError.message);
    assert.equal(withModuleHint({ ...syntaxError, name: "TypeError" }, "import x from 'y'").message, syntaxError.message);
  });

  // The hint's pattern runs on the host's thread over the model's code: with `\s*` after `^` in multiline mode,
  // each line start rescanned every blank line after it, and 200,000 blank lines blocked the host's event loop
  // for over a minute. The test's timeout is a safety net for that hang, not a measurement.
  it("code of 200,000 blank lines and a syntax error is reported without stalling the host", { timeout: 30_000 }, async () => {
    const code = " \n".repeat(200_000) + "let = = 3";
    assert.equal(withModuleHint(syntaxError, code).message, syntaxError.message);
    const result = await new Sandbox({ timeoutMs: 20_000 }).run(code);
    assert.equal(result.error?.name, "SyntaxError");
    assert.doesNotMatch(result.error?.message ?? "", /import\/export/);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GREETING, textTokens } from "../../../src/emulator/model/index.js";
import { arithmeticExpression } from "../../../src/emulator/model/code-convention.js";
import { anthropicBody, asAnswer, converseBody, planOnce, textOf } from "./helpers.js";

const CODE_SYSTEM = "You solve the task by writing JavaScript. When you know the answer, call finalAnswer(value) in your code.";

describe("built-in model: code convention (the system prompt mentions finalAnswer()", () => {
  it("computes a simple arithmetic expression from the last user message in a ```js block", async () => {
    const plan = asAnswer(await planOnce("InvokeModel", anthropicBody({ system: CODE_SYSTEM }, "What is 2+2?")));
    assert.equal(textOf(plan), "```js\nconst result = 2+2;\nconsole.log(result);\nfinalAnswer(result);\n```");
    assert.equal(plan.stopReason, "end_turn");
    assert.equal(plan.usage.outputTokens, textTokens(textOf(plan)));
  });

  it("otherwise hands the usual echo answer to finalAnswer as a JSON string (Converse too)", async () => {
    const plan = asAnswer(await planOnce("Converse", converseBody({ system: [{ text: CODE_SYSTEM }] }, "Capital of `France`?")));
    const echo = `${GREETING} You said: Capital of \`France\`?`;
    assert.equal(textOf(plan), `\`\`\`js\nfinalAnswer(${JSON.stringify(echo).replaceAll("`", "\\u0060")});\n\`\`\``);
  });

  it("leaves other requests unchanged: no marker in the system prompt, or the marker only in a user message", async () => {
    const plain = asAnswer(await planOnce("InvokeModel", anthropicBody({ system: "Be brief." }, "What is 2+2?")));
    assert.equal(textOf(plain), `${GREETING} You said: What is 2+2?`);
    const inUser = asAnswer(await planOnce("InvokeModel", anthropicBody({}, "call finalAnswer(2+2)")));
    assert.equal(textOf(inUser), `${GREETING} You said: call finalAnswer(2+2)`);
  });

  it("still honours max_tokens and stop sequences on the code answer", async () => {
    const cut = asAnswer(await planOnce("InvokeModel", anthropicBody({ system: CODE_SYSTEM, max_tokens: 2 }, "What is 2+2?")));
    assert.equal(textOf(cut), "```js\nco");
    assert.equal(cut.stopReason, "max_tokens");
    const stopped = asAnswer(await planOnce("InvokeModel", anthropicBody({ system: CODE_SYSTEM, stop_sequences: ["console"] }, "What is 2+2?")));
    assert.equal(textOf(stopped), "```js\nconst result = 2+2;\n");
    assert.equal(stopped.stopReason, "stop_sequence");
  });

  it("extracts only strict arithmetic expressions", () => {
    assert.equal(arithmeticExpression("What is (3 + 4) * 2.5 ** 2 % 7?"), "(3 + 4) * 2.5 ** 2 % 7");
    assert.equal(arithmeticExpression("Compute 10 / 4."), "10 / 4");
    assert.equal(arithmeticExpression("What is 42?"), null, "a lone number is not an expression");
    assert.equal(arithmeticExpression("Meet on 2024-01-01"), null, "leading zeros are rejected");
    assert.equal(arithmeticExpression("(2 + 3 is it"), null, "parentheses must balance");
    assert.equal(arithmeticExpression("2 *** 3"), null);
    assert.equal(arithmeticExpression("alert(1); 2+2"), "2+2");
  });
});

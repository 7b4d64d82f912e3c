import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPlanner, loadScript } from "../../../src/emulator/model/index.js";
import { ConfigError } from "../../../src/schema/errors.js";
import { anthropicBody, asAnswer, request, textOf } from "./helpers.js";

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "emulator-script-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("loading scripts", () => {
  it("loads a YAML script and a planner answers from it", async () => {
    const path = await file(
      "ok.yaml",
      ["defaults:", "  chunksPerAnswer: 3", "rules:", "  - match: { text: ping }", "    respond: { text: pong }", ""].join("\n"),
    );
    const script = loadScript(path);
    assert.equal(script.defaults.chunksPerAnswer, 3);
    const plan = asAnswer(await createPlanner({ script: path })(request("InvokeModel", anthropicBody({}, "ping"))));
    assert.equal(textOf(plan), "pong");
    assert.equal(plan.timing.chunksPerAnswer, 3);
  });

  it("loads a JSON script written as a plain list of rules", async () => {
    const path = await file("list.json", JSON.stringify([{ match: { regex: "^hi" }, respond: { text: "hello" } }]));
    assert.equal(loadScript(path).rules.length, 1);
  });

  it("reports a YAML syntax error with the file and line", async () => {
    const path = await file("bad.yaml", ["rules:", "  - match: { text: ping }", "    respond: { text: pong", "  - oops", ""].join("\n"));
    assert.throws(() => loadScript(path), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`^Emulator script ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, line [34]: invalid YAML: `));
      return true;
    });
  });

  it("reports a JSON syntax error with its line", async () => {
    const path = await file("bad.json", '{\n  "rules": [\n    { "respond": { "text": "x" } },,\n  ]\n}\n');
    assert.throws(() => loadScript(path), { name: "ConfigError", message: /bad\.json, line 3: invalid JSON/ });
  });

  it("names a bad field and its line", async () => {
    const path = await file("field.yaml", ["rules:", "  - match: { text: ping }", "    respond:", "      toolCalls:", "        - nam: get_weather", ""].join("\n"));
    assert.throws(() => loadScript(path), { name: "ConfigError", message: /field\.yaml, line 5: field `rules\[0\]\.respond\.toolCalls\[0\]\.name`: is required/ });
  });

  it("rejects unknown keys, bad enums, bad regexes and rules with both respond and sequence", async () => {
    const cases: Array<[string, RegExp]> = [
      ["rules:\n  - match: { txt: a }\n    respond: { text: b }\n", /Unrecognized key.*"txt"/],
      ["rules:\n  - respond: { error: { name: TeapotException } }\n", /field `rules\[0\]\.respond\.error\.name`/],
      ["rules:\n  - match: { regex: '(' }\n    respond: { text: b }\n", /field `rules\[0\]\.match\.regex`: not a valid regular expression/],
      ["rules:\n  - respond: { text: a }\n    sequence: [{ text: b }]\n", /exactly one of `respond` or `sequence`/],
      ["defaults:\n  throttleRate: 3\n", /field `defaults\.throttleRate`/],
    ];
    for (const [text, expected] of cases) {
      const path = await file("case.yaml", text);
      assert.throws(() => loadScript(path), { name: "ConfigError", message: expected }, text);
    }
  });

  it("reports a missing file and an unsupported extension", () => {
    assert.throws(() => loadScript(join(dir, "missing.yaml")), { name: "ConfigError", message: /missing\.yaml: cannot read it \(file not found\)/ });
    assert.throws(() => loadScript(join(dir, "script.txt")), { name: "ConfigError", message: /unsupported file type/ });
  });

  it("validates inline script objects too", () => {
    assert.throws(() => createPlanner({ script: { rules: [{ respond: { chunksPerAnswer: 0 } }] } }), {
      name: "ConfigError",
      message: /^Emulator script \(inline script\): field `rules\[0\]\.respond\.chunksPerAnswer`/,
    });
  });
});

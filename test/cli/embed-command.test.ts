import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { runMinion, tempProject } from "./run-cli-helpers.js";

const SHIPPED_CONFIG = fileURLToPath(new URL("../../config/config.yaml", import.meta.url));

describe("minion embed (the shipped config: local-embed on the in-process emulator)", () => {
  let project: ReturnType<typeof tempProject>;
  before(() => {
    project = tempProject({});
    mkdirSync(join(project.cwd, "config"), { recursive: true });
    copyFileSync(SHIPPED_CONFIG, join(project.cwd, "config", "config.yaml"));
  });
  after(() => project.cleanup());

  it("prints the size, norm and first values of each text's vector, and the cost line", async () => {
    const result = await runMinion(["embed", "The Eiffel Tower is in Paris", "Penguins cannot fly", "--dimensions", "256"], project);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^"The Eiffel Tower is in Paris": 256 dimensions, norm 1\.0000, first 8: \[(-?\d\.\d{4}, ){7}-?\d\.\d{4}, \.\.\.\]$/);
    assert.match(result.stderr, /cost: \$0\.\d{6} .*tokens: 12 prompt .*local-embed \(amazon\.titan-embed-text-v2:0\)/);
  });

  it("--json prints the vectors, which match between runs and rank the related text closer", async () => {
    const run = () => runMinion(["embed", "--json", "tower in Paris", "the Paris tower", "stock market rates"], project);
    const [first, second] = [await run(), await run()];
    assert.equal(first.code, 0, first.stderr);
    const parsed = JSON.parse(first.stdout) as { model: string; dimensions: number; embeddings: number[][] };
    assert.equal(parsed.model, "amazon.titan-embed-text-v2:0");
    assert.equal(parsed.dimensions, 1024);
    assert.deepEqual(JSON.parse(second.stdout), parsed);
    const dot = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    const [a, b, c] = parsed.embeddings as [number[], number[], number[]];
    assert.ok(dot(a, b) > dot(a, c));
  });

  it("reports a bad option as the provider's typed error, with exit code 1", async () => {
    const result = await runMinion(["embed", "x", "--type", "int8"], project);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /minion: embeddingType must be one of float, binary for amazon\.titan-embed-text-v2:0/);
    const none = await runMinion(["embed"], project);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /embed needs a text/);
  });
});

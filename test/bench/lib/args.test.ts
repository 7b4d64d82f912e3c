import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HELP, parseBenchArgs, type BenchOptions } from "../../../bench/lib/args.js";

function parse(argv: string[]): BenchOptions {
  const options = parseBenchArgs(argv);
  assert.notEqual(options, "help");
  return options as BenchOptions;
}

describe("parseBenchArgs", () => {
  it("defaults: TLS, concurrency 1/100/1000 with 200/1000/1000 requests, every client, one round", () => {
    assert.deepEqual(parse([]), {
      quick: false,
      tls: true,
      scale: false,
      scaleOnly: false,
      concurrency: [1, 100, 1000],
      requests: [200, 1000, 1000],
      clients: null,
      streamingOnly: false,
      firstByteLatencyMs: 10,
      chunkDelayMs: 1,
      chunksPerAnswer: 50,
      scaleStreams: 10_000,
      scaleClients: ["minion-uncapped.generateStream", "sdk.InvokeModelWithResponseStream"],
      scaleChunkDelayMs: 1000,
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      writeResults: false,
      out: null,
      jobTimeoutMs: 240_000,
      rounds: 1,
      fromSource: false,
      cold: false,
    });
  });

  it("--help wins over everything else", () => {
    assert.equal(parseBenchArgs(["--help"]), "help");
    assert.equal(parseBenchArgs(["--quick", "--help"]), "help");
  });

  it("--quick: concurrency 1 and 100 with fewer requests", () => {
    const options = parse(["--quick"]);
    assert.equal(options.quick, true);
    assert.deepEqual(options.concurrency, [1, 100]);
    assert.deepEqual(options.requests, [20, 300]);
  });

  it("derives requests per level: 200 at 1, else at least 1000 (300 with --quick) and at least the level", () => {
    assert.deepEqual(parse(["--concurrency", "1,10,5000"]).requests, [200, 1000, 5000]);
    assert.deepEqual(parse(["--quick", "--concurrency", "1,10,500"]).requests, [20, 300, 500]);
  });

  it("takes explicit --requests, one per level", () => {
    const options = parse(["--concurrency", "1,100", "--requests", "5,200"]);
    assert.deepEqual(options.concurrency, [1, 100]);
    assert.deepEqual(options.requests, [5, 200]);
  });

  it("splits comma lists, trimming blanks", () => {
    const options = parse(["--clients", " minion-ts, sdk.InvokeModel ,,", "--concurrency", "1, ,100"]);
    assert.deepEqual(options.clients, ["minion-ts", "sdk.InvokeModel"]);
    assert.deepEqual(options.concurrency, [1, 100]);
    assert.deepEqual(parse(["--scale-clients", "a,b"]).scaleClients, ["a", "b"]);
  });

  it("maps boolean flags", () => {
    const options = parse(["--http", "--streaming-only", "--write-results", "--from-source", "--scale"]);
    assert.equal(options.tls, false);
    assert.equal(options.streamingOnly, true);
    assert.equal(options.writeResults, true);
    assert.equal(options.fromSource, true);
    assert.equal(options.scale, true);
    assert.equal(options.scaleOnly, false);
  });

  it("--scale-only implies --scale", () => {
    const options = parse(["--scale-only"]);
    assert.equal(options.scale, true);
    assert.equal(options.scaleOnly, true);
  });

  it("reads the numeric knobs, the model and the output path", () => {
    const options = parse([
      "--first-byte-ms", "0",
      "--chunk-delay-ms", "2.5",
      "--chunks", "7",
      "--scale-streams", "300",
      "--scale-chunk-delay-ms", "50",
      "--job-timeout-s", "30",
      "--rounds", "3",
      "--model", "amazon.nova-lite-v1:0",
      "--out", "/tmp/x.json",
    ]);
    assert.equal(options.firstByteLatencyMs, 0);
    assert.equal(options.chunkDelayMs, 2.5);
    assert.equal(options.chunksPerAnswer, 7);
    assert.equal(options.scaleStreams, 300);
    assert.equal(options.scaleChunkDelayMs, 50);
    assert.equal(options.jobTimeoutMs, 30_000);
    assert.equal(options.rounds, 3);
    assert.equal(options.model, "amazon.nova-lite-v1:0");
    assert.equal(options.out, "/tmp/x.json");
  });

  it("rejects --requests whose count differs from the levels", () => {
    assert.throws(() => parse(["--concurrency", "1,100", "--requests", "10"]), /one number per --concurrency level/);
    assert.throws(() => parse(["--requests", "1,2"]), /one number per --concurrency level/);
  });

  it("rejects levels and request counts that are not positive integers", () => {
    for (const bad of ["0", "-1", "1.5", "abc"]) {
      assert.throws(() => parse([`--concurrency=${bad}`]), /positive integers/, bad);
    }
    assert.throws(() => parse(["--concurrency", "1", "--requests", "0"]), /positive integers, got 0/);
  });

  it("rejects numeric knobs that are not numbers in range, naming the flag", () => {
    const cases: [string, string][] = [
      ["--rounds", "x"],
      ["--rounds", "0"],
      ["--rounds", "1.5"],
      ["--chunks", "abc"],
      ["--chunks", "0"],
      ["--first-byte-ms", "-3"],
      ["--chunk-delay-ms", "soon"],
      ["--scale-streams", "1e3.5"],
      ["--scale-chunk-delay-ms", ""],
      ["--job-timeout-s", "z"],
    ];
    for (const [flag, value] of cases) {
      assert.throws(() => parse([`${flag}=${value}`]), new RegExp(`^Error: ${flag} takes .* got "${value}"`), `${flag}=${value}`);
    }
  });

  it("rejects unknown flags", () => {
    assert.throws(() => parse(["--concurency", "1"]), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
  });

  it("documents every flag it accepts in HELP", () => {
    for (const flag of ["--quick", "--http", "--concurrency", "--requests", "--clients", "--streaming-only", "--first-byte-ms",
      "--chunk-delay-ms", "--chunks", "--scale", "--scale-only", "--scale-streams", "--scale-clients",
      "--scale-chunk-delay-ms", "--rounds", "--from-source", "--model", "--write-results", "--out"]) {
      assert.ok(HELP.includes(`  ${flag} `), flag);
    }
  });
});

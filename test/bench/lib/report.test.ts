import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  SCALE_HEADER,
  TABLE_HEADER,
  baselineFor,
  failureLine,
  markdownTable,
  scaleCells,
  tableCells,
  textTable,
  withRatios,
} from "../../../bench/lib/report.js";
import { row, scaleResult, summary } from "./fixtures.js";

const SDK_STREAM = "sdk.InvokeModelWithResponseStream";
const SDK_INVOKE = "sdk.InvokeModel";

describe("baselineFor", () => {
  it("compares streamed clients with InvokeModelWithResponseStream and the rest with InvokeModel", () => {
    assert.equal(baselineFor("minion.generateStream"), SDK_STREAM);
    assert.equal(baselineFor("minion.generateStreamResponse"), SDK_STREAM);
    assert.equal(baselineFor("langchain.stream"), SDK_STREAM);
    assert.equal(baselineFor("minion.generate"), SDK_INVOKE);
    assert.equal(baselineFor("ai-sdk.generateText"), SDK_INVOKE);
  });

  it("rejects an unknown client id, listing the known ones", () => {
    assert.throws(() => baselineFor("nope"), /Unknown bench client "nope". Known: .*minion\.generateStream/);
  });
});

describe("withRatios", () => {
  const sdk100 = row(SDK_STREAM, 100, {
    cpuPerRequestUs: 200,
    throughput: 1000,
    addedFirstToken: summary(2),
    addedLastToken: summary(4),
    rssPerInFlightKB: 10,
  });
  const minion100 = row("minion.generateStream", 100, {
    cpuPerRequestUs: 100,
    throughput: 1500,
    addedFirstToken: summary(0.5),
    addedLastToken: null,
    rssPerInFlightKB: 5,
  });
  const invoke100 = row(SDK_INVOKE, 100, { cpuPerRequestUs: 300, throughput: 500, rssPerInFlightKB: 8 });
  const generate100 = row("minion.generate", 100, { cpuPerRequestUs: 150, throughput: 600, rssPerInFlightKB: 4 });
  const minion1 = row("minion.generateStream", 1, { cpuPerRequestUs: 90 });

  it("divides each figure by the raw SDK's at the same concurrency", () => {
    const [, minion] = withRatios([sdk100, minion100]);
    assert.deepEqual(minion!.ratios, {
      baseline: SDK_STREAM,
      cpuPerRequest: 0.5,
      throughput: 1.5,
      addedFirstTokenP50: 0.25,
      addedLastTokenP50: null, // this row has no added-last figure
      rssPerInFlight: 0.5,
      floor: null, // no floor row in this run
    });
  });

  it("gives the baseline row ratios of 1 to itself", () => {
    const [sdk] = withRatios([sdk100]);
    assert.deepEqual(sdk!.ratios, {
      baseline: SDK_STREAM,
      cpuPerRequest: 1,
      throughput: 1,
      addedFirstTokenP50: 1,
      addedLastTokenP50: 1,
      rssPerInFlight: 1,
      floor: null,
    });
  });

  it("uses the non-streamed baseline for non-streamed rows", () => {
    const rows = withRatios([sdk100, invoke100, generate100, minion100]);
    const generate = rows.find((r) => r.result.clientId === "minion.generate")!;
    assert.equal(generate.ratios?.baseline, SDK_INVOKE);
    assert.equal(generate.ratios?.cpuPerRequest, 0.5);
    assert.equal(generate.ratios?.throughput, 1.2);
    assert.equal(generate.ratios?.rssPerInFlight, 0.5);
  });

  it("leaves ratios null when the baseline did not run at that concurrency", () => {
    const rows = withRatios([sdk100, minion100, minion1]);
    assert.equal(rows[2]!.ratios, null);
    assert.equal(withRatios([generate100])[0]!.ratios, null); // no sdk.InvokeModel row at all
  });

  it("gives no latency ratio when the baseline's latency is missing or zero", () => {
    const sdkNoLatency = row(SDK_STREAM, 100, { addedFirstToken: summary(0), addedLastToken: null });
    const [, minion] = withRatios([sdkNoLatency, row("minion.generateStream", 100)]);
    assert.equal(minion!.ratios?.addedFirstTokenP50, null);
    assert.equal(minion!.ratios?.addedLastTokenP50, null);
  });

  it("does not modify the rows it is given", () => {
    const input = [sdk100, minion100];
    withRatios(input);
    assert.equal(input[1]!.ratios, null);
  });
});

describe("tableCells", () => {
  it("renders one row with ratios, latency pairs and rounded figures", () => {
    const [, minion] = withRatios([
      row(SDK_STREAM, 100, { cpuPerRequestUs: 200, throughput: 1000 }),
      row(
        "minion.generateStream",
        100,
        {
          ok: 99,
          errors: 1,
          cpuPerRequestUs: 100.4,
          throughput: 1500,
          addedFirstToken: { p50: 0.5, p99: 0.904, mean: 0.6, min: 0.1, max: 1 },
          addedLastToken: null,
          rssPeakMB: 123.4,
          rssPerInFlightKB: 5,
        },
        42.4,
      ),
    ]);
    assert.deepEqual(tableCells(minion!), [
      "minion.generateStream",
      "100",
      "99/1",
      "100 (0.50x)",
      "-",
      "1500 (1.50x)",
      "0.50 / 0.90",
      "-",
      "123",
      "5.0",
      "42",
    ]);
    assert.equal(tableCells(minion!).length, TABLE_HEADER.length);
  });

  it("omits ratios without a baseline and shows NaN as '-'", () => {
    const cells = tableCells(row("minion.generate", 1, { cpuPerRequestUs: 77, throughput: 12.6, rssPerInFlightKB: Number.NaN }));
    assert.equal(cells[3], "77");
    assert.equal(cells[4], "-");
    assert.equal(cells[5], "13");
    assert.equal(cells[9], "-");
  });

  it("omits a ratio that is not finite (baseline figure of 0)", () => {
    const [, minion] = withRatios([row(SDK_STREAM, 100, { cpuPerRequestUs: 0 }), row("minion.generateStream", 100, { cpuPerRequestUs: 50 })]);
    assert.equal(minion!.ratios?.cpuPerRequest, Number.POSITIVE_INFINITY);
    assert.equal(tableCells(minion!)[3], "50");
  });
});

describe("textTable / markdownTable", () => {
  const header = ["name", "n"];
  const rows = [
    ["minion", "1"],
    ["x", "1234"],
  ];

  it("pads the first column left-aligned and the others right-aligned", () => {
    // widths 6 ("minion") and 4 ("1234"), two spaces between columns
    assert.equal(textTable(header, rows), ["name       n", "------  ----", "minion     1", "x       1234"].join("\n"));
  });

  it("renders a markdown table with right-aligned figure columns", () => {
    assert.equal(markdownTable(header, rows), ["| name | n |", "| --- | ---: |", "| minion | 1 |", "| x | 1234 |"].join("\n"));
  });

  it("renders a header-only table", () => {
    assert.equal(textTable(["a", "bb"], []), "a  bb\n-  --");
  });
});

describe("scaleCells / failureLine", () => {
  it("renders the scale row with the last RSS point", () => {
    const cells = scaleCells(scaleResult("minion-uncapped.generateStream", { errors: 2, ok: 9998 }));
    assert.deepEqual(cells, ["minion-uncapped.generateStream", "10000", "9998/2", "70", "1200 @ 10000", "116.4", "0.999", "900", "42.0"]);
    assert.equal(cells.length, SCALE_HEADER.length);
  });

  it("shows '-' when no RSS point was sampled", () => {
    assert.equal(scaleCells(scaleResult("sdk.InvokeModelWithResponseStream", { points: [] }))[4], "-");
  });

  it("names the client and the workload of a failed worker", () => {
    assert.equal(
      failureLine({ kind: "failed", clientId: "langchain.stream", message: "worker exited with code 1" }, "c=100"),
      "FAILED langchain.stream c=100: worker exited with code 1",
    );
  });
});

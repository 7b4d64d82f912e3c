import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { linearFit, percentile, summarize } from "../../../bench/lib/stats.js";

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
}

describe("percentile (nearest rank on sorted input)", () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it("picks the nearest-rank element", () => {
    assert.equal(percentile(oneToTen, 50), 5); // ceil(0.5 * 10) = 5th value
    assert.equal(percentile(oneToTen, 90), 9);
    assert.equal(percentile(oneToTen, 91), 10); // ceil(9.1) = 10th value
    assert.equal(percentile(oneToTen, 99), 10);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(hundred, 50), 50);
    assert.equal(percentile(hundred, 99), 99);
  });

  it("clamps p to the first and last element", () => {
    assert.equal(percentile(oneToTen, 0), 1);
    assert.equal(percentile(oneToTen, 100), 10);
    assert.equal(percentile(oneToTen, 150), 10);
    assert.equal(percentile(oneToTen, -5), 1);
  });

  it("works on typed arrays and single values; NaN when empty", () => {
    assert.equal(percentile(Float64Array.from([0.5, 1.5, 2.5]), 50), 1.5);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});

describe("summarize", () => {
  it("sorts numerically (not as strings) and reports p50, p99, mean, min, max", () => {
    // As strings these would sort 10, 100, 2, 9.
    const summary = summarize([10, 9, 100, 2]);
    assert.deepEqual(summary, { p50: 9, p99: 100, mean: 30.25, min: 2, max: 100 });
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    summarize(values);
    assert.deepEqual(values, [3, 1, 2]);
  });

  it("handles one value and fractional values", () => {
    assert.deepEqual(summarize([4.25]), { p50: 4.25, p99: 4.25, mean: 4.25, min: 4.25, max: 4.25 });
    const s = summarize([0.3, 0.1, 0.2])!;
    assert.equal(s.min, 0.1);
    assert.equal(s.max, 0.3);
    assert.equal(s.p50, 0.2);
    close(s.mean, 0.2);
  });

  it("returns null for no values", () => {
    assert.equal(summarize([]), null);
  });
});

describe("linearFit", () => {
  it("recovers an exact line with r² = 1", () => {
    const fit = linearFit([
      { x: 1, y: 3 },
      { x: 2, y: 5 },
      { x: 3, y: 7 },
    ]);
    close(fit.slope, 2);
    close(fit.intercept, 1);
    close(fit.r2, 1);
  });

  it("fits noisy points like the hand computation", () => {
    // mean x 1.5, mean y 2.75; Sxy = 5.5, Sxx = 5, Syy = 8.75
    // slope = 5.5 / 5 = 1.1; intercept = 2.75 - 1.1 * 1.5 = 1.1; r² = 5.5² / (5 * 8.75) = 30.25 / 43.75
    const fit = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
      { x: 3, y: 5 },
    ]);
    close(fit.slope, 1.1);
    close(fit.intercept, 1.1);
    close(fit.r2, 30.25 / 43.75);
  });

  it("gives a negative slope for a falling line, and r² does not depend on point order", () => {
    const points = [
      { x: 10, y: 100 },
      { x: 20, y: 80 },
      { x: 30, y: 70 },
    ];
    const fit = linearFit(points);
    // mean x 20, mean y 83.33..; Sxy = -300, Sxx = 200, Syy = 466.67 -> slope -1.5, r² = 90000 / (200 * 1400/3)
    close(fit.slope, -1.5);
    close(fit.intercept, 250 / 3 + 30);
    close(fit.r2, 90000 / (200 * (1400 / 3)));
    const reversed = linearFit([...points].reverse());
    close(reversed.slope, fit.slope);
    close(reversed.r2, fit.r2);
  });

  it("treats a flat line as a perfect fit with slope 0", () => {
    const fit = linearFit([
      { x: 0, y: 4 },
      { x: 1, y: 4 },
      { x: 2, y: 4 },
    ]);
    assert.equal(fit.slope, 0);
    assert.equal(fit.intercept, 4);
    assert.equal(fit.r2, 1);
  });

  it("returns NaN for fewer than two points", () => {
    for (const points of [[], [{ x: 1, y: 1 }]]) {
      const fit = linearFit(points);
      assert.ok(Number.isNaN(fit.slope) && Number.isNaN(fit.intercept) && Number.isNaN(fit.r2));
    }
  });
});

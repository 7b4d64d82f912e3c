import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AdaptiveWindow } from "../../src/batch/adaptive-window.js";

describe("AdaptiveWindow", () => {
  it("halves once per round trip: throttles of requests sent before the cut do not cut again", () => {
    const window = new AdaptiveWindow(16);
    const tickets = Array.from({ length: 16 }, () => window.start());
    assert.equal(window.onThrottle(tickets[3]!), true);
    assert.equal(window.limit, 8);
    assert.equal(window.onThrottle(tickets[9]!), false, "sent under the old window");
    assert.equal(window.limit, 8);
    assert.equal(window.onThrottle(window.start()), true, "sent after the cut");
    assert.equal(window.limit, 4);
  });

  it("never goes below 1, and grows back by about one per window of successes up to the maximum", () => {
    const window = new AdaptiveWindow(4);
    for (let cut = 0; cut < 5; cut++) window.onThrottle(window.start());
    assert.equal(window.limit, 1);
    window.onSuccess();
    assert.equal(window.limit, 2);
    window.onSuccess(); // 2.5
    window.onSuccess(); // 2.9
    assert.equal(window.limit, 2, "a success adds only 1/limit");
    window.onSuccess(); // 3.24
    assert.equal(window.limit, 3);
    for (let index = 0; index < 100; index++) window.onSuccess();
    assert.equal(window.limit, 4);
  });
});

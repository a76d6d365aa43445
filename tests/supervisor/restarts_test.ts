/** The intensity budget: restarts older than the period stop counting. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addRestart } from "../../src/supervisor/_restarts.ts";

describe("addRestart", () => {
  it("allows `intensity` restarts within the period, not one more", () => {
    const times: number[] = [];
    assert.equal(addRestart(times, 0, 3, 5000), true);
    assert.equal(addRestart(times, 1, 3, 5000), true);
    assert.equal(addRestart(times, 2, 3, 5000), true);
    assert.equal(addRestart(times, 3, 3, 5000), false);
  });

  it("forgets restarts older than the period", () => {
    const times: number[] = [];
    for (let t = 0; t < 100_000; t += 2000) assert.equal(addRestart(times, t, 3, 5000), true);
    assert.ok(times.length <= 3);
  });

  it("intensity 0 refuses the first restart", () => {
    assert.equal(addRestart([], 0, 0, 5000), false);
  });
});

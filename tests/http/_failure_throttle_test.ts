/**
 * The failed-attempt budget: fixed windows per key, ended windows
 * forgotten, keys bounded (newer keys beyond the bound share one budget),
 * long keys cut.
 */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "hono";
import {
  FailureThrottle,
  MAX_KEYS,
  OVERFLOW_KEY,
  SHARED_KEY,
} from "../../src/http/_failure_throttle.ts";

/** A context whose only use here is to carry a client key. */
const as = (key: unknown) => ({ key }) as unknown as Context;

describe("FailureThrottle", () => {
  it("allows maxFailures per window, then says how long to wait", () => {
    let now = 100;
    const throttle = new FailureThrottle({ maxFailures: 2, windowMs: 1000 }, () => now);
    assert.equal(throttle.keyOf(as("a")), SHARED_KEY);
    assert.equal(throttle.retryAfterMs(SHARED_KEY), 0);
    throttle.fail(SHARED_KEY);
    now = 600;
    throttle.fail(SHARED_KEY);
    assert.equal(throttle.retryAfterMs(SHARED_KEY), 500); // the window began at the first failure
    now = 1099;
    assert.equal(throttle.retryAfterMs(SHARED_KEY), 1);
    now = 1100;
    assert.equal(throttle.retryAfterMs(SHARED_KEY), 0);
    throttle.fail(SHARED_KEY); // a new window
    assert.equal(throttle.retryAfterMs(SHARED_KEY), 0);
  });

  it("bounds the keys it remembers: newer keys beyond share one budget", () => {
    let now = 0;
    const throttle = new FailureThrottle({
      maxFailures: 1,
      windowMs: 1000,
      clientKey: (c) => (c as unknown as { key: string }).key,
    }, () => now);
    for (let i = 0; i < MAX_KEYS; i++) throttle.fail(throttle.keyOf(as(`client-${i}`)));
    assert.equal(throttle.keyOf(as("client-7")), "client-7");
    assert.equal(throttle.keyOf(as("newcomer")), OVERFLOW_KEY);
    throttle.fail(OVERFLOW_KEY);
    assert.ok(throttle.retryAfterMs(throttle.keyOf(as("another"))) > 0);
    now = 1000; // every window ended: the next new key sweeps them away
    assert.equal(throttle.keyOf(as("newcomer")), "newcomer");
    assert.equal(throttle.keyOf(as("x".repeat(1000))), "x".repeat(256));
    assert.equal(throttle.keyOf(as(42)), SHARED_KEY);
  });
});

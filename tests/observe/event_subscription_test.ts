/** EventSubscription: a bounded, drop-oldest queue of scrubbed frames, with gaps. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EventSubscription } from "../../src/observe/event_subscription.ts";
import { Telemetry } from "../../src/telemetry/telemetry.ts";

const TICK = ["app", "tick"];

describe("EventSubscription", () => {
  it("queues frames, drops the oldest when full and reports the gap first", () => {
    const telemetry = new Telemetry();
    const subscription = new EventSubscription(telemetry, [TICK], { queueSize: 2 });
    for (let n = 0; n < 5; n++) telemetry.execute(TICK, { n }, {});
    assert.deepEqual(subscription.take(), { type: "gap", dropped: 3 });
    const next = subscription.take();
    assert.equal(next?.type, "telemetry");
    assert.deepEqual(JSON.parse(next!.type === "telemetry" ? next!.json : ""), {
      event: TICK,
      measurements: { n: 3 },
      metadata: {},
    });
    assert.equal(subscription.take()?.type, "telemetry");
    assert.equal(subscription.take(), undefined);
    subscription.close();
  });

  it("wait resolves on a frame, on interrupt, and on close; close detaches once", async () => {
    const telemetry = new Telemetry();
    let closed = 0;
    const subscription = new EventSubscription(telemetry, [TICK], {
      queueSize: 4,
      onClose: () => void closed++,
      handlerName: "test.events",
    });
    assert.equal(telemetry.listHandlers()[0].id.toString(), "Symbol(test.events)");
    const waiting = subscription.wait();
    telemetry.execute(TICK, { n: 1 }, {});
    await waiting;
    await subscription.wait(); // a frame is queued: at once
    subscription.take();
    const interrupted = subscription.wait();
    subscription.interrupt();
    await interrupted;
    const closing = subscription.wait();
    subscription.close();
    subscription.close();
    await closing;
    assert.equal(closed, 1);
    assert.equal(subscription.closed, true);
    assert.equal(telemetry.stats().handlers, 0);
    telemetry.execute(TICK, { n: 2 }, {});
    assert.equal(subscription.take(), undefined);
  });

  it("a metadata value that cannot be serialized does not fail the subscription", () => {
    const telemetry = new Telemetry();
    const subscription = new EventSubscription(telemetry, [TICK], { queueSize: 4 });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    telemetry.execute(TICK, { n: 1 }, { cyclic, big: 10n });
    telemetry.execute(TICK, { n: 2 }, {});
    assert.equal(telemetry.stats().failedHandlers, 0);
    assert.ok(subscription.take());
    subscription.close();
  });
});

/** A supervisor stuck restarting a child whose init keeps failing stays stoppable. */

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { System } from "../../src/system.ts";
import { Supervisor } from "../../src/supervisor/mod.ts";
import { assertNothingLeft } from "../_helpers.ts";
import { spec } from "./_fixtures.ts";

describe("a supervisor in a restart loop", () => {
  it("answers system.stop while it keeps retrying a child that cannot start", async () => {
    const system = new System({ logger: null });
    const log: string[] = [];
    let failing = false;
    let attempts = 0;
    const sup = await Supervisor.start(
      system,
      [
        spec("steady", log),
        spec("flaky", log, {}, {
          failInit: () => {
            if (failing) attempts++;
            return failing;
          },
        }),
      ],
      // A budget that never runs out: only a stop can end the loop.
      { intensity: 1_000_000_000, period: 1000 },
    );
    const [, flaky] = await Supervisor.whichChildren(system, sup);
    failing = true;
    system.exit(flaky.pid!, "kill");
    while (attempts < 50) await new Promise((resolve) => setTimeout(resolve, 0));
    assert.ok(system.isAlive(sup), "still looping");
    await system.stop(sup, "shutdown", 5000);
    assert.equal(system.isAlive(sup), false);
    assert.ok(log.includes("stop steady"), "its other child was shut down on the way out");
    const before = attempts;
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(attempts, before, "no retries after the stop");
    assertNothingLeft(system);
    system.shutdown();
  });
});

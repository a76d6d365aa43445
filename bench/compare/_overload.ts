/**
 * Workload 9, overload: a producer outside the system casts bursts of 10× a
 * mailbox bound of 1000 (overflow `reject`) to a server, then waits until
 * the server has handled every accepted message; one op is one attempted
 * cast. Reports accepted and refused counts. The same on the hand-written
 * system (its bounded mailbox refuses with `"overloaded"`).
 *
 * @module
 */

import { noreply, ok, System } from "../../mod.ts";
import { measureAsync } from "../_harness.ts";
import { BaselineSystem } from "./_baseline.ts";
import { type Row, type Settings, statOf } from "./_row.ts";

/** The mailbox bound. */
export const BOUND = 1000;
const BURST = 10 * BOUND;

interface Counts {
  ok: number;
  refused: number;
}

/** A server counting what it handles, resolving `idle` when it reaches `target`. */
function counter() {
  let handled = 0;
  let target = 0;
  let idle: (() => void) | undefined;
  return {
    handle() {
      if (++handled === target) idle!();
    },
    until(accepted: number): Promise<void> {
      target = handled + accepted;
      if (accepted === 0) return Promise.resolve();
      return new Promise((resolve) => (idle = resolve));
    },
  };
}

async function burstRun(
  ops: number,
  counts: Counts,
  cast: () => string,
  until: (accepted: number) => Promise<void>,
): Promise<number> {
  for (let done = 0; done < ops;) {
    const burst = Math.min(BURST, ops - done);
    let accepted = 0;
    for (let i = 0; i < burst; i++) if (cast() === "ok") accepted++;
    counts.ok += accepted;
    counts.refused += burst - accepted;
    await until(accepted);
    done += burst;
  }
  return ops;
}

/** A producer at 10× a bounded mailbox's bound. */
export async function overloadRow(s: Settings): Promise<Row> {
  const system = new System({ logger: null });
  const beamCounter = counter();
  const pid = await system.start(
    {
      init: () => ok(0),
      handleCast: (n: number, sum: number) => {
        beamCounter.handle();
        return noreply(sum + n);
      },
    },
    undefined,
    { mailbox: { bound: BOUND, overflow: "reject" } },
  );
  const base = new BaselineSystem();
  const baseCounter = counter();
  const actor = base.spawn<number>(
    {
      init: () => 0,
      handleCast: (n, a) => {
        baseCounter.handle();
        a.state += n as number;
      },
    },
    undefined,
    BOUND,
  );
  const beamCounts = { ok: 0, refused: 0 };
  const baseCounts = { ok: 0, refused: 0 };
  const [b, m] = await measureAsync([
    {
      name: "baseline",
      run: (ops) => burstRun(ops, baseCounts, () => base.cast(actor, 1), baseCounter.until),
    },
    {
      name: "beamlet",
      run: (ops) => burstRun(ops, beamCounts, () => system.cast(pid, 1), beamCounter.until),
    },
  ], s);
  const share = (c: Counts) =>
    `${c.ok.toLocaleString("en-US")} ok / ${c.refused.toLocaleString("en-US")} refused`;
  return {
    id: "overload",
    workload: `overload: bursts of 10× a mailbox bound of ${BOUND} (attempted casts)`,
    unit: "ops/s",
    beamlet: statOf(m),
    baseline: statOf(b),
    note: `beamlet ${share(beamCounts)}; hand-written ${share(baseCounts)}`,
  };
}

/**
 * Workload 6, spawn + exit: a process is started (the start resolves once its
 * init has run), is cast one message, and stops on it; a run ends when the
 * last one it started has exited. From outside (sequential `await
 * system.start`) and from inside a process (`await ctx.start` in a loop in an
 * async handleCall). The same on the hand-written system. Notes the most
 * children alive at once.
 *
 * @module
 */

import { type Context, noreply, ok, type Pid, reply, stop, System } from "../../mod.ts";
import { measureAsync } from "../_harness.ts";
import { type ActorSpec, BaselineSystem } from "./_baseline.ts";
import { type Row, type Settings, statOf } from "./_row.ts";

/** Children started and stopped, and the most alive at once (issue 12: a spawner is never charged). */
interface Count {
  started: number;
  stopped: number;
  most: number;
}
const count = (): Count => ({ started: 0, stopped: 0, most: 0 });
const started = (c: Count) => {
  const alive = ++c.started - c.stopped;
  if (alive > c.most) c.most = alive;
};

const stopper = (c: Count) => ({
  init: () => {
    started(c);
    return ok(0);
  },
  handleCast: (_message: "stop", state: number) => {
    c.stopped++;
    return stop("normal", state);
  },
});

const baseStopper = (c: Count): ActorSpec<number> => ({
  init: () => {
    started(c);
    return 0;
  },
  handleCast: (_message, actor) => {
    c.stopped++;
    actor.system.exit(actor);
  },
});

const most = (beamlet: Count, base: Count) =>
  `most children alive at once: beamlet ${beamlet.most.toLocaleString("en-US")}, ` +
  `hand-written ${base.most.toLocaleString("en-US")}`;

/** Spawn + exit from outside and from inside a process. */
export async function spawnExitRows(s: Settings): Promise<Row[]> {
  const [outside, inside, baseOutside, baseInside] = [count(), count(), count(), count()];
  const beamOut = stopper(outside);
  const beamIn = stopper(inside);
  const baseOut = baseStopper(baseOutside);
  const baseIn = baseStopper(baseInside);
  const system = new System({ logger: null });
  const spawner = await system.start({
    init: () => ok(0),
    handleCall: async (n: number, _from: unknown, state: number, ctx: Context) => {
      let last: Pid | undefined;
      for (let i = 0; i < n; i++) {
        last = await ctx.start(beamIn, undefined);
        ctx.cast(last, "stop");
      }
      if (last) await ctx.system.whenExited(last);
      return reply(n, state);
    },
    handleCast: (_message: unknown, state: number) => noreply(state),
  });
  const base = new BaselineSystem();
  const baseSpawner = base.spawn<number>({
    init: () => 0,
    handleCall: async (n) => {
      let last;
      for (let i = 0; i < (n as number); i++) {
        last = await base.start(baseIn);
        base.cast(last, "stop");
      }
      if (last) await base.whenExited(last);
      return n;
    },
  });
  const [bOut, mOut, bIn, mIn] = await measureAsync([
    {
      name: "baseline outside",
      async run(ops) {
        let last;
        for (let i = 0; i < ops; i++) {
          last = await base.start(baseOut);
          base.cast(last, "stop");
        }
        if (last) await base.whenExited(last);
        return ops;
      },
    },
    {
      name: "beamlet outside",
      async run(ops) {
        let last: Pid | undefined;
        for (let i = 0; i < ops; i++) {
          last = await system.start(beamOut);
          system.cast(last, "stop");
        }
        if (last) await system.whenExited(last);
        return ops;
      },
    },
    { name: "baseline inside", run: (ops) => base.call<number>(baseSpawner, ops) },
    {
      name: "beamlet inside",
      run: (ops) => system.call<number>(spawner, ops, { timeout: Infinity }),
    },
  ], s);
  return [
    {
      id: "spawn_exit",
      workload: "spawn + exit (from outside)",
      unit: "ops/s",
      beamlet: statOf(mOut),
      baseline: statOf(bOut),
      note: most(outside, baseOutside),
    },
    {
      id: "spawn_exit_inside",
      workload: "spawn + exit (from inside a process)",
      unit: "ops/s",
      beamlet: statOf(mIn),
      baseline: statOf(bIn),
      note: most(inside, baseInside),
    },
  ];
}

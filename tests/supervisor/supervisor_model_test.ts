/**
 * Model-based property of the Supervisor: random crash schedules (casts that
 * throw or stop, outside exit signals of every kind, two children dying at
 * once), clock steps and terminateChild / restartChild / deleteChild calls are
 * run against a real supervisor and the plain model in `_supervisor_model.ts`
 * (restart budget, strategy, restart types); after every step the live tree
 * must equal the model: the supervisor is alive iff the model has not given
 * up, `whichChildren` lists the model's ids in order, each child runs iff the
 * model says so, a child the model (re)started has a pid never seen before,
 * and a child it left alone keeps its pid.
 *
 * @module
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type GenServer, ok, stop } from "../../src/gen_server.ts";
import type { ExitReason } from "../../src/exit_reason.ts";
import type { Pid } from "../../src/pid.ts";
import type { System } from "../../src/system.ts";
import {
  ChildNotFoundError,
  ChildRunningError,
  type ChildSpec,
  Supervisor,
} from "../../src/supervisor/mod.ts";
import { assertNothingLeft, manual, type ManualClock } from "../_helpers.ts";
import { settle } from "./_fixtures.ts";
import {
  type ExitKind,
  type ModelConfig,
  type RestartType,
  SupervisorModel,
} from "./_supervisor_model.ts";

// ---- the real side -------------------------------------------------------------------

type VictimCast = { op: "throw" } | { op: "stop"; reason: ExitReason };

/** A child that does not trap exits: it dies as its cast or an exit signal says. */
const victim: GenServer<string, string, never, never, VictimCast> = {
  init: (id) => ok(id),
  handleCast(req, id) {
    if (req.op === "throw") throw new Error(`crash of ${id}`);
    return stop(req.reason, id);
  },
};

interface Real {
  system: System;
  clock: ManualClock;
  sup: Pid;
  exitReason: { value?: ExitReason };
  /** Last seen pid and model generation of each child id. */
  pids: Map<string, Pid | undefined>;
  gens: Map<string, number>;
  /** Every child pid ever seen. */
  seen: Set<Pid>;
}

/** How to make a running child exit, and what the model calls that exit (null: it doesn't). */
const HOWS = {
  cast_throw: "crash",
  cast_normal: "normal",
  cast_shutdown: "shutdown",
  cast_shutdown_tuple: "shutdown",
  cast_stop_crash: "crash",
  exit_kill: "killed",
  exit_crash: "crash",
  exit_shutdown: "shutdown",
  exit_normal: null, // ignored by a process that does not trap exits
} as const satisfies Record<string, ExitKind | null>;
type How = keyof typeof HOWS;
const howArb = fc.constantFrom(...(Object.keys(HOWS) as How[]));
/** Exit signals only: they kill at once, so two of them reach the supervisor in order. */
const signalArb = fc.constantFrom<How>("exit_kill", "exit_crash", "exit_shutdown", "exit_normal");

function makeExit(r: Real, pid: Pid, how: How): void {
  switch (how) {
    case "cast_throw":
      r.system.cast(pid, { op: "throw" });
      return;
    case "cast_normal":
      r.system.cast(pid, { op: "stop", reason: "normal" });
      return;
    case "cast_shutdown":
      r.system.cast(pid, { op: "stop", reason: "shutdown" });
      return;
    case "cast_shutdown_tuple":
      r.system.cast(pid, { op: "stop", reason: { shutdown: "tuple" } });
      return;
    case "cast_stop_crash":
      r.system.cast(pid, { op: "stop", reason: { error: "boom" } });
      return;
    case "exit_kill":
      r.system.exit(pid, "kill");
      return;
    case "exit_crash":
      r.system.exit(pid, new Error("exit signal"));
      return;
    case "exit_shutdown":
      r.system.exit(pid, "shutdown");
      return;
    case "exit_normal":
      r.system.exit(pid, "normal");
      return;
  }
}

function context(m: SupervisorModel): string {
  return `\nmodel: ${m.describe()}\nhistory:\n  ${m.history.join("\n  ")}`;
}

/** The live tree equals the model; then remembers the pids for the next step. */
async function compare(m: SupervisorModel, r: Real): Promise<void> {
  const where = context(m);
  assert.equal(r.system.isAlive(r.sup), m.alive, `supervisor alive${where}`);
  if (!m.alive) {
    assert.equal(r.exitReason.value, "shutdown", `supervisor exit reason${where}`);
    for (const [id, pid] of r.pids) {
      if (pid) assert.equal(r.system.isAlive(pid), false, `${id} outlived its supervisor${where}`);
    }
    return;
  }
  const infos = await settle(r.system, Supervisor.whichChildren(r.system, r.sup));
  assert.deepEqual(infos.map((c) => c.id), m.children.map((c) => c.id), `children${where}`);
  const next = new Map<string, Pid | undefined>();
  for (const [k, info] of infos.entries()) {
    const child = m.children[k];
    const id = child.id;
    assert.equal(info.restart, child.restart, `${id} restart type${where}`);
    const before = r.pids.get(id);
    if (!child.running) {
      assert.equal(info.pid, undefined, `${id} should not run${where}`);
    } else {
      assert.ok(info.pid !== undefined, `${id} should run${where}`);
      assert.equal(r.system.isAlive(info.pid), true, `${id} pid alive${where}`);
      if (child.gen === r.gens.get(id)) {
        assert.equal(info.pid, before, `${id} should keep its pid${where}`);
      } else {
        assert.ok(!r.seen.has(info.pid), `${id} should have a new pid${where}`);
      }
    }
    if (before !== undefined && before !== info.pid) {
      assert.equal(r.system.isAlive(before), false, `${id}'s old pid still alive${where}`);
    }
    next.set(id, info.pid);
    r.gens.set(id, child.gen);
    if (info.pid) r.seen.add(info.pid);
  }
  // Children the model dropped must be gone too.
  for (const [id, pid] of r.pids) {
    if (!next.has(id) && pid) {
      assert.equal(r.system.isAlive(pid), false, `dropped ${id} still alive${where}`);
    }
  }
  r.pids = next;
  const counts = await settle(r.system, Supervisor.countChildren(r.system, r.sup));
  assert.equal(counts.specs, m.children.length, `countChildren().specs${where}`);
  assert.equal(counts.active, m.children.filter((c) => c.running).length, `active${where}`);
}

// ---- commands ------------------------------------------------------------------------

type Cmd = fc.AsyncCommand<SupervisorModel, Real, false>;

/** Picks the `pick`-th running child (mod their count), or undefined. */
function running(m: SupervisorModel, pick: number) {
  const live = m.children.filter((c) => c.running);
  return live.length === 0 ? undefined : live[pick % live.length];
}

/** Picks a child id by index (mod count + 1): the extra slot is an unknown id. */
function anyId(m: SupervisorModel, pick: number): string {
  const k = pick % (m.children.length + 1);
  return k < m.children.length ? m.children[k].id : "unknown";
}

class ExitCommand implements Cmd {
  constructor(readonly picks: number[], readonly hows: How[]) {}
  check(m: Readonly<SupervisorModel>) {
    return m.alive;
  }
  async run(m: SupervisorModel, r: Real) {
    // Resolve every target first: they all die before the supervisor runs.
    const targets = this.picks.map((pick) => {
      const c = running(m, pick);
      return c && { id: c.id, gen: c.gen, pid: r.pids.get(c.id)! };
    });
    const done = new Set<Pid>();
    for (const [k, t] of targets.entries()) {
      if (!t || done.has(t.pid)) continue;
      done.add(t.pid);
      const how = this.hows[k];
      makeExit(r, t.pid, how);
      const kind = HOWS[how];
      const effect = kind === null ? { kind: "ignored" } : m.childExited(t.id, t.gen, kind);
      m.history.push(`@${m.now} ${t.id} ${how} → ${JSON.stringify(effect)}`);
      stats[effect.kind] = (stats[effect.kind] ?? 0) + 1;
    }
    await r.system.runUntilIdle();
    await compare(m, r);
  }
  toString() {
    return `exit(${this.picks.map((p, k) => `${p}:${this.hows[k]}`).join(", ")})`;
  }
}

class AdvanceCommand implements Cmd {
  constructor(readonly ms: number) {}
  check(m: Readonly<SupervisorModel>) {
    return m.alive;
  }
  async run(m: SupervisorModel, r: Real) {
    m.advance(this.ms);
    r.clock.advance(this.ms);
    m.history.push(`advance ${this.ms} → ${m.now}`);
    await r.system.runUntilIdle();
    await compare(m, r);
  }
  toString() {
    return `advance(${this.ms})`;
  }
}

type Op = "terminate" | "restart" | "delete";

class ApiCommand implements Cmd {
  constructor(readonly op: Op, readonly pick: number) {}
  check(m: Readonly<SupervisorModel>) {
    return m.alive;
  }
  async run(m: SupervisorModel, r: Real) {
    const id = anyId(m, this.pick);
    const expected = this.op === "terminate"
      ? m.terminate(id)
      : this.op === "restart"
      ? m.restartChild(id)
      : m.deleteChild(id);
    const call: Promise<unknown> = this.op === "terminate"
      ? Supervisor.terminateChild(r.system, r.sup, id)
      : this.op === "restart"
      ? Supervisor.restartChild(r.system, r.sup, id)
      : Supervisor.deleteChild(r.system, r.sup, id);
    const outcome = await settle(r.system, call).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    m.history.push(`${this.op}Child(${id}) → ${expected}`);
    const where = context(m);
    if (expected === "ok") {
      assert.ok(
        outcome.ok,
        `${this.op}Child(${id}) failed: ${String(!outcome.ok && outcome.error)}${where}`,
      );
    } else if (expected === "not_found") {
      assert.ok(
        !outcome.ok && outcome.error instanceof ChildNotFoundError,
        `${this.op}Child(${id}): expected ChildNotFoundError${where}`,
      );
    } else {
      assert.ok(
        !outcome.ok && outcome.error instanceof ChildRunningError,
        `${this.op}Child(${id}): expected ChildRunningError${where}`,
      );
    }
    await r.system.runUntilIdle();
    const returned = this.op === "restart" && outcome.ok ? outcome.value : undefined;
    await compare(m, r);
    if (returned !== undefined) {
      assert.equal(r.pids.get(id), returned, `restartChild's pid${where}`);
    }
  }
  toString() {
    return `${this.op}Child(#${this.pick})`;
  }
}

const pickArb = fc.nat({ max: 11 });

function commands(period: number) {
  return [
    fc.tuple(pickArb, howArb).map(([p, h]) => new ExitCommand([p], [h])),
    fc.tuple(pickArb, howArb).map(([p, h]) => new ExitCommand([p], [h])), // weighted: crashes are the point
    fc.tuple(pickArb, pickArb, signalArb, signalArb).map(([p, q, h, k]) =>
      new ExitCommand([p, q], [h, k])
    ),
    fc.oneof(
      fc.constantFrom(0, 1, period - 1, period, period + 1),
      fc.integer({ min: 0, max: 2 * period }),
    ).map((ms) => new AdvanceCommand(ms)),
    fc.tuple(fc.constantFrom<Op>("terminate", "restart", "delete"), pickArb).map(([op, p]) =>
      new ApiCommand(op, p)
    ),
  ];
}

function readEnv(name: string): string | undefined {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env[name];
}

const configArb: fc.Arbitrary<ModelConfig> = fc.record({
  strategy: fc.constantFrom("one_for_one", "one_for_all", "rest_for_one" as const),
  intensity: fc.integer({ min: 0, max: 5 }),
  period: fc.constantFrom(10, 100, 1000, 5000),
  children: fc.array(
    fc.tuple(
      fc.constantFrom<RestartType>("permanent", "transient", "temporary"),
      fc.constantFrom<"brutal_kill" | "infinity" | number>("brutal_kill", "infinity", 5000),
    ),
    { minLength: 1, maxLength: 5 },
  ).map((kids) => kids.map(([restart, shutdown], k) => ({ id: `c${k}`, restart, shutdown }))),
});

/** One run: start the real supervisor on a manual clock, run the commands, then tear down. */
async function runOne(config: ModelConfig, cmds: Iterable<Cmd>): Promise<void> {
  const { system, clock } = manual();
  const specs: ChildSpec[] = config.children.map(({ id, restart, shutdown }) => ({
    id,
    restart,
    shutdown,
    start: { server: victim, arg: id },
  }));
  const sup = await settle(
    system,
    Supervisor.start(system, specs, {
      strategy: config.strategy,
      intensity: config.intensity,
      period: config.period,
      clock,
    }),
  );
  const exitReason: { value?: ExitReason } = {};
  system.whenExited(sup).then((reason) => exitReason.value = reason);
  const model = new SupervisorModel(config);
  const real: Real = {
    system,
    clock,
    sup,
    exitReason,
    pids: new Map(),
    gens: new Map(),
    seen: new Set(),
  };
  for (const c of model.children) real.gens.set(c.id, c.gen);
  const infos = await settle(system, Supervisor.whichChildren(system, sup));
  for (const info of infos) {
    real.pids.set(info.id!, info.pid);
    real.seen.add(info.pid!);
  }
  await compare(model, real);
  await fc.asyncModelRun(() => ({ model, real }), cmds);
  if (system.isAlive(sup)) {
    system.exit(sup, "shutdown");
    await system.runUntilIdle();
  }
  await system.runUntilIdle();
  assert.equal(system.isAlive(sup), false);
  assertNothingLeft(system);
}

const RUNS = 150;
/** What the runs exercised (effect kinds), printed when STATS is set. */
const stats: Record<string, number> = {};

test(`Supervisor follows the restart model (${RUNS} random crash schedules)`, {
  timeout: 60_000,
}, async () => {
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(
      configArb.chain((config) =>
        fc.tuple(
          fc.constant(config),
          fc.commands(commands(config.period), { maxCommands: 30 }),
        )
      ),
      async ([config, cmds]) => {
        await runOne(config, cmds);
      },
    ),
    { numRuns: RUNS },
  );
  const ms = performance.now() - t0;
  if (readEnv("SUPERVISOR_MODEL_STATS")) console.log(`${RUNS} runs, ${ms.toFixed(0)} ms`, stats);
  if (ms > 10_000) console.warn(`supervisor model test: ${RUNS} runs took ${ms.toFixed(0)} ms`);
});

/**
 * fast-check commands that drive a real {@linkcode Core} and the
 * {@linkcode CoreModel} side by side, and the invariants checked after every
 * command.
 *
 * The fc "model" is a {@linkcode Harness}: the {@linkcode CoreModel} plus what
 * a caller of the core keeps on its side (payloads by slot, a ledger of every
 * message, the timer ids it was given, fairness counters). Commands name actors
 * and timers by *picks* ("the 3rd live actor", "a freed id", "garbage") that
 * are resolved when the command runs, so shrinking keeps them meaningful.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ActorState,
  type Core,
  CoreCode,
  MAX_BOUND,
  MAX_TIMER_DELAY,
  REUSED_SLOT,
  SLOT_MASK,
} from "../../src/core/core.ts";
import { CoreModel } from "./_model.ts";

/** The system under test. */
export interface Real {
  core: Core;
}

type MessageStatus = "queued" | "delivered" | "refused" | "dropped" | "discarded";
type TimerStatus = "pending" | "fired" | "cancelled";

const STAT_FIELDS = 14;
/** Number of calls kept in the harness log for failure messages. */
const LOG_KEEP = 40;

/** Ids that are never (or only by coincidence) a live actor. */
export const GARBAGE_IDS: readonly number[] = [
  0,
  -1,
  -(2 ** 31),
  2 ** 31 - 1,
  1, // generation 0
  2 ** 20 - 1, // generation 0, last index
  2047 * 2 ** 20 + (2 ** 20 - 1), // last generation, last index
  5 * 2 ** 20 + 7,
  2 ** 32 + 2 ** 20, // coerces to generation 1 index 0
  -(2 ** 20),
];

/** Timer ids that were never handed out (or only by coincidence). */
export const GARBAGE_TIMER_IDS: readonly number[] = [
  0,
  -1,
  -(2 ** 31),
  2 ** 31 - 1,
  1, // generation 0
  2 ** 22 - 1,
  511 * 2 ** 22 + (2 ** 22 - 1),
  2 ** 32 + 2 ** 22,
];

/** Argument values that are not integers or not in range anywhere. */
export const GARBAGE_NUMBERS: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  -1,
  -(2 ** 31),
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 32 + 1,
  -(2 ** 32) - 1,
  0.5,
  1.5,
  -0.5,
  3,
  14,
  MAX_BOUND,
  MAX_BOUND + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_VALUE,
  1e15 + 0.5,
];

/** How a command names an actor. */
export interface ActorPick {
  kind: "live" | "running" | "blocked" | "known" | "garbage" | "alias";
  n: number;
}

/** How a command names a timer. */
export interface TimerPick {
  kind: "pending" | "fired" | "cancelled" | "neverIssued" | "wrongGeneration" | "garbage";
  n: number;
}

/** The fc model: the core model and the caller's side of the bargain. */
export class Harness {
  readonly model: CoreModel;
  /** Every actor id spawn ever returned, in order (live and dead). */
  readonly knownActorIds: number[] = [];
  /** Payload (message number) by slot, as a caller keeps it. */
  readonly payloads: number[] = [];
  /** Slots currently holding a queued message. */
  readonly heldSlots = new Set<number>();
  /** Status of every message number ever offered. */
  readonly messages: MessageStatus[] = [];
  /** Queued message numbers per actor id, oldest first. */
  readonly mailboxes = new Map<number, number[]>();
  /** Timer ids in the order they were handed out, with their current status. */
  readonly timers: { id: number; status: TimerStatus }[] = [];
  /** The latest record of each timer id. */
  readonly timerById = new Map<number, { id: number; status: TimerStatus }>();
  /**
   * For each Runnable actor: its priority when it became Runnable and how many
   * times each other actor of that priority was taken by `next()` since.
   */
  readonly fairness = new Map<number, { priority: number; taken: Map<number, number> }>();
  /** The last calls, for failure messages. */
  readonly log: string[] = [];
  calls = 0;

  constructor(reductionBudget: number) {
    this.model = new CoreModel(reductionBudget);
  }

  toString(): string {
    return `Harness(${this.calls} calls)`;
  }

  // ---- calling both sides -----------------------------------------------------

  /** Calls `name(...args)` on the core and asserts the model's prediction. */
  call(real: Real, name: CallName, args: number[]): number {
    const expected = (this.model[name] as (...a: number[]) => number)(...args);
    const actual = (real.core[name] as (...a: number[]) => number)(...args);
    this.record(`${name}(${args.map(show).join(", ")}) = ${show(actual)}`);
    if (!Object.is(actual, expected)) {
      assert.fail(
        `${real.core.kind} core: ${name}(${args.map(show).join(", ")}) returned ${
          show(actual)
        }, the model expects ${show(expected)}\nlast calls:\n  ${this.log.join("\n  ")}`,
      );
    }
    return actual;
  }

  record(line: string): void {
    this.calls += 1;
    this.log.push(line);
    if (this.log.length > LOG_KEEP) this.log.shift();
  }

  fail(real: Real, message: string): never {
    assert.fail(`${real.core.kind} core: ${message}\nlast calls:\n  ${this.log.join("\n  ")}`);
  }

  // ---- resolving picks --------------------------------------------------------

  resolveActor(pick: ActorPick): number {
    const live = [...this.model.actors.values()];
    const byState = (state: number) => live.filter((a) => a.state === state).map((a) => a.id);
    const from = (ids: number[]) => ids.length > 0 ? ids[pick.n % ids.length] : undefined;
    let id: number | undefined;
    switch (pick.kind) {
      case "live":
        id = from(live.map((a) => a.id));
        break;
      case "running":
        id = from(byState(ActorState.Running)) ?? from(live.map((a) => a.id));
        break;
      case "blocked":
        id = from(byState(ActorState.Blocked)) ?? from(live.map((a) => a.id));
        break;
      case "known":
        id = from(this.knownActorIds);
        break;
      case "alias": {
        // A live id written so that `x | 0` gives it back, or with another generation.
        const target = from(live.map((a) => a.id));
        if (target !== undefined) {
          const variants = [
            target + 2 ** 32,
            target + 0.75,
            target - 2 ** 32,
            ((target >>> 20) % 2047 + 1) * 2 ** 20 + (target & 0xfffff),
            target + 1,
          ];
          id = variants[Math.floor(pick.n / 7) % variants.length];
        }
        break;
      }
      case "garbage":
        break;
    }
    return id ?? GARBAGE_IDS[pick.n % GARBAGE_IDS.length];
  }

  resolveTimer(pick: TimerPick): number {
    const from = (ids: number[]) => ids.length > 0 ? ids[pick.n % ids.length] : undefined;
    const withStatus = (status: TimerStatus) =>
      this.timers.filter((t) => t.status === status).map((t) => t.id);
    let id: number | undefined;
    switch (pick.kind) {
      case "pending":
        id = from(this.model.timers.map((t) => t.id));
        break;
      case "fired":
        id = from(withStatus("fired"));
        break;
      case "cancelled":
        id = from(withStatus("cancelled"));
        break;
      case "neverIssued":
        id = 1 * 2 ** 22 + this.model.timerGenerations.length + (pick.n % 5);
        break;
      case "wrongGeneration": {
        const known = from(this.timers.map((t) => t.id));
        if (known !== undefined) {
          const generation = Math.floor(known / 2 ** 22);
          id = ((generation + 1 + (pick.n % 3)) % 511 + 1) * 2 ** 22 + (known % 2 ** 22);
        }
        break;
      }
      case "garbage":
        break;
    }
    return id ?? GARBAGE_TIMER_IDS[pick.n % GARBAGE_TIMER_IDS.length];
  }

  // ---- the caller's bookkeeping -----------------------------------------------

  /** `enqueue` through the harness: predicts, calls, and keeps the payload ledger. */
  enqueue(real: Real, id: number): number {
    const target = id | 0;
    const result = this.call(real, "enqueue", [id]);
    const message = this.messages.length;
    if (result === CoreCode.Stale) return result;
    const mailbox = this.mailboxes.get(target);
    if (mailbox === undefined) this.fail(real, `enqueue to ${target} was not Stale`);
    if (result === CoreCode.Full) {
      this.messages.push("refused");
    } else if (result === CoreCode.Dropped) {
      this.messages.push("dropped");
    } else if (result >= 0 && (result & REUSED_SLOT) !== 0) {
      const slot = result & SLOT_MASK;
      const old = this.payloads[slot];
      if (mailbox[0] !== old || this.messages[old] !== "queued") {
        this.fail(real, `DropOldest reused slot ${slot} that did not hold the oldest message`);
      }
      mailbox.shift();
      this.messages[old] = "dropped";
      this.messages.push("queued");
      this.payloads[slot] = message;
      mailbox.push(message);
    } else if (result >= 0) {
      if (this.heldSlots.has(result)) this.fail(real, `slot ${result} handed out twice`);
      this.heldSlots.add(result);
      this.messages.push("queued");
      this.payloads[result] = message;
      mailbox.push(message);
    } else {
      this.fail(real, `enqueue returned ${result}`);
    }
    return result;
  }

  dequeue(real: Real, id: number): number {
    const result = this.call(real, "dequeue", [id]);
    if (result < 0) return result;
    const mailbox = this.mailboxes.get(id | 0)!;
    const message = this.payloads[result];
    if (!this.heldSlots.has(result) || mailbox[0] !== message) {
      this.fail(real, `dequeue gave slot ${result}, not the head of the mailbox`);
    }
    if (this.messages[message] !== "queued") this.fail(real, `message ${message} delivered twice`);
    this.messages[message] = "delivered";
    mailbox.shift();
    this.heldSlots.delete(result);
    return result;
  }

  spawn(real: Real, args: [number, number, number, number]): number {
    const predicted = this.model.predictNextActorId();
    const result = this.call(real, "spawn", args);
    if (result > 0) {
      assert.equal(result, predicted, "spawn id follows FIFO index reuse");
      this.knownActorIds.push(result);
      this.mailboxes.set(result, []);
    }
    return result;
  }

  free(real: Real, id: number): number {
    const result = this.call(real, "free", [id]);
    if (result >= 0) {
      const mailbox = this.mailboxes.get(id | 0)!;
      if (result !== mailbox.length) {
        this.fail(real, `free discarded ${result} of ${mailbox.length}`);
      }
      for (const message of mailbox) {
        this.messages[message] = "discarded";
      }
      for (const slot of [...this.heldSlots]) {
        if (mailbox.includes(this.payloads[slot])) this.heldSlots.delete(slot);
      }
      this.mailboxes.delete(id | 0);
      this.fairness.delete(id | 0);
    }
    return result;
  }

  next(real: Real): number {
    const result = this.call(real, "next", []);
    if (result > 0) {
      const priority = this.model.actors.get(result)!.priority;
      for (const [waiting, track] of this.fairness) {
        if (waiting === result || track.priority !== priority) continue;
        const count = (track.taken.get(result) ?? 0) + 1;
        track.taken.set(result, count);
        if (count >= 2) {
          this.fail(real, `actor ${result} ran twice while ${waiting} (same priority) waited`);
        }
      }
    }
    this.syncFairness();
    return result;
  }

  /** Starts or stops tracking actors that became or stopped being Runnable. */
  syncFairness(): void {
    for (const [id, track] of this.fairness) {
      const actor = this.model.actors.get(id);
      if (actor === undefined || actor.state !== ActorState.Runnable) this.fairness.delete(id);
      else if (actor.priority !== track.priority) this.fairness.delete(id);
    }
    for (const actor of this.model.actors.values()) {
      if (actor.state === ActorState.Runnable && !this.fairness.has(actor.id)) {
        this.fairness.set(actor.id, { priority: actor.priority, taken: new Map() });
      }
    }
  }

  timerSchedule(real: Real, deadline: number): number {
    const predicted = this.model.predictNextTimerId();
    const result = this.call(real, "timerSchedule", [deadline]);
    if (result > 0) {
      assert.equal(result, predicted, "timer id follows FIFO index reuse");
      if (this.timerById.get(result)?.status === "pending") {
        this.fail(real, `timer id ${result} handed out while pending`);
      }
      const record = { id: result, status: "pending" as TimerStatus };
      this.timers.push(record);
      this.timerById.set(result, record);
    }
    return result;
  }

  timerCancel(real: Real, timerId: number): number {
    const result = this.call(real, "timerCancel", [timerId]);
    const record = this.timerById.get(timerId | 0);
    if (result === CoreCode.Ok) {
      if (record?.status !== "pending") this.fail(real, `cancelled timer ${timerId} not pending`);
      record.status = "cancelled";
    } else if (record?.status === "pending") {
      this.fail(real, `pending timer ${timerId} could not be cancelled`);
    }
    return result;
  }

  advance(real: Real, now: number): number {
    const result = this.call(real, "advance", [now]);
    if (result >= 0) {
      for (let i = 0; i < result; i++) {
        const id = this.call(real, "timerFired", [i]);
        const record = this.timerById.get(id);
        if (record?.status !== "pending") {
          this.fail(real, `timer ${id} fired but was ${record?.status ?? "never issued"}`);
        }
        record.status = "fired";
      }
      this.call(real, "timerFired", [result]);
    }
    return result;
  }

  // ---- invariants ---------------------------------------------------------------

  /** Everything observable equals the model; the caller's ledger balances. */
  checkAll(real: Real): void {
    const core = real.core;
    const model = this.model;
    const problem = model.selfCheck();
    if (problem !== undefined) this.fail(real, `model inconsistent: ${problem}`);
    this.call(real, "actorCount", []);
    this.call(real, "slotsInUse", []);
    this.call(real, "timerCount", []);
    this.call(real, "now", []);
    for (let p = 0; p < 3; p++) this.call(real, "runQueueLength", [p]);
    for (const actor of model.actors.values()) {
      for (let field = 0; field < STAT_FIELDS; field++) this.call(real, "stat", [actor.id, field]);
      if (actor.queue.length > actor.bound) this.fail(real, `actor ${actor.id} above bound`);
      const mailbox = this.mailboxes.get(actor.id)!;
      if (mailbox.length !== actor.queue.length) this.fail(real, `mailbox ledger of ${actor.id}`);
      for (let i = 0; i < mailbox.length; i++) {
        if (this.payloads[actor.queue[i].slot] !== mailbox[i]) {
          this.fail(real, `payload order of ${actor.id}`);
        }
      }
    }
    const nextDue = core.timerNextDue();
    this.record(`timerNextDue() = ${nextDue}`);
    if (!model.nextDueIsValid(nextDue)) {
      this.fail(
        real,
        `timerNextDue() = ${nextDue}, clock ${model.clock}, earliest tick ${model.earliestTick()}`,
      );
    }
    for (let i = 0; i <= model.fired.length; i++) this.call(real, "timerFired", [i]);
    // The ledger: every offered message is in exactly one status; queued ones hold slots.
    if (this.heldSlots.size !== model.slotsInUse()) this.fail(real, "held slots ledger");
    let queued = 0;
    for (const status of this.messages) if (status === "queued") queued += 1;
    if (queued !== this.heldSlots.size) this.fail(real, "queued messages ledger");
    let pending = 0;
    for (const record of this.timerById.values()) if (record.status === "pending") pending += 1;
    if (pending !== model.timers.length) this.fail(real, "pending timers ledger");
  }
}

type CallName =
  | "spawn"
  | "free"
  | "enqueue"
  | "dequeue"
  | "stat"
  | "hibernate"
  | "setPriority"
  | "next"
  | "release"
  | "wake"
  | "runQueueLength"
  | "actorCount"
  | "slotsInUse"
  | "advance"
  | "now"
  | "timerSchedule"
  | "timerCancel"
  | "timerFired"
  | "timerCount";

/** Numbers as they read best in a failure message. */
export function show(x: number): string {
  if (Object.is(x, -0)) return "-0";
  if (Number.isInteger(x) && Math.abs(x) >= 2 ** 20) {
    return x < 0 ? `-0x${(-x).toString(16)}` : `0x${x.toString(16)}`;
  }
  return String(x);
}

// ---- the commands -----------------------------------------------------------------

/** A command: a name, a body, always applicable (picks resolve to something). */
class CoreCommand implements fc.Command<Harness, Real> {
  resolved = "";
  constructor(
    readonly label: string,
    readonly body: (h: Harness, r: Real, note: (s: string) => void) => void,
  ) {}
  check(): boolean {
    return true;
  }
  run(h: Harness, r: Real): void {
    this.resolved = "";
    this.body(h, r, (s) => {
      this.resolved = s;
    });
    h.syncFairness();
    h.checkAll(r);
  }
  toString(): string {
    // What the picks resolved to in the last run of this command (shrinking reruns it).
    return this.resolved === "" ? this.label : `${this.label} /* ${this.resolved} */`;
  }
}

const pickLabel = (p: ActorPick) => `${p.kind}#${p.n}`;
const timerLabel = (p: TimerPick) => `${p.kind}#${p.n}`;

/** Actor picks, mostly live actors. */
export const actorPick = (prefer?: "running" | "blocked"): fc.Arbitrary<ActorPick> =>
  fc.record({
    kind: fc.oneof(
      { arbitrary: fc.constant("live" as const), weight: prefer ? 2 : 8 },
      { arbitrary: fc.constant(prefer ?? ("live" as const)), weight: prefer ? 8 : 1 },
      { arbitrary: fc.constant("known" as const), weight: 2 },
      { arbitrary: fc.constant("alias" as const), weight: 1 },
      { arbitrary: fc.constant("garbage" as const), weight: 1 },
    ),
    n: fc.nat(1000),
  });

const timerPick: fc.Arbitrary<TimerPick> = fc.record({
  kind: fc.constantFrom(
    "pending" as const,
    "pending" as const,
    "fired" as const,
    "cancelled" as const,
    "neverIssued" as const,
    "wrongGeneration" as const,
    "garbage" as const,
  ),
  n: fc.nat(1000),
});

const priorityArb = fc.integer({ min: 0, max: 2 });
const overflowArb = fc.integer({ min: 0, max: 2 });

/** Valid spawn arguments, kept to small rings (a huge ring would only test memory). */
const validSpawnArgs: fc.Arbitrary<[number, number, number, number]> = fc.tuple(
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 6 },
    { arbitrary: fc.integer({ min: 10, max: 70 }), weight: 2 },
    { arbitrary: fc.constant(MAX_BOUND), weight: 1 },
  ),
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 12 }), weight: 6 },
    { arbitrary: fc.integer({ min: 13, max: 200 }), weight: 1 },
    { arbitrary: fc.constantFrom(4096, MAX_BOUND - 1, MAX_BOUND), weight: 2 },
  ),
  overflowArb,
  priorityArb,
).map(([ic, bound, overflow, priority]) => {
  if (Math.min(ic, bound) > 256) ic = 64;
  return [ic, bound, overflow, priority];
});

const badSpawnArgs: fc.Arbitrary<[number, number, number, number]> = fc.tuple(
  validSpawnArgs,
  fc.integer({ min: 0, max: 3 }),
  fc.constantFrom(0, -1, MAX_BOUND + 1, -(2 ** 31), 2 ** 31 - 1, 3, NaN, Infinity, 2 ** 32, 1.5),
).map(([args, which, value]) => {
  const copy = [...args] as [number, number, number, number];
  copy[which] = value;
  if (Math.min(copy[0] | 0, copy[1] | 0) > 256) copy[0] = 64;
  return copy;
});

const spawnCommand = fc.oneof(
  { arbitrary: validSpawnArgs, weight: 5 },
  { arbitrary: badSpawnArgs, weight: 1 },
).map((args) =>
  new CoreCommand(`spawn(${args.map(show).join(", ")})`, (h, r) => {
    h.spawn(r, args);
  })
);

const freeCommand = actorPick().map((pick) =>
  new CoreCommand(`free(${pickLabel(pick)})`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    h.free(r, id);
  })
);

const enqueueCommand = fc.tuple(
  actorPick(),
  fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 3 },
    { arbitrary: fc.integer({ min: 4, max: 40 }), weight: 2 },
  ),
).map(([pick, count]) =>
  new CoreCommand(`enqueue(${pickLabel(pick)}) x${count}`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    for (let i = 0; i < count; i++) h.enqueue(r, id);
  })
);

const dequeueCommand = fc.tuple(actorPick(), fc.integer({ min: 1, max: 4 })).map(
  ([pick, count]) =>
    new CoreCommand(`dequeue(${pickLabel(pick)}) x${count}`, (h, r, note) => {
      const id = h.resolveActor(pick);
      note(show(id));
      for (let i = 0; i < count; i++) h.dequeue(r, id);
    }),
);

const statCommand = fc.tuple(
  actorPick(),
  fc.constantFrom(-1, 14, 15, 100, 2 ** 31 - 1, -(2 ** 31), 0.5, 13.9, NaN, 2 ** 32 + 6, 6),
).map(([pick, field]) =>
  new CoreCommand(`stat(${pickLabel(pick)}, ${show(field)})`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    h.call(r, "stat", [id, field]);
  })
);

const hibernateCommand = actorPick().map((pick) =>
  new CoreCommand(`hibernate(${pickLabel(pick)})`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    h.call(r, "hibernate", [id]);
  })
);

const setPriorityCommand = fc.tuple(
  actorPick(),
  fc.oneof(
    { arbitrary: priorityArb, weight: 8 },
    { arbitrary: fc.constantFrom(-1, 3, 2 ** 31 - 1, 2 ** 32 + 1, 1.5, NaN), weight: 1 },
  ),
).map(([pick, priority]) =>
  new CoreCommand(`setPriority(${pickLabel(pick)}, ${show(priority)})`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    h.call(r, "setPriority", [id, priority]);
  })
);

const nextCommand = fc.constant(null).map(() =>
  new CoreCommand("next()", (h, r) => {
    h.next(r);
  })
);

const reductionsArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 10 }), weight: 8 },
  { arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 30, 0.9, 2 ** 32 + 3), weight: 1 },
  { arbitrary: fc.constantFrom(-1, -(2 ** 31), 2 ** 31, NaN), weight: 1 },
);
const blockedArb = fc.oneof(
  { arbitrary: fc.constantFrom(0, 0, 0, 1), weight: 9 },
  { arbitrary: fc.constantFrom(2, -1, 1.5, NaN, 2 ** 32 + 1), weight: 1 },
);

const releaseCommand = fc.tuple(actorPick("running"), reductionsArb, blockedArb).map(
  ([pick, reductions, blocked]) =>
    new CoreCommand(
      `release(${pickLabel(pick)}, ${show(reductions)}, ${show(blocked)})`,
      (h, r, note) => {
        const id = h.resolveActor(pick);
        note(show(id));
        h.call(r, "release", [id, reductions, blocked]);
      },
    ),
);

const wakeCommand = actorPick("blocked").map((pick) =>
  new CoreCommand(`wake(${pickLabel(pick)})`, (h, r, note) => {
    const id = h.resolveActor(pick);
    note(show(id));
    h.call(r, "wake", [id]);
  })
);

/** One scheduler slice: next → dequeue up to the budget → release. */
const sliceCommand = fc.tuple(
  fc.oneof({ arbitrary: fc.constant(Infinity), weight: 4 }, {
    arbitrary: fc.integer({ min: 0, max: 8 }),
    weight: 1,
  }),
  fc.constantFrom(0, 0, 0, 0, 1),
).map(([limit, blocked]) =>
  new CoreCommand(`slice(limit ${limit}, blocked ${blocked})`, (h, r, note) => {
    const id = h.next(r);
    if (id < 0) return;
    note(show(id));
    let handled = 0;
    while (handled < Math.min(limit, h.model.reductionBudget)) {
      if (h.dequeue(r, id) < 0) break;
      handled += 1;
    }
    h.call(r, "release", [id, handled, blocked]);
  })
);

/** Several slices in a row: the fairness invariant needs rounds. */
const slicesCommand = fc.integer({ min: 2, max: 30 }).map((count) =>
  new CoreCommand(`slices x${count}`, (h, r) => {
    for (let i = 0; i < count; i++) {
      const id = h.next(r);
      if (id < 0) return;
      let handled = 0;
      while (handled < h.model.reductionBudget && h.dequeue(r, id) >= 0) handled += 1;
      h.call(r, "release", [id, handled, 0]);
      h.syncFairness();
    }
  })
);

/** Spawns a crowd of unbounded actors and floods them: the Low-every-8 rule needs depth. */
const crowdCommand = fc.tuple(
  fc.array(fc.tuple(priorityArb, fc.integer({ min: 1, max: 30 })), { minLength: 2, maxLength: 6 }),
).map(([crowd]) =>
  new CoreCommand(`crowd(${crowd.map(([p, n]) => `p${p}x${n}`).join(" ")})`, (h, r) => {
    for (const [priority, messages] of crowd) {
      const id = h.spawn(r, [2, MAX_BOUND, 0, priority]);
      if (id < 0) continue;
      for (let i = 0; i < messages; i++) h.enqueue(r, id);
    }
  })
);

const fractions = fc.constantFrom(0, 0, 0, 0.25, 0.5, 0.999);

type TimeKind =
  | ["step", number, number]
  | ["medium", number, number]
  | ["large", number, number]
  | ["toTimer", number, number]
  | ["past", number, number]
  | ["boundary", number, number]
  | ["bad", number, number];

/**
 * Just before a multiple of 2^k: a wheel whose levels are picked from the bits
 * where deadline and clock differ meets its top levels when a timer straddles it.
 */
const boundaryArb = fc.tuple(
  fc.constant("boundary" as const),
  fc.constantFrom(12, 18, 24, 30, 36, 41, 42, 43, 47, 48),
  fc.constantFrom(1, 2, 10, 0.5, 1000),
);

export function boundaryTime(clock: number, bits: number, before: number): number {
  const step = 2 ** bits;
  let target = Math.ceil(clock / step) * step - before;
  while (target < clock) target += step;
  return target;
}

const advanceTarget: fc.Arbitrary<TimeKind> = fc.oneof(
  {
    arbitrary: fc.tuple(fc.constant("step" as const), fc.integer({ min: 0, max: 20 }), fractions),
    weight: 6,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("medium" as const),
      fc.integer({ min: 0, max: 5000 }),
      fractions,
    ),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("large" as const),
      fc.integer({ min: 0, max: 2 ** 37 }),
      fractions,
    ),
    weight: 1,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("toTimer" as const),
      fc.nat(100),
      fc.constantFrom(-1, -0.5, 0, 0, 0.5),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(fc.constant("past" as const), fc.integer({ min: 1, max: 10 }), fractions),
    weight: 1,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("bad" as const),
      fc.integer({ min: 0, max: 2 }),
      fc.constant(0),
    ),
    weight: 1,
  },
  { arbitrary: boundaryArb, weight: 1 },
);

function advanceTime(h: Harness, [kind, n, f]: TimeKind): number {
  const clock = h.model.clock;
  switch (kind) {
    case "step":
    case "medium":
    case "large":
      return clock + n + f;
    case "toTimer": {
      const timers = h.model.timers;
      if (timers.length === 0) return clock + 1;
      return timers[n % timers.length].tick + f;
    }
    case "past":
      return clock - n + f;
    case "boundary":
      return boundaryTime(clock, n, f);
    case "bad":
      return [NaN, Infinity, -Infinity][n];
  }
}

const advanceCommand = advanceTarget.map((target) =>
  new CoreCommand(`advance(${target.join(" ")})`, (h, r, note) => {
    const now = advanceTime(h, target);
    note(show(now));
    h.advance(r, now);
  })
);

type DeadlineKind =
  | ["soon", number, number]
  | ["medium", number, number]
  | ["thisTick", number, number]
  | ["past", number, number]
  | ["edge", number, number]
  | ["bad", number, number];

const deadlineArb: fc.Arbitrary<DeadlineKind> = fc.oneof(
  {
    arbitrary: fc.tuple(fc.constant("soon" as const), fc.integer({ min: 0, max: 30 }), fractions),
    weight: 8,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("medium" as const),
      fc.integer({ min: 0, max: 70000 }),
      fractions,
    ),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("thisTick" as const),
      fc.integer({ min: 0, max: 2 }),
      fc.constant(0),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(fc.constant("past" as const), fc.integer({ min: 1, max: 5 }), fractions),
    weight: 1,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("edge" as const),
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom(0, -0.5, 0.5),
    ),
    weight: 2,
  },
  {
    arbitrary: fc.tuple(
      fc.constant("bad" as const),
      fc.integer({ min: 0, max: 2 }),
      fc.constant(0),
    ),
    weight: 1,
  },
);

function deadlineOf(h: Harness, [kind, n, f]: DeadlineKind): number {
  const clock = h.model.clock;
  const tick = Math.floor(clock);
  switch (kind) {
    case "soon":
    case "medium":
      return clock + n + f;
    case "thisTick":
      // Deadlines whose tick is the current one: taken as the next tick.
      return [tick, tick - 0.5, clock][n];
    case "past":
      return tick - n + f;
    case "edge":
      return tick + MAX_TIMER_DELAY + n + f;
    case "bad":
      return [NaN, Infinity, -Infinity][n];
  }
}

const scheduleCommand = deadlineArb.map((deadline) =>
  new CoreCommand(`timerSchedule(${deadline.join(" ")})`, (h, r, note) => {
    const at = deadlineOf(h, deadline);
    note(show(at));
    h.timerSchedule(r, at);
  })
);

const cancelCommand = timerPick.map((pick) =>
  new CoreCommand(`timerCancel(${timerLabel(pick)})`, (h, r, note) => {
    const id = h.resolveTimer(pick);
    note(show(id));
    h.timerCancel(r, id);
  })
);

/** Spawn + free in rounds over every free index: `rounds` of 2047 brings ids back. */
const churnActorsCommand = fc.constantFrom(1, 2, 3, 2046, 2047, 2048).map((rounds) =>
  new CoreCommand(`churnActors(${rounds} rounds)`, (h, r) => {
    const cycles = rounds * Math.max(1, h.model.freeActorIndices.length);
    for (let i = 0; i < cycles; i++) {
      const id = h.spawn(r, [1, 1, 0, 1]);
      if (id > 0) h.free(r, id);
    }
  })
);

/** Schedule + cancel in rounds over every free timer index: 511 rounds bring ids back. */
const churnTimersCommand = fc.constantFrom(1, 2, 510, 511, 512).map((rounds) =>
  new CoreCommand(`churnTimers(${rounds} rounds)`, (h, r) => {
    const cycles = rounds * Math.max(1, h.model.freeTimerIndices.length);
    for (let i = 0; i < cycles; i++) {
      const id = h.timerSchedule(r, h.model.clock + 10);
      if (id > 0) h.timerCancel(r, id);
    }
  })
);

/** Read-only calls with bad arguments. */
const badReadCommand = fc.tuple(
  fc.constantFrom("runQueueLength" as const, "timerFired" as const),
  fc.constantFrom(...GARBAGE_NUMBERS),
).map(([name, arg]) =>
  new CoreCommand(`${name}(${show(arg)})`, (h, r) => {
    h.call(r, name, [arg]);
  })
);

/** Every call a stale id can reach, on a freed (or garbage) id. */
const staleCommand = fc.tuple(
  fc.nat(1000),
  fc.constantFrom(
    "free" as const,
    "enqueue" as const,
    "dequeue" as const,
    "stat" as const,
    "hibernate" as const,
    "setPriority" as const,
    "release" as const,
    "wake" as const,
  ),
).map(([n, name]) =>
  new CoreCommand(`${name}(stale#${n})`, (h, r, note) => {
    const dead = h.knownActorIds.filter((id) => !h.model.actors.has(id));
    const id = dead.length > 0 ? dead[n % dead.length] : GARBAGE_IDS[n % GARBAGE_IDS.length];
    note(show(id));
    const args = name === "release"
      ? [id, 1, 0]
      : name === "stat" || name === "setPriority"
      ? [id, 1]
      : [id];
    const stale = !h.model.actors.has(id | 0);
    const result = name === "enqueue"
      ? h.enqueue(r, id)
      : name === "dequeue"
      ? h.dequeue(r, id)
      : name === "free"
      ? h.free(r, id)
      : h.call(r, name, args);
    if (stale) assert.equal(result, CoreCode.Stale, `${name} of a stale id`);
  })
);

/** The commands of the model-based property, with their weights. */
export function coreCommands(): fc.Arbitrary<fc.Command<Harness, Real>>[] {
  return [
    fc.oneof(
      { arbitrary: spawnCommand, weight: 8 },
      { arbitrary: freeCommand, weight: 2 },
      { arbitrary: enqueueCommand, weight: 12 },
      { arbitrary: dequeueCommand, weight: 4 },
      { arbitrary: statCommand, weight: 1 },
      { arbitrary: hibernateCommand, weight: 2 },
      { arbitrary: setPriorityCommand, weight: 3 },
      { arbitrary: nextCommand, weight: 5 },
      { arbitrary: releaseCommand, weight: 5 },
      { arbitrary: wakeCommand, weight: 3 },
      { arbitrary: sliceCommand, weight: 8 },
      { arbitrary: slicesCommand, weight: 3 },
      { arbitrary: crowdCommand, weight: 2 },
      { arbitrary: advanceCommand, weight: 6 },
      { arbitrary: scheduleCommand, weight: 7 },
      { arbitrary: cancelCommand, weight: 3 },
      { arbitrary: churnActorsCommand, weight: 1 },
      { arbitrary: churnTimersCommand, weight: 1 },
      { arbitrary: badReadCommand, weight: 1 },
      { arbitrary: staleCommand, weight: 2 },
    ),
  ];
}

// ---- bad input ------------------------------------------------------------------

/** A number argument: garbage, a small integer, a live id in disguise, a time. */
type Garbage =
  | ["const", number]
  | ["int", number]
  | ["double", number]
  | ["actor", ActorPick]
  | ["timer", TimerPick];

const garbageArb: fc.Arbitrary<Garbage> = fc.oneof(
  fc.tuple(fc.constant("const" as const), fc.constantFrom(...GARBAGE_NUMBERS)),
  fc.tuple(fc.constant("int" as const), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  fc.tuple(fc.constant("int" as const), fc.integer({ min: -3, max: 20 })),
  fc.tuple(
    fc.constant("double" as const),
    fc.double({ min: -(2 ** 45), max: 2 ** 45, noDefaultInfinity: true, noNaN: true }).filter(
      (x) => !Object.is(x, -0),
    ),
  ),
  fc.tuple(fc.constant("actor" as const), actorPick()),
  fc.tuple(fc.constant("timer" as const), timerPick),
);

function resolveGarbage(h: Harness, g: Garbage): number {
  switch (g[0]) {
    case "const":
    case "int":
    case "double":
      return g[1];
    case "actor":
      return h.resolveActor(g[1]);
    case "timer":
      return h.resolveTimer(g[1]);
  }
}

const ALL_CALLS: readonly CallName[] = [
  "spawn",
  "free",
  "enqueue",
  "dequeue",
  "stat",
  "hibernate",
  "setPriority",
  "next",
  "release",
  "wake",
  "runQueueLength",
  "advance",
  "timerSchedule",
  "timerCancel",
  "timerFired",
];

/** A call of any method with arbitrary number arguments. */
const garbageCallCommand = fc.tuple(
  fc.constantFrom(...ALL_CALLS),
  fc.array(garbageArb, { minLength: 4, maxLength: 4 }),
).map(([name, garbage]) =>
  new CoreCommand(`${name}(garbage)`, (h, r, note) => {
    const args = garbage.map((g) => resolveGarbage(h, g));
    // Times beyond 2^53 have no "next tick" (floor(t) + 1 === floor(t)): the contract
    // is silent there (see the huge-time test), so garbage times stay below 2^50.
    if ((name === "advance" || name === "timerSchedule") && Math.abs(args[0]) > 2 ** 50) {
      args[0] = Math.sign(args[0]) * 2 ** 50;
    }
    // A huge ring only tests the host's memory: keep spawns to small rings.
    if (name === "spawn" && Math.min(args[0] | 0, args[1] | 0) > 4096) args[0] = 7;
    note(args.map(show).join(", "));
    switch (name) {
      case "spawn":
        h.spawn(r, [args[0], args[1], args[2], args[3]]);
        break;
      case "free":
        h.free(r, args[0]);
        break;
      case "enqueue":
        h.enqueue(r, args[0]);
        break;
      case "dequeue":
        h.dequeue(r, args[0]);
        break;
      case "next":
        h.next(r);
        break;
      case "advance":
        h.advance(r, args[0]);
        break;
      case "timerSchedule":
        h.timerSchedule(r, args[0]);
        break;
      case "timerCancel":
        h.timerCancel(r, args[0]);
        break;
      case "stat":
      case "setPriority":
        h.call(r, name, [args[0], args[1]]);
        break;
      case "release":
        h.call(r, name, [args[0], args[1], args[2]]);
        break;
      default:
        h.call(r, name, [args[0]]);
    }
  })
);

/** The commands of the bad-input property: valid traffic interleaved with garbage calls. */
export function badInputCommands(): fc.Arbitrary<fc.Command<Harness, Real>>[] {
  return [
    fc.oneof(
      { arbitrary: garbageCallCommand, weight: 10 },
      { arbitrary: spawnCommand, weight: 3 },
      { arbitrary: enqueueCommand, weight: 4 },
      { arbitrary: sliceCommand, weight: 3 },
      { arbitrary: scheduleCommand, weight: 2 },
      { arbitrary: advanceCommand, weight: 2 },
    ),
  ];
}

/** Runs one command sequence against a fresh core. */
export function runModel(
  makeCore: (budget: number) => Core,
  budget: number,
  commands: Iterable<fc.Command<Harness, Real>>,
): void {
  const core = makeCore(budget);
  assert.equal(core.reductionBudget, budget);
  const harness = new Harness(budget);
  harness.checkAll({ core });
  fc.modelRun(() => ({ model: harness, real: { core } }), commands);
}

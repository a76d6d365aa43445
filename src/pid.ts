/**
 * Process identifiers and references: values that name a node.
 *
 * A pid is `{ node, serial, scheduler }`: the node names the {@linkcode System} that
 * made it (`SystemOptions.node`, by default a short random id unique in this
 * JavaScript process), the scheduler the thread of that system it lives on
 * (0 for the system's own thread, 1.. for its Workers: `SystemOptions.schedulers`),
 * the serial counts that scheduler's processes (1, 2, 3,
 * ...; never reused). Two pids are equal when all three are equal — compare them
 * with {@linkcode Pid.equals}, never with `===` — so a pid can be printed,
 * parsed, sent through `postMessage`, `structuredClone` or JSON, and come
 * back equal.
 *
 * The string form is `#PID<node.serial.scheduler>` (Elixir's notation, with the node
 * id where Erlang prints a node number); a node id is 1 to 64 characters of
 * `A-Z a-z 0-9 _ - @`. The JSON form of a pid is its string form.
 *
 * @module
 */

import { checkNodeId, DETACHED_NODE } from "./_node_id.ts";

let slotOf: (pid: Pid) => number;
let setSlot: (pid: Pid, slot: number) => void;

/** @internal The actor index the system that made `pid` gave it (-1: unknown). */
export function pidSlot(pid: Pid): number {
  return slotOf(pid);
}

/** @internal Records the actor index of a pid the kernel just made. */
export function setPidSlot(pid: Pid, slot: number): void {
  setSlot(pid, slot);
}

const PID_TEXT = /^#PID<([A-Za-z0-9_@-]{1,64})\.(\d{1,16})\.(\d{1,5})>$/;

/** Most schedulers one system may run (a pid's scheduler is below this). */
export const MAX_SCHEDULERS = 1024;

function checkScheduler(what: string, scheduler: unknown): number {
  if (
    typeof scheduler !== "number" || !Number.isInteger(scheduler) || scheduler < 0 ||
    scheduler >= MAX_SCHEDULERS
  ) {
    throw new TypeError(
      `${what}: a scheduler must be an integer in 0..${MAX_SCHEDULERS - 1}, got ${
        typeof scheduler === "number" ? scheduler : typeof scheduler
      }`,
    );
  }
  return scheduler;
}
const REF_TEXT = /^#Reference<([A-Za-z0-9_@-]{1,64})\.(\d{1,16})>$/;

function checkSerial(what: string, serial: unknown): number {
  if (typeof serial !== "number" || !Number.isSafeInteger(serial) || serial < 0) {
    throw new TypeError(
      `${what}: a serial must be a non-negative safe integer, got ${
        typeof serial === "number" ? serial : typeof serial
      }`,
    );
  }
  return serial;
}

/** Reads `{ node, serial, scheduler? }` from a plain object (a pid or ref after `structuredClone`). */
function fields(what: string, value: object): { node: string; serial: number; scheduler: number } {
  const { node, serial, scheduler } = value as {
    node?: unknown;
    serial?: unknown;
    scheduler?: unknown;
  };
  return {
    node: checkNodeId(what, node),
    serial: checkSerial(what, serial),
    scheduler: scheduler === undefined ? 0 : checkScheduler(what, scheduler),
  };
}

function quote(text: unknown): string {
  return typeof text === "string" ? JSON.stringify(text.slice(0, 80)) : typeof text;
}

/**
 * Identifies one process for its whole life and after: a pid is never
 * reused, so a message to the pid of a dead process goes nowhere (and a
 * `call` fails at once with `NoProcError`). A pid of another node (another
 * system) finds nothing here: `NoProcError`, never a local process that
 * happens to have the same serial.
 *
 * @example Printing, parsing and comparing pids
 * ```ts
 * import { ok, Pid, System } from "@beamlet/beamlet";
 *
 * const system = new System({ node: "a1b2" });
 * const pid = await system.start({ init: () => ok(0) });
 * console.log(String(pid)); // "#PID<a1b2.1.0>"
 * const back = Pid.parse(String(pid));
 * console.log(back.equals(pid), back === pid); // true false
 * console.log(system.isAlive(back)); // true
 * ```
 *
 * @example Through JSON and structuredClone
 * ```ts
 * import { ok, Pid, System } from "@beamlet/beamlet";
 *
 * const system = new System();
 * const pid = await system.start({ init: () => ok(0) });
 * const viaJson = Pid.fromJSON(JSON.parse(JSON.stringify({ pid })).pid);
 * const viaClone = Pid.fromJSON(structuredClone(pid));
 * console.log(viaJson.equals(pid), viaClone.equals(pid)); // true true
 * ```
 */
export class Pid<Call = unknown, Reply = unknown, Cast = unknown> {
  /** The node (system) that made it. */
  readonly node: string;
  /** Serial number, unique within its node and scheduler (1, 2, 3, ...). */
  readonly serial: number;
  /** The scheduler (thread) of its node it runs on: 0 for the system's own thread. */
  readonly scheduler: number;
  /** Type-level only: the requests `call` takes (from the server's `handleCall`). */
  declare readonly __call?: Call;
  /** Type-level only: what a `call` replies (from the server's `handleCall`). */
  declare readonly __reply?: Reply;
  /** Type-level only: what `cast` takes (from the server's `handleCast`). */
  declare readonly __cast?: Cast;

  /**
   * Made by the system; users get pids from `start`, and rebuild them with
   * {@linkcode Pid.parse}, {@linkcode Pid.fromJSON} or {@linkcode Pid.of}.
   * Without a node, the pid belongs to no system (node `"0"`).
   */
  constructor(serial: number, node: string = DETACHED_NODE, scheduler = 0) {
    this.node = node;
    this.serial = serial;
    this.scheduler = scheduler;
  }

  /**
   * Where the system that made this very object keeps its process (its
   * actor index), so that a send finds it without a table lookup: -1 for a
   * pid rebuilt from text or JSON, which is found by node and serial. Not
   * part of the pid's value: never printed, cloned or compared.
   */
  #slot = -1;

  static {
    slotOf = (pid) => #slot in pid ? pid.#slot : -1;
    setSlot = (pid, slot) => {
      pid.#slot = slot;
    };
  }

  /**
   * The pid `{ node, serial, scheduler }` (scheduler 0 by default), checked:
   * a TypeError for a malformed node id, serial or scheduler.
   *
   * @example
   * ```ts
   * import { Pid } from "@beamlet/beamlet";
   *
   * console.log(String(Pid.of("n1", 7))); // "#PID<n1.7.0>"
   * ```
   */
  static of(node: string, serial: number, scheduler = 0): Pid {
    return new Pid(
      checkSerial("Pid.of", serial),
      checkNodeId("Pid.of", node),
      checkScheduler("Pid.of", scheduler),
    );
  }

  /**
   * Reads a pid's string form `#PID<node.serial.scheduler>`; a TypeError for
   * anything else.
   *
   * @example
   * ```ts
   * import { Pid } from "@beamlet/beamlet";
   *
   * const pid = Pid.parse("#PID<a1b2.42.0>");
   * console.log(pid.node, pid.serial); // "a1b2" 42
   * ```
   */
  static parse(text: string): Pid {
    const match = typeof text === "string" ? PID_TEXT.exec(text) : null;
    if (match === null) {
      throw new TypeError(
        `Pid.parse: expected "#PID<node.serial.scheduler>" (node: 1-64 of A-Z a-z 0-9 _ - @), got ${
          quote(text)
        }`,
      );
    }
    return new Pid(
      checkSerial("Pid.parse", Number(match[2])),
      match[1],
      checkScheduler("Pid.parse", Number(match[3])),
    );
  }

  /**
   * Revives a pid from its JSON form (its string form), or from the plain
   * `{ node, serial }` object `structuredClone` or `postMessage` makes of it.
   * A TypeError for anything else.
   *
   * @example
   * ```ts
   * import { Pid } from "@beamlet/beamlet";
   *
   * const pid = Pid.of("n1", 3);
   * console.log(Pid.fromJSON(pid.toJSON()).equals(pid)); // true
   * ```
   */
  static fromJSON(value: unknown): Pid {
    if (typeof value === "string") return Pid.parse(value);
    if (value instanceof Pid) return value;
    if (typeof value === "object" && value !== null) {
      const { node, serial, scheduler } = fields("Pid.fromJSON", value);
      return new Pid(serial, node, scheduler);
    }
    throw new TypeError(
      `Pid.fromJSON: expected a pid's string form or { node, serial }, got ${quote(value)}`,
    );
  }

  /**
   * Whether `other` is this pid: the same node, serial and scheduler (a pid,
   * or the `{ node, serial, scheduler }` a clone of one is). Never throws.
   *
   * @example
   * ```ts
   * import { Pid } from "@beamlet/beamlet";
   *
   * console.log(Pid.of("n1", 3).equals(Pid.parse("#PID<n1.3.0>"))); // true
   * ```
   */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (typeof other !== "object" || other === null) return false;
    try {
      const { node, serial, scheduler } = other as {
        node?: unknown;
        serial?: unknown;
        scheduler?: unknown;
      };
      return serial === this.serial && node === this.node && (scheduler ?? 0) === this.scheduler;
    } catch {
      return false;
    }
  }

  /** `#PID<node.serial.scheduler>`. */
  toString(): string {
    return `#PID<${this.node}.${this.serial}.${this.scheduler}>`;
  }

  /** Serializes as its string form (telemetry, logs, the wire); see {@linkcode Pid.fromJSON}. */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * The requests a `call` to `T` takes: a typed pid's (from `start`), or
 * `unknown` for an untyped pid or a name. (internal: the
 * client API spells the same type out, so that it is readable where it is used).
 */
export type RequestOf<T> = T extends Pid<infer Call, unknown, unknown> ? Call : unknown;

/**
 * What a `call` to `T` replies: a typed pid's, or `unknown`. (internal: the
 * client API spells the same type out, so that it is readable where it is used).
 */
export type ReplyOf<T> = T extends Pid<unknown, infer Reply, unknown> ? Reply : unknown;

/**
 * What a `cast` to `T` takes: a typed pid's, or `unknown`. (internal: the
 * client API spells the same type out, so that it is readable where it is used).
 */
export type CastOf<T> = T extends Pid<unknown, unknown, infer Cast> ? Cast : unknown;

/**
 * Whether two pids (either may be undefined) are the same pid (internal:
 * users compare with `Pid.equals`). Never throws.
 */
export function samePid(a: Pid | undefined, b: Pid | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  return a.serial === b.serial && a.node === b.node && a.scheduler === b.scheduler;
}

/**
 * A reference: identifies a monitor or a timer. Unique within its node, and
 * a value like a pid: `#Reference<node.serial>`, equal by node and serial.
 *
 * @example A monitor reference
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 *
 * const system = new System({ node: "n1" });
 * const pid = await system.start({ init: () => ok(0) });
 * const ref = system.monitor(pid, () => {});
 * console.log(String(ref)); // "#Reference<n1.1>"
 * ```
 */
export class Ref {
  /** The node (system) that made it. */
  readonly node: string;
  /** Serial number, unique within its node. */
  readonly serial: number;

  /** Made by the system only (node `"0"` when made outside any system). */
  constructor(serial: number, node: string = DETACHED_NODE) {
    this.node = node;
    this.serial = serial;
  }

  /**
   * Reads `#Reference<node.serial>`; a TypeError for anything else.
   *
   * @example
   * ```ts
   * import { Ref } from "@beamlet/beamlet";
   *
   * console.log(Ref.parse("#Reference<n1.4>").serial); // 4
   * ```
   */
  static parse(text: string): Ref {
    const match = typeof text === "string" ? REF_TEXT.exec(text) : null;
    if (match === null) {
      throw new TypeError(`Ref.parse: expected "#Reference<node.serial>", got ${quote(text)}`);
    }
    return new Ref(checkSerial("Ref.parse", Number(match[2])), match[1]);
  }

  /**
   * Revives a ref from its JSON form or from a `{ node, serial }` clone.
   *
   * @example
   * ```ts
   * import { Ref } from "@beamlet/beamlet";
   *
   * const ref = Ref.parse("#Reference<n1.4>");
   * console.log(Ref.fromJSON(structuredClone(ref)).equals(ref)); // true
   * ```
   */
  static fromJSON(value: unknown): Ref {
    if (typeof value === "string") return Ref.parse(value);
    if (value instanceof Ref) return value;
    if (typeof value === "object" && value !== null) {
      const { node, serial } = fields("Ref.fromJSON", value);
      return new Ref(serial, node);
    }
    throw new TypeError(
      `Ref.fromJSON: expected a ref's string form or { node, serial }, got ${quote(value)}`,
    );
  }

  /** Whether `other` is this ref (same node and serial). Never throws. */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (typeof other !== "object" || other === null) return false;
    try {
      const { node, serial } = other as { node?: unknown; serial?: unknown };
      return serial === this.serial && node === this.node;
    } catch {
      return false;
    }
  }

  /** `#Reference<node.serial>`. */
  toString(): string {
    return `#Reference<${this.node}.${this.serial}>`;
  }

  /** Serializes as its string form. */
  toJSON(): string {
    return this.toString();
  }
}

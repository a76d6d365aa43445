/**
 * One scheduler's end of the fabric (internal): the same on the system's
 * own thread and in every Worker. It owns this scheduler's inbound ring,
 * writes to the other schedulers' rings, and is the routing seam's port
 * for every pid of this node that lives on another scheduler.
 *
 * Sending: a message is encoded at once into the batch of its destination
 * (so an unencodable payload fails the sender, synchronously, with nothing
 * sent), and the batches are copied into the rings on a microtask — one
 * ring record, one wake-up at most, per destination per turn. When a ring
 * is full, batches wait in order (a backlog) and are retried; a backlog
 * past `MAX_BACKLOG` bytes refuses further casts and sends
 * (`"overloaded"`, counted).
 *
 * Receiving: records are drained a few at a time, each message handed to
 * the local kernel (casts straight into the mailbox), then the loop yields
 * to the host; with nothing to read it sleeps on the ring's wake word
 * (`Atomics.waitAsync`), so an idle scheduler costs nothing.
 *
 * Per-sender order holds: one thread appends in program order to one batch
 * per destination, batches go into the ring in order, and the consumer
 * reads the ring in order.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { MailboxPort } from "../options.ts";
import type { Delivery } from "../options.ts";
import { Pid, type Ref } from "../pid.ts";
import { NoConnectionError, NoProcError, UnknownBehaviourError } from "../errors.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import { deliver } from "../kernel/mailbox/delivery.ts";
import { K_CAST, K_INFO } from "../kernel/state/envelopes.ts";
import { callbackFailed } from "../kernel/probes/instrument.ts";
import { connectionLost, remoteDown, remoteLinkExit } from "../kernel/lifecycle/remote_links.ts";
import { SharedRing } from "../core/shared_ring.ts";
import { Reader, Writer } from "./_codec.ts";
import { UnencodableError } from "./errors.ts";
import {
  C_PROCESSES,
  C_STATE,
  C_TASKS,
  CONTROL_STRIDE,
  OP_CALL,
  OP_CAST,
  OP_DEMONITOR,
  OP_DOWN,
  OP_EXIT,
  OP_FAIL,
  OP_LINK,
  OP_LINK_EXIT,
  OP_MONITOR,
  OP_NAME_DOWN,
  OP_NAME_UP,
  OP_REPLY,
  OP_SEND,
  OP_SPAWN,
  OP_SPAWN_FAIL,
  OP_SPAWNED,
  OP_TASK,
  OP_UNLINK,
  STATE_DOWN,
  STATE_UP,
} from "./_protocol.ts";
import { taskNamed } from "./define_behaviour.ts";
import { hostSetImmediate } from "../_host.ts";
import { RemotePort } from "./_remote_port.ts";
import { encodeReason, receiveSignal } from "./_wire_signals.ts";

/** Batches flushed into a ring as soon as they reach this many bytes. */
const FLUSH_AT = 64 * 1024;
/**
 * Largest encoded message: with FLUSH_AT, a batch stays far below the
 * largest ring record (`SharedRing.maxRecord`, about half the 4 MiB ring).
 */
export const MAX_MESSAGE = 1024 * 1024;
/** A batch this large (its ring full) refuses further casts and sends. */
const MAX_BACKLOG = 16 * 1024 * 1024;
/** Ring records drained before the loop yields to the host. */
const DRAIN_BATCH = 16;
/** Sweep of remote calls' deadlines, ms. */
const SWEEP_MS = 25;

/** A call or task waiting for its answer from another scheduler. */
interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly scheduler: number;
  readonly deadline: number;
  readonly what: string;
}

/** What the fabric needs from the System on its thread. */
export interface FabricHost {
  readonly rt: Runtime;
  /** `system.call(pid, request, { timeout })`, the handler's `from` naming `caller` (a process elsewhere). */
  call(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
  /** Starts a defined behaviour here for a start placed from another scheduler. */
  spawnHere(
    name: string,
    arg: unknown,
    options: Record<string, unknown>,
    parent: Pid | undefined,
    link: boolean,
  ): Promise<Pid | undefined>;
  /** Live processes here. */
  processCount(): number;
  /** Scheduler `from` says `pid` took (`up`) or dropped a registered name. */
  heardName(up: boolean, name: string, pid: Pid, from: number): void;
}

/** Counters (`system.schedulers()`). */
export interface FabricCounters {
  sent: number;
  received: number;
  batches: number;
  full: number;
  refused: number;
}

export class Fabric {
  readonly index: number;
  readonly node: string;
  readonly count: number;
  readonly counters: FabricCounters = { sent: 0, received: 0, batches: 0, full: 0, refused: 0 };
  readonly #host: FabricHost;
  readonly #inbound: SharedRing;
  readonly #control: Int32Array;
  #rings: (SharedRing | undefined)[] = [];
  readonly #writers: Writer[] = [];
  /** Batches a full ring refused, per destination, oldest first, and their bytes. */
  readonly #backlog: Uint8Array[][] = [];
  readonly #backlogBytes: number[] = [];
  readonly #reader = new Reader();
  /** The scheduler that wrote the batch being read (each batch starts with its index). */
  #sender = 0;
  #flushQueued = false;
  #retry: ReturnType<typeof setTimeout> | undefined = undefined;
  #running = true;
  #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #sweep: ReturnType<typeof setInterval> | undefined = undefined;
  #holder: ReturnType<typeof setInterval> | undefined = undefined;
  readonly #ports = new WeakMap<Pid, MailboxPort>();
  readonly #onRecord = (memory: Uint8Array, start: number, length: number) =>
    this.#receive(memory, start, length);

  constructor(
    host: FabricHost,
    index: number,
    count: number,
    node: string,
    inbound: SharedRing,
    control: SharedArrayBuffer,
  ) {
    this.#host = host;
    this.index = index;
    this.count = count;
    this.node = node;
    this.#inbound = inbound;
    this.#control = new Int32Array(control);
    for (let i = 0; i < count; i++) {
      this.#writers.push(new Writer());
      this.#backlog.push([]);
      this.#backlogBytes.push(0);
    }
    Atomics.store(this.#control, index * CONTROL_STRIDE + C_STATE, STATE_UP);
  }

  /** Attaches the other schedulers' rings (address 0: that scheduler has none). */
  attach(addresses: readonly number[], core: import("../core/core.ts").Core): void {
    this.#rings = addresses.map((address, i) =>
      address === 0 || i === this.index
        ? undefined
        : SharedRing.attach(core, address, this.index + 1)
    );
    void this.#loop();
  }

  /** Whether scheduler `i` runs. */
  isUp(i: number): boolean {
    return i >= 0 && i < this.count &&
      Atomics.load(this.#control, i * CONTROL_STRIDE + C_STATE) === STATE_UP &&
      (i === this.index || this.#rings[i] !== undefined);
  }

  /** A control word of scheduler `i`. */
  word(i: number, which: number): number {
    return Atomics.load(this.#control, i * CONTROL_STRIDE + which);
  }

  /** Publishes this scheduler's load for least-loaded placement. */
  publishLoad(): void {
    Atomics.store(
      this.#control,
      this.index * CONTROL_STRIDE + C_PROCESSES,
      this.#host.processCount(),
    );
  }

  // ---------------------------------------------------------------- the port

  /** The port for a pid of this node on another scheduler (the routing seam). */
  portFor(pid: Pid): MailboxPort | undefined {
    const i = pid.scheduler;
    if (i === this.index || i >= this.count) return undefined;
    let port = this.#ports.get(pid);
    if (port === undefined) {
      port = this.#makePort(pid);
      this.#ports.set(pid, port);
    }
    return port;
  }

  #makePort(pid: Pid): MailboxPort {
    return new RemotePort(this, pid);
  }

  /** `MailboxPort.deliver` of `pid`. */
  portDeliver(pid: Pid, kind: "cast" | "info", message: unknown): Delivery {
    return this.#deliver(pid.scheduler, kind === "cast" ? OP_CAST : OP_SEND, pid.serial, message);
  }

  /** `MailboxPort.call` of `pid`. */
  portCall(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown> {
    return this.#call(pid.scheduler, pid.serial, request, timeout, pid, caller);
  }

  /** `MailboxPort.exit` (`link` false) or `linkExit` (`link` true) of `pid`. */
  portSignal(pid: Pid, link: boolean, from: Pid | undefined, reason: ExitReason): void {
    this.#signal(pid.scheduler, link ? OP_LINK_EXIT : OP_EXIT, pid.serial, from, reason);
  }

  /** `MailboxPort.link` (`link` true) or `unlink` of `pid`. */
  portLink(pid: Pid, link: boolean, from: Pid): void {
    this.#pidOp(pid.scheduler, link ? OP_LINK : OP_UNLINK, pid.serial, from);
  }

  /** `MailboxPort.monitor` of `pid`. */
  portMonitor(pid: Pid, watcher: Pid, ref: Ref): void {
    const w = this.#begin(pid.scheduler, OP_MONITOR);
    if (w === undefined) return this.#noDown(ref, pid, watcher);
    w.f64(pid.serial);
    w.value(watcher);
    w.value(ref);
    this.#sent();
  }

  /** `MailboxPort.demonitor` of `pid`. */
  portDemonitor(pid: Pid, ref: Ref): void {
    const w = this.#begin(pid.scheduler, OP_DEMONITOR);
    if (w === undefined) return;
    w.f64(pid.serial);
    w.value(ref);
    this.#sent();
  }

  /** `MailboxPort.down` of `pid` (the watcher). */
  portDown(pid: Pid, ref: Ref, dead: Pid, reason: ExitReason): void {
    const w = this.#begin(pid.scheduler, OP_DOWN);
    if (w === undefined) return;
    this.#encodeReason(w, reason, () => {
      w.value(pid);
      w.value(ref);
      w.value(dead);
    });
    this.#sent();
  }

  /** A monitor on a pid of a scheduler that is down: DOWN noconnection, here. */
  #noDown(ref: Ref, pid: Pid, watcher: Pid): void {
    queueMicrotask(() => remoteDown(this.#host.rt, watcher, ref, pid, "noconnection"));
  }

  /** The batch for scheduler `i`, with `op` written, or undefined when `i` is down. */
  #begin(i: number, op: number): Writer | undefined {
    if (!this.isUp(i)) return undefined;
    const w = this.#writer(i);
    w.u8(op);
    return w;
  }

  /** The batch for scheduler `i`; a new batch starts with this scheduler's index. */
  #writer(i: number): Writer {
    const w = this.#writers[i];
    if (w.length === 0) w.u32(this.index);
    return w;
  }

  /** Writes a message's fields; on an encoding error nothing of the message stays. */
  #encode(w: Writer, write: () => void): void {
    const mark = w.length - 1; // its op byte too
    try {
      write();
    } catch (error) {
      w.length = mark;
      throw error;
    }
    if (w.length - mark > MAX_MESSAGE) {
      const size = w.length - mark;
      w.length = mark;
      throw new UnencodableError(
        "payload",
        `a message of ${size} bytes (more than the ${MAX_MESSAGE} a message between schedulers may take)`,
      );
    }
  }

  #sent(): void {
    this.counters.sent++;
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
  }

  #deliver(i: number, op: number, serial: number, message: unknown): Delivery {
    if (!this.isUp(i)) return "noproc";
    const w = this.#writer(i);
    if (this.#backlogBytes[i] >= MAX_BACKLOG) {
      this.counters.refused++;
      return "overloaded";
    }
    w.u8(op);
    this.#encode(w, () => {
      w.f64(serial);
      w.value(message);
    });
    this.#sent();
    if (w.length >= FLUSH_AT) this.#flushOne(i);
    return "ok";
  }

  #signal(i: number, op: number, serial: number, from: Pid | undefined, reason: ExitReason): void {
    const w = this.#begin(i, op);
    if (w === undefined) return;
    this.#encodeReason(w, reason, () => {
      w.f64(serial);
      w.value(from);
    });
    this.#sent();
  }

  /** Writes a message whose last field is an exit reason (`_wire_signals.ts`). */
  #encodeReason(w: Writer, reason: ExitReason, head: () => void): void {
    encodeReason(w, reason, head, (w, write) => this.#encode(w, write), "schedulers");
  }

  #pidOp(i: number, op: number, serial: number, from: Pid): void {
    const w = this.#begin(i, op);
    if (w === undefined) {
      // Linking to a scheduler that is down: the link is lost at once.
      if (op === OP_LINK) {
        const pid = new Pid(serial, this.node, i);
        queueMicrotask(() => remoteLinkExit(this.#host.rt, from, pid, "noconnection"));
      }
      return;
    }
    w.f64(serial);
    w.value(from);
    this.#sent();
  }

  #call(
    i: number,
    serial: number,
    request: unknown,
    timeout: number,
    pid: Pid,
    caller: Pid | undefined,
  ): Promise<unknown> {
    return this.#ask(i, `call to ${pid}`, timeout, (w, id) => {
      w.u8(OP_CALL);
      this.#encode(w, () => {
        w.f64(serial);
        w.f64(id);
        w.f64(timeout);
        w.value(caller);
        w.value(request);
      });
    }, () => new NoProcError(String(pid), { pid }));
  }

  /** Tells scheduler `i` that `pid` took (`up`) or dropped `name`. */
  sendName(i: number, up: boolean, name: string, pid: Pid): void {
    const w = this.#begin(i, up ? OP_NAME_UP : OP_NAME_DOWN);
    if (w === undefined) return;
    this.#encode(w, () => {
      w.str(name);
      w.value(pid);
    });
    this.#sent();
  }

  /** Runs task `name` on scheduler `i`: its result, or its error. */
  runTask(i: number, name: string, args: unknown[], timeout: number): Promise<unknown> {
    return this.#ask(i, `task ${name}`, timeout, (w, id) => {
      w.u8(OP_TASK);
      this.#encode(w, () => {
        w.f64(id);
        w.str(name);
        w.value(args);
      });
    }, () => new NoConnectionError(`scheduler ${i}`));
  }

  /** Starts behaviour `name` on scheduler `i`. */
  spawn(
    i: number,
    name: string,
    arg: unknown,
    options: Record<string, unknown>,
    parent: Pid | undefined,
    link: boolean,
  ): Promise<Pid | undefined> {
    return this.#ask(i, `start of ${name}`, Infinity, (w, id) => {
      w.u8(OP_SPAWN);
      this.#encode(w, () => {
        w.f64(id);
        w.str(name);
        w.value(arg);
        w.value(options);
        w.value(parent);
        w.u8(link ? 1 : 0);
      });
    }, () => new NoConnectionError(`scheduler ${i}`)) as Promise<Pid | undefined>;
  }

  /** Sends a request with an id and waits for its answer (REPLY/FAIL/SPAWNED/SPAWN_FAIL). */
  #ask(
    i: number,
    what: string,
    timeout: number,
    write: (w: Writer, id: number) => void,
    whenDown: () => Error,
  ): Promise<unknown> {
    if (!this.isUp(i)) return Promise.reject(whenDown());
    const id = this.#nextId++;
    try {
      write(this.#writer(i), id);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#sent();
    return new Promise((resolve, reject) => {
      const deadline = timeout === Infinity ? Infinity : performance.now() + timeout + SWEEP_MS;
      if (this.#waiting.size === 0) this.#hold();
      this.#waiting.set(id, { resolve, reject, scheduler: i, deadline, what });
      if (deadline !== Infinity && this.#sweep === undefined) this.#startSweep();
    });
  }

  /**
   * Deadlines of remote calls, swept every SWEEP_MS while any is pending:
   * the server side enforces the timeout (its CallTimeoutError comes back);
   * this only catches a scheduler that cannot answer (busy or stuck).
   */
  #startSweep(): void {
    const sweep = this.#sweep = setInterval(() => {
      const now = performance.now();
      let finite = 0;
      for (const [id, waiting] of this.#waiting) {
        if (waiting.deadline === Infinity) continue;
        if (waiting.deadline > now) {
          finite++;
          continue;
        }
        this.#take(id);
        waiting.reject(
          new NoConnectionError(
            `scheduler ${waiting.scheduler} (no answer to the ${waiting.what} in time)`,
          ),
        );
      }
      if (finite === 0) {
        clearInterval(sweep);
        this.#sweep = undefined;
      }
    }, SWEEP_MS);
    (sweep as { unref?: () => void }).unref?.();
  }

  readonly #flush = (): void => {
    this.#flushQueued = false;
    for (let i = 0; i < this.count; i++) {
      if (this.#writers[i].length > 0 || this.#backlog[i].length > 0) this.#flushOne(i);
    }
  };

  #flushOne(i: number): void {
    const w = this.#writers[i];
    const ring = this.#rings[i];
    if (ring === undefined || !this.isUp(i)) {
      w.reset(); // scheduler gone: what was for it goes nowhere (links and monitors saw noconnection)
      this.#backlog[i] = [];
      this.#backlogBytes[i] = 0;
      return;
    }
    // Batches the ring refused before go first, in order.
    const backlog = this.#backlog[i];
    while (backlog.length > 0) {
      const batch = backlog[0];
      if (!ring.write(batch, batch.length)) break;
      backlog.shift();
      this.#backlogBytes[i] -= batch.length;
      this.counters.batches++;
    }
    if (backlog.length === 0 && w.length > 0 && ring.write(w.bytes, w.length)) {
      this.counters.batches++;
      w.reset();
      return;
    }
    if (w.length === 0 && backlog.length === 0) return;
    this.counters.full++;
    if (w.length >= FLUSH_AT) {
      // The ring is full: this batch waits as it is, and a new one begins.
      backlog.push(w.bytes.slice(0, w.length));
      this.#backlogBytes[i] += w.length;
      w.reset();
    }
    if (this.#retry === undefined) {
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#flush();
      }, 1);
    }
  }

  // ------------------------------------------------------------- receiving

  async #loop(): Promise<void> {
    const ring = this.#inbound;
    while (this.#running) {
      let drained = 0;
      try {
        drained = ring.drain(this.#onRecord, DRAIN_BATCH);
      } catch (error) {
        callbackFailed(this.#host.rt, "scheduler fabric", error);
      }
      if (!this.#running) return;
      if (drained === DRAIN_BATCH) await yieldToHost();
      else await ring.wait(1000);
    }
  }

  #receive(memory: Uint8Array, start: number, length: number): void {
    const r = this.#reader;
    r.reset(memory, start, start + length);
    this.#sender = r.u32();
    while (!r.done) {
      this.counters.received++;
      try {
        this.#dispatch(r, r.u8());
      } catch (error) {
        // A message this side cannot read poisons the rest of its batch only.
        callbackFailed(this.#host.rt, "scheduler fabric", error);
        return;
      }
    }
  }

  #pid(serial: number): Pid {
    return new Pid(serial, this.node, this.index);
  }

  readonly #here = (serial: number): Pid => this.#pid(serial);

  #dispatch(r: Reader, op: number): void {
    const rt = this.#host.rt;
    if (receiveSignal(rt, r, op, this.#here)) return;
    switch (op) {
      case OP_CAST:
      case OP_SEND: {
        const serial = r.f64();
        const message = r.value();
        deliver(rt, rt.bySerial.get(serial), op === OP_CAST ? K_CAST : K_INFO, message);
        return;
      }
      case OP_CALL: {
        const serial = r.f64();
        const id = r.f64();
        const timeout = r.f64();
        const caller = r.value() as Pid | undefined;
        const request = r.value();
        this.#answer(
          this.#host.call(this.#pid(serial), request, timeout, caller),
          id,
          this.#sender,
        );
        return;
      }
      case OP_REPLY:
      case OP_SPAWNED: {
        const id = r.f64();
        const value = r.value();
        const waiting = this.#take(id);
        if (waiting === undefined) return;
        waiting.resolve(value);
        return;
      }
      case OP_FAIL:
      case OP_SPAWN_FAIL: {
        const id = r.f64();
        const error = r.value();
        const waiting = this.#take(id);
        if (waiting === undefined) return;
        waiting.reject(error);
        return;
      }
      case OP_SPAWN: {
        const id = r.f64();
        const name = r.str();
        const arg = r.value();
        const options = r.value() as Record<string, unknown>;
        const parent = r.value() as Pid | undefined;
        const link = r.u8() === 1;
        const sender = this.#sender;
        this.#respond(
          this.#host.spawnHere(name, arg, options, parent, link).then((pid) => {
            this.publishLoad();
            return pid;
          }),
          id,
          sender,
          OP_SPAWNED,
          OP_SPAWN_FAIL,
        );
        return;
      }
      case OP_NAME_UP:
      case OP_NAME_DOWN: {
        const name = r.str();
        const pid = r.value() as Pid;
        this.#host.heardName(op === OP_NAME_UP, name, pid, this.#sender);
        return;
      }
      case OP_TASK: {
        const id = r.f64();
        const name = r.str();
        const args = r.value() as unknown[];
        const fn = taskNamed(name);
        const sender = this.#sender;
        if (fn === undefined) {
          this.#respond(
            Promise.reject(new UnknownBehaviourError(name, this.index)),
            id,
            sender,
            OP_REPLY,
            OP_FAIL,
          );
          return;
        }
        Atomics.add(this.#control, this.index * CONTROL_STRIDE + C_TASKS, 1);
        let result: Promise<unknown>;
        try {
          result = Promise.resolve((fn as (...a: unknown[]) => unknown)(...args));
        } catch (error) {
          result = Promise.reject(error);
        }
        result = result.finally(() =>
          Atomics.sub(this.#control, this.index * CONTROL_STRIDE + C_TASKS, 1)
        );
        this.#respond(result, id, sender, OP_REPLY, OP_FAIL);
        return;
      }
    }
    throw new Error(`scheduler fabric: unknown operation ${op}`);
  }

  #answer(answer: Promise<unknown>, id: number, to: number): void {
    this.#respond(answer, id, to, OP_REPLY, OP_FAIL);
  }

  /** Sends the outcome of `answer` back to scheduler `to` under `id`. */
  #respond(answer: Promise<unknown>, id: number, to: number, ok: number, fail: number): void {
    answer.then(
      (value) => this.#reply(to, ok, id, value),
      (error) => this.#reply(to, fail, id, error),
    );
  }

  #reply(to: number, op: number, id: number, value: unknown): void {
    const w = this.#begin(to, op);
    if (w === undefined) return;
    try {
      this.#encode(w, () => {
        w.f64(id);
        w.value(value);
      });
    } catch (error) {
      // A reply that cannot cross: the caller gets the encoding error instead.
      w.u8(
        OP_FAIL === op || OP_SPAWN_FAIL === op ? op : op === OP_SPAWNED ? OP_SPAWN_FAIL : OP_FAIL,
      );
      w.f64(id);
      w.value(new TypeError(String((error as Error)?.message ?? error)));
    }
    this.#sent();
  }

  // ------------------------------------------------------------- lifecycle

  /** Scheduler `i` is gone: its calls fail, links and monitors into it see `noconnection`. */
  lost(i: number, stopped: boolean): void {
    Atomics.store(this.#control, i * CONTROL_STRIDE + C_STATE, STATE_DOWN);
    // A record it reserved in our ring and never committed would hold back
    // every record behind it: skipped, once its thread has certainly stopped
    // (Node's and Bun's exit events). A web Worker's terminate() stops it
    // only when its code returns to its event loop — never between a
    // reservation and its commit — so there is nothing to skip, and skipping
    // while it may still write would be wrong.
    if (stopped) this.stopped(i);
    this.#rings[i] = undefined;
    this.#writers[i].reset();
    this.#backlog[i] = [];
    this.#backlogBytes[i] = 0;
    for (const [id, waiting] of this.#waiting) {
      if (waiting.scheduler !== i) continue;
      this.#take(id);
      waiting.reject(new NoConnectionError(`scheduler ${i}`));
    }
    const node = this.node;
    connectionLost(this.#host.rt, (pid) => pid.scheduler === i && pid.node === node);
  }

  /** Scheduler `i`'s thread has stopped: what it reserved in our ring and never committed is skipped. */
  stopped(i: number): void {
    this.#inbound.skipAbandoned(i + 1);
  }

  /** Stops reading and writing. */
  stop(): void {
    this.#running = false;
    Atomics.store(this.#control, this.index * CONTROL_STRIDE + C_STATE, STATE_DOWN);
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    for (const waiting of this.#waiting.values()) {
      waiting.reject(new NoConnectionError(`scheduler ${waiting.scheduler} (shut down)`));
    }
    this.#waiting.clear();
    this.#release();
  }

  /**
   * While an answer is awaited from another scheduler, the host must not
   * exit (Node does not count a Worker's pending reply, nor a pending
   * `Atomics.waitAsync`, as work): a ref'd timer holds it, and only then.
   */
  #hold(): void {
    if (this.#holder === undefined) this.#holder = setInterval(noop, 1 << 30);
  }

  #release(): void {
    if (this.#holder === undefined) return;
    clearInterval(this.#holder);
    this.#holder = undefined;
  }

  /** Removes and returns what waits on `id` (releasing the host when nothing waits any more). */
  #take(id: number): Waiting | undefined {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return undefined;
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#release();
    return waiting;
  }
}

function noop(): void {}

/** Lets the host's event loop run (timers, I/O, the local scheduler's macrotasks). */
function yieldToHost(): Promise<void> {
  return new Promise((resolve) => {
    if (hostSetImmediate !== undefined) hostSetImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

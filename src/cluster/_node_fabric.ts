/**
 * Messages between the nodes of a cluster (internal): the routing seam's
 * port for every pid of another node, over NATS.
 *
 * Each node subscribes to its own subject, `beamlet.<cluster>.n.<node>`.
 * A message is encoded at once into the batch of its destination node (so
 * an unencodable payload fails the sender, synchronously, with nothing
 * sent), and the batches are published on a microtask — one NATS message
 * per destination per turn, however many casts it carries — or as soon as
 * one reaches `FLUSH_AT` bytes. A batch begins with its sender's node name
 * and incarnation; the messages in it use the operations of the
 * schedulers' fabric (`../schedulers/_protocol.ts`), with the target's
 * serial (a clustered node runs one scheduler); CAST, SEND and CALL carry
 * one more field before the payload, the sender's trace context (a W3C
 * `traceparent` from the tracer's `inject`, or undefined: one byte), which
 * the receiving node makes current around the delivery (`extract`), so an
 * OpenTelemetry trace goes on across nodes.
 *
 * Per-sender order holds between two nodes: one thread appends in program
 * order to one batch per destination, and NATS delivers one connection's
 * messages on one subject in the order they were published.
 *
 * A node that goes down (`lost`): its pending calls and starts reject with
 * `NoConnectionError`, links into it are exit signals `noconnection`,
 * monitors DOWN `noconnection`.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Delivery, MailboxPort } from "../options.ts";
import { Pid, type Ref } from "../pid.ts";
import { NoConnectionError } from "../errors.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import { deliver } from "../kernel/mailbox/delivery.ts";
import { K_CAST, K_INFO } from "../kernel/state/envelopes.ts";
import { callbackFailed } from "../kernel/probes/instrument.ts";
import { unrefTimer } from "../_host_timer.ts";
import { connectionLost, remoteDown, remoteLinkExit } from "../kernel/lifecycle/remote_links.ts";
import { Reader, Writer } from "../schedulers/_codec.ts";
import { UnencodableError } from "../schedulers/errors.ts";
import {
  OP_CALL,
  OP_CAST,
  OP_DEMONITOR,
  OP_DOWN,
  OP_EXIT,
  OP_FAIL,
  OP_LINK,
  OP_LINK_EXIT,
  OP_MONITOR,
  OP_REPLY,
  OP_SEND,
  OP_SPAWN,
  OP_SPAWN_FAIL,
  OP_SPAWNED,
  OP_STOP,
  OP_UNLINK,
} from "../schedulers/_protocol.ts";
import { RemotePort } from "../schedulers/_remote_port.ts";
import { encodeReason, receiveSignal } from "../schedulers/_wire_signals.ts";

/** The batch format's version (first byte of every batch). */
const VERSION = 1;
/** Batches are published as soon as they reach this many bytes. */
const FLUSH_AT = 64 * 1024;
/** Deadlines of remote calls are swept this often while any is pending, ms. */
const SWEEP_MS = 25;
/** What a call's deadline allows past its timeout for the answer to travel back, ms. */
const GRACE_MS = 250;

/** What the node fabric needs of the System and the cluster. */
export interface NodeFabricHost {
  readonly rt: Runtime;
  /** This node's name and this run of it. */
  readonly node: string;
  readonly incarnation: number;
  /** The largest NATS payload the server takes. */
  maxPayload(): number;
  /** Publishes `bytes` to node `node`'s subject; false when the connection is closed. */
  publish(node: string, bytes: Uint8Array): boolean;
  /** Whether node `node` is up. */
  isUp(node: string): boolean;
  /** A message came from node `node` (its run `incarnation`): it is alive. */
  heard(node: string, incarnation: number): void;
  /** `system.call(pid, request, { timeout })`, the handler's `from` naming `caller` (a process elsewhere). */
  call(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
  /** `system.stop(pid, reason, timeout)` of a process here, asked from another node. */
  stop(pid: Pid, reason: ExitReason, timeout: number): Promise<void>;
  /** Starts a defined behaviour here for a start placed from another node. */
  spawnHere(
    name: string,
    arg: unknown,
    options: Record<string, unknown>,
    parent: Pid | undefined,
    link: boolean,
  ): Promise<Pid | undefined>;
}

/** Counters of traffic between nodes. */
export interface NodeTraffic {
  /** Messages sent and received (casts, calls, replies, signals, ...). */
  sent: number;
  received: number;
  /** NATS messages (batches) published and received, and their bytes. */
  batches: number;
  batchesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Casts and sends refused (too large, node not up). */
  refused: number;
}

/** A call or start waiting for its answer from another node. */
interface Waiting {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly node: string;
  readonly deadline: number;
  readonly what: string;
}

export class NodeFabric {
  readonly traffic: NodeTraffic = {
    sent: 0,
    received: 0,
    batches: 0,
    batchesReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    refused: 0,
  };
  readonly #host: NodeFabricHost;
  readonly #writers = new Map<string, Writer>();
  readonly #reader = new Reader();
  readonly #ports = new WeakMap<Pid, MailboxPort>();
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #flushQueued = false;
  #sweep: ReturnType<typeof setInterval> | undefined = undefined;
  #sender = "";
  #stopped = false;

  constructor(host: NodeFabricHost) {
    this.#host = host;
  }

  /** The largest message one node may send another (a batch holds at least one). */
  maxMessage(): number {
    return Math.max(1024, this.#host.maxPayload() - 1024);
  }

  // ---------------------------------------------------------------- the port

  /** The routing seam's port for a pid of another node. */
  portFor(pid: Pid): MailboxPort {
    let port = this.#ports.get(pid);
    if (port === undefined) {
      port = new RemotePort(this, pid);
      this.#ports.set(pid, port);
    }
    return port;
  }

  /** `MailboxPort.deliver` of `pid`. */
  portDeliver(pid: Pid, kind: "cast" | "info", message: unknown): Delivery {
    const node = pid.node;
    if (!this.#host.isUp(node)) {
      this.traffic.refused++;
      return "noproc";
    }
    const w = this.#writer(node);
    w.u8(kind === "cast" ? OP_CAST : OP_SEND);
    this.#encode(w, () => {
      w.f64(pid.serial);
      w.value(this.#trace());
      w.value(message);
    });
    this.#sent(node, w);
    return "ok";
  }

  /** `MailboxPort.call` of `pid`. */
  portCall(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown> {
    return this.#ask(pid.node, `call to ${pid}`, timeout, (w, id) => {
      w.u8(OP_CALL);
      this.#encode(w, () => {
        w.f64(pid.serial);
        w.f64(id);
        w.f64(timeout);
        w.value(caller);
        w.value(this.#trace());
        w.value(request);
      });
    });
  }

  /** `MailboxPort.exit` (`link` false) or `linkExit` (`link` true) of `pid`. */
  portSignal(pid: Pid, link: boolean, from: Pid | undefined, reason: ExitReason): void {
    const w = this.#begin(pid.node, link ? OP_LINK_EXIT : OP_EXIT);
    if (w === undefined) return;
    this.#encodeReason(w, reason, () => {
      w.f64(pid.serial);
      w.value(from);
    });
    this.#sent(pid.node, w);
  }

  /** `MailboxPort.link` (`link` true) or `unlink` of `pid`. */
  portLink(pid: Pid, link: boolean, from: Pid): void {
    const w = this.#begin(pid.node, link ? OP_LINK : OP_UNLINK);
    if (w === undefined) {
      // Linking to a node that is down: the link is lost at once.
      if (link) queueMicrotask(() => remoteLinkExit(this.#host.rt, from, pid, "noconnection"));
      return;
    }
    w.f64(pid.serial);
    w.value(from);
    this.#sent(pid.node, w);
  }

  /** `MailboxPort.monitor` of `pid`. */
  portMonitor(pid: Pid, watcher: Pid, ref: Ref): void {
    const w = this.#begin(pid.node, OP_MONITOR);
    if (w === undefined) {
      queueMicrotask(() => remoteDown(this.#host.rt, watcher, ref, pid, "noconnection"));
      return;
    }
    w.f64(pid.serial);
    w.value(watcher);
    w.value(ref);
    this.#sent(pid.node, w);
  }

  /** `MailboxPort.demonitor` of `pid`. */
  portDemonitor(pid: Pid, ref: Ref): void {
    const w = this.#begin(pid.node, OP_DEMONITOR);
    if (w === undefined) return;
    w.f64(pid.serial);
    w.value(ref);
    this.#sent(pid.node, w);
  }

  /** `MailboxPort.down` of `pid` (the watcher). */
  portDown(pid: Pid, ref: Ref, dead: Pid, reason: ExitReason): void {
    const w = this.#begin(pid.node, OP_DOWN);
    if (w === undefined) return;
    this.#encodeReason(w, reason, () => {
      w.value(pid);
      w.value(ref);
      w.value(dead);
    });
    this.#sent(pid.node, w);
  }

  /** Stops `pid` (`system.stop`): resolves once it exited. */
  stopProcess(pid: Pid, reason: ExitReason, timeout: number): Promise<void> {
    return this.#ask(pid.node, `stop of ${pid}`, timeout, (w, id) => {
      w.u8(OP_STOP);
      this.#encode(w, () => {
        w.f64(id);
        w.f64(pid.serial);
        w.value(reason);
        w.f64(timeout);
      });
    }) as Promise<void>;
  }

  /** Starts behaviour `name` on node `node`. */
  spawn(
    node: string,
    name: string,
    arg: unknown,
    options: Record<string, unknown>,
    parent: Pid | undefined,
    link: boolean,
  ): Promise<Pid | undefined> {
    return this.#ask(node, `start of ${name}`, Infinity, (w, id) => {
      w.u8(OP_SPAWN);
      this.#encode(w, () => {
        w.f64(id);
        w.str(name);
        w.value(arg);
        w.value(options);
        w.value(parent);
        w.u8(link ? 1 : 0);
      });
    }) as Promise<Pid | undefined>;
  }

  // ---------------------------------------------------------------- sending

  /** The sender's trace context for the message, when a tracer can carry one. */
  #trace(): string | undefined {
    const tracer = this.#host.rt.tracer;
    if (tracer?.inject === undefined) return undefined;
    try {
      return tracer.inject();
    } catch (error) {
      callbackFailed(this.#host.rt, "tracer inject", error);
      return undefined;
    }
  }

  /** Runs the delivery of a message from another node in its sender's trace context. */
  #traced<R>(trace: unknown, fn: () => R): R {
    const tracer = this.#host.rt.tracer;
    if (typeof trace !== "string" || tracer?.extract === undefined) return fn();
    return tracer.extract(trace, fn);
  }

  /** The batch for `node`, with `op` written, or undefined when `node` is not up. */
  #begin(node: string, op: number): Writer | undefined {
    if (!this.#host.isUp(node)) return undefined;
    const w = this.#writer(node);
    w.u8(op);
    return w;
  }

  /** The batch for `node`; a new batch starts with this node's name and incarnation. */
  #writer(node: string): Writer {
    let w = this.#writers.get(node);
    if (w === undefined) {
      w = new Writer();
      this.#writers.set(node, w);
    }
    if (w.length === 0) {
      w.u8(VERSION);
      w.str(this.#host.node);
      w.f64(this.#host.incarnation);
    }
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
    const size = w.length - mark;
    const max = this.maxMessage();
    if (size > max) {
      w.length = mark;
      this.traffic.refused++;
      throw new UnencodableError(
        "payload",
        `a message of ${size} bytes (more than the ${max} a message between nodes may take)`,
      );
    }
  }

  /** Writes a message whose last field is an exit reason (`../schedulers/_wire_signals.ts`). */
  #encodeReason(w: Writer, reason: ExitReason, head: () => void): void {
    encodeReason(w, reason, head, (w, write) => this.#encode(w, write), "nodes");
  }

  #sent(node: string, w: Writer): void {
    this.traffic.sent++;
    if (w.length >= FLUSH_AT) return this.#flushOne(node, w);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#flushQueued = false;
    for (const [node, w] of this.#writers) {
      if (w.length > 0) this.#flushOne(node, w);
    }
  };

  #flushOne(node: string, w: Writer): void {
    const bytes = w.bytes.slice(0, w.length);
    w.reset();
    if (!this.#host.isUp(node)) return; // gone: links and monitors saw noconnection
    if (this.#host.publish(node, bytes)) {
      this.traffic.batches++;
      this.traffic.bytesSent += bytes.length;
    }
  }

  /** Sends a request with an id and waits for its answer (REPLY/FAIL/SPAWNED/SPAWN_FAIL). */
  #ask(
    node: string,
    what: string,
    timeout: number,
    write: (w: Writer, id: number) => void,
  ): Promise<unknown> {
    if (this.#stopped || !this.#host.isUp(node)) {
      return Promise.reject(new NoConnectionError(`node ${node}`));
    }
    const id = this.#nextId++;
    const w = this.#writer(node);
    try {
      write(w, id);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#sent(node, w);
    return new Promise((resolve, reject) => {
      const deadline = timeout === Infinity ? Infinity : performance.now() + timeout + GRACE_MS;
      this.#waiting.set(id, { resolve, reject, node, deadline, what });
      if (deadline !== Infinity && this.#sweep === undefined) this.#startSweep();
    });
  }

  /**
   * Deadlines of remote calls: the server side enforces the timeout (its
   * CallTimeoutError comes back); this only catches a node that cannot
   * answer in time (its connection stalled before it is declared down).
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
        this.#waiting.delete(id);
        waiting.reject(
          new NoConnectionError(`node ${waiting.node} (no answer to the ${waiting.what} in time)`),
        );
      }
      if (finite === 0) {
        clearInterval(sweep);
        this.#sweep = undefined;
      }
    }, SWEEP_MS);
    unrefTimer(sweep);
  }

  // ---------------------------------------------------------------- receiving

  /** A batch arrived on this node's subject. */
  receive(bytes: Uint8Array): void {
    if (this.#stopped) return;
    const r = this.#reader;
    this.traffic.batchesReceived++;
    this.traffic.bytesReceived += bytes.length;
    try {
      r.reset(bytes, 0, bytes.length);
      const version = r.u8();
      if (version !== VERSION) {
        throw new Error(`cluster: a batch of format ${version}, not ${VERSION}`);
      }
      this.#sender = r.str();
      this.#host.heard(this.#sender, r.f64());
    } catch (error) {
      callbackFailed(this.#host.rt, "cluster fabric", error);
      return;
    }
    while (!r.done) {
      this.traffic.received++;
      try {
        this.#dispatch(r, r.u8());
      } catch (error) {
        // A message this side cannot read poisons the rest of its batch only.
        callbackFailed(this.#host.rt, "cluster fabric", error);
        return;
      }
    }
  }

  #pid(serial: number): Pid {
    return new Pid(serial, this.#host.node, 0);
  }

  readonly #here = (serial: number): Pid => this.#pid(serial);

  #dispatch(r: Reader, op: number): void {
    const rt = this.#host.rt;
    if (receiveSignal(rt, r, op, this.#here)) return;
    switch (op) {
      case OP_CAST:
      case OP_SEND: {
        const serial = r.f64();
        const trace = r.value();
        const message = r.value();
        const kind = op === OP_CAST ? K_CAST : K_INFO;
        this.#traced(trace, () => deliver(rt, rt.bySerial.get(serial), kind, message));
        return;
      }
      case OP_CALL: {
        const serial = r.f64();
        const id = r.f64();
        const timeout = r.f64();
        const caller = r.value() as Pid | undefined;
        const trace = r.value();
        const request = r.value();
        this.#respond(
          this.#traced(trace, () => this.#host.call(this.#pid(serial), request, timeout, caller)),
          id,
          this.#sender,
          OP_REPLY,
          OP_FAIL,
        );
        return;
      }
      case OP_REPLY:
      case OP_SPAWNED: {
        const id = r.f64();
        const value = r.value();
        this.#take(id)?.resolve(value);
        return;
      }
      case OP_FAIL:
      case OP_SPAWN_FAIL: {
        const id = r.f64();
        const error = r.value();
        this.#take(id)?.reject(error);
        return;
      }
      case OP_STOP: {
        const id = r.f64();
        const pid = this.#pid(r.f64());
        const reason = r.value() as ExitReason;
        const timeout = r.f64();
        this.#respond(this.#host.stop(pid, reason, timeout), id, this.#sender, OP_REPLY, OP_FAIL);
        return;
      }
      case OP_SPAWN: {
        const id = r.f64();
        const name = r.str();
        const arg = r.value();
        const options = r.value() as Record<string, unknown>;
        const parent = r.value() as Pid | undefined;
        const link = r.u8() === 1;
        this.#respond(
          this.#host.spawnHere(name, arg, options, parent, link),
          id,
          this.#sender,
          OP_SPAWNED,
          OP_SPAWN_FAIL,
        );
        return;
      }
    }
    throw new Error(`cluster fabric: unknown operation ${op}`);
  }

  /** Sends the outcome of `answer` back to node `to` under `id`. */
  #respond(answer: Promise<unknown>, id: number, to: string, ok: number, fail: number): void {
    answer.then(
      (value) => this.#reply(to, ok, fail, id, value),
      (error) => this.#reply(to, fail, fail, id, error),
    );
  }

  #reply(to: string, op: number, fail: number, id: number, value: unknown): void {
    const w = this.#begin(to, op);
    if (w === undefined) return;
    try {
      this.#encode(w, () => {
        w.f64(id);
        w.value(value);
      });
    } catch (error) {
      // An answer that cannot cross: the caller gets the encoding error instead.
      w.u8(fail);
      w.f64(id);
      w.value(new TypeError(String((error as Error)?.message ?? error)));
    }
    this.#sent(to, w);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Node `node` is down: its calls fail, links and monitors into it see `noconnection`. */
  lost(node: string): void {
    this.#writers.get(node)?.reset();
    this.#writers.delete(node);
    for (const [id, waiting] of this.#waiting) {
      if (waiting.node !== node) continue;
      this.#waiting.delete(id);
      waiting.reject(new NoConnectionError(`node ${node}`));
    }
    connectionLost(this.#host.rt, (pid) => pid.node === node);
  }

  /** Publishes what is batched now (before leaving). */
  flushNow(): void {
    this.#flush();
  }

  /** Stops: every pending answer rejects. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    this.#sweep = undefined;
    for (const waiting of this.#waiting.values()) {
      waiting.reject(new NoConnectionError(`node ${waiting.node} (this node left the cluster)`));
    }
    this.#waiting.clear();
  }

  #take(id: number): Waiting | undefined {
    const waiting = this.#waiting.get(id);
    if (waiting !== undefined) this.#waiting.delete(id);
    return waiting;
  }
}

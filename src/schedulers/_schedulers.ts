/**
 * A system's schedulers (internal): on the system's own thread it starts
 * the Workers and tells them about each other; in every scheduler (Worker
 * or not) it places starts, runs CPU tasks and reports which schedulers
 * run. The routing itself is the fabric's (`_fabric.ts`).
 *
 * @module
 */

import type { Pid } from "../pid.ts";
import type { MailboxPort, Placement, StartOptions, ViaName } from "../options.ts";
import type { SystemSchedulers } from "./_system_schedulers.ts";
import type { Behaviour } from "../kernel/state/behaviour.ts";
import type { Process } from "../kernel/state/process.ts";
import type { RemoteSpawner, Runtime } from "../kernel/state/runtime.ts";
import { startFrom } from "../kernel/lifecycle/start.ts";
import { linkStartedChild } from "../kernel/lifecycle/remote_links.ts";
import {
  AlreadyStartedError,
  NoConnectionError,
  SchedulerDownError,
  SchedulerStartError,
  UnknownBehaviourError,
} from "../errors.ts";
import { isPid, isViaName, targetName } from "../kernel/mailbox/delivery.ts";
import { readOptions } from "../_options.ts";
import { genServerBehaviour } from "../_gen_server_behaviour.ts";
import { hostStartWorker, type HostWorker } from "../_host.ts";
import { SharedRing } from "../core/shared_ring.ts";
import { Fabric, type FabricHost } from "./_fabric.ts";
import { behaviourName } from "./define_behaviour.ts";
import { spawnHere } from "./_spawn_here.ts";
import {
  C_PROCESSES,
  C_STATE,
  C_TASKS,
  type Control,
  CONTROL_STRIDE,
  STATE_DOWN,
  STATE_UP,
  type WorkerSetup,
} from "./_protocol.ts";
import type { SchedulerInfo } from "./scheduler_info.ts";
import { SchedulerNames } from "./_names.ts";

/** The task a Worker defines to stop its top-level processes (`System.stopAll` on scheduler 0). */
export const STOP_ALL_TASK = "beamlet.stop_all";

/** Bytes of each scheduler's inbound ring. */
export const RING_CAPACITY = 4 * 1024 * 1024;
/** How long a Worker may take to load its modules and start. */
const START_TIMEOUT_MS = 30_000;
/** How often a scheduler publishes its process count. */
const LOAD_EVERY_MS = 250;

/** What the schedulers need of the System on their thread. */
export interface SchedulersHost {
  readonly rt: Runtime;
  call(pid: Pid, request: unknown, timeout: number, caller: Pid | undefined): Promise<unknown>;
}

/** Where a Worker's entry module is (a `.ts` file from source, `.js` in the npm package). */
function workerUrl(): URL {
  const ts = import.meta.url.endsWith(".ts");
  return new URL(ts ? "./_worker_main.ts" : "./_worker_main.js", import.meta.url);
}

export class Schedulers implements SystemSchedulers {
  readonly index: number;
  readonly count: number;
  readonly #host: SchedulersHost;
  readonly #control: SharedArrayBuffer;
  readonly #inbound: SharedRing;
  readonly fabric: Fabric;
  readonly #errors: (Error | undefined)[];
  readonly #workers: (HostWorker | undefined)[] = [];
  readonly #names = new SchedulerNames();
  #next = 0;
  #loadTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    host: SchedulersHost,
    index: number,
    count: number,
    control: SharedArrayBuffer,
  ) {
    this.#host = host;
    this.index = index;
    this.count = count;
    this.#control = control;
    this.#errors = new Array(count).fill(undefined);
    const rt = host.rt;
    this.#inbound = SharedRing.create(rt.core, RING_CAPACITY);
    const fabricHost: FabricHost = {
      rt,
      call: (pid, request, timeout, caller) => host.call(pid, request, timeout, caller),
      spawnHere: (name, arg, options, parent, link) =>
        spawnHere(this.#host.rt, name, arg, options, parent, link),
      processCount: () => rt.bySerial.size,
      heardName: (up, name, pid, from) => this.#names.heard(up, name, pid, from),
    };
    this.fabric = new Fabric(fabricHost, index, count, rt.node, this.#inbound, control);
    const fabric = this.fabric;
    this.#names.connect({
      index,
      count,
      isUp: (i) => fabric.isUp(i),
      sendName: (i, up, name, pid) => fabric.sendName(i, up, name, pid),
      kill: (pid) => fabric.portFor(pid)?.exit(undefined, "kill"),
      local: (name) => rt.names.get(name)?.pid,
    });
    rt.directory = this.#names;
    this.fabric.publishLoad();
    this.#loadTimer = setInterval(() => this.fabric.publishLoad(), LOAD_EVERY_MS);
    (this.#loadTimer as { unref?: () => void }).unref?.();
  }

  /** The routing seam's port for a pid of this node on another scheduler. */
  portFor(pid: Pid): MailboxPort | undefined {
    return this.fabric.portFor(pid);
  }

  /** The inbound ring's address, for the other schedulers. */
  get ringAddress(): number {
    return this.#inbound.address;
  }

  // ------------------------------------------------------------ the owner

  /**
   * On the system's own thread: starts Workers 1..count-1 and, once each
   * has started or failed, hands every scheduler the others' rings.
   */
  startWorkers(setup: Omit<WorkerSetup, "index" | "ringCapacity">): Promise<void> {
    const rings: number[] = new Array(this.count).fill(0);
    rings[this.index] = this.#inbound.address;
    const starts: Promise<void>[] = [];
    for (let i = 1; i < this.count; i++) starts.push(this.#startWorker(i, setup, rings));
    return Promise.all(starts).then(() => {
      for (let i = 1; i < this.count; i++) {
        if (rings[i] === 0) continue;
        this.#workers[i]?.post({ type: "rings", rings } satisfies Control);
      }
      this.fabric.attach(rings, this.#host.rt.core);
      // Names taken before the Workers were up: every scheduler learns them now.
      for (let i = 1; i < this.count; i++) {
        if (!this.fabric.isUp(i)) continue;
        for (const [name, process] of this.#host.rt.names) {
          this.fabric.sendName(i, true, name, process.pid);
        }
      }
    });
  }

  async #startWorker(
    i: number,
    setup: Omit<WorkerSetup, "index" | "ringCapacity">,
    rings: number[],
  ): Promise<void> {
    let settle!: () => void;
    const started = new Promise<void>((resolve) => settle = resolve);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: Error) => {
      if (this.#errors[i] === undefined) this.#errors[i] = error;
      settle();
    };
    try {
      const worker = await hostStartWorker(
        workerUrl(),
        { ...setup, index: i, ringCapacity: RING_CAPACITY } satisfies WorkerSetup,
        {
          message: (data) => {
            const control = data as Control;
            if (control.type === "ready") {
              rings[i] = control.ring;
              this.#workers[i]?.unref(); // held while it starts; after that it never holds the host
              if (timer !== undefined) clearTimeout(timer);
              settle();
            } else if (control.type === "failed") {
              fail(new SchedulerStartError(i, control.message));
            }
          },
          stopped: () => {
            this.fabric.stopped(i);
            for (let k = 1; k < this.count; k++) {
              this.#workers[k]?.post({ type: "stopped", index: i } satisfies Control);
            }
          },
          exit: (error, stopped) => {
            if (timer !== undefined) clearTimeout(timer);
            if (rings[i] === 0) {
              fail(
                new SchedulerStartError(
                  i,
                  error instanceof Error ? error.message : "its Worker exited",
                  { cause: error },
                ),
              );
            } else {
              this.#lost(i, error, stopped);
            }
          },
        },
      );
      this.#workers[i] = worker;
      timer = setTimeout(() => {
        if (rings[i] !== 0) return;
        fail(new SchedulerStartError(i, `no answer within ${START_TIMEOUT_MS} ms`));
        worker.terminate();
      }, START_TIMEOUT_MS);
      (timer as { unref?: () => void }).unref?.();
    } catch (error) {
      fail(
        new SchedulerStartError(i, error instanceof Error ? error.message : String(error), {
          cause: error,
        }),
      );
    }
    await started;
    if (rings[i] === 0) {
      // Never started: nothing of it may linger (a Worker still loading, one that hung).
      Atomics.store(new Int32Array(this.#control), i * CONTROL_STRIDE + C_STATE, STATE_DOWN);
      this.#workers[i]?.terminate();
      this.#workers[i] = undefined;
    }
  }

  /** Scheduler `i`'s Worker died: everyone learns, links and monitors see noconnection. */
  #lost(i: number, error: unknown, stopped: boolean): void {
    if (this.#errors[i] === undefined) {
      this.#errors[i] = error instanceof Error ? error : new Error(`scheduler ${i} went down`);
    }
    this.#workers[i] = undefined;
    this.#names.lost(i);
    this.fabric.lost(i, stopped);
    for (let k = 1; k < this.count; k++) {
      this.#workers[k]?.post({ type: "down", index: i, stopped } satisfies Control);
    }
  }

  /** Terminates scheduler `i`'s Worker (testing: a Worker that dies mid-traffic). */
  kill(i: number): boolean {
    const worker = this.#workers[i];
    if (worker === undefined) return false;
    worker.terminate();
    return true;
  }

  /** In a Worker: the owner says scheduler `i` is gone. */
  lostPeer(i: number, stopped: boolean): void {
    this.#names.lost(i);
    this.fabric.lost(i, stopped);
  }

  /** Stops this scheduler's fabric and, on the owner, the Workers (each shuts its system down). */
  shutdown(): void {
    if (this.#loadTimer !== undefined) clearInterval(this.#loadTimer);
    this.#loadTimer = undefined;
    this.fabric.stop();
    for (let i = 1; i < this.#workers.length; i++) {
      const worker = this.#workers[i];
      if (worker === undefined) continue;
      this.#workers[i] = undefined;
      worker.post({ type: "shutdown" } satisfies Control);
      Atomics.store(new Int32Array(this.#control), i * CONTROL_STRIDE + C_STATE, STATE_DOWN);
      const timer = setTimeout(() => worker.terminate(), 2000);
      (timer as { unref?: () => void }).unref?.();
    }
  }

  // ------------------------------------------------------------ placement

  /** What `system.schedulers()` shows. */
  info(): SchedulerInfo[] {
    const out: SchedulerInfo[] = [];
    for (let i = 0; i < this.count; i++) {
      const state = this.fabric.word(i, C_STATE);
      const error = this.#errors[i];
      out.push({
        index: i,
        status: state === STATE_UP
          ? "running"
          : state === STATE_DOWN
          ? (error instanceof SchedulerStartError ? "failed" : "down")
          : "starting",
        processes: i === this.index
          ? this.#host.rt.bySerial.size
          : this.fabric.word(i, C_PROCESSES),
        tasks: this.fabric.word(i, C_TASKS),
        ...(error === undefined ? {} : { error }),
      });
    }
    return out;
  }

  /** The scheduler a placement (checked by `start`: `_placement.ts`) picks; this one for `"local"`. */
  place(placement: Placement): number {
    if (placement === "local") return this.index;
    if (placement === "round-robin") {
      for (let tries = 0; tries < this.count; tries++) {
        const i = this.#next;
        this.#next = (this.#next + 1) % this.count;
        if (this.fabric.isUp(i)) return i;
      }
      return this.index;
    }
    if (placement === "least-loaded") return this.leastLoaded(C_PROCESSES, true);
    if ("scheduler" in placement) {
      if (!this.fabric.isUp(placement.scheduler)) throw new SchedulerDownError(placement.scheduler);
      return placement.scheduler;
    }
    if ("node" in placement) {
      // A system of several schedulers is not part of a cluster.
      if (placement.node !== this.#host.rt.node) {
        throw new NoConnectionError(`node ${placement.node}`);
      }
      return this.index;
    }
    const live = this.#live();
    if ("partition" in placement) return live[placement.partition % live.length];
    return live[hashKey(placement.key) % live.length];
  }

  /** The running schedulers, in order (this one always among them). */
  #live(): number[] {
    const live: number[] = [];
    for (let i = 0; i < this.count; i++) if (i === this.index || this.fabric.isUp(i)) live.push(i);
    return live;
  }

  /** The live scheduler with the least of control word `which` (this one wins ties when `includeSelf`). */
  leastLoaded(which: number, includeSelf: boolean): number {
    let best = includeSelf ? this.index : -1;
    let load = includeSelf ? this.fabric.word(this.index, which) : Infinity;
    if (includeSelf && which === C_PROCESSES) load = this.#host.rt.bySerial.size;
    for (let i = 0; i < this.count; i++) {
      if (i === this.index || !this.fabric.isUp(i)) continue;
      const l = this.fabric.word(i, which);
      if (l < load) {
        best = i;
        load = l;
      }
    }
    return best;
  }

  /** The kernel's spawner: a start placed on another scheduler goes there by the behaviour's name. */
  readonly spawner: RemoteSpawner = (
    parent,
    link,
    definition,
    behaviourOf,
    arg,
    options,
    placement,
  ) => {
    const target = this.place(placement);
    if (target === this.index) {
      return this.#startHere(parent, link, definition, behaviourOf, arg, options);
    }
    if (behaviourOf !== (genServerBehaviour as unknown)) {
      throw new TypeError(
        "start: only a GenServer defined with defineBehaviour can be placed on another scheduler",
      );
    }
    const name = behaviourName(definition);
    if (name === undefined) throw new UnknownBehaviourError(undefined, target);
    const { name: registered, rest } = readOptions("start: options", () => {
      const { placement: _, name, ...others } = options as StartOptions & Record<string, unknown>;
      return { name, rest: others };
    });
    // A `{ via, key }` name stays with its registry, on this thread: the
    // process is registered there once its init has returned.
    const via = isViaName(registered) ? registered : undefined;
    if (via !== undefined) {
      const holder = via.via.whereisName(via.key);
      if (isPid(holder)) throw new AlreadyStartedError(targetName(via), holder);
    } else if (registered !== undefined) (rest as Record<string, unknown>).name = registered;
    const parentPid = link ? parent?.pid : undefined;
    return this.fabric.spawn(target, name, arg, rest, parentPid, link).then((pid) => {
      if (pid !== undefined && parentPid !== undefined) {
        linkStartedChild(this.#host.rt, parentPid, pid);
      }
      this.fabric.publishLoad();
      if (pid === undefined || via === undefined) return pid;
      const registered = via.via.registerName(via.key, pid);
      // A registry that must ask elsewhere (a cluster's) answers with a Promise.
      return typeof registered === "boolean"
        ? this.#registered(via, pid, registered)
        : Promise.resolve(registered).then(
          (answer) => this.#registered(via, pid, answer),
          (error) => {
            this.fabric.portFor(pid)?.exit(undefined, "kill");
            throw error;
          },
        );
    });
  };

  /** A process placed elsewhere is named `via` if the registry said yes, else killed. */
  #registered(via: ViaName, pid: Pid, registered: unknown): Pid {
    if (registered) return pid;
    this.fabric.portFor(pid)?.exit(undefined, "kill");
    const holder = via.via.whereisName(via.key);
    throw new AlreadyStartedError(targetName(via), isPid(holder) ? holder : pid);
  }

  #startHere(
    parent: Process | undefined,
    link: boolean,
    definition: unknown,
    behaviourOf: (definition: unknown) => Behaviour,
    arg: unknown,
    options: object,
  ): Promise<Pid | undefined> {
    const rest = readOptions("start: options", () => {
      const { placement: _, ...others } = options as StartOptions;
      return others;
    });
    return startFrom(this.#host.rt, parent, link, definition, behaviourOf, arg, rest);
  }

  /**
   * On scheduler 0: every other running scheduler stops its top-level
   * processes (`stopAll` there), in parallel; resolves when all have.
   */
  async stopOthers(reason: unknown, timeout: number): Promise<void> {
    if (this.index !== 0) return;
    const stops: Promise<unknown>[] = [];
    for (let i = 1; i < this.count; i++) {
      if (!this.fabric.isUp(i)) continue;
      stops.push(
        this.fabric.runTask(i, STOP_ALL_TASK, [reason, timeout], Infinity).catch(() => {}),
      );
    }
    await Promise.all(stops);
  }

  /** Runs a defined task on the least busy other scheduler; undefined when there is none. */
  runTask(name: string, args: unknown[], timeout: number): Promise<unknown> | undefined {
    const target = this.leastLoaded(C_TASKS, false);
    if (target < 0) return undefined;
    return this.fabric.runTask(target, name, args, timeout);
  }
}

/** FNV-1a over a key's string form: where `{ key }` placement puts it. */
function hashKey(key: unknown): number {
  let text: string;
  try {
    text = typeof key === "string" ? key : JSON.stringify(key) ?? String(key);
  } catch {
    text = String(key);
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Process groups over the cluster — Erlang's `pg`: named groups of
 * processes that any node can look up, joined and left by the processes'
 * own node, kept in step between nodes over NATS.
 *
 * Each node keeps its own members and a copy of every other node's. A join
 * or a leave is told to every node of the scope; a node that comes up gets
 * all of this node's memberships at once (a sync), and sends its own back;
 * a node that goes down takes its members away; a member that exits leaves
 * all its groups. Lookups (`members`, `localMembers`, `whichGroups`) read
 * the local copy: no round trip, and — as `pg` — eventually consistent.
 *
 * @module
 */

import type { Subscription } from "@nats-io/nats-core";
import type { Pid, Ref } from "../../pid.ts";
import type { System } from "../../system.ts";
import { isPid } from "../../kernel/mailbox/delivery.ts";
import { type ClusterLink, maybeClusterOf, type NodeEvent } from "../cluster_link.ts";
import { NotClusteredError } from "../errors.ts";
import { GroupTable, type TableChange } from "./_group_table.ts";
import { type Deliveries, Monitors } from "./_monitors.ts";
import { RemoteView } from "./_remote_view.ts";
import { splitEntries, splitPids } from "./_parts.ts";
import { SyncParts } from "./_sync_parts.ts";
import { parseWire, WIRE_VERSION, type WireMessage } from "./_wire.ts";
import { checkGroup, checkLocalPids, describe, scopeOf } from "./_checks.ts";
import { ProcessGroupsClosedError, ScopeInUseError } from "./errors.ts";
import type { GroupListener } from "./events.ts";
import type { ProcessGroupsOptions } from "./options.ts";

/** The scopes open on each system. */
const openScopes = new WeakMap<object, Set<string>>();

/**
 * Messages this node dropped, by cause (see {@linkcode ProcessGroups.dropped}).
 *
 * @example
 * ```ts
 * import type { ProcessGroupsDropped } from "@beamlet/beamlet/cluster";
 *
 * const total = (d: ProcessGroupsDropped) => d.malformed + d.stale + d.unsent;
 * ```
 */
export interface ProcessGroupsDropped {
  /** Messages from the wire that were not process-group messages (undecodable, bad fields). */
  readonly malformed: number;
  /** Messages from a run of a node that had gone down. */
  readonly stale: number;
  /** Messages this node could not send (unencodable, connection closed). */
  readonly unsent: number;
}

/**
 * Process groups of one scope on a clustered system (Erlang's `pg`).
 *
 * A process joins groups of its own node (`join`), any number of times;
 * every node of the scope sees it in `members` soon after, until it
 * leaves, exits, or its node is lost. Monitors (`monitor`, `monitorScope`)
 * tell a listener or a process of each join and leave.
 *
 * @example A pool of workers any node can reach
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { ProcessGroups } from "@beamlet/beamlet/cluster";
 *
 * const system = new System({ node: "a", cluster: { name: "shop", servers: "127.0.0.1:4222" } });
 * try {
 *   await system.ready;
 *   const groups = new ProcessGroups(system);
 *   await groups.ready;
 *   const worker = await system.start({ init: () => ok(0) });
 *   groups.join("workers", worker);
 *   const { members, stop } = groups.monitor("workers", (event) => {
 *     console.log(event.type, event.pids.map(String));
 *   });
 *   console.log(members.length, groups.localMembers("workers").length); // 1 1
 *   stop();
 *   groups.close();
 * } catch (error) {
 *   console.log((error as Error).name); // "ClusterConnectError" when no NATS server runs
 * }
 * await system.shutdown();
 * ```
 */
export class ProcessGroups {
  /** The scope. */
  readonly scope: string;
  /**
   * Resolves once this node listens to the scope and has asked the other
   * nodes for their memberships (their answers come after); rejects when
   * the system could not join its cluster (the error of `system.ready`).
   */
  readonly ready: Promise<void>;

  readonly #system: System;
  readonly #link: ClusterLink;
  readonly #local = new GroupTable();
  #remote = new RemoteView();
  #syncParts = new SyncParts();
  readonly #monitors = new Monitors();
  /** Local members: pid text → its monitor and how many memberships it has. */
  readonly #members = new Map<string, { pid: Pid; ref: Ref; count: number }>();
  readonly #subscriptions: Subscription[] = [];
  readonly #offNodeEvent: () => void;
  readonly #deliveries: Deliveries;
  #started = false;
  #closed = false;
  #malformed = 0;
  #stale = 0;
  #unsent = 0;

  /**
   * Opens the scope `options.scope` (default `"default"`) on `system`.
   * Throws `NotClusteredError` when the system has no cluster,
   * {@linkcode ScopeInUseError} when the scope is open on it already, and
   * a `TypeError` for bad options.
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * try {
   *   new ProcessGroups(new System());
   * } catch (error) {
   *   console.log((error as Error).name); // "NotClusteredError"
   * }
   * ```
   */
  constructor(system: System, options: ProcessGroupsOptions = {}) {
    const scope = scopeOf(options);
    const link = typeof system === "object" && system !== null ? maybeClusterOf(system) : undefined;
    if (link === undefined) throw new NotClusteredError("ProcessGroups");
    let open = openScopes.get(system);
    if (open === undefined) openScopes.set(system, open = new Set());
    if (open.has(scope)) throw new ScopeInUseError(scope);
    open.add(scope);
    this.scope = scope;
    this.#system = system;
    this.#link = link;
    this.#deliveries = {
      send: (pid, message) => void system.send(pid, message),
      failed: (reason) =>
        system.report({
          kind: "callback",
          callback: "ProcessGroups monitor",
          reason,
          stack: reason instanceof Error ? reason.stack : undefined,
        }),
    };
    for (const info of link.info()) {
      if (!info.self) this.#remote.nodeUp(info.node, info.incarnation);
    }
    this.#offNodeEvent = link.onNodeEvent((event) => this.#onNodeEvent(event));
    link.onClose(() => this.close());
    this.ready = this.#start();
    this.ready.catch(() => {}); // a rejection nobody awaits is not unhandled
  }

  /**
   * Adds `pids` (processes of this node) to `group`; a pid joined twice is
   * a member twice (two leaves take it out). Throws a `TypeError` for a
   * group that is not a string of 1 to 1024 characters or a pid that is
   * not one of this node's, {@linkcode ProcessGroupsClosedError} once
   * closed.
   *
   * @example
   * ```ts
   * import { ok, System } from "@beamlet/beamlet";
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * async function enlist(system: System, groups: ProcessGroups) {
   *   const a = await system.start({ init: () => ok(0) });
   *   const b = await system.start({ init: () => ok(0) });
   *   groups.join("workers", [a, b]);
   *   groups.join("reporters", a);
   * }
   * ```
   */
  join(group: string, pids: Pid | readonly Pid[]): void {
    const name = checkGroup("join", group);
    const list = checkLocalPids("join", pids, this.#link.node);
    if (this.#closed) throw new ProcessGroupsClosedError(this.scope, "join");
    if (list.length === 0) return;
    this.#trackAll(list);
    this.#local.add(name, list);
    this.#dispatch([{ type: "join", group: name, pids: list }]);
    this.#sendChange("join", name, list);
  }

  /**
   * Takes one membership of each of `pids` out of `group`: `false` when
   * none of them was a member (Erlang's `not_joined`). Throws a
   * `TypeError` as `join` does.
   *
   * @example
   * ```ts
   * import type { Pid } from "@beamlet/beamlet";
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function retire(groups: ProcessGroups, worker: Pid) {
   *   while (groups.leave("workers", worker)); // every membership it had
   * }
   * ```
   */
  leave(group: string, pids: Pid | readonly Pid[]): boolean {
    const name = checkGroup("leave", group);
    const list = checkLocalPids("leave", pids, this.#link.node);
    if (this.#closed) return false;
    const removed = this.#local.remove(name, list);
    if (removed.length === 0) return false;
    for (const pid of removed) this.#untrack(pid);
    this.#dispatch([{ type: "leave", group: name, pids: removed }]);
    this.#sendChange("leave", name, removed);
    return true;
  }

  /**
   * The members of `group` on every node, as this node knows them: this
   * node's first, then each other node's, by node name; within a node, in
   * the order they first joined. A pid joined twice is listed twice (side
   * by side).
   *
   * @example
   * ```ts
   * import { System } from "@beamlet/beamlet";
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function anyWorker(system: System, groups: ProcessGroups) {
   *   const workers = groups.members("workers");
   *   if (workers.length > 0) system.cast(workers[Math.floor(Math.random() * workers.length)], "job");
   * }
   * ```
   */
  members(group: string): Pid[] {
    const name = checkGroup("members", group);
    return [...this.#local.members(name), ...this.#remote.members(name)];
  }

  /**
   * The members of `group` on this node, in the order they first joined.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * const here = (groups: ProcessGroups) => groups.localMembers("workers").length;
   * ```
   */
  localMembers(group: string): Pid[] {
    return this.#local.members(checkGroup("localMembers", group));
  }

  /**
   * The groups with at least one member on some node, by name.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * const list = (groups: ProcessGroups) => console.log(groups.whichGroups().join(", "));
   * ```
   */
  whichGroups(): string[] {
    const all = this.#remote.groups();
    for (const group of this.#local.groups()) all.add(group);
    return [...all].sort();
  }

  /**
   * Watches `group` with a listener: returns its members now, then calls
   * `listener` with each join and leave until `stop()`.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function watch(groups: ProcessGroups) {
   *   const { members, stop } = groups.monitor("workers", (event) => {
   *     console.log(`${event.pids.length} ${event.type}`);
   *   });
   *   console.log(members.length);
   *   return stop;
   * }
   * ```
   */
  monitor(group: string, listener: GroupListener): { members: Pid[]; stop: () => void };
  /**
   * Watches `group` for a process of this node: returns its members now,
   * then sends each join and leave to `pid` as a {@linkcode GroupMessage}
   * (its `handleInfo`), until `demonitor(ref)` or until it exits. Throws a
   * `TypeError` for a pid of another node.
   *
   * @example
   * ```ts
   * import { noreply, ok, System } from "@beamlet/beamlet";
   * import type { GroupMessage, ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * async function watcher(system: System, groups: ProcessGroups) {
   *   const pid = await system.start({
   *     init: () => ok(0),
   *     handleInfo: (message: GroupMessage, joins: number) =>
   *       noreply(message.event === "join" ? joins + message.pids.length : joins),
   *   });
   *   const { ref } = groups.monitor("workers", pid);
   *   return () => groups.demonitor(ref);
   * }
   * ```
   */
  monitor(group: string, pid: Pid): { ref: Ref; members: Pid[] };
  monitor(
    group: string,
    target: GroupListener | Pid,
  ): { members: Pid[]; stop: () => void } | { ref: Ref; members: Pid[] } {
    const name = checkGroup("monitor", group);
    const watch = this.#watch("monitor", name, target);
    return { ...watch, members: this.members(name) };
  }

  /**
   * Watches every group of the scope with a listener (Erlang's
   * `monitor_scope`): returns every group and its members now, then calls
   * `listener` with each join and leave until `stop()`.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function census(groups: ProcessGroups) {
   *   const { groups: now, stop } = groups.monitorScope((event) => console.log(event.group, event.type));
   *   for (const [group, pids] of now) console.log(group, pids.length);
   *   return stop;
   * }
   * ```
   */
  monitorScope(listener: GroupListener): { groups: Map<string, Pid[]>; stop: () => void };
  /**
   * Watches every group of the scope for a process of this node: returns
   * every group and its members now, then sends each join and leave to
   * `pid` as a {@linkcode GroupMessage}, until `demonitor(ref)` or until it
   * exits.
   *
   * @example
   * ```ts
   * import type { Pid } from "@beamlet/beamlet";
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function follow(groups: ProcessGroups, pid: Pid) {
   *   const { ref, groups: now } = groups.monitorScope(pid);
   *   console.log([...now.keys()]);
   *   return ref;
   * }
   * ```
   */
  monitorScope(pid: Pid): { ref: Ref; groups: Map<string, Pid[]> };
  monitorScope(
    target: GroupListener | Pid,
  ): { groups: Map<string, Pid[]>; stop: () => void } | { ref: Ref; groups: Map<string, Pid[]> } {
    const watch = this.#watch("monitorScope", undefined, target);
    const groups = new Map<string, Pid[]>();
    for (const group of this.whichGroups()) groups.set(group, this.members(group));
    return { ...watch, groups };
  }

  /**
   * Stops a process's monitor (`monitor(group, pid)`,
   * `monitorScope(pid)`): whether it was active. Messages already sent
   * stay in its mailbox.
   *
   * @example
   * ```ts
   * import type { Pid } from "@beamlet/beamlet";
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * function watchOnce(groups: ProcessGroups, pid: Pid) {
   *   const { ref } = groups.monitor("workers", pid);
   *   console.log(groups.demonitor(ref), groups.demonitor(ref)); // true false
   * }
   * ```
   */
  demonitor(ref: Ref): boolean {
    let found: boolean;
    try {
      found = this.#monitors.unwatch(ref);
    } catch {
      return false; // not a ref (a hostile value)
    }
    if (found) this.#system.demonitor(ref);
    return found;
  }

  /**
   * Messages dropped so far, by cause: from the wire, malformed ones and
   * ones of a node's run that went down; and the ones this node could not
   * send.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * const healthy = (groups: ProcessGroups) => groups.dropped().malformed === 0;
   * ```
   */
  dropped(): ProcessGroupsDropped {
    return { malformed: this.#malformed, stale: this.#stale, unsent: this.#unsent };
  }

  /**
   * Whether `close()` ran (or the system left its cluster).
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * const usable = (groups: ProcessGroups) => !groups.closed;
   * ```
   */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Closes the scope on this node: its members leave every group (the
   * other nodes are told), monitors stop, the scope's subjects are
   * unsubscribed, and the scope may be opened again. Idempotent; runs by
   * itself when the system leaves its cluster.
   *
   * @example
   * ```ts
   * import type { ProcessGroups } from "@beamlet/beamlet/cluster";
   *
   * const done = (groups: ProcessGroups) => groups.close();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#sendSync(this.#link.subject("pg", this.scope), [], false);
    this.#closed = true;
    openScopes.get(this.#system)?.delete(this.scope);
    this.#offNodeEvent();
    for (const subscription of this.#subscriptions) {
      try {
        subscription.unsubscribe();
      } catch { /* the connection is closed already */ }
    }
    this.#subscriptions.length = 0;
    const changes = this.#local.clear();
    for (const { ref } of this.#members.values()) this.#system.demonitor(ref);
    this.#members.clear();
    this.#dispatch(changes);
    for (const ref of this.#monitors.refs()) this.#system.demonitor(ref);
    this.#monitors.clear();
    this.#remote = new RemoteView();
    this.#syncParts = new SyncParts();
  }

  async #start(): Promise<void> {
    await this.#system.ready;
    if (this.#closed) return;
    const connection = this.#link.connection;
    const callback = (error: Error | null, message: { data: Uint8Array }) => {
      if (error === null) this.#receive(message.data);
    };
    this.#subscriptions.push(
      connection.subscribe(this.#link.subject("pg", this.scope), { callback }),
      connection.subscribe(this.#link.subject("pg", this.scope, this.#link.node), { callback }),
    );
    await connection.flush();
    if (this.#closed) return;
    this.#started = true;
    // Joins made before now were not sent: this sync carries them, and asks for every node's.
    this.#sendSync(this.#link.subject("pg", this.scope), this.#local.entries(), true);
  }

  #receive(data: Uint8Array): void {
    try {
      if (this.#closed) return;
      let value: unknown;
      try {
        value = this.#link.decode(data);
      } catch {
        this.#malformed++;
        return;
      }
      const message = parseWire(value);
      if (typeof message === "string") {
        this.#malformed++;
        return;
      }
      if (message.node === this.#link.node) return; // ours (or an earlier run of this node's)
      if (this.#remote.isStale(message.node, message.inc)) {
        this.#stale++;
        return;
      }
      this.#apply(message);
    } catch (error) {
      this.#deliveries.failed(error);
    }
  }

  #apply(message: WireMessage): void {
    const { node, inc } = message;
    switch (message.t) {
      case "join":
        this.#dispatch(this.#remote.join(node, inc, message.group, message.pids));
        return;
      case "leave":
        this.#dispatch(this.#remote.leave(node, inc, message.group, message.pids));
        return;
      case "sync": {
        const entries = this.#syncParts.add(message);
        if (entries === undefined) return; // more parts to come
        if (entries === "overflow") {
          this.#malformed++;
          return;
        }
        this.#dispatch(this.#remote.sync(node, inc, entries));
        if (message.reply) this.#sendSyncTo(node, false);
        return;
      }
    }
  }

  #onNodeEvent(event: NodeEvent): void {
    if (this.#closed || event.node === this.#link.node) return;
    try {
      if (event.type === "nodeup") {
        this.#dispatch(this.#remote.nodeUp(event.node, event.incarnation));
        this.#sendSyncTo(event.node, true);
      } else {
        this.#syncParts.forget(event.node);
        this.#dispatch(this.#remote.nodeDown(event.node, event.incarnation));
      }
    } catch (error) {
      this.#deliveries.failed(error); // never into the link's loop
    }
  }

  /** All of this node's memberships to `node`. */
  #sendSyncTo(node: string, reply: boolean): void {
    this.#sendSync(this.#link.subject("pg", this.scope, node), this.#local.entries(), reply);
  }

  /** A sync of `entries`, in as many parts as it takes (the last one says `more: false`). */
  #sendSync(subject: string, entries: [string, Pid[]][], reply: boolean): void {
    const parts = splitEntries(entries);
    parts.forEach((groups, at) => {
      this.#publish(subject, { t: "sync", groups, reply, more: at < parts.length - 1 });
    });
  }

  /** A join or leave to every node, in as many messages as it takes. */
  #sendChange(t: "join" | "leave", group: string, pids: readonly Pid[]): void {
    const subject = this.#link.subject("pg", this.scope);
    for (const slice of splitPids(group, pids)) this.#publish(subject, { t, group, pids: slice });
  }

  #publish(subject: string, message: Record<string, unknown>): void {
    if (!this.#started || this.#closed) return; // the sync at start carries what was missed
    try {
      const bytes = this.#link.encode({
        v: WIRE_VERSION,
        node: this.#link.node,
        inc: this.#link.incarnation,
        ...message,
      });
      this.#link.connection.publish(subject, bytes);
    } catch {
      this.#unsent++;
    }
  }

  #dispatch(changes: readonly TableChange[]): void {
    if (changes.length > 0) this.#monitors.dispatch(changes, this.#deliveries);
  }

  /** {@linkcode ProcessGroups.#track} for each of `pids`, all or none (a monitor may throw). */
  #trackAll(pids: readonly Pid[]): void {
    let done = 0;
    try {
      for (const pid of pids) {
        this.#track(pid);
        done++;
      }
    } catch (error) {
      for (const pid of pids.slice(0, done)) this.#untrack(pid);
      throw error;
    }
  }

  /** Counts one more membership of local `pid`, monitoring it from its first. */
  #track(pid: Pid): void {
    const key = String(pid);
    const known = this.#members.get(key);
    if (known !== undefined) {
      known.count++;
      return;
    }
    const ref = this.#system.monitor(pid, () => this.#exited(key, pid));
    this.#members.set(key, { pid, ref, count: 1 });
  }

  /** Counts one membership less of local `pid`, stopping its monitor at the last. */
  #untrack(pid: Pid): void {
    const key = String(pid);
    const known = this.#members.get(key);
    if (known === undefined) return;
    if (--known.count > 0) return;
    this.#members.delete(key);
    this.#system.demonitor(known.ref);
  }

  /** A local member exited: it leaves every group it was in. */
  #exited(key: string, pid: Pid): void {
    if (this.#closed || !this.#members.delete(key)) return;
    const changes = this.#local.removeEverywhere(pid);
    this.#dispatch(changes);
    for (const change of changes) {
      this.#sendChange("leave", change.group, change.pids);
    }
  }

  #watch(
    what: string,
    group: string | undefined,
    target: GroupListener | Pid,
  ): { stop: () => void } | { ref: Ref } {
    if (this.#closed) throw new ProcessGroupsClosedError(this.scope, what);
    if (typeof target === "function") {
      return { stop: this.#monitors.listen(group, target) };
    }
    if (!isPid(target) || target.node !== this.#link.node) {
      throw new TypeError(
        `${what}: expected a listener function or a pid of this node (${this.#link.node}), got ${
          describe(target)
        }`,
      );
    }
    // The callback runs later (on a microtask at the earliest), when `ref` is set.
    const ref: Ref = this.#system.monitor(target, () => void this.#monitors.unwatch(ref));
    this.#monitors.watch(group, target, ref);
    return { ref };
  }
}

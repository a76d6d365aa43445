/**
 * One node's membership in its cluster (internal): the NATS connection,
 * the heartbeats, the membership table and the node fabric, behind the
 * {@linkcode ClusterLink} the cluster services use.
 *
 * Subjects (all under `beamlet.<cluster>.`):
 * ```
 * hb            heartbeats of every node: { v, n: node, i: incarnation, p: processes, m: meta, s }
 *               s = 0 alive, 1 leaving (goodbye), 2 joining (peers answer at once with a heartbeat)
 * n.<node>      batches of messages for <node> (`_node_fabric.ts`)
 * ping.<node>   answered by <node> while it is up: a second node of the same name is refused
 * ```
 *
 * @module
 */

import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import type { Pid } from "../pid.ts";
import type { ExitReason } from "../exit_reason.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import type { MailboxPort } from "../options.ts";
import type { ClusterLink, NodeEvent, NodeInfo } from "./cluster_link.ts";
import { Membership } from "./_membership.ts";
import type { ClusterSettingsOf } from "./_cluster_settings.ts";
import { NodeFabric, type NodeFabricHost } from "./_node_fabric.ts";
import { decodeValue, encodeValue } from "./_value_codec.ts";
import { callbackFailed } from "../kernel/probes/instrument.ts";
import { unrefTimer } from "../_host_timer.ts";

/** The settings of a node's cluster, checked (`_cluster_settings.ts`). */
export type ClusterSettings = ClusterSettingsOf;

/** What the cluster needs of its System. */
export interface ClusterHost {
  readonly rt: Runtime;
  /** Live processes here (on the heartbeats). */
  processCount(): number;
  call: NodeFabricHost["call"];
  stop: NodeFabricHost["stop"];
  spawnHere: NodeFabricHost["spawnHere"];
  /** A node event, after the cluster acted on it (telemetry). */
  nodeEvent(event: NodeEvent, nodesUp: number): void;
}

/** How long a leaving node waits for its goodbye to reach the server, at most. */
const LEAVE_FLUSH_MS = 1000;

const HB_ALIVE = 0;
const HB_LEAVING = 1;
const HB_JOINING = 2;

/** A node in its cluster. */
export class Cluster implements ClusterLink {
  readonly node: string;
  readonly name: string;
  readonly incarnation: number;
  readonly connection: NatsConnection;
  readonly fabric: NodeFabric;
  readonly settings: ClusterSettings;
  readonly #host: ClusterHost;
  readonly #owned: boolean;
  readonly #membership: Membership;
  readonly #listeners = new Set<(event: NodeEvent) => void>();
  readonly #closers: (() => void)[] = [];
  readonly #meta: Record<string, unknown> = {};
  readonly #subs: Subscription[] = [];
  readonly #prefix: string;
  readonly #since = Date.now();
  #timer: ReturnType<typeof setInterval> | undefined = undefined;
  #closed = false;

  constructor(
    host: ClusterHost,
    connection: NatsConnection,
    owned: boolean,
    settings: ClusterSettings,
  ) {
    this.#host = host;
    this.connection = connection;
    this.#owned = owned;
    this.settings = settings;
    this.node = host.rt.node;
    this.name = settings.name;
    // Never 0, below 2^53: a float64 on the wire.
    this.incarnation = 1 + Math.floor(Math.random() * (2 ** 52));
    this.#prefix = `beamlet.${settings.name}.`;
    this.#membership = new Membership(settings.downAfterMs, (event) => this.#nodeEvent(event));
    this.fabric = new NodeFabric({
      rt: host.rt,
      node: this.node,
      incarnation: this.incarnation,
      maxPayload: () => connection.info?.max_payload ?? 1024 * 1024,
      publish: (node, bytes) => this.#publish(this.subject("n", node), bytes),
      isUp: (node) => this.#membership.isUp(node),
      heard: (node, incarnation) => this.#membership.heard(node, incarnation, performance.now()),
      call: host.call,
      stop: host.stop,
      spawnHere: host.spawnHere,
    });
  }

  /** Subscribes, says hello, and waits one heartbeat for the peers' answers. */
  async join(): Promise<void> {
    const nc = this.connection;
    this.#subs.push(
      nc.subscribe(this.subject("n", this.node), {
        callback: (error, msg) => {
          if (error === null) this.fabric.receive(msg.data);
        },
      }),
      nc.subscribe(this.subject("hb"), {
        callback: (error, msg) => {
          if (error === null) this.#heartbeat(msg);
        },
      }),
      nc.subscribe(this.subject("ping", this.node), {
        callback: (error, msg) => {
          if (error === null) msg.respond(encodeValue({ i: this.incarnation }));
        },
      }),
    );
    this.#beat(HB_JOINING);
    await nc.flush();
    const timer = this.#timer = setInterval(() => {
      this.#membership.sweep(performance.now());
      this.#beat(HB_ALIVE);
    }, this.settings.heartbeatMs);
    unrefTimer(timer);
    await new Promise((resolve) => unrefTimer(setTimeout(resolve, this.settings.heartbeatMs)));
  }

  /** The routing seam's port for a pid of another node. */
  portFor(pid: Pid): MailboxPort | undefined {
    return this.#closed ? undefined : this.fabric.portFor(pid);
  }

  /** `system.stop` of a pid of another node. */
  stop(pid: Pid, reason: unknown, timeout: number): Promise<void> {
    return this.fabric.stopProcess(pid, reason as ExitReason, timeout);
  }

  // ------------------------------------------------------------ ClusterLink

  subject(...parts: string[]): string {
    return this.#prefix + parts.join(".");
  }

  nodes(): string[] {
    return this.#membership.nodes();
  }

  members(): string[] {
    return this.#closed ? [this.node] : [this.node, ...this.#membership.nodes()].sort();
  }

  isUp(node: string): boolean {
    return node === this.node || this.#membership.isUp(node);
  }

  info(): NodeInfo[] {
    const self: NodeInfo = {
      node: this.node,
      self: true,
      processes: this.#host.processCount(),
      upSince: this.#since,
      incarnation: this.incarnation,
      meta: { ...this.#meta },
    };
    return [self, ...this.#membership.info()].sort((a, b) =>
      a.node < b.node ? -1 : a.node > b.node ? 1 : 0
    );
  }

  onNodeEvent(listener: (event: NodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  encode(value: unknown): Uint8Array {
    return encodeValue(value);
  }

  decode(bytes: Uint8Array): unknown {
    return decodeValue(bytes);
  }

  setMeta(key: string, value: unknown): void {
    if (value === undefined) delete this.#meta[key];
    else this.#meta[key] = value;
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: () => void): void {
    if (this.#closed) queueMicrotask(listener);
    else this.#closers.push(listener);
  }

  /** Leaves the cluster cleanly: says goodbye, then closes (the connection too, if it opened it). */
  async leave(): Promise<void> {
    if (this.#closed) return;
    this.fabric.flushNow();
    this.#beat(HB_LEAVING);
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.fabric.stop();
    this.#membership.clear("shutdown");
    for (const closer of this.#closers.splice(0)) {
      try {
        closer();
      } catch (error) {
        callbackFailed(this.#host.rt, "cluster onClose", error);
      }
    }
    // The goodbye goes out if the server is there; a server that is down
    // (the client reconnecting) must not hold the leave: at most LEAVE_FLUSH_MS.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.connection.flush().catch(() => {}),
      new Promise((resolve) => timer = setTimeout(resolve, LEAVE_FLUSH_MS)),
    ]);
    clearTimeout(timer);
    for (const sub of this.#subs.splice(0)) sub.unsubscribe();
    if (this.#owned) await this.connection.close().catch(() => {});
  }

  // ------------------------------------------------------------ inside

  #publish(subject: string, bytes: Uint8Array): boolean {
    if (this.#closed || this.connection.isClosed()) return false;
    try {
      this.connection.publish(subject, bytes);
      return true;
    } catch {
      return false; // closed or draining: the node is leaving
    }
  }

  #beat(state: number): void {
    let bytes: Uint8Array;
    try {
      bytes = encodeValue({
        v: 1,
        n: this.node,
        i: this.incarnation,
        p: this.#host.processCount(),
        m: this.#meta,
        s: state,
      });
    } catch (error) {
      // A service published meta that cannot be encoded: the heartbeat goes without it.
      callbackFailed(this.#host.rt, "cluster heartbeat meta", error);
      bytes = encodeValue({ v: 1, n: this.node, i: this.incarnation, p: 0, m: {}, s: state });
    }
    this.#publish(this.subject("hb"), bytes);
  }

  #heartbeat(msg: Msg): void {
    if (this.#closed) return;
    let beat: { v?: unknown; n?: unknown; i?: unknown; p?: unknown; m?: unknown; s?: unknown };
    try {
      beat = decodeValue(msg.data) as typeof beat;
      if (
        typeof beat !== "object" || beat === null || beat.v !== 1 || typeof beat.n !== "string" ||
        typeof beat.i !== "number"
      ) throw new Error("cluster: a heartbeat that is not one");
    } catch (error) {
      callbackFailed(this.#host.rt, "cluster heartbeat", error);
      return;
    }
    const node = beat.n as string;
    const incarnation = beat.i as number;
    if (node === this.node) return; // our own, or a node refused for our name
    if (beat.s === HB_LEAVING) return this.#membership.left(node, incarnation);
    this.#membership.heard(node, incarnation, performance.now(), {
      processes: typeof beat.p === "number" ? beat.p : 0,
      meta: typeof beat.m === "object" && beat.m !== null ? beat.m as Record<string, unknown> : {},
    });
    if (beat.s === HB_JOINING) this.#beat(HB_ALIVE); // a newcomer hears us at once
  }

  #nodeEvent(event: NodeEvent): void {
    if (event.type === "nodedown") this.fabric.lost(event.node);
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        callbackFailed(this.#host.rt, "cluster node event listener", error);
      }
    }
    this.#host.nodeEvent(event, this.#membership.nodes().length + 1);
  }
}

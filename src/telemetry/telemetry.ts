/**
 * The telemetry core, after Erlang's `:telemetry`: handlers attach by id to
 * exact event names, `execute` calls the handlers of one event synchronously,
 * and `span` wraps a function in `start` / `stop` / `exception` events.
 *
 * Failure handling: a handler that throws (or whose returned Promise rejects)
 * is detached — every event of its id — and
 * `["beamlet", "telemetry", "handler_failure"]` is executed with
 * `{ monotonic_time, system_time }` and `{ handlerId, event, config, error }`;
 * the emitter never sees the error. Counted in `stats().failedHandlers`.
 *
 * @module
 */

import { stackOf } from "../_inspect.ts";
import { AlreadyAttachedError } from "./errors.ts";
import { checkEvent, eventKey } from "./_event_key.ts";
import { HANDLER_FAILURE_EVENT } from "./catalog/telemetry_events.ts";
import type { SpanStop } from "./span.ts";
import { BATCH_TARGETS, batchHandlerOf, type BatchTarget } from "./_batch.ts";
import type {
  EventName,
  HandlerId,
  HandlerInfo,
  Measurements,
  Metadata,
  PreparedEvent,
  TelemetryEvent,
  TelemetryHandler,
  TelemetryStats,
} from "./types.ts";

const EMPTY_METADATA: Metadata = Object.freeze({});

interface Registration {
  readonly id: HandlerId;
  readonly events: readonly TelemetryEvent[];
  readonly keys: readonly string[];
  readonly handler: TelemetryHandler<never>;
  readonly config: unknown;
}

/** A trie node per event segment: execute walks it without allocating. */
interface EventNode {
  bindings: readonly Binding[] | undefined;
  readonly children: Map<string, EventNode>;
}

interface Binding {
  readonly registration: Registration;
  readonly event: TelemetryEvent;
}

/**
 * A registry of telemetry handlers and the events that reach them.
 *
 * Hot path: `execute` with no handler on that event costs an `Array.isArray`
 * check and one Map lookup per segment down a trie of attached events (it
 * stops at the first segment nothing is attached under; no string is built,
 * nothing is allocated). It does not check that segments are strings — an
 * event with a non-string segment simply matches nothing and never throws. Measurements and metadata are checked only once a
 * handler is found: an event whose measurements are not an object of numbers
 * (or whose metadata is not an object) is dropped and counted in
 * `stats().droppedEvents` instead of throwing into the emitter.
 *
 * @example Attach, execute, detach
 * ```ts
 * import { Telemetry } from "@beamlet/beamlet";
 *
 * const telemetry = new Telemetry();
 * telemetry.attach("log-calls", ["beamlet", "call", "stop"], (event, m, meta) => {
 *   console.log(event.join("."), m.duration, meta.pid);
 * });
 * telemetry.execute(["beamlet", "call", "stop"], { duration: 1.5 }, { pid: "<0.7>" });
 * telemetry.detach("log-calls"); // true
 * ```
 */
export class Telemetry {
  #root = new Map<string, EventNode>();
  #nodes = new Map<string, EventNode>();
  #byId = new Map<HandlerId, Registration>();
  #failedHandlers = 0;
  #droppedEvents = 0;
  #spanCounter = 0;
  #listeners: (() => void)[] = [];

  /**
   * Attaches `handler` to one event under a unique `id`. For a declared
   * event (an {@linkcode EventName}, such as the runtime's own in
   * `BEAMLET_EVENTS`), the handler's measurements and metadata are typed
   * from the declaration; any other array of strings works too, untyped.
   *
   * @throws {AlreadyAttachedError} if `id` is attached already.
   * @throws {TypeError} if `id`, `event` or `handler` is malformed.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("count-casts", ["beamlet", "cast"], (_e, m, _meta, config) => {
   *   config.total += m.count;
   * }, { total: 0 });
   * ```
   */
  attach<
    Config = unknown,
    M extends Measurements = Measurements,
    Meta extends Metadata = Metadata,
  >(
    id: HandlerId,
    event: EventName<M, Meta>,
    handler: TelemetryHandler<Config, M, Meta>,
    config?: Config,
  ): void {
    this.#register(
      "telemetry.attach",
      id,
      [checkEvent("telemetry.attach", "event", event)],
      handler as unknown as TelemetryHandler<never>,
      config,
    );
  }

  /**
   * Attaches one `handler` to several events under a unique `id`; all or
   * nothing. A repeated event is attached once.
   *
   * @throws {AlreadyAttachedError} if `id` is attached already.
   * @throws {TypeError} if `id`, any event or `handler` is malformed, or `events` is empty.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attachMany("calls", [["beamlet", "call", "stop"], ["beamlet", "call", "exception"]],
   *   (event, m) => console.log(event.at(-1), m.duration));
   * ```
   */
  attachMany<Config = unknown>(
    id: HandlerId,
    events: readonly TelemetryEvent[],
    handler: TelemetryHandler<Config>,
    config?: Config,
  ): void {
    const where = "telemetry.attachMany";
    if (!Array.isArray(events) || events.length === 0) {
      throw new TypeError(`${where}: events must be a non-empty array of event names`);
    }
    const checked = events.map((event, i) => checkEvent(where, `events[${i}]`, event));
    this.#register(where, id, checked, handler, config);
  }

  /**
   * Detaches every event of handler `id`; `false` if no such handler.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("h", ["e"], () => {});
   * console.log(telemetry.detach("h"), telemetry.detach("h")); // true false
   * ```
   */
  detach(id: HandlerId): boolean {
    const registration = this.#byId.get(id);
    if (registration === undefined) return false;
    this.#unregister(registration);
    return true;
  }

  /**
   * The handlers attached to events that start with `prefix` (every handler
   * for `[]`), in attach order; one entry per (handler, event).
   *
   * @throws {TypeError} if `prefix` is not an array of non-empty strings.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("a", ["beamlet", "call", "stop"], () => {});
   * telemetry.attach("b", ["app", "query"], () => {});
   * console.log(telemetry.listHandlers(["beamlet"]).map((h) => h.id)); // ["a"]
   * ```
   */
  listHandlers(prefix: TelemetryEvent = []): HandlerInfo[] {
    const checked = checkEvent("telemetry.listHandlers", "prefix", prefix, true);
    const found: HandlerInfo[] = [];
    for (const { id, events, config } of this.#byId.values()) {
      for (const event of events) {
        if (startsWith(event, checked)) found.push({ id, event, config });
      }
    }
    return found;
  }

  /**
   * Calls every handler attached to exactly `event`, in attach order, with
   * `(event, measurements, metadata, config)`. Never throws: see the class
   * doc for what is checked and what happens to failing handlers. For a
   * declared event, the measurements and metadata are type-checked against
   * its declaration.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.execute(["beamlet", "cast"], { count: 1 }, { pid: "<0.3>" }); // no handler: no-op
   * ```
   */
  execute<M extends Measurements = Measurements, Meta extends Metadata = Metadata>(
    event: EventName<M, Meta>,
    measurements: NoInfer<M>,
    metadata: NoInfer<Meta> = EMPTY_METADATA as Meta,
  ): void {
    if (!Array.isArray(event)) {
      this.#droppedEvents++;
      return;
    }
    let node = this.#root.get(event[0]);
    for (let i = 1; node !== undefined && i < event.length; i++) node = node.children.get(event[i]);
    const bindings = node?.bindings;
    if (bindings === undefined) return;
    this.#dispatch(event, bindings, measurements, metadata);
  }

  /**
   * A prepared emitter for one event: `emit(measurements, metadata)` does
   * what `execute(event, ...)` does without looking the event up, and
   * `active` tells whether any handler is attached now. For emitters on a
   * hot path (the runtime prepares its own events this way).
   *
   * @throws {TypeError} if `event` is malformed.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * const jobDone = telemetry.prepare(["app", "job", "stop"]);
   * telemetry.attach("log", ["app", "job", "stop"], (_e, m) => console.log(m.duration));
   * if (jobDone.active) jobDone.emit({ duration: 12 }, { job: 1 }); // logs 12
   * ```
   */
  prepare<M extends Measurements = Measurements, Meta extends Metadata = Metadata>(
    event: EventName<M, Meta>,
  ): PreparedEvent<M, Meta> {
    const checked = Object.freeze([...checkEvent("telemetry.prepare", "event", event)]);
    const node = this.#node(eventKey(checked), checked);
    const dispatch = (bindings: readonly Binding[], m: Measurements, meta: Metadata) =>
      this.#dispatch(checked, bindings, m, meta);
    return Object.freeze({
      event: checked,
      get active(): boolean {
        return node.bindings !== undefined;
      },
      emit(measurements: M, metadata: Meta = EMPTY_METADATA as Meta): void {
        const bindings = node.bindings;
        if (bindings !== undefined) dispatch(bindings, measurements, metadata);
      },
      [BATCH_TARGETS]: (): readonly BatchTarget[] | undefined => batchTargetsOf(node.bindings),
    });
  }

  #dispatch(
    event: TelemetryEvent,
    bindings: readonly Binding[],
    measurements: Measurements,
    metadata: Metadata,
  ): void {
    if (!isMeasurements(measurements) || typeof metadata !== "object" || metadata === null) {
      this.#droppedEvents++;
      return;
    }
    // `bindings` is replaced, never mutated, so detaching mid-loop is safe.
    for (let i = 0; i < bindings.length; i++) {
      const { registration } = bindings[i];
      try {
        const returned = (registration.handler as TelemetryHandler)(
          event,
          measurements,
          metadata,
          registration.config,
        );
        if (isThenable(returned)) {
          returned.then(undefined, (error: unknown) => this.#fail(registration, event, error));
        }
      } catch (error) {
        this.#fail(registration, event, error);
      }
    }
  }

  /**
   * Runs `fn` between `prefix + ["start"]` and `prefix + ["stop"]`, or
   * `prefix + ["exception"]` if it throws (then rethrows). When `fn`
   * returns a Promise, `stop` / `exception` come when it settles and `span`
   * returns a Promise of the same outcome. Durations are milliseconds from
   * `performance.now()`.
   *
   * | event | measurements | metadata |
   * | --- | --- | --- |
   * | start | `monotonic_time`, `system_time` | start metadata |
   * | stop | `duration`, `monotonic_time`, `stop.measurements` | `stop.metadata` |
   * | exception | `duration`, `monotonic_time` | start metadata, `kind: "error"`, `reason`, `stacktrace` |
   *
   * Every metadata also holds `telemetry_span_context`, a number shared by the
   * three events of one span. See {@linkcode SpanStop} for setting stop data.
   *
   * @throws {TypeError} if `prefix` is not a non-empty array (segments are not checked here) or `fn` is not a function.
   *
   * @example Timing an async job
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("timing", ["app", "job", "stop"], (_e, m) => console.log(m.duration));
   * const answer = await telemetry.span(["app", "job"], { job: 7 }, async () => 42);
   * console.log(answer); // 42
   * ```
   */
  span<T>(prefix: TelemetryEvent, startMetadata: Metadata, fn: (stop: SpanStop) => T): T {
    if (!Array.isArray(prefix) || prefix.length === 0) {
      throw new TypeError("telemetry.span: prefix must be a non-empty array of strings");
    }
    if (typeof fn !== "function") throw new TypeError("telemetry.span: fn must be a function");
    const context = ++this.#spanCounter;
    const start: Metadata = { ...startMetadata, telemetry_span_context: context };
    const startTime = performance.now();
    this.execute(
      [...prefix, "start"],
      { monotonic_time: startTime, system_time: Date.now() },
      start,
    );
    const stop: SpanStop = { metadata: start, measurements: {} };
    const onStop = (): void => {
      const now = performance.now();
      this.execute(
        [...prefix, "stop"],
        { duration: now - startTime, monotonic_time: now, ...stop.measurements },
        { ...stop.metadata, telemetry_span_context: context },
      );
    };
    const onException = (error: unknown): void => {
      const now = performance.now();
      this.execute([...prefix, "exception"], { duration: now - startTime, monotonic_time: now }, {
        ...start,
        kind: "error",
        reason: error,
        stacktrace: stackOf(error),
      });
    };
    let result: T;
    try {
      result = fn(stop);
    } catch (error) {
      onException(error);
      throw error;
    }
    if (!isThenable(result)) {
      onStop();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        onStop();
        return value;
      },
      (error: unknown) => {
        onException(error);
        throw error;
      },
    ) as T;
  }

  /**
   * Counters for introspection.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("bad", ["e"], () => {
   *   throw new Error("boom");
   * });
   * telemetry.execute(["e"], {});
   * console.log(telemetry.stats()); // { handlers: 0, failedHandlers: 1, droppedEvents: 0 }
   * ```
   */
  stats(): TelemetryStats {
    return {
      handlers: this.#byId.size,
      failedHandlers: this.#failedHandlers,
      droppedEvents: this.#droppedEvents,
    };
  }

  /**
   * Whether any handler is attached to exactly `event` now. Emitters that
   * build costly measurements check this (or cache it with
   * {@linkcode Telemetry.onChange}) before doing the work.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * telemetry.attach("h", ["app", "job", "stop"], () => {});
   * console.log(telemetry.hasHandlers(["app", "job", "stop"]), telemetry.hasHandlers(["app"])); // true false
   * ```
   */
  hasHandlers(event: TelemetryEvent): boolean {
    if (!Array.isArray(event)) return false;
    let node = this.#root.get(event[0]);
    for (let i = 1; node !== undefined && i < event.length; i++) node = node.children.get(event[i]);
    return node?.bindings !== undefined;
  }

  /**
   * Calls `listener` after every change to the attached handlers (attach,
   * detach, a failing handler detached); returns a function that removes
   * it. The runtime uses this to cache which of its events anyone listens
   * to, so an unobserved event costs one boolean check. A throwing listener
   * is ignored.
   *
   * @example
   * ```ts
   * import { Telemetry } from "@beamlet/beamlet";
   *
   * const telemetry = new Telemetry();
   * let observed = false;
   * const stop = telemetry.onChange(() => {
   *   observed = telemetry.hasHandlers(["app", "job", "stop"]);
   * });
   * telemetry.attach("h", ["app", "job", "stop"], () => {});
   * console.log(observed); // true
   * stop();
   * ```
   */
  onChange(listener: () => void): () => void {
    if (typeof listener !== "function") {
      throw new TypeError(
        `telemetry.onChange: listener must be a function, got ${typeof listener}`,
      );
    }
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch {
        // A listener must not break attach/detach.
      }
    }
  }

  #register(
    where: string,
    id: HandlerId,
    events: readonly TelemetryEvent[],
    handler: TelemetryHandler<never>,
    config: unknown,
  ): void {
    if (typeof id !== "string" && typeof id !== "symbol") {
      throw new TypeError(`${where}: id must be a string or a symbol, got ${typeof id}`);
    }
    if (typeof handler !== "function") {
      throw new TypeError(`${where}: handler must be a function, got ${typeof handler}`);
    }
    if (this.#byId.has(id)) throw new AlreadyAttachedError(id);
    const unique = new Map<string, TelemetryEvent>();
    for (const event of events) {
      const key = eventKey(event);
      if (!unique.has(key)) unique.set(key, event);
    }
    const registration: Registration = Object.freeze({
      id,
      events: Object.freeze([...unique.values()]),
      keys: Object.freeze([...unique.keys()]),
      handler,
      config,
    });
    this.#byId.set(id, registration);
    registration.keys.forEach((key, i) => {
      const event = registration.events[i];
      const node = this.#node(key, event);
      node.bindings = [...(node.bindings ?? []), { registration, event }];
    });
    this.#changed();
  }

  #unregister(registration: Registration): void {
    this.#byId.delete(registration.id);
    for (const key of registration.keys) {
      const node = this.#nodes.get(key);
      if (node === undefined) continue;
      const left = (node.bindings ?? []).filter((b) => b.registration !== registration);
      node.bindings = left.length === 0 ? undefined : left;
    }
    this.#changed();
  }

  /** The node of an event, created on demand; nodes stay (one per event ever attached). */
  #node(key: string, event: TelemetryEvent): EventNode {
    const known = this.#nodes.get(key);
    if (known !== undefined) return known;
    let level = this.#root;
    let node: EventNode | undefined;
    for (const segment of event) {
      node = level.get(segment);
      if (node === undefined) {
        node = { bindings: undefined, children: new Map() };
        level.set(segment, node);
      }
      level = node.children;
    }
    this.#nodes.set(key, node!);
    return node!;
  }

  #fail(registration: Registration, event: TelemetryEvent, error: unknown): void {
    // Only this attachment: the id may have been detached and reused since.
    if (this.#byId.get(registration.id) !== registration) return;
    this.#unregister(registration);
    this.#failedHandlers++;
    // Terminates: each failure detaches one handler before executing again.
    this.execute(HANDLER_FAILURE_EVENT, {
      monotonic_time: performance.now(),
      system_time: Date.now(),
    }, {
      handlerId: registration.id,
      event,
      config: registration.config,
      error,
    });
  }
}

/** Every binding's batched form (`_batch.ts`), or undefined when one has none or refuses its event. */
function batchTargetsOf(
  bindings: readonly Binding[] | undefined,
): readonly BatchTarget[] | undefined {
  if (bindings === undefined) return [];
  const targets: BatchTarget[] = [];
  for (const { registration, event } of bindings) {
    const handler = batchHandlerOf(registration.handler);
    if (handler === undefined || handler.accepts(event) !== true) return undefined;
    targets.push({ handler, event });
  }
  return targets;
}

function startsWith(event: TelemetryEvent, prefix: TelemetryEvent): boolean {
  if (prefix.length > event.length) return false;
  for (let i = 0; i < prefix.length; i++) if (event[i] !== prefix[i]) return false;
  return true;
}

function isMeasurements(measurements: unknown): measurements is Measurements {
  if (typeof measurements !== "object" || measurements === null) return false;
  for (const name in measurements) {
    if (typeof (measurements as Record<string, unknown>)[name] !== "number") return false;
  }
  return true;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as { then?: unknown }).then === "function";
}

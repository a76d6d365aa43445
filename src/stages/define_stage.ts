/**
 * `defineStage`: a stage's callbacks in, a GenServer definition out — so a
 * stage starts with `system.start`, is named with `{ name }`, and lives
 * under a supervisor like any process.
 *
 * @module
 */

import type { GenServer } from "../gen_server.ts";
import type {
  AnyStageCallbacks,
  ConsumerCallbacks,
  ProducerCallbacks,
  ProducerConsumerCallbacks,
} from "./callbacks.ts";
import { stageServer } from "./_stage_server.ts";
import { rememberStageCallbacks } from "./_definition_callbacks.ts";
import type { StageType } from "./types.ts";

/**
 * What `defineStage` returns: a GenServer definition (its state is the
 * stage's machinery, opaque), tagged with the stage's type.
 *
 * @example Starting a stage and supervising another
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { defineStage, type StageDefinition } from "@beamlet/beamlet/stages";
 *
 * const ticker: StageDefinition<number> = defineStage<number, number, number>({
 *   type: "producer",
 *   init: (start) => ({ state: start }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 * });
 * const system = new System();
 * const pid = await system.start(ticker, 0, { name: "ticker" });
 * const child = { id: "ticker", start: { server: ticker, arg: 0 } };
 * console.log(ticker.stageType, typeof pid, child.id); // "producer" "object" "ticker"
 * await system.stopAll();
 * ```
 */
export interface StageDefinition<A = undefined> extends GenServer<unknown, A> {
  /** The stage's type. */
  readonly stageType: StageType;
}

const STAGE_TYPES: readonly string[] = ["producer", "consumer", "producer_consumer"];

/**
 * Defines a stage: a `producer`, a `consumer` or a `producer_consumer`
 * (GenStage's three kinds). Type parameters: state `S`, events out `Out`,
 * then the init argument for a producer, or events in `In` then the init
 * argument for the others.
 *
 * Throws a `TypeError` for a definition without `init`, a producer without
 * `handleDemand`, or a consumer side without `handleEvents`.
 *
 * @example Producer → producer_consumer → consumer
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { defineStage } from "@beamlet/beamlet/stages";
 *
 * const counter = defineStage<number, number, number>({
 *   type: "producer",
 *   init: (start) => ({ state: start }),
 *   handleDemand: (demand, n) => ({ events: Array.from({ length: demand }, (_, i) => n + i), state: n + demand }),
 * });
 * const doubler = defineStage<null, number, number, string>({
 *   type: "producer_consumer",
 *   init: (upstream) => ({ state: null, subscribeTo: [{ to: upstream, maxDemand: 10 }] }),
 *   handleEvents: (events, _from, state) => ({ events: events.map((n) => n * 2), state }),
 * });
 * const seen: number[] = [];
 * const printer = defineStage<null, never, number, string>({
 *   type: "consumer",
 *   init: (upstream) => ({ state: null, subscribeTo: [{ to: upstream, maxDemand: 10 }] }),
 *   handleEvents: (events, _from, state) => (seen.push(...events), { state }),
 * });
 *
 * const system = new System();
 * await system.start(counter, 0, { name: "counter" });
 * await system.start(doubler, "counter", { name: "doubler" });
 * await system.start(printer, "doubler");
 * await new Promise((resolve) => setTimeout(resolve, 10));
 * console.log(seen.slice(0, 3)); // [0, 2, 4]
 * await system.stopAll();
 * ```
 */
export function defineStage<S, Out, A = undefined>(
  callbacks: ProducerCallbacks<S, Out, A>,
): StageDefinition<A>;
/** Defines a consumer: `defineStage<S, never, In, A>({ type: "consumer", ... })`. */
export function defineStage<S, Out extends never, In, A = undefined>(
  callbacks: ConsumerCallbacks<S, In, A>,
): StageDefinition<A>;
/** Defines a producer_consumer: `defineStage<S, Out, In, A>({ type: "producer_consumer", ... })`. */
export function defineStage<S, Out, In, A = undefined>(
  callbacks: ProducerConsumerCallbacks<S, Out, In, A>,
): StageDefinition<A>;
export function defineStage(callbacks: AnyStageCallbacks): StageDefinition<unknown> {
  if (typeof callbacks !== "object" || callbacks === null) {
    throw new TypeError("defineStage: expected the stage's callbacks { type, init, ... }");
  }
  const type = callbacks.type;
  if (!STAGE_TYPES.includes(type)) {
    throw new TypeError(
      `defineStage: type must be "producer", "consumer" or "producer_consumer", got ${
        String(type)
      }`,
    );
  }
  if (typeof callbacks.init !== "function") throw new TypeError("defineStage: init is required");
  if (type === "producer" && typeof callbacks.handleDemand !== "function") {
    throw new TypeError("defineStage: a producer needs handleDemand");
  }
  if (type !== "producer" && typeof callbacks.handleEvents !== "function") {
    throw new TypeError(`defineStage: a ${type} needs handleEvents`);
  }
  const definition: StageDefinition<unknown> = {
    ...stageServer<unknown>(callbacks),
    stageType: type as StageType,
  };
  // A producer's callbacks can be read back (a pipeline runs them inside its own producer).
  rememberStageCallbacks(definition, callbacks);
  return definition;
}

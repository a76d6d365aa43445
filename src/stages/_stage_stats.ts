/**
 * A stage's counters and telemetry (internal). Whether anyone listens to
 * `beamlet.stage.stats` / `beamlet.stage.dropped` is kept in two flags per
 * telemetry, refreshed when handlers change, so a stage with nobody
 * listening pays one field read per message. The stats timer of a stage is
 * armed only after activity while someone listens; it executes one event
 * with what changed since the previous one.
 *
 * @module
 */

import type { Telemetry } from "../telemetry/telemetry.ts";
import { STAGE_DROPPED, STAGE_STATS } from "../telemetry/catalog/stage_events.ts";
import type { Stage } from "./_stage.ts";
import { StatsTick } from "./_protocol.ts";
import { stageName } from "./_stage_name.ts";

/** Who listens, per telemetry. */
interface Listening {
  stats: boolean;
  dropped: boolean;
}

const listenings = new WeakMap<Telemetry, Listening>();

function listeningOf(telemetry: Telemetry): Listening {
  let listening = listenings.get(telemetry);
  if (listening === undefined) {
    const made: Listening = { stats: false, dropped: false };
    const sync = () => {
      made.stats = telemetry.hasHandlers(STAGE_STATS);
      made.dropped = telemetry.hasHandlers(STAGE_DROPPED);
    };
    telemetry.onChange(sync);
    sync();
    listenings.set(telemetry, listening = made);
  }
  return listening;
}

/** At most one drop notice per stage in this many ms. */
const DROP_LOG_INTERVAL_MS = 1000;

/** The stats period, in ms. */
export const STATS_INTERVAL_MS = 1000;

const TICK = new StatsTick();

/** One stage's telemetry. */
export class StageTelemetry {
  readonly #stage: Stage;
  readonly #listening: Listening;
  #armed = false;
  #lastIn = 0;
  #lastOut = 0;
  #lastDropped = 0;
  #loggedAt = -Infinity;
  #unlogged = 0;

  constructor(stage: Stage) {
    this.#stage = stage;
    this.#listening = listeningOf(stage.system.telemetry);
    stage.onDrop = (count, reason) => {
      if (reason === "buffer_full") this.#logDrops(count);
      if (!this.#listening.dropped) return;
      const stage = this.#stage;
      stage.system.telemetry.execute(STAGE_DROPPED, { count }, {
        pid: stage.self,
        name: stageName(stage),
        pipeline: stage.labels.pipeline,
        reason,
      });
    };
  }

  /**
   * A full buffer dropped events: one notice through the system's logger,
   * at most once per second per stage, with the count since the last one
   * (as GenStage logs its discards; the counters and telemetry have each).
   */
  #logDrops(count: number): void {
    this.#unlogged += count;
    const stage = this.#stage;
    const now = stage.system.now();
    if (now - this.#loggedAt < DROP_LOG_INTERVAL_MS) return;
    const name = stageName(stage) ?? String(stage.self);
    stage.system.report({
      kind: "notice",
      topic: "stages",
      message: `stage ${name}: its full buffer dropped ${this.#unlogged} event(s) since the ` +
        `last notice (buffer size ${stage.buffer?.size}); raise buffer.size or ask for more demand`,
    });
    this.#loggedAt = now;
    this.#unlogged = 0;
  }

  /** After each message: arms the stats timer if the stage did something and someone listens. */
  afterMessage(): void {
    if (!this.#listening.stats || this.#armed) return;
    const c = this.#stage.counters;
    if (
      c.eventsIn === this.#lastIn && c.eventsOut === this.#lastOut &&
      c.dropped === this.#lastDropped
    ) {
      return;
    }
    this.#armed = true;
    this.#stage.ctx.sendAfter(this.#stage.self, TICK, STATS_INTERVAL_MS);
  }

  /** The timer fired: one stats event. */
  tick(): void {
    this.#armed = false;
    const stage = this.#stage;
    const c = stage.counters;
    const measurements = {
      demand: stage.dispatcher?.demand() ?? 0,
      pendingAsk: stage.pendingAsk,
      buffered: stage.buffered,
      eventsIn: c.eventsIn - this.#lastIn,
      eventsOut: c.eventsOut - this.#lastOut,
      dropped: c.dropped - this.#lastDropped,
    };
    this.#lastIn = c.eventsIn;
    this.#lastOut = c.eventsOut;
    this.#lastDropped = c.dropped;
    if (!this.#listening.stats) return;
    stage.system.telemetry.execute(STAGE_STATS, measurements, {
      pid: stage.self,
      name: stageName(stage),
      type: stage.type,
      pipeline: stage.labels.pipeline,
      role: stage.labels.role,
    });
  }
}

/**
 * The events of a mailbox under flow control (`start`'s `mailbox.watermarks`
 * and `mailbox.shed`): its queue crossed a watermark, or it shed messages
 * that waited too long.
 *
 * @module
 */

import type { Pid } from "../../pid.ts";
import { defineEvent, type EventDefinition } from "../define_event.ts";

/**
 * Measurements of `beamlet.mailbox.watermark`.
 *
 * @example
 * ```ts
 * import type { MailboxWatermarkMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: MailboxWatermarkMeasurements = { length: 1000 };
 * ```
 */
export type MailboxWatermarkMeasurements = {
  /** The queue's length when it crossed. */
  readonly length: number;
};

/**
 * Metadata of `beamlet.mailbox.watermark`.
 *
 * @example
 * ```ts
 * import type { MailboxWatermarkMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const line = (meta: MailboxWatermarkMetadata) =>
 *   `${meta.name ?? String(meta.pid)} is ${meta.level} (${meta.low}..${meta.high})`;
 * ```
 */
export type MailboxWatermarkMetadata = {
  /** The process whose mailbox it is. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
  /** `"high"`: the queue reached `high`; `"low"`: it fell back to `low` or below. */
  readonly level: "high" | "low";
  /** Its high watermark. */
  readonly high: number;
  /** Its low watermark. */
  readonly low: number;
};

/**
 * `beamlet.mailbox.watermark`: the queue of a process started with
 * `mailbox.watermarks` reached its `high` mark (`level: "high"`), or, after
 * that, fell back to its `low` mark or below (`level: "low"`). The two
 * alternate: a queue hovering around one mark emits nothing more.
 *
 * @example Alerting on a queue that builds up
 * ```ts
 * import { ok, System } from "@beamlet/beamlet";
 * import { MAILBOX_WATERMARK } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * system.telemetry.attach("queues", MAILBOX_WATERMARK, (_e, m, meta) => {
 *   console.log(meta.name, meta.level, m.length);
 * });
 * await system.start({ init: () => ok(null) }, undefined, {
 *   name: "ingest",
 *   mailbox: { watermarks: { high: 1000, low: 100 } },
 * });
 * await system.shutdown();
 * ```
 */
export const MAILBOX_WATERMARK: EventDefinition<
  MailboxWatermarkMeasurements,
  MailboxWatermarkMetadata
> = defineEvent(
  ["beamlet", "mailbox", "watermark"],
  {
    description: "A mailbox's queue reached its high watermark, or fell back to its low one.",
    measurements: { length: "count" },
    metadata: {
      pid: "the process whose mailbox it is",
      name: "its registered name, or undefined",
      level: "high (reached the high mark) or low (back to the low mark)",
      high: "its high watermark",
      low: "its low watermark",
    },
  },
);

/**
 * Measurements of `beamlet.mailbox.shed`.
 *
 * @example
 * ```ts
 * import type { MailboxShedMeasurements } from "@beamlet/beamlet/telemetry";
 *
 * const m: MailboxShedMeasurements = { count: 3, sojourn: 250 };
 * ```
 */
export type MailboxShedMeasurements = {
  /** Messages shed at once (taken out together, before the next one handled). */
  readonly count: number;
  /** The longest any of them waited in the mailbox, ms. */
  readonly sojourn: number;
};

/**
 * Metadata of `beamlet.mailbox.shed`.
 *
 * @example
 * ```ts
 * import type { MailboxShedMetadata } from "@beamlet/beamlet/telemetry";
 *
 * const who = (meta: MailboxShedMetadata) => meta.name ?? String(meta.pid);
 * ```
 */
export type MailboxShedMetadata = {
  /** The process whose mailbox shed them. */
  readonly pid: Pid;
  /** Its registered name, if it has one. */
  readonly name: string | undefined;
};

/**
 * `beamlet.mailbox.shed`: a process started with `mailbox.shed` dropped
 * messages unhandled because they had waited longer than its `target` for
 * a whole `interval` (CoDel). Shed calls failed their callers with an
 * `OverloadedError` (`outcome: "shed"`); runtime messages are never shed.
 *
 * @example Counting shed messages
 * ```ts
 * import { System } from "@beamlet/beamlet";
 * import { MAILBOX_SHED } from "@beamlet/beamlet/telemetry";
 *
 * const system = new System();
 * let shed = 0;
 * system.telemetry.attach("shed", MAILBOX_SHED, (_e, m) => {
 *   shed += m.count;
 * });
 * await system.shutdown();
 * console.log(shed); // 0
 * ```
 */
export const MAILBOX_SHED: EventDefinition<MailboxShedMeasurements, MailboxShedMetadata> =
  defineEvent(
    ["beamlet", "mailbox", "shed"],
    {
      description: "A mailbox shed messages that had waited longer than its target (CoDel).",
      measurements: { count: "count", sojourn: "millisecond" },
      metadata: {
        pid: "the process whose mailbox shed them",
        name: "its registered name, or undefined",
      },
    },
  );

/**
 * Checking `start`'s `mailbox.watermarks` and `mailbox.shed` (internal):
 * a {@linkcode MailboxFlow} record for a process that asked for either,
 * `undefined` for the others, a TypeError or RangeError for bad values.
 *
 * @module
 */

import { MAX_TIMEOUT_MS, type StartOptions } from "../../options.ts";
import { describeValue } from "../../_inspect.ts";
import { checkOptionsObject } from "../../_options.ts";
import { MailboxFlow } from "../state/mailbox_flow.ts";

/** CoDel's interval when `mailbox.shed` gives none (RFC 8289's default). */
export const DEFAULT_SHED_INTERVAL = 100;

/**
 * The flow-control record `start` options ask for, checked; `undefined`
 * when they set neither watermarks nor shedding. Call it after the mailbox's
 * bound was checked (`spawnArguments`).
 */
export function flowOf(options: StartOptions): MailboxFlow | undefined {
  const mailbox = options.mailbox;
  if (mailbox === undefined) return undefined;
  const watermarks = (mailbox as { watermarks?: unknown }).watermarks;
  const shed = (mailbox as { shed?: unknown }).shed;
  if (watermarks === undefined && shed === undefined) return undefined;
  let high = 0;
  let low = 0;
  if (watermarks !== undefined) {
    checkOptionsObject("start: mailbox.watermarks", watermarks);
    const marks = watermarks as { high?: unknown; low?: unknown };
    high = mark("high", marks.high);
    low = mark("low", marks.low);
    if (!(low < high)) {
      throw new RangeError(
        `start: mailbox.watermarks.low must be below high, got low ${low} and high ${high}`,
      );
    }
    const bound = mailbox.bound ?? Infinity;
    if (high > bound) {
      throw new RangeError(
        `start: mailbox.watermarks.high must be at most mailbox.bound (${bound}), got ${high}`,
      );
    }
  }
  let target = 0;
  let interval = 0;
  if (shed !== undefined) {
    checkOptionsObject("start: mailbox.shed", shed);
    const codel = shed as { target?: unknown; interval?: unknown };
    target = duration("target", codel.target);
    interval = codel.interval === undefined
      ? DEFAULT_SHED_INTERVAL
      : duration("interval", codel.interval);
  }
  return new MailboxFlow(high, low, target, interval);
}

/** A watermark: an integer of at least 1. */
function mark(which: "high" | "low", value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `start: mailbox.watermarks.${which} must be a number, got ${describeValue(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `start: mailbox.watermarks.${which} must be an integer of at least 1, got ${value}`,
    );
  }
  return value;
}

/** A shedding time: a number of ms above 0, at most MAX_TIMEOUT_MS. */
function duration(which: "target" | "interval", value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `start: mailbox.shed.${which} must be a number of ms, got ${describeValue(value)}`,
    );
  }
  if (!(value > 0 && value <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `start: mailbox.shed.${which} must be a number of ms above 0 and at most ${MAX_TIMEOUT_MS}, got ${value}`,
    );
  }
  return value;
}

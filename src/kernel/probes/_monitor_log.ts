/**
 * The system monitor's log lines (internal): `NoticeReport`s of topic
 * `"monitor"` through the system's logger, at most one per process per
 * `logInterval` for long callbacks (and one per interval for long slices,
 * one for stalls), each with the count folded since the previous line.
 * Intervals are on the system's clock, so a virtual clock drives them.
 *
 * @module
 */

import type { Runtime } from "../state/runtime.ts";
import type { Process } from "../state/process.ts";
import type { LogMark, MonitorState } from "../state/monitor_state.ts";
import type { LongCallbackRecord } from "../../monitor_stats.ts";
import { sendReport } from "./instrument.ts";

/** Whether a line may go now; if not, it is folded into the next one. */
function due(mark: LogMark, now: number, interval: number): boolean {
  if (now - mark.at >= interval) return true;
  mark.folded++;
  return false;
}

/** The folded count's tail: "" or "; 3 more since the last line". */
function folded(mark: LogMark, now: number): string {
  const more = mark.folded;
  mark.folded = 0;
  mark.at = now;
  return more > 0 ? `; ${more} more since the last line` : "";
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function who(pid: { toString(): string }, name: string | undefined): string {
  return name === undefined ? String(pid) : `${String(pid)} (${name})`;
}

/** A long callback of `entry.pid`, seen at system-clock time `now`. */
export function logLongCallback(
  rt: Runtime,
  monitor: MonitorState,
  entry: LongCallbackRecord,
  now: number,
): void {
  if (!rt.logger) return;
  const serial = entry.pid.serial;
  let mark = monitor.logged.get(serial);
  if (mark === undefined) {
    if (monitor.logged.size >= 10_000) monitor.logged.clear(); // bounded: forget old marks
    mark = { at: -Infinity, folded: 0 };
    monitor.logged.set(serial, mark);
  }
  const { logInterval, longCallback } = monitor.settings;
  if (!due(mark, now, logInterval)) return;
  const what = entry.exact
    ? `a ${entry.callback} callback`
    : entry.candidates > 1
    ? `a stretch of ${entry.callbacks} callbacks of ${entry.candidates} processes ` +
      `(the last this one's ${entry.callback})`
    : `a run of ${entry.callbacks} callbacks (the last a ${entry.callback})`;
  sendReport(rt, {
    kind: "notice",
    topic: "monitor",
    message: `${who(entry.pid, entry.name)}: ${what} held the scheduler ${ms(entry.duration)} ms ` +
      `(budget ${longCallback} ms: monitor.longCallback)${folded(mark, now)}`,
  });
}

/** A scheduler slice that held the host `duration` ms. */
export function logLongSchedule(
  rt: Runtime,
  monitor: MonitorState,
  duration: number,
  runs: number,
  longest: Process | undefined,
  now: number,
): void {
  if (
    !rt.logger || !monitor.settings.log ||
    !due(monitor.scheduleLog, now, monitor.settings.logInterval)
  ) return;
  const by = longest === undefined ? "" : `, longest ${who(longest.pid, longest.name)}`;
  sendReport(rt, {
    kind: "notice",
    topic: "monitor",
    message: `a scheduler slice held the host ${ms(duration)} ms (${runs} process runs${by}; ` +
      `monitor.longSchedule is ${monitor.settings.longSchedule} ms)${
        folded(monitor.scheduleLog, now)
      }`,
  });
}

/** The host's event loop was blocked `delay` ms (`now`: the system clock). */
export function logStall(rt: Runtime, monitor: MonitorState, delay: number, now: number): void {
  if (
    !rt.logger || !monitor.settings.log || !due(monitor.stallLog, now, monitor.settings.logInterval)
  ) return;
  sendReport(rt, {
    kind: "notice",
    topic: "monitor",
    message: `${
      rt.scheduler === 0 ? "the host's" : `scheduler ${rt.scheduler}'s`
    } event loop was blocked ${
      ms(delay)
    } ms (monitor.eventLoopStall is ${monitor.settings.eventLoopStall} ms)${
      folded(monitor.stallLog, now)
    }`,
  });
}

/** Forgets the log mark of an exited process. */
export function forgetProcess(monitor: MonitorState, process: Process): void {
  if (monitor.logged.size > 0) monitor.logged.delete(process.pid.serial);
}

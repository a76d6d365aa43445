/**
 * The system monitor's measurements (internal), taken from the clock
 * readings the scheduler makes anyway (`scheduler/slice.ts`).
 *
 * A *stretch* is what ran between two consecutive readings of one
 * scheduler run. While callbacks are fast it covers up to 32 of them (one
 * reading per span, as the slice check reads); after a slow one, or for a
 * process marked slow, a single callback. So:
 *
 * - every callback that took `longCallback` ms or more lies in a stretch
 *   that took at least as long, and is told: alone (`exact`) or with the
 *   fast callbacks measured with it (`exact: false`, `callbacks` > 1);
 * - spans only grow while a span takes under a quarter of the budget, so
 *   a run of fast callbacks is not taken for a long one;
 * - a process's busy time is the sum of its stretches: its callbacks'
 *   synchronous time plus the kernel's own work for them (dequeue, sends),
 *   with no extra clock reading per callback.
 *
 * Which processes a stretch holds depends on `monitor.attribution`:
 *
 * - `"run"`: the scheduler also reads the clock when a process's run ends,
 *   so a stretch holds consecutive callbacks of one process, and every long
 *   one is pinned on its process.
 * - `"span"` (the default): no reading at a run's end, so a stretch may
 *   hold several processes' callbacks (ping-pong, a ring). The runs it held
 *   are noted as *parts* (a process and its message count, noted when the
 *   process changes). A stretch of one process is measured as in `"run"`;
 *   a shared one is split among its parts by message count (busy time, an
 *   estimate), and when long it is told with `candidates` > 1 — counted for
 *   the system, not for a process — and its processes are marked slow
 *   (*suspects*): a suspect's run starts and ends with a reading and each
 *   of its callbacks is measured alone, so one that stays slow is pinned
 *   from its next callback on; one that is fast again is unmarked.
 *
 * What it cannot see: the continuation of an async callback after an
 * `await` (a microtask outside the scheduler's run: the event-loop probe
 * sees it if it blocks), and the code that woke an idle system when it
 * sent exactly one message and went on synchronously (the run starts from
 * that message's clock reading; with more messages queued, the run reads
 * the clock afresh).
 *
 * @module
 */

import { K_CALL, K_CAST, K_INIT, K_STOP } from "../state/envelopes.ts";
import { INDEX_MASK, type Runtime } from "../state/runtime.ts";
import type { Process } from "../state/process.ts";
import type { CallbackKind } from "../../telemetry/catalog/callback_events.ts";
import { type MonitorState, RECENT_LIMIT } from "../state/monitor_state.ts";
import { logLongCallback, logLongSchedule } from "./_monitor_log.ts";

/**
 * A scheduler run begins at clock reading `now` (`fromWake`: the reading of
 * the message that woke the system): it is where its first stretch starts.
 */
export function runStarts(
  rt: Runtime,
  monitor: MonitorState,
  now: number,
  fromWake: boolean,
): void {
  // Messages sent after the waking one mean the sender went on: its time is not a callback's.
  const start = fromWake && rt.core.slotsInUse() > 1 ? rt.clock.now() : now;
  monitor.runStart = start;
  monitor.partCount = 0;
  monitor.longest = 0;
  monitor.longestProcess = undefined;
  rt.lastCheck = start;
  rt.segBase = rt.sched.messages;
}

/**
 * The stretch that ended at clock reading `now` took `elapsed` ms and held
 * the messages up to `rt.checkedAt`, the last of them `process`'s, of
 * envelope kind `kind`: charge it, and tell it if it was long.
 */
export function stretchEnded(
  rt: Runtime,
  monitor: MonitorState,
  process: Process,
  now: number,
  elapsed: number,
  kind: number,
): void {
  // Small on purpose: it runs at every slice check; the rare parts are calls.
  const from = rt.segBase;
  const count = rt.checkedAt - from;
  rt.segBase = rt.checkedAt;
  if (monitor.partCount !== 0) {
    sharedStretch(rt, monitor, process, now, elapsed, from, kind);
    return;
  }
  if (count <= 0 || !(elapsed > 0)) return;
  charge(monitor, process, elapsed);
  if (elapsed >= monitor.longCallback) {
    longCallback(rt, monitor, process, now, elapsed, count, kind, 1);
  }
}

/** `ms` of busy time for `process` (and the run's longest stretch so far). */
function charge(monitor: MonitorState, process: Process, ms: number): void {
  const index = process.coreId & INDEX_MASK;
  if (index >= monitor.owner.length || monitor.owner[index] !== process.pid.serial >>> 0) {
    claim(monitor, process, index);
  }
  monitor.busy[index] += ms;
  if (ms > monitor.longest) {
    monitor.longest = ms;
    monitor.longestProcess = process;
  }
}

/**
 * Span attribution: a run of another process begins while the current
 * stretch's last messages are `monitor.partProcess`'s: they are noted as a
 * part of the stretch, by where it ends (two writes: this runs at every
 * change of process; the stretch's end does the sums).
 */
export function partEnded(rt: Runtime, monitor: MonitorState): void {
  const n = monitor.partCount;
  monitor.parts[n] = monitor.partProcess;
  monitor.partEnds[n] = rt.sched.messages;
  monitor.partCount = n + 1;
}

/**
 * A stretch of the messages `from` up to `rt.checkedAt` that held parts of
 * several processes ended (span attribution; its last part, not noted, is
 * `process`'s): its time is split among the parts by message count; if it
 * was long, it is told with its candidates, and they become suspects
 * (`process.slow`).
 */
function sharedStretch(
  rt: Runtime,
  monitor: MonitorState,
  process: Process,
  now: number,
  elapsed: number,
  from: number,
  kind: number,
): void {
  const parts = monitor.parts;
  const ends = monitor.partEnds;
  const n = monitor.partCount;
  monitor.partCount = 0;
  const to = rt.checkedAt;
  const count = to - from;
  // The last callback was `process`'s, unless its run handled none.
  let last: Process | undefined = to > ends[n - 1] ? process : undefined;
  const long = elapsed >= monitor.longCallback && count > 0;
  const suspects = long ? new Set<Process>() : undefined;
  const share = elapsed > 0 && count > 0 ? elapsed / count : 0;
  // Messages are summed for the last two processes seen, charged when a
  // third comes (ping-pong: two charges per stretch).
  let a: Process | undefined = undefined;
  let heldA = 0;
  let b: Process | undefined = undefined;
  let heldB = 0;
  let start = from;
  for (let i = 0; i <= n; i++) {
    let part: Process;
    let end: number;
    if (i < n) {
      part = parts[i]!;
      parts[i] = undefined; // no dead process kept alive
      end = ends[i];
    } else {
      part = process;
      end = to;
    }
    const held = end - start;
    start = end;
    if (held <= 0) continue;
    if (part === a) {
      heldA += held;
    } else if (part === b) {
      heldB += held;
    } else {
      if (b !== undefined && share > 0) charge(monitor, b, share * heldB);
      b = a;
      heldB = heldA;
      a = part;
      heldA = held;
    }
    suspects?.add(part);
    if (last !== process && i < n) last = part;
  }
  if (share > 0) {
    if (a !== undefined) charge(monitor, a, share * heldA);
    if (b !== undefined) charge(monitor, b, share * heldB);
  }
  if (suspects === undefined || last === undefined) return;
  const candidates = suspects.size;
  if (candidates > 1) { for (const suspect of suspects) suspect.slow = true; }
  longCallback(rt, monitor, last, now, elapsed, count, kind, candidates);
}

/** The per-index counters of `index` now count for `process` (from 0). */
function claim(monitor: MonitorState, process: Process, index: number): void {
  if (index >= monitor.owner.length) grow(monitor, index);
  monitor.owner[index] = process.pid.serial >>> 0;
  monitor.busy[index] = 0;
  monitor.long[index] = 0;
}

/** The callback kind an envelope of `kind` runs. */
export function callbackOf(kind: number): CallbackKind {
  switch (kind) {
    case K_CAST:
      return "cast";
    case K_CALL:
      return "call";
    case K_INIT:
      return "init";
    case K_STOP:
      return "terminate";
    default:
      return "info"; // info, DOWN, EXIT, timeout
  }
}

function longCallback(
  rt: Runtime,
  monitor: MonitorState,
  process: Process,
  now: number,
  duration: number,
  callbacks: number,
  kind: number,
  candidates: number,
): void {
  monitor.longCallbacks++;
  // Only a stretch of one process is that process's long callback.
  if (candidates === 1) monitor.long[process.coreId & INDEX_MASK]++;
  const callback = callbackOf(kind);
  const exact = callbacks === 1;
  const entry = {
    time: Date.now(),
    pid: process.pid,
    name: process.name,
    callback,
    duration,
    exact,
    callbacks,
    candidates,
  };
  monitor.recent[monitor.recentNext] = entry;
  monitor.recentNext = (monitor.recentNext + 1) % RECENT_LIMIT;
  const event = monitor.longCallbackEvent;
  if (event.active) {
    event.emit({ monotonic_time: now, duration }, {
      pid: process.pid,
      name: process.name,
      callback,
      exact,
      callbacks,
      candidates,
    });
  }
  if (duration >= monitor.settings.logCallback) logLongCallback(rt, monitor, entry, now);
}

/**
 * A scheduler run (not in manual scheduling, which never yields by design)
 * ended at clock reading `end` after `runs` process runs: tell it if it held
 * the host past `longSchedule`.
 */
export function runEnded(rt: Runtime, monitor: MonitorState, end: number, runs: number): void {
  const duration = end - monitor.runStart;
  if (!(duration >= monitor.settings.longSchedule) || rt.manual) return;
  monitor.longSchedules++;
  const pid = monitor.longestProcess?.pid;
  const event = monitor.longScheduleEvent;
  if (event.active) {
    event.emit({ monotonic_time: end, duration }, { processes: runs, pid });
  }
  logLongSchedule(rt, monitor, duration, runs, monitor.longestProcess, end);
}

/** Room in the per-index arrays for `index`. */
function grow(monitor: MonitorState, index: number): void {
  let size = monitor.busy.length;
  while (size <= index) size *= 2;
  const busy = new Float64Array(size);
  busy.set(monitor.busy);
  monitor.busy = busy;
  const long = new Uint32Array(size);
  long.set(monitor.long);
  monitor.long = long;
  const owner = new Uint32Array(size);
  owner.set(monitor.owner);
  monitor.owner = owner;
}

/** `process`'s busy ms and long callbacks so far (0 and 0 with the monitor off). */
export function processWork(
  monitor: MonitorState | undefined,
  process: Process,
): { busyMs: number; longCallbacks: number } {
  if (monitor === undefined) return { busyMs: 0, longCallbacks: 0 };
  const index = process.coreId & INDEX_MASK;
  if (index >= monitor.owner.length || monitor.owner[index] !== process.pid.serial >>> 0) {
    return { busyMs: 0, longCallbacks: 0 };
  }
  return { busyMs: monitor.busy[index], longCallbacks: monitor.long[index] };
}

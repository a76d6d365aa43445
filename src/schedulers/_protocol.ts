/**
 * The messages schedulers send each other through their shared rings
 * (internal). A ring record is a batch: messages back to back, each an
 * operation code and its fields, written with the codec (`_codec.ts`).
 * Pids, refs, errors and payloads are codec values; serials, call ids and
 * timeouts are f64 (serials and ids stay below 2^53, timeouts may be
 * Infinity).
 *
 * ```
 * op          fields (in order)
 * CAST, SEND  to serial, message
 * CALL        to serial, call id, timeout, caller pid | undefined, request → REPLY / FAIL
 * REPLY       call id, value
 * FAIL        call id, error
 * EXIT        to serial, from pid | undefined, reason
 * LINK        to serial, from pid
 * UNLINK      to serial, from pid
 * LINK_EXIT   to serial, from pid, reason
 * MONITOR     to serial, watcher pid (serial 0: outside a process), ref
 * DEMONITOR   to serial, ref
 * DOWN        watcher pid, ref, pid, reason
 * SPAWN       request id, behaviour name, arg, options, parent pid | undefined, link 0/1
 *                                                           → SPAWNED / SPAWN_FAIL
 * SPAWNED     request id, pid | undefined (init returned ignore)
 * SPAWN_FAIL  request id, error
 * TASK        call id, task name, args                      → REPLY / FAIL
 * NAME_UP     name, pid      (a process took a registered name; `_names.ts`)
 * NAME_DOWN   name, pid      (it dropped it: exited)
 * STOP        call id, to serial, reason, timeout               → REPLY / FAIL
 *             (between nodes only: `system.stop` of a pid of another node)
 * ```
 *
 * @module
 */

export const OP_CAST = 1;
export const OP_SEND = 2;
export const OP_CALL = 3;
export const OP_REPLY = 4;
export const OP_FAIL = 5;
export const OP_EXIT = 6;
export const OP_LINK = 7;
export const OP_UNLINK = 8;
export const OP_LINK_EXIT = 9;
export const OP_MONITOR = 10;
export const OP_DEMONITOR = 11;
export const OP_DOWN = 12;
export const OP_SPAWN = 13;
export const OP_SPAWNED = 14;
export const OP_SPAWN_FAIL = 15;
export const OP_TASK = 16;
export const OP_NAME_UP = 17;
export const OP_NAME_DOWN = 18;
export const OP_STOP = 19;

/** Control messages over the Workers' own channel (never per process message). */
export type Control =
  /** Worker → owner: its scheduler runs; its inbound ring is at `ring`. */
  | { readonly type: "ready"; readonly ring: number }
  /** Worker → owner: it could not start (a module failed to load, …). */
  | { readonly type: "failed"; readonly message: string; readonly stack?: string }
  /** Owner → workers: every scheduler's ring (0: none) and which are up. */
  | { readonly type: "rings"; readonly rings: readonly number[] }
  /** Owner → workers: scheduler `index` is gone. */
  | { readonly type: "down"; readonly index: number; readonly stopped: boolean }
  /** Owner → workers: scheduler `index`, already down, has now certainly stopped. */
  | { readonly type: "stopped"; readonly index: number }
  /** Owner → workers: shut down. */
  | { readonly type: "shutdown" };

/** What a Worker is started with. */
export interface WorkerSetup {
  readonly index: number;
  readonly count: number;
  readonly node: string;
  readonly memory: WebAssembly.Memory;
  /** Shared control words (`_fabric.ts`: state and load per scheduler). */
  readonly control: SharedArrayBuffer;
  readonly modules: readonly string[];
  /** The System options every scheduler shares (plain data). */
  readonly options: Record<string, unknown>;
  readonly ringCapacity: number;
}

/** Words per scheduler in the control block. */
export const CONTROL_STRIDE = 4;
/** Control word: 0 starting, 1 up, 2 down. */
export const C_STATE = 0;
/** Control word: live processes (least-loaded placement). */
export const C_PROCESSES = 1;
/** Control word: CPU tasks running or queued there. */
export const C_TASKS = 2;

export const STATE_STARTING = 0;
export const STATE_UP = 1;
export const STATE_DOWN = 2;

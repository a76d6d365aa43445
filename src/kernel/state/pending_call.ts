/**
 * One call waiting for its reply (internal).
 *
 * @module
 */

import type { From } from "../../from.ts";
import type { Process } from "./process.ts";

/** A caller's promise, its timer and where it waits. */
export class PendingCall {
  readonly from: From;
  readonly request: unknown;
  readonly target: Process;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly timeout: number;
  /** The calling process (undefined: a call from outside any process). */
  readonly caller: Process | undefined;
  /** Core timer id of the timeout, 0 when infinite. */
  timer = 0;
  /** The tracer's token for this call (only with a tracer). */
  trace: unknown = undefined;
  /** Its reply is a thenable being awaited: no other reply answers it (the server's exit still does). */
  answered = false;

  constructor(
    from: From,
    request: unknown,
    target: Process,
    timeout: number,
    resolve: (value: unknown) => void,
    reject: (error: unknown) => void,
    caller: Process | undefined = undefined,
  ) {
    this.from = from;
    this.request = request;
    this.target = target;
    this.timeout = timeout;
    this.resolve = resolve;
    this.reject = reject;
    this.caller = caller;
  }
}

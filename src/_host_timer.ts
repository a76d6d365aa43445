/**
 * One host timer whose hold on the event loop can be switched cheaply
 * (internal; the runtime-specific part of waking up for the timer wheel).
 *
 * Node and Bun return timer objects with `ref()` / `unref()`; Deno returns
 * ids for `Deno.refTimer` / `Deno.unrefTimer` (taken from `_host.ts`);
 * browsers and workers have neither and need neither (a page does not exit).
 *
 * @module
 */

import { denoTimers as deno } from "./_host.ts";

/** A pending host timeout. */
export interface HostTimer {
  /** Clears it. */
  cancel(): void;
  /** Keeps the host alive until it fires. */
  ref(): void;
  /** Lets the host exit even though it is pending. */
  unref(): void;
}

type RefCounted = { ref?: () => unknown; unref?: () => unknown };

/** Runs `task` after `ms` milliseconds. */
export function setHostTimer(task: () => void, ms: number): HostTimer {
  const handle = setTimeout(task, ms) as unknown;
  if (typeof handle === "number") {
    return {
      cancel: () => clearTimeout(handle),
      ref: () => deno?.refTimer(handle),
      unref: () => deno?.unrefTimer(handle),
    };
  }
  const timer = handle as RefCounted;
  return {
    cancel: () => clearTimeout(handle as ReturnType<typeof setTimeout>),
    ref: () => void timer.ref?.(),
    unref: () => void timer.unref?.(),
  };
}

/** Lets the host exit although `timer` (a `setTimeout` / `setInterval` handle) is pending. */
export function unrefTimer(timer: unknown): void {
  if (typeof timer === "number") deno?.unrefTimer(timer);
  else (timer as RefCounted | undefined)?.unref?.();
}

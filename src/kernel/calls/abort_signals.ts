/**
 * A caller's `AbortSignal` (internal): checked by brand, read and listened
 * to through the platform's own accessors and methods, never through the
 * object's properties.
 *
 * The `signal` option comes from the caller and is hostile until checked: an
 * object that merely looks like a signal, a Proxy, a getter that throws. The
 * `aborted` accessor of `AbortSignal.prototype` refuses anything that is not
 * a real signal (a brand check), so reading it through that accessor is the
 * test; the reason is read the same way, and listeners go through
 * `EventTarget.prototype`, so a signal whose own properties were replaced
 * cannot run code of its own in their place.
 *
 * @module
 */

import { describeValue } from "../../_inspect.ts";

type Getter<T> = (this: AbortSignal) => T;

let abortedGetter: Getter<boolean> | undefined;
let reasonGetter: Getter<unknown> | undefined;

/** The accessor `name` of AbortSignal.prototype (read once). */
function accessor<T>(name: "aborted" | "reason"): Getter<T> {
  const get = Object.getOwnPropertyDescriptor(AbortSignal.prototype, name)?.get;
  if (typeof get === "function") return get as Getter<T>;
  // A platform whose accessors live elsewhere: read the property of a checked instance.
  return function (this: AbortSignal) {
    if (!(this instanceof AbortSignal)) throw new TypeError("not an AbortSignal");
    return this[name] as T;
  };
}

/** Whether `signal` (a checked AbortSignal) has aborted. */
export function isAborted(signal: AbortSignal): boolean {
  return (abortedGetter ??= accessor<boolean>("aborted")).call(signal);
}

/** Why `signal` aborted (its `reason`); what reading it threw, if it throws. */
export function reasonOf(signal: AbortSignal): unknown {
  try {
    return (reasonGetter ??= accessor<unknown>("reason")).call(signal);
  } catch (error) {
    return error;
  }
}

/**
 * The `signal` option checked: `undefined`, or a real AbortSignal; a
 * TypeError for anything else (a look-alike object, a Proxy, a primitive),
 * with what the brand check threw as its cause.
 */
export function checkSignal(what: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "object" && value !== null) {
    try {
      isAborted(value as AbortSignal);
      return value as AbortSignal;
    } catch (error) {
      throw new TypeError(`${what} must be an AbortSignal, got ${describeValue(value)}`, {
        cause: error,
      });
    }
  }
  throw new TypeError(`${what} must be an AbortSignal, got ${describeValue(value)}`);
}

/** Calls `onAbort` once when `signal` aborts (a TypeError if the platform refuses). */
export function listen(signal: AbortSignal, onAbort: () => void): void {
  EventTarget.prototype.addEventListener.call(signal, "abort", onAbort);
}

/** Removes a listener {@linkcode listen} added; never throws. */
export function unlisten(signal: AbortSignal, onAbort: () => void): void {
  try {
    EventTarget.prototype.removeEventListener.call(signal, "abort", onAbort);
  } catch {
    // It was added through the same method: nothing left to remove.
  }
}

/**
 * Pending calls by call id (internal): a reply finds its call by value — the
 * node and call id of its `From` — so a `From` rebuilt from its JSON form
 * answers as well as the one `handleCall` received.
 *
 * Call ids are handed out in sequence and most calls are short-lived, so the
 * table is a direct-mapped array indexed by the id's low bits: adding and
 * removing a call writes one array element and allocates nothing. A call
 * whose place is taken by an older one still pending goes to a Map beside
 * it; the array doubles (up to {@linkcode MAX_DIRECT}) while it is more than
 * half full.
 *
 * @module
 */

import type { PendingCall } from "./pending_call.ts";

/** Most places in the direct-mapped array. */
export const MAX_DIRECT = 1 << 16;

/** Pending calls, found by call id. */
export class CallTable {
  #slots: (PendingCall | undefined)[] = new Array(64).fill(undefined);
  #mask = 63;
  #spill: Map<number, PendingCall> | undefined = undefined;
  /** Pending calls. */
  size = 0;

  /** Adds a pending call (its id is not in the table). */
  add(call: PendingCall): void {
    if (this.size >= (this.#mask + 1) >> 1 && this.#mask + 1 < MAX_DIRECT) this.#grow();
    this.size++;
    this.#place(call);
  }

  /** The pending call with this id, if any (anything but a number finds nothing). */
  get(callId: unknown): PendingCall | undefined {
    if (typeof callId !== "number") return undefined;
    const call = this.#slots[callId & this.#mask];
    if (call !== undefined && call.from.callId === callId) return call;
    return this.#spill?.get(callId);
  }

  /** Removes a pending call (one that is not in the table is left alone). */
  remove(call: PendingCall): void {
    const index = call.from.callId & this.#mask;
    if (this.#slots[index] === call) {
      this.#slots[index] = undefined;
      this.size--;
    } else if (this.#spill !== undefined && this.#spill.get(call.from.callId) === call) {
      this.#spill.delete(call.from.callId);
      this.size--;
    }
  }

  #place(call: PendingCall): void {
    const index = call.from.callId & this.#mask;
    if (this.#slots[index] === undefined) this.#slots[index] = call;
    else (this.#spill ??= new Map()).set(call.from.callId, call);
  }

  #grow(): void {
    const old = this.#slots;
    const spill = this.#spill;
    const size = old.length * 2;
    this.#slots = new Array(size).fill(undefined);
    this.#mask = size - 1;
    this.#spill = undefined;
    for (const call of old) if (call !== undefined) this.#place(call);
    if (spill !== undefined) { for (const call of spill.values()) this.#place(call); }
  }
}

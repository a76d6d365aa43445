/**
 * The exit signals, links and monitors of the wire protocol
 * (`_protocol.ts`), the same between schedulers and between nodes
 * (internal): writing an exit reason that must arrive whatever it holds,
 * and handing a received signal to the local kernel.
 *
 * @module
 */

import type { ExitReason } from "../exit_reason.ts";
import type { Pid, Ref } from "../pid.ts";
import type { Runtime } from "../kernel/state/runtime.ts";
import {
  remoteDemonitored,
  remoteDown,
  remoteExit,
  remoteLinked,
  remoteLinkExit,
  remoteMonitored,
  remoteUnlinked,
} from "../kernel/lifecycle/remote_links.ts";
import type { Reader, Writer } from "./_codec.ts";
import {
  OP_DEMONITOR,
  OP_DOWN,
  OP_EXIT,
  OP_LINK,
  OP_LINK_EXIT,
  OP_MONITOR,
  OP_UNLINK,
} from "./_protocol.ts";
import { describeValue } from "../_inspect.ts";

/**
 * Writes a message whose last field is an exit reason, with `encode` (the
 * fabric's: it rolls the message back, its op byte included, when writing
 * throws). A signal or a DOWN must arrive whatever the reason holds: a
 * reason that cannot cross (a function inside it, …) crosses as an Error
 * saying what it was. `across` says where to: `"schedulers"`, `"nodes"`.
 */
export function encodeReason(
  w: Writer,
  reason: ExitReason,
  head: () => void,
  encode: (w: Writer, write: () => void) => void,
  across: string,
): void {
  const op = w.bytes[w.length - 1];
  try {
    encode(w, () => {
      head();
      w.value(reason);
    });
  } catch (error) {
    w.u8(op); // encode rolled the message back, its op byte included
    const said = reason instanceof Error
      ? `${reason.name}: ${reason.message}`
      : describeValue(reason);
    encode(w, () => {
      head();
      w.value(
        new Error(
          `${said} (the exit reason could not cross ${across}: ${(error as Error)?.message})`,
        ),
      );
    });
  }
}

/**
 * Reads and carries out one signal message (`op` already read) for a
 * process here, whose pid `here` makes from its serial: false when `op` is
 * not a signal (the caller dispatches it).
 */
export function receiveSignal(
  rt: Runtime,
  r: Reader,
  op: number,
  here: (serial: number) => Pid,
): boolean {
  switch (op) {
    case OP_EXIT: {
      const to = here(r.f64());
      const from = r.value() as Pid | undefined;
      remoteExit(rt, to, from, r.value() as ExitReason);
      return true;
    }
    case OP_LINK:
    case OP_UNLINK: {
      const to = here(r.f64());
      const from = r.value() as Pid;
      if (op === OP_LINK) remoteLinked(rt, to, from);
      else remoteUnlinked(rt, to, from);
      return true;
    }
    case OP_LINK_EXIT: {
      const to = here(r.f64());
      const from = r.value() as Pid;
      remoteLinkExit(rt, to, from, r.value() as ExitReason);
      return true;
    }
    case OP_MONITOR: {
      const target = here(r.f64());
      const watcher = r.value() as Pid;
      remoteMonitored(rt, target, watcher, r.value() as Ref);
      return true;
    }
    case OP_DEMONITOR: {
      const target = here(r.f64());
      remoteDemonitored(rt, target, r.value() as Ref);
      return true;
    }
    case OP_DOWN: {
      const watcher = r.value() as Pid;
      const ref = r.value() as Ref;
      const pid = r.value() as Pid;
      remoteDown(rt, watcher, ref, pid, r.value() as ExitReason);
      return true;
    }
  }
  return false;
}

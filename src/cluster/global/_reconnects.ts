/**
 * Following the NATS connection's status (internal): each reconnect calls
 * back, so the registry re-reads the bucket and re-checks its names.
 *
 * @module
 */

import type { NatsConnection } from "@nats-io/nats-core";

/** Calls `onReconnect` at each reconnect of `connection` until `isClosed`; returns a stop, if the status iterator has one. */
export function followReconnects(
  connection: NatsConnection,
  isClosed: () => boolean,
  onReconnect: () => void,
): (() => void) | undefined {
  const statuses = connection.status();
  const stoppable = statuses as { stop?: () => void };
  void (async () => {
    try {
      for await (const status of statuses) {
        if (isClosed()) return;
        if (status.type === "reconnect") onReconnect();
      }
    } catch {
      // the connection closed
    }
  })();
  return typeof stoppable.stop === "function" ? () => stoppable.stop!() : undefined;
}

/**
 * The stage callbacks of a JetStream producer (private): `init` opens the
 * consumer, `handleDemand` hands demand to the pull loop, whose batches come
 * back as info messages and leave as pipeline messages; a terminal failure
 * comes back the same way and stops the stage with its named error.
 *
 * @module
 */

import type { JsMsg } from "@nats-io/jetstream";
import type { Context } from "../context.ts";
import { createMessage, type PipelineMessage } from "../pipeline/message.ts";
import type { ProducerCallbacks } from "../stages/callbacks.ts";
import type { StageResult } from "../stages/types.ts";
import { JetStreamAcknowledger, type MutableStats } from "./_acknowledger.ts";
import { type ConsumerAddress, namedError, openConsumer } from "./_consumer_lookup.ts";
import { Puller } from "./_puller.ts";
import type { JetStreamError } from "./errors.ts";
import { jetStreamMetadata } from "./_metadata.ts";
import type { ProducerSettings } from "./_settings.ts";

/** The state of a producer process. */
export interface ProducerState {
  readonly puller: Puller;
  readonly acknowledger: JetStreamAcknowledger;
  draining: boolean;
}

type Result = StageResult<ProducerState, PipelineMessage<Uint8Array>>;

/** Fetched messages, on their way from the pull loop into the process. */
class FetchedBatch {
  constructor(readonly puller: Puller, readonly messages: JsMsg[]) {}
}

/** The pull loop stopped for good. */
class PullFailed {
  constructor(readonly puller: Puller, readonly error: JetStreamError) {}
}

/** The callbacks of a producer reading `settings`, counting into `stats`. */
export function producerCallbacks(
  settings: ProducerSettings,
  stats: MutableStats,
): ProducerCallbacks<ProducerState, PipelineMessage<Uint8Array>, unknown> {
  const address: ConsumerAddress = settings;
  return {
    type: "producer",

    async init(_arg: unknown, ctx: Context) {
      let open;
      try {
        open = await openConsumer(address);
      } catch (error) {
        return { stop: namedError(address, error) };
      }
      const { system, self } = ctx;
      const acknowledger = new JetStreamAcknowledger(stats, settings.nakDelayMs, settings.onSettle);
      const puller: Puller = new Puller(address, open, {
        maxBatch: settings.maxBatch,
        expiresMs: settings.fetchExpiresMs,
        maxOpen: settings.maxOpenFetches,
        released: (message) => acknowledger.release(message),
      }, {
        messages(batch) {
          stats.fetched += batch.length;
          return system.send(self, new FetchedBatch(puller, batch)) === "ok";
        },
        alive: () => system.isAlive(self),
        failed(error) {
          system.send(self, new PullFailed(puller, error));
        },
      });
      return { state: { puller, acknowledger, draining: false } };
    },

    handleDemand(demand: number, state: ProducerState): Result {
      state.puller.demand(demand);
      return { state };
    },

    handleInfo(message: unknown, state: ProducerState): Result {
      if (message instanceof FetchedBatch && message.puller === state.puller) {
        return { events: emit(message.messages, state, stats), state };
      }
      if (message instanceof PullFailed && message.puller === state.puller) {
        return { stop: message.error, state };
      }
      return { state };
    },

    prepareForDraining(state: ProducerState): Result {
      state.draining = true;
      state.puller.drain();
      return { state };
    },

    terminate(_reason: unknown, state: ProducerState) {
      state.puller.close();
    },
  };
}

function emit(
  messages: readonly JsMsg[],
  state: ProducerState,
  stats: MutableStats,
): PipelineMessage<Uint8Array>[] {
  const { acknowledger } = state;
  if (state.draining) {
    for (const message of messages) acknowledger.release(message);
    return [];
  }
  const events = new Array<PipelineMessage<Uint8Array>>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    acknowledger.track(message);
    events[i] = createMessage(message.data, acknowledger, jetStreamMetadata(message));
  }
  stats.emitted += events.length;
  return events;
}

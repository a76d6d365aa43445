/**
 * What kernel work costs the process that asks for it, in reductions
 * (internal). A process's run ends once the messages it handled plus the
 * reductions it was charged reach the reduction budget, as on the BEAM,
 * where sends and spawns are charged too: a process that floods another
 * with casts yields after about a budget's worth of them, so its target
 * runs before its mailbox grows without bound, and a spawner yields to the
 * processes it started.
 *
 * @module
 */

/** A message sent (cast, send, call) from a running process: as much as handling one. */
export const SEND_REDUCTIONS = 1;

/**
 * A send to a process that has a budget's worth of messages queued or more
 * costs this much instead (the BEAM punishes such senders too): the sender
 * then slows down to a quarter of the pace at which its target drains its
 * mailbox, so the queue shrinks back instead of drifting upwards. Sampled:
 * every {@linkcode PUNISH_EVERY}th reduction charged looks at the target's
 * queue, and a long one charges the sends since the last look at this rate.
 */
export const LONG_QUEUE_SEND_REDUCTIONS = 4;

/** How often (in reductions charged, a power of two) a send looks at its target's queue. */
export const PUNISH_EVERY = 64;

/** A process started from a running process: a record, a mailbox, an init message. */
export const SPAWN_REDUCTIONS = 10;

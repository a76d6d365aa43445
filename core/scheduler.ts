/**
 * The exports of the beamlet scheduler core module, named like the methods
 * of the `Core` interface in `src/core/core.ts`. No logic lives here; `init`
 * places the core in its memory (region.ts).
 */

export { init, reductionBudget } from "./lifecycle";
export { instanceId } from "./region";
export { actorCount, free, setPriority, spawn } from "./actor_table";
export { dequeue, enqueue, hibernate } from "./mailbox";
export { stat } from "./stat";
export { next, release, runQueueLength, wake } from "./run_queue";
export { setSlotLimit, slotLimit, slotsInUse } from "./slots";
export { timerCancel, timerCount, timerSchedule } from "./timer_table";
export { advance, firedBuffer, now, timerFired, timerNextDue } from "./timer_wheel";
export {
  ringCommit, ringCreate, ringLength, ringNext, ringPeek, ringPrepareSleep, ringRelease, ringReserve,
  ringSkipAbandoned, ringSkipAbandonedBefore,
} from "./xring";

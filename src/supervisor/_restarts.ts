/**
 * The restart intensity budget of one supervisor (internal): at most
 * `intensity` restarts within any `period` ms, across all its children.
 *
 * @module
 */

/**
 * Records a restart at `now` in `times` (oldest first, pruned in place) and
 * says whether it fits the budget. OTP's add_restart: restarts older than
 * `now - period` no longer count; more than `intensity` left means give up.
 */
export function addRestart(
  times: number[],
  now: number,
  intensity: number,
  period: number,
): boolean {
  const threshold = now - period;
  let old = 0;
  while (old < times.length && times[old] < threshold) old++;
  times.splice(0, old);
  times.push(now);
  return times.length <= intensity;
}

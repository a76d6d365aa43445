/**
 * The peers' cases of a workload, measured in the same interleaved rounds
 * as beamlet and the baseline.
 *
 * @module
 */

import type { AsyncBenchCase, BenchResult } from "../_harness.ts";
import type { Peer, Run } from "../peers/peers.ts";
import { type Stat, statOf } from "./_row.ts";

/** One case per peer, built by `make`. */
export function peerCases(peers: Peer[], make: (peer: Peer) => Run): AsyncBenchCase[] {
  return peers.map((peer) => ({ name: peer.name, run: make(peer) }));
}

/** The peers' stats by name, from their results (in `peers`' order). */
export function peerStats(peers: Peer[], results: BenchResult[]): Record<string, Stat> | undefined {
  if (peers.length === 0) return undefined;
  return Object.fromEntries(peers.map((peer, i) => [peer.name, statOf(results[i])]));
}

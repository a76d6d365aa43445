/**
 * The TypeScript libraries a user might pick instead of beamlet, on the
 * comparison's workloads that they can express: XState 5 (actors from
 * `fromTransition`) and Effect 4 (a fiber per actor taking from a Queue).
 * They are installed into bench/peers/node_modules by `npm install --prefix
 * bench/peers` (bench-only, never dependencies of beamlet) and loaded here
 * by path; a peer that is not installed is left out.
 *
 * @module
 */

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { effectPeer } from "./_effect.ts";
import { xstatePeer } from "./_xstate.ts";

/** One op is one cast to the server, one call, one round trip. */
export type Run = (ops: number) => Promise<number>;

/** A peer's versions of the workloads. */
export interface Peer {
  /** Name and version, e.g. `XState 5.33.3`. */
  name: string;
  /** Workload 1: a client casts 1000 per message it handles to a server. */
  cast(): Run;
  /** Workload 2: sequential awaited calls from outside. */
  callOutside(): Run;
  /** Workload 4: ping-pong round trips. */
  pingPong(): Run;
}

/** bench/peers/, from this file in the sources or in the npm build (npm/bench/peers/). */
function peersDir(): string | undefined {
  for (const relative of ["./", "../../../bench/peers/"]) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(`${dir}node_modules`)) return dir;
  }
  return undefined;
}

/** Imports an installed package's ES module entry: its module, or undefined. */
async function load<T>(
  dir: string,
  name: string,
): Promise<{ module: T; version: string } | undefined> {
  const root = `${dir}node_modules/${name}/`;
  if (!existsSync(`${root}package.json`)) return undefined;
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
    version: string;
    module?: string;
    main?: string;
    exports?: { "."?: string | { module?: string; import?: string } };
  };
  const dot = pkg.exports?.["."];
  const entry = typeof dot === "string"
    ? dot
    : dot?.module ?? dot?.import ?? pkg.module ?? pkg.main;
  if (!entry) return undefined;
  try {
    const module = await import(pathToFileURL(`${root}${entry}`).href) as T;
    return { module, version: pkg.version };
  } catch (error) {
    // Deno does not resolve a package's imports of itself ("effect/Function") here.
    console.error(`peers: ${name} ${pkg.version} cannot be loaded on this runtime: ${error}`);
    return undefined;
  }
}

/** The installed peers. */
export async function loadPeers(): Promise<Peer[]> {
  const dir = peersDir();
  if (!dir) return [];
  const peers: Peer[] = [];
  const xstate = await load<Parameters<typeof xstatePeer>[0]>(dir, "xstate");
  if (xstate) peers.push(xstatePeer(xstate.module, `XState ${xstate.version}`));
  const effect = await load<Parameters<typeof effectPeer>[0]>(dir, "effect");
  if (effect) peers.push(effectPeer(effect.module, `Effect ${effect.version}`));
  return peers;
}

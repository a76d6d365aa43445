/**
 * Writes the generated files of `ops/`: the Prometheus rules for the
 * built-in metrics and the demo's SLOs (`ops/prometheus/beamlet_rules.yml`),
 * their promtool unit tests (`ops/prometheus/tests/*.yml`), and the Grafana
 * dashboards (`ops/grafana/beamlet.json` for the built-ins,
 * `ops/grafana/demo.json` for the demo's metrics and SLOs). All come from
 * `@beamlet/beamlet/ops` over the same metric definitions `/metrics` uses.
 *
 * Run:
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env scripts/build_ops.ts          # writes
 * deno run --allow-read --allow-env scripts/build_ops.ts --check                # exits 1 when stale
 * ```
 *
 * @module
 */

import { opsArtifacts } from "./_ops_artifacts.ts";

const ROOT = new URL("../", import.meta.url);

async function read(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(new URL(path, ROOT));
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const check = Deno.args.includes("--check");
  const artifacts = await opsArtifacts();
  let stale = 0;
  for (const { path, text } of artifacts) {
    const current = await read(path);
    if (current === text) continue;
    if (check) {
      console.error(
        `${path} is ${current === undefined ? "missing" : "stale"}. ` +
          "Run `npm run build:ops` and commit the result.",
      );
      stale++;
      continue;
    }
    await Deno.mkdir(new URL(path.slice(0, path.lastIndexOf("/") + 1), ROOT), { recursive: true });
    await Deno.writeTextFile(new URL(path, ROOT), text);
    console.log(`wrote ${path}`);
  }
  if (check && stale === 0) console.log(`ops/ is fresh (${artifacts.length} files).`);
  return stale === 0 ? 0 : 1;
}

Deno.exit(await main());

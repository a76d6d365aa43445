/**
 * The comparison's markdown: one table per runtime, with the hand-written
 * baseline, the BEAM's column and the peers' columns where present.
 *
 * @module
 */

import type { Row, Stat, Unit } from "./_row.ts";

/** Numbers from outside this runtime, by row id: the BEAM's. */
export type Column = Record<string, Stat | undefined>;

/** A number in its unit: `2.6 M/s`, `1,550 B`, `0.42 ms`. */
export function format(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "–";
  if (unit === "bytes") return `${Math.round(value).toLocaleString("en-US")} B`;
  if (unit === "ms") return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M/s`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k/s`;
  return `${value.toFixed(0)} /s`;
}

function bare(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return "–";
  if (unit === "bytes") return Math.round(value).toLocaleString("en-US");
  if (unit === "ms") return value < 10 ? value.toFixed(2) : value.toFixed(0);
  if (value >= 1e6) return (value / 1e6).toFixed(2);
  if (value >= 1e3) return (value / 1e3).toFixed(1);
  return value.toFixed(0);
}

/** A median with its range: `2.60 M/s (2.41–2.70)`. */
export function cell(stat: Stat | undefined, unit: Unit): string {
  if (!stat || !Number.isFinite(stat.median)) return "–";
  if (stat.min === stat.max) return format(stat.median, unit);
  return `${format(stat.median, unit)} (${bare(stat.min, unit)}–${bare(stat.max, unit)})`;
}

/** beamlet ÷ other, as `0.25×`. */
export function ratio(beamlet: Stat, other: Stat | undefined): string {
  if (!other || !Number.isFinite(other.median) || !Number.isFinite(beamlet.median)) return "–";
  if (other.median === 0) return "–";
  const r = beamlet.median / other.median;
  return `${r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** One runtime's table, with the BEAM's column and the peers' where given. */
export function runtimeTable(
  runtime: string,
  rows: Row[],
  beam?: Column,
  beamName = "BEAM (1 scheduler)",
): string {
  const peers = [...new Set(rows.flatMap((r) => Object.keys(r.peers ?? {})))];
  const header = [
    "workload",
    "beamlet",
    "hand-written JS",
    "beamlet ÷ hand-written",
    ...(beam ? [beamName, "beamlet ÷ BEAM"] : []),
    ...peers.map((p) => `${p} (beamlet ÷ it)`),
  ];
  const lines = [
    `### ${runtime}`,
    "",
    `| ${header.join(" | ")} |`,
    `| --- |${" ---: |".repeat(header.length - 1)}`,
  ];
  const notes: string[] = [];
  for (const r of rows) {
    const label = r.baselineName ? `${r.workload} (baseline: ${r.baselineName})` : r.workload;
    const unitNote = r.unit === "ops/s" ? "" : `, ${r.unit === "ms" ? "ms" : "bytes"} ↓`;
    const cells = [
      `${label}${unitNote}`,
      cell(r.beamlet, r.unit),
      cell(r.baseline, r.unit),
      ratio(r.beamlet, r.baseline),
    ];
    if (beam) cells.push(cell(beam[r.id], r.unit), ratio(r.beamlet, beam[r.id]));
    for (const p of peers) {
      const stat = r.peers?.[p];
      cells.push(stat ? `${cell(stat, r.unit)} (${ratio(r.beamlet, stat)})` : "–");
    }
    lines.push(`| ${cells.join(" | ")} |`);
    if (r.note) notes.push(`- ${r.workload}: ${r.note}`);
  }
  if (notes.length) lines.push("", ...notes);
  return lines.join("\n");
}

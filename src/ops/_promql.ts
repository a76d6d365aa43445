/**
 * Small PromQL writers: selectors with the options' extra matchers, and
 * durations in Prometheus' notation.
 *
 * @module
 */

/** `family{matchers...,extra}`, or the bare family without any matcher. */
export function selector(family: string, matchers: readonly string[], extra?: string): string {
  const all = extra === undefined || extra.trim() === "" ? matchers : [...matchers, extra.trim()];
  return all.length === 0 ? family : `${family}{${all.join(",")}}`;
}

/** `by (a, b)` over the labels given, leaving out duplicates. */
export function by(labels: readonly string[]): string {
  return `by (${[...new Set(labels)].join(", ")})`;
}

const UNITS: readonly [string, number][] = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
];

/**
 * A duration in ms as Prometheus writes it (`"1h"`, `"30m"`, `"90s"`,
 * `"1h30m"`); whole seconds (rounded up, at least 1 s).
 */
export function duration(ms: number): string {
  let rest = Math.max(1000, Math.ceil(ms / 1000) * 1000);
  let text = "";
  for (const [unit, size] of UNITS) {
    const whole = Math.floor(rest / size);
    if (whole > 0) {
      text += `${whole}${unit}`;
      rest -= whole * size;
    }
  }
  return text;
}

/** A number as PromQL and YAML write it: no exponent for the usual sizes, no float noise. */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/**
 * A plain model of a static supervisor (private: not a test file), after OTP's
 * supervisor.erl: children in start order with their restart types, the
 * restart history (the intensity budget), and what each strategy restarts
 * when a child exits. `supervisor_model_test.ts` drives it side by side with
 * a real supervisor.
 *
 * Every start of a child (first start or restart) bumps its `gen`: the real
 * child must then have a pid it never had before; an unchanged `gen` means the
 * same pid.
 *
 * @module
 */

export type RestartType = "permanent" | "transient" | "temporary";
export type StrategyName = "one_for_one" | "one_for_all" | "rest_for_one";

/** How a child exits, as the model sees it. */
export type ExitKind = "normal" | "shutdown" | "crash" | "killed";

export interface ModelChild {
  readonly id: string;
  readonly restart: RestartType;
  running: boolean;
  /** Bumped on every start. */
  gen: number;
}

export interface ModelConfig {
  strategy: StrategyName;
  intensity: number;
  period: number;
  /** `shutdown` only matters to the real side (the model's children exit on any signal). */
  children: { id: string; restart: RestartType; shutdown?: "brutal_kill" | "infinity" | number }[];
}

/** What one event did, for failure messages. */
export type Effect =
  | { kind: "ignored" }
  | { kind: "dropped" | "kept_stopped" | "restarted"; ids: string[] }
  | { kind: "gave_up" };

export class SupervisorModel {
  readonly strategy: StrategyName;
  readonly intensity: number;
  readonly period: number;
  now = 0;
  alive = true;
  children: ModelChild[];
  /** Timestamps of the restarts that still count, oldest first. */
  restarts: number[] = [];
  /** Human-readable history, for failure messages. */
  readonly history: string[] = [];

  constructor(config: ModelConfig) {
    this.strategy = config.strategy;
    this.intensity = config.intensity;
    this.period = config.period;
    this.children = config.children.map((c) => ({
      id: c.id,
      restart: c.restart,
      running: true,
      gen: 1,
    }));
  }

  find(id: string): ModelChild | undefined {
    return this.children.find((c) => c.id === id);
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** OTP add_restart: drop restarts older than now - period, add now; more than intensity → give up. */
  private addRestart(): boolean {
    const threshold = this.now - this.period;
    this.restarts = this.restarts.filter((t) => t >= threshold);
    this.restarts.push(this.now);
    return this.restarts.length <= this.intensity;
  }

  /** The running child `id` (at generation `gen`) exited with `kind`. */
  childExited(id: string, gen: number, kind: ExitKind): Effect {
    const child = this.find(id);
    // Its EXIT is stale: the supervisor already stopped / restarted that instance.
    if (!this.alive || !child || !child.running || child.gen !== gen) return { kind: "ignored" };
    child.running = false;
    const clean = kind === "normal" || kind === "shutdown";
    if (child.restart === "temporary") {
      this.children = this.children.filter((c) => c !== child);
      return { kind: "dropped", ids: [id] };
    }
    if (child.restart === "transient" && clean) return { kind: "kept_stopped", ids: [id] };
    if (!this.addRestart()) {
      this.alive = false;
      for (const c of this.children) c.running = false;
      return { kind: "gave_up" };
    }
    let affected: ModelChild[];
    if (this.strategy === "one_for_one") affected = [child];
    else if (this.strategy === "one_for_all") affected = [...this.children];
    else affected = this.children.slice(this.children.indexOf(child));
    // Temporary siblings stopped for the failed child's sake are gone, not restarted.
    this.children = this.children.filter((c) =>
      c === child || !affected.includes(c) || c.restart !== "temporary"
    );
    const group = affected.filter((c) => this.children.includes(c));
    for (const c of group) {
      c.running = true;
      c.gen++;
    }
    return { kind: "restarted", ids: group.map((c) => c.id) };
  }

  /** terminateChild: "not_found" or "ok". */
  terminate(id: string): "not_found" | "ok" {
    const child = this.find(id);
    if (!child) return "not_found";
    child.running = false;
    if (child.restart === "temporary") this.children = this.children.filter((c) => c !== child);
    return "ok";
  }

  /** restartChild: "not_found", "running" or "ok". */
  restartChild(id: string): "not_found" | "running" | "ok" {
    const child = this.find(id);
    if (!child) return "not_found";
    if (child.running) return "running";
    child.running = true;
    child.gen++;
    return "ok";
  }

  /** deleteChild: "not_found", "running" or "ok". */
  deleteChild(id: string): "not_found" | "running" | "ok" {
    const child = this.find(id);
    if (!child) return "not_found";
    if (child.running) return "running";
    this.children = this.children.filter((c) => c !== child);
    return "ok";
  }

  describe(): string {
    const kids = this.children.map((c) =>
      `${c.id}(${c.restart[0]}${c.running ? "" : ",stopped"},g${c.gen})`
    );
    return `${this.strategy} i=${this.intensity} p=${this.period} now=${this.now} alive=${this.alive} ` +
      `restarts=[${this.restarts}] children=[${kids.join(" ")}]`;
  }
}

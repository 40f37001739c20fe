// Supervisors on top of the process runtime (runtime/sched): OTP-style child specs, the
// one_for_one / one_for_all / rest_for_one strategies, restart intensity over a sliding window,
// ordered start and reverse-order shutdown, and the stderr reports of concurrency.md §3.
import { ExitNow, reasonOf } from "./errors.js";
import { SysDown, SysExit } from "./messages.js";
import { Pid } from "./pid.js";
import { budget, extOf, isGenObj, mbAt, mbTake, PREEMPT, Process, rt, TIMEOUT } from "./process.js";
import { currentScheduler, receive } from "./ops.js";
import { CHILD_DEFAULTS, SUPERVISOR_DEFAULTS } from "../../common/facts.js";

export type Strategy = "one_for_one" | "one_for_all" | "rest_for_one" | "simple_one_for_one";
export type RestartType = "permanent" | "transient" | "temporary";

export interface ChildSpec {
  name: string;
  /** Zero-argument function (plain or generator) returning the child's Pid. */
  start: Function;
  restart?: RestartType;
  /** Milliseconds to wait after "shutdown" before "kill" (default 5000), or brutal_kill. */
  shutdown?: number | "brutal_kill";
}

export interface SupervisorDef {
  name: string;
  strategy?: Strategy;
  maxRestarts?: number;
  maxSeconds?: number;
  children: ChildSpec[];
}

/** spawn(SupervisorName): returns at once; the children start on the supervisor's first turn. */
export function spawnSupervisor(def: SupervisorDef): Pid {
  return currentScheduler().spawn(supervisorMain, [def], { kind: "supervisor", name: def.name });
}

interface Child {
  spec: ChildSpec;
  pid: Pid | null;
  /** temporary children leave the supervisor once they stop */
  removed: boolean;
}

const anyMessage = (m: unknown): unknown => (m === undefined ? null : m);

class Sup {
  readonly children: Child[];
  readonly strategy: Strategy;
  readonly maxRestarts: number;
  readonly maxSeconds: number;
  private events: number[] = [];

  constructor(
    readonly p: Process,
    readonly def: SupervisorDef,
  ) {
    this.children = def.children.map((spec) => ({ spec, pid: null, removed: false }));
    this.strategy = def.strategy ?? SUPERVISOR_DEFAULTS.strategy;
    this.maxRestarts = def.maxRestarts ?? SUPERVISOR_DEFAULTS.maxRestarts;
    this.maxSeconds = def.maxSeconds ?? SUPERVISOR_DEFAULTS.maxSeconds;
  }

  report(text: string): void {
    this.p.sched.err(`[mesh] supervisor ${this.def.name} ${this.p.pid}: ${text}\n`);
  }

  indexOf(pid: Pid): number {
    const cs = this.children;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!.pid;
      if (c !== null && (c === pid || c.equals(pid))) return i;
    }
    return -1;
  }

  /** Starts the listed children in order; a failed start is handled like a child exit. */
  *startList(list: number[]): Generator<unknown, void, unknown> {
    let k = 0;
    while (k < list.length) {
      const i = list[k]!;
      if (this.children[i]!.removed || this.children[i]!.pid !== null) {
        k++;
        continue;
      }
      const failure = yield* this.startChild(i);
      if (failure === null) {
        k++;
        continue;
      }
      const rest = list.slice(k + 1);
      const next = yield* this.childDown(i, failure);
      list = next.concat(rest.filter((j) => !next.includes(j)));
      k = 0;
    }
  }

  /** Returns null on success, else the reason the start counts as an exit with. */
  private *startChild(i: number): Generator<unknown, string | null, unknown> {
    const c = this.children[i]!;
    let pid: unknown;
    try {
      const r = c.spec.start();
      pid = isGenObj(r) ? yield* r : r;
    } catch (e) {
      if (e instanceof ExitNow) throw e;
      return reasonOf(e);
    }
    if (!(pid instanceof Pid) || pid.isNull()) return "noproc";
    c.pid = pid;
    // a dead pid makes link deliver Exit(pid, "noproc"), handled as that child's exit
    this.p.sched.link(this.p, pid);
    return null;
  }

  /**
   * Child i stopped with `reason` (its pid already cleared). Applies the restart type, the
   * intensity limit and the strategy; returns the children to start, in order.
   */
  *childDown(i: number, reason: string): Generator<unknown, number[], unknown> {
    const c = this.children[i]!;
    c.pid = null;
    const rt = c.spec.restart ?? CHILD_DEFAULTS.restart;
    if (rt === "temporary") c.removed = true;
    const restart = rt === "permanent" || (rt === "transient" && reason !== "normal" && reason !== "shutdown");
    if (!restart) return [];
    const now = this.p.sched.clock.now();
    const window = this.maxSeconds * 1000;
    this.events = this.events.filter((t) => now - t <= window);
    if (this.events.length >= this.maxRestarts) {
      this.report(`restart limit reached (${this.maxRestarts} in ${this.maxSeconds}s), shutting down`);
      yield* this.terminateAll();
      throw new ExitNow("shutdown");
    }
    this.events.push(now);
    this.report(`restarting child ${c.spec.name} after exit: ${reason}`);
    const n = this.children.length;
    switch (this.strategy) {
      case "one_for_all": {
        for (let j = n - 1; j >= 0; j--) if (j !== i) yield* this.terminateChild(j);
        const all: number[] = [];
        for (let j = 0; j < n; j++) if (!this.children[j]!.removed) all.push(j);
        return all;
      }
      case "rest_for_one": {
        for (let j = n - 1; j > i; j--) yield* this.terminateChild(j);
        const later: number[] = [];
        for (let j = i; j < n; j++) if (!this.children[j]!.removed) later.push(j);
        return later;
      }
      default:
        return [i];
    }
  }

  /** §3.5: unlink, then "kill" or "shutdown" + wait up to N ms + "kill"; waits for the exit. */
  *terminateChild(j: number): Generator<unknown, void, unknown> {
    const c = this.children[j]!;
    const pid = c.pid;
    if (pid === null) return;
    c.pid = null;
    if ((c.spec.restart ?? CHILD_DEFAULTS.restart) === "temporary") c.removed = true;
    const p = this.p;
    const s = p.sched;
    const ref = s.monitor(p, pid);
    s.unlink(p, pid);
    // an exit this child already signalled must not trigger a restart
    for (let k = 0; k < p.mbCount; ) {
      const m = mbAt(p, k);
      if (m instanceof SysExit && (m._0 === pid || m._0.equals(pid))) mbTake(p, k);
      else k++;
    }
    const isDown = (m: unknown): unknown => (m instanceof SysDown && m._0 === ref ? m : undefined);
    const shutdown = c.spec.shutdown ?? CHILD_DEFAULTS.shutdown;
    if (shutdown === "brutal_kill") {
      s.exit(p, pid, "kill");
      yield* receive(isDown, null);
      return;
    }
    s.exit(p, pid, "shutdown");
    const r = yield* receive(isDown, shutdown > 0 ? shutdown : 1);
    if (r === TIMEOUT) {
      s.exit(p, pid, "kill");
      yield* receive(isDown, null);
    }
  }

  *terminateAll(): Generator<unknown, void, unknown> {
    for (let j = this.children.length - 1; j >= 0; j--) yield* this.terminateChild(j);
  }
}

function* supervisorMain(def: SupervisorDef): Generator<unknown, void, unknown> {
  const p = rt.cur!;
  extOf(p).trapExit = true;
  const sup = new Sup(p, def);
  yield* sup.startList(sup.children.map((_, i) => i));
  for (;;) {
    if (--budget.n < 0) yield PREEMPT;
    const m = yield* receive(anyMessage, null);
    if (!(m instanceof SysExit)) continue; // anything else sent to a supervisor is discarded
    const i = sup.indexOf(m._0);
    if (i >= 0) {
      const list = yield* sup.childDown(i, m._1);
      yield* sup.startList(list);
    } else if (m._1 !== "normal") {
      yield* sup.terminateAll();
      throw new ExitNow(m._1);
    }
  }
}

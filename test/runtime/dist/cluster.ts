// Test harness for the distribution layer: several nodes (each its own Scheduler) in one process,
// joined by the in-memory transport and sharing one ManualClock, so tests control exactly when
// bytes arrive and when time passes. Nothing sleeps for real.
import { ManualClock, Scheduler, setDefaultScheduler } from "../../../runtime/sched/index.js";
import { distOf, MemoryNetwork, type DistNode, type DistOptions } from "../../../runtime/dist/index.js";

export interface TestNode {
  s: Scheduler;
  d: DistNode;
  out: string[];
  err: string[];
  log: (line: string) => void;
}

export interface Cluster {
  net: MemoryNetwork;
  clock: ManualClock;
  nodes: TestNode[];
  /** Delivers bytes and runs every scheduler until nothing moves. */
  settle(): void;
  /** Moves time forward in steps of `step` ms, settling after each. */
  advance(ms: number, step?: number): void;
}

export function cluster(n: number, opts: (i: number) => Partial<DistOptions> = () => ({})): Cluster {
  const net = new MemoryNetwork();
  const clock = new ManualClock(1000);
  const nodes: TestNode[] = [];
  for (let i = 0; i < n; i++) {
    const out: string[] = [];
    const err: string[] = [];
    const s = new Scheduler({
      clock,
      stdout: (t) => out.push(...t.split("\n").filter((l) => l !== "")),
      stderr: (t) => err.push(...t.split("\n").filter((l) => l !== "")),
      exit: () => {},
    });
    const t = net.transport();
    const d = distOf(s, { transport: t, defer: t.defer, wallNow: () => 1_700_000_000_000 + clock.now(), ...opts(i) });
    nodes.push({ s, d, out, err, log: (line) => out.push(line) });
  }
  setDefaultScheduler(nodes[0]!.s);
  const settle = (): void => {
    for (let round = 0; round < 10_000; round++) {
      net.pump();
      for (const x of nodes) x.s.flush();
      if (net.idle && nodes.every((x) => x.s.runnable === 0)) return;
    }
    throw new Error("cluster did not settle");
  };
  const advance = (ms: number, step = 10): void => {
    settle();
    for (let t = 0; t < ms; t += step) {
      clock.advance(Math.min(step, ms - t));
      settle();
    }
  };
  return { net, clock, nodes, settle, advance };
}

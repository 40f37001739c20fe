import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  budget,
  demonitor,
  exit,
  link,
  monitor,
  panic,
  PREEMPT,
  receive,
  self,
  send,
  sendAfter,
  sleep,
  spawn,
  trapExit,
  unlink,
  type Pid,
} from "../../../runtime/sched/index.js";
import { harness, type G } from "./helpers.js";

/** Deterministic pseudo-random numbers from a seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe("chaos: random links, monitors, exits and crashes", () => {
  it("never throws out of the scheduler and leaves consistent state", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const h = harness();
        const rand = rng(seed);
        const pids: Pid[] = [];
        function* actor(): G {
          if (rand() < 0.3) trapExit(true);
          const refs: number[] = [];
          for (let step = 0; step < 20; step++) {
            if (--budget.n < 0) yield PREEMPT;
            const other = pids[Math.floor(rand() * pids.length)]!;
            const r = rand();
            if (r < 0.15) link(other);
            else if (r < 0.2) unlink(other);
            else if (r < 0.3) refs.push(monitor(other));
            else if (r < 0.35 && refs.length > 0) demonitor(refs.pop()!);
            else if (r < 0.45) send(other, step);
            else if (r < 0.5) sendAfter(other, Math.floor(rand() * 20), "late");
            else if (r < 0.55) exit(other, rand() < 0.5 ? "kill" : "shutdown");
            else if (r < 0.6) exit(other, "normal");
            else if (r < 0.63) panic("chaos");
            else if (r < 0.66) exit(self(), "self exit");
            else if (r < 0.8) yield* receive((m) => m, Math.floor(rand() * 10));
            else if (r < 0.9) yield* sleep(Math.floor(rand() * 10));
            else if (r < 0.92) pids.push(spawn(actor, [], { kind: "actor", name: "chaos" }));
          }
          if (rand() < 0.4) yield* receive(() => undefined, null); // stay alive forever
        }
        for (let i = 0; i < 12; i++) {
          pids.push(
            h.s.spawn(actor, [], {
              kind: "actor",
              name: "chaos",
              terminate: rand() < 0.3 ? () => void rand() : undefined,
            }),
          );
        }
        h.s.settle(10_000);
        // survivors only reference live processes
        for (const pid of pids) {
          const p = pid.proc;
          if (p === null) continue;
          for (const l of p.ext?.links ?? []) expect(l.proc).not.toBe(null); // links: a PidSet of live pids
          for (const m of p.ext?.monitors?.values() ?? []) {
            if (m.target !== pid) expect(m.target.proc).not.toBe(null);
          }
          for (let e = p.ext?.monFirst ?? null; e !== null; e = e.monNext) {
            expect((e as { watcher?: { status: number } }).watcher?.status).not.toBe(3);
          }
        }
        expect(h.s.live.size).toBe(pids.filter((p) => p.proc !== null).length);
        expect(h.s.timers.size).toBe(0);
        for (const line of h.err) expect(line).toMatch(/^\[mesh\] actor chaos <0\.\d+> crashed: chaos$/);
      }),
      { numRuns: 60 },
    );
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { TimerEntry, TimerHeap, T_WAIT } from "../../../runtime/sched/timer-heap.js";
import { mbPush, mbTake, mbAt, Process } from "../../../runtime/sched/process.js";
import { ManualClock, NodeRef, Pid, receive, Scheduler, self, send, spawn } from "../../../runtime/sched/index.js";

describe("timer heap", () => {
  it("pops in (deadline, creation) order under random pushes and removals", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }),
        (ops) => {
          const h = new TimerHeap();
          const live: { e: TimerEntry; d: number; seq: number }[] = [];
          let seq = 0;
          for (const [d, remove] of ops) {
            const e = new TimerEntry(T_WAIT, null, null, null);
            h.push(e, d);
            live.push({ e, d, seq: seq++ });
            if (remove && live.length > 0) {
              const victim = live.splice(d % live.length, 1)[0]!;
              h.remove(victim.e);
              h.remove(victim.e); // idempotent
            }
          }
          live.sort((a, b) => a.d - b.d || a.seq - b.seq);
          const out: TimerEntry[] = [];
          for (let e = h.pop(); e !== undefined; e = h.pop()) out.push(e);
          expect(out).toEqual(live.map((x) => x.e));
        },
      ),
    );
  });
});

describe("mailbox ring buffer", () => {
  it("keeps arrival order under pushes and selective removals", () => {
    const s = new Scheduler({ clock: new ManualClock() });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant(-1 as number)), { maxLength: 300 }), (ops) => {
        const p = new Process(s, new Pid(new NodeRef("", 0, true), 1), null, null, 0, "");
        const model: number[] = [];
        let k = 0;
        for (const op of ops) {
          if (op === -1 || model.length > 40) {
            if (model.length === 0) continue;
            const i = (k++ * 7) % model.length;
            expect(mbTake(p, i)).toBe(model.splice(i, 1)[0]);
          } else {
            mbPush(p, op);
            model.push(op);
          }
        }
        const got: unknown[] = [];
        for (let i = 0; i < p.mbCount; i++) got.push(mbAt(p, i));
        expect(got).toEqual(model);
      }),
    );
  });
});

describe("manual clock", () => {
  it("advance stops at each deadline in order and ends at the target", () => {
    const c = new ManualClock(100);
    const seen: string[] = [];
    c.setTimer(10, () => {
      seen.push(`a@${c.now()}`);
      c.setTimer(1, () => seen.push(`c@${c.now()}`));
    });
    const b = c.setTimer(10, () => seen.push(`b@${c.now()}`));
    const d = c.setTimer(5, () => seen.push(`d@${c.now()}`));
    c.clearTimer(d);
    c.advance(20);
    expect(seen).toEqual(["a@110", "b@110", "c@111"]);
    expect(c.now()).toBe(120);
    void b;
  });
});

describe("scale", () => {
  it("100k processes that each message the parent", () => {
    const s = new Scheduler({ clock: new ManualClock(), exit: () => {} });
    let got = 0;
    s.spawn(function* () {
      const me = self();
      for (let i = 0; i < 100_000; i++) spawn(() => send(me, i));
      for (let i = 0; i < 100_000; i++) {
        yield* receive((m: unknown) => m, null);
        got++;
      }
    });
    s.flush();
    expect(got).toBe(100_000);
    expect(s.live.size).toBe(0);
  });
});

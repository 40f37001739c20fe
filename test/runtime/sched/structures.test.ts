import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { TimerEntry, TimerHeap, T_WAIT } from "../../../runtime/sched/timer-heap.js";
import { mbPush, mbTake, mbAt, PLAIN_INFO, Process } from "../../../runtime/sched/process.js";
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
        const p = new Process(s, new Pid(new NodeRef("", 0, true), 1), PLAIN_INFO, () => {}, []);
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

describe("pids in the value layer", () => {
  it("== compares node and serial, hash agrees, text is <0.N>", async () => {
    const { eq } = await import("../../../runtime/core/equality.js");
    const { hash } = await import("../../../runtime/core/hash.js");
    const { text } = await import("../../../runtime/core/text.js");
    const s = new Scheduler({ clock: new ManualClock(), exit: () => {} });
    const a = s.spawn(function* () {});
    const b = s.spawn(function* () {});
    const a2 = new Pid(s.localNode, a.serial);
    expect(eq(a, a2)).toBe(true);
    expect(eq(a, b)).toBe(false);
    expect(hash(a)).toBe(hash(a2));
    expect(hash(a)).not.toBe(hash(b));
    expect(text(a)).toBe("<0.1>");
  });
});

describe("live process table", () => {
  it("size, lookup by serial (index built on demand and kept up to date), receive waiters", () => {
    const s = new Scheduler({ clock: new ManualClock(), exit: () => {} });
    const pids: Pid[] = [];
    for (let i = 0; i < 50; i++) {
      pids.push(
        s.spawn(function* () {
          yield* receive((m: unknown) => (m === i ? m : undefined), null);
        }),
      );
    }
    expect(s.hasReceiveWaiters()).toBe(false); // not started yet
    s.flush();
    expect(s.live.size).toBe(50);
    expect(s.hasReceiveWaiters()).toBe(true);
    expect(s.processBySerial(pids[7]!.serial)?.pid).toBe(pids[7]);
    for (let i = 0; i < 50; i += 2) send(pids[i]!, i);
    s.flush();
    expect(s.live.size).toBe(25);
    expect(s.processBySerial(pids[8]!.serial)).toBe(undefined);
    const late = s.spawn(function* () {
      yield* receive(() => undefined, null);
    });
    expect(s.processBySerial(late.serial)?.pid).toBe(late);
    expect([...s.live.values()].map((p) => p.pid.serial).sort((a, b) => a - b)).toEqual(
      [...pids.filter((_, i) => i % 2 === 1), late].map((p) => p.serial),
    );
    for (let i = 1; i < 50; i += 2) send(pids[i]!, i);
    s.exit(null, late, "kill");
    s.flush();
    expect(s.live.size).toBe(0);
    expect(s.hasReceiveWaiters()).toBe(false);
  });
});

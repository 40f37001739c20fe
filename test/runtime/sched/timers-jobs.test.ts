import { describe, expect, it } from "vitest";
import {
  applyAfter,
  exit,
  jobAsync,
  jobAwait,
  jobAwaitTimeout,
  jobMap,
  panic,
  receive,
  self,
  send,
  sendAfter,
  serviceCall,
  serviceCast,
  sleep,
  spawn,
  startService,
  TIMEOUT,
  type JobResult,
  type ServiceDef,
} from "../../../runtime/sched/index.js";
import { harness, user, type G } from "./helpers.js";

const describeResult = (r: JobResult): string => (r.ok ? `ok ${String(r.value)}` : `err ${r.error}`);

describe("Timer", () => {
  it("A14: send_after in deadline order; apply_after driving a service", () => {
    const h = harness();
    const { s, log } = h;
    const Clock: ServiceDef = {
      name: "Clock",
      init: () => 0,
      casts: { Tick: (n: number) => n + 1 },
      calls: { Ticks: (n: number) => [n, n] },
    };
    function* alarmClock(left: number): G {
      for (;;) {
        const m = (yield* receive((x) => ((x as { ring?: number }).ring !== undefined ? x : undefined), null)) as {
          ring: number;
        };
        log(`ring ${m.ring}`);
        if (left > 1) left--;
        else return log("alarm done");
      }
    }
    s.runMain(function* () {
      const a = spawn(alarmClock, [3], { kind: "actor", name: "alarm_clock" });
      sendAfter(a, 60, { ring: 3 });
      sendAfter(a, 20, { ring: 1 });
      sendAfter(a, 40, { ring: 2 });
      const c = yield* startService(Clock, []);
      applyAfter(10, () => serviceCast(c, "Clock", "Tick", []));
      applyAfter(30, () => serviceCast(c, "Clock", "Tick", []));
      log(`ticks now ${yield* serviceCall(c, "Clock", "Ticks", [])}`);
      yield* sleep(100);
      log(`ticks later ${yield* serviceCall(c, "Clock", "Ticks", [])}`);
    });
    s.settle();
    expect(h.out).toEqual(["ticks now 0", "ring 1", "ring 2", "ring 3", "alarm done", "ticks later 2"]);
    expect(h.exits).toEqual([0]);
  });

  it("equal deadlines fire in creation order; ms <= 0 is never synchronous", () => {
    const h = harness();
    const seen: unknown[] = [];
    h.s.spawn(function* () {
      const me = self();
      sendAfter(me, 5, "b1");
      sendAfter(me, 5, "b2");
      sendAfter(me, 0, "a");
      sendAfter(me, -3, "a2");
      seen.push(yield* receive(user, 0)); // nothing yet: not synchronous
      for (let i = 0; i < 4; i++) seen.push(yield* receive(user, null));
    });
    h.s.settle();
    expect(seen).toEqual([TIMEOUT, "a", "a2", "b1", "b2"]);
  });

  it("send_after to a process that exits is cancelled (does not keep the program alive)", () => {
    const h = harness();
    h.s.runMain(function* () {
      const p = spawn(function* (): G {
        yield* receive(user, null);
      });
      sendAfter(p, 60_000, "late");
      send(p, "now");
    });
    h.s.flush();
    expect(h.s.timers.size).toBe(0);
    expect(h.exits).toEqual([0]);
    expect(h.clock.now()).toBe(0);
  });

  it("apply_after allocates the pid at fire time; sleep(0) does not yield", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      applyAfter(10, () => seen.push(`applied in ${self()}`));
      spawn(() => seen.push(`spawned ${self()}`));
      yield* sleep(0);
      seen.push("after sleep 0");
      yield* sleep(-5);
      seen.push("after sleep -5");
    });
    h.s.settle();
    expect(seen).toEqual(["after sleep 0", "after sleep -5", "spawned <0.2>", "applied in <0.3>"]);
  });

  it("sleep never wakes early and keeps messages in the mailbox", () => {
    const h = harness();
    const seen: unknown[] = [];
    const p = h.s.spawn(function* () {
      yield* sleep(50);
      seen.push(h.clock.now());
      seen.push(yield* receive(user, 0));
    });
    h.s.flush();
    send(p, "queued");
    h.s.advance(49);
    expect(seen).toEqual([]);
    h.s.advance(1);
    expect(seen).toEqual([50, "queued"]);
  });
});

describe("Job", () => {
  it("A15: await, crash, await_timeout then await, map", () => {
    const h = harness();
    const { s, log } = h;
    function* slowSquare(n: number): G<number> {
      yield* sleep(10);
      return n * n;
    }
    s.runMain(function* () {
      const j = jobAsync(() => slowSquare(7));
      log(describeResult(yield* jobAwait(j)));
      const bad = jobAsync(() => panic("job blew up"));
      log(describeResult(yield* jobAwait(bad)));
      const slow = jobAsync(function* () {
        return yield* slowSquare(3);
      });
      log(describeResult(yield* jobAwaitTimeout(slow, 1)));
      log(describeResult(yield* jobAwait(slow)));
      const rs = yield* jobMap([1, 2, 3], (x: number) => x * 10);
      log(describeResult(rs[0]!));
      log(describeResult(rs[2]!));
    });
    s.settle();
    expect(h.out).toEqual(["ok 49", "err job blew up", "err timeout", "ok 9", "ok 10", "ok 30"]);
    expect(h.err).toEqual(["[mesh] job <0.3> crashed: job blew up"]);
  });

  it("already awaited, not owner, killed jobs; results never reach user receives", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      const j = jobAsync(() => 42);
      yield* sleep(5); // the job finished meanwhile
      seen.push(String((yield* receive(user, 0)) === TIMEOUT));
      seen.push(describeResult(yield* jobAwait(j)));
      seen.push(describeResult(yield* jobAwait(j)));
      const k = jobAsync(function* () {
        yield* sleep(1000);
        return 1;
      });
      const me = self();
      spawn(function* (): G {
        const r = yield* jobAwait(k);
        send(me, describeResult(r));
      });
      seen.push((yield* receive(user, null)) as string);
      exit(k, "kill");
      seen.push(describeResult(yield* jobAwait(k)));
      const m = yield* jobMap([1, 2], (x: number) => (x === 2 ? panic("two") : x));
      seen.push(m.map(describeResult).join(","));
    });
    h.s.settle();
    expect(seen).toEqual(["true", "ok 42", "err already awaited", "err not owner", "err killed", "ok 1,err two"]);
  });

  it("a crashing job never kills its owner", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      jobAsync(() => panic("bad job"));
      yield* sleep(10);
      seen.push("owner alive");
    });
    h.s.settle();
    expect(seen).toEqual(["owner alive"]);
  });
});

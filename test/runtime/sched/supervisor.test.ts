import { describe, expect, it } from "vitest";
import {
  exit,
  isAlive,
  monitor,
  NULL_PID,
  panic,
  receive,
  register,
  self,
  send,
  sleep,
  spawn,
  spawnSupervisor,
  SysDown,
  trapExit,
  whereis,
  type SupervisorDef,
} from "../../../runtime/sched/index.js";
import { harness, isDown, user, type G } from "./helpers.js";

function members(log: (s: string) => void) {
  function announce(label: string): void {
    register(label, self());
    log(`${label} up`);
  }
  function* member(label: string, fresh: boolean): G {
    for (;;) {
      if (fresh) announce(label);
      const m = yield* receive(user, null);
      if (m === "crash") panic(`${label} told to crash`);
      if (m === "hello") log(`${label} says hello`);
      fresh = false;
    }
  }
  return { member };
}

describe("supervisors", () => {
  it("A09: one_for_one restarts only the failed child", () => {
    const h = harness();
    const { s, log } = h;
    const { member } = members(log);
    const PairSup: SupervisorDef = {
      name: "PairSup",
      strategy: "one_for_one",
      maxRestarts: 3,
      maxSeconds: 5,
      children: [
        {
          name: "first",
          start: () => spawn(member, ["alpha", true], { kind: "actor", name: "member" }),
          restart: "permanent",
          shutdown: 1000,
        },
        { name: "second", start: () => spawn(member, ["beta", true], { kind: "actor", name: "member" }) },
      ],
    };
    s.runMain(function* () {
      spawnSupervisor(PairSup);
      yield* sleep(10);
      send(whereis("alpha"), "crash");
      yield* sleep(10);
      send(whereis("alpha"), "hello");
      send(whereis("beta"), "hello");
      yield* sleep(10);
      log("main exiting");
    });
    s.settle();
    expect(h.out).toEqual(["alpha up", "beta up", "alpha up", "alpha says hello", "beta says hello", "main exiting"]);
    expect(h.err).toEqual([
      "[mesh] actor member <0.3> crashed: alpha told to crash",
      "[mesh] supervisor PairSup <0.2>: restarting child first after exit: alpha told to crash",
    ]);
    expect(h.exits).toEqual([0]);
  });

  it("A10: one_for_all stops the others in reverse order (running terminate) and restarts all", () => {
    const h = harness();
    const { s, log } = h;
    const { member } = members(log);
    const crew = (label: string) => () =>
      spawn(member, [label, true], { kind: "actor", name: "crew", terminate: () => log(`${label} stopping`) });
    const AllSup: SupervisorDef = {
      name: "AllSup",
      strategy: "one_for_all",
      children: [
        { name: "a", start: crew("alpha") },
        { name: "b", start: crew("beta") },
        { name: "c", start: crew("gamma") },
      ],
    };
    s.runMain(function* () {
      spawnSupervisor(AllSup);
      yield* sleep(10);
      send(whereis("alpha"), "crash");
      yield* sleep(20);
      log("main exiting");
    });
    s.settle();
    expect(h.out).toEqual([
      "alpha up",
      "beta up",
      "gamma up",
      "alpha stopping",
      "gamma stopping",
      "beta stopping",
      "alpha up",
      "beta up",
      "gamma up",
      "main exiting",
    ]);
  });

  it("A11: restart types, then restart intensity exhausted", () => {
    const h = harness();
    const { s, log } = h;
    const MixedSup: SupervisorDef = {
      name: "MixedSup",
      maxRestarts: 1,
      children: [
        {
          name: "t",
          start: () => spawn(() => log("transient run"), [], { kind: "actor", name: "once_ok" }),
          restart: "transient",
        },
        {
          name: "tmp",
          start: () =>
            spawn(
              () => {
                log("temporary run");
                panic("temporary failure");
              },
              [],
              { kind: "actor", name: "once_bad" },
            ),
          restart: "temporary",
        },
      ],
    };
    const CrashSup: SupervisorDef = {
      name: "CrashSup",
      strategy: "one_for_one",
      maxRestarts: 2,
      maxSeconds: 5,
      children: [
        {
          name: "d",
          start: () =>
            spawn(
              () => {
                log("doomed starting");
                panic("cannot start");
              },
              [],
              { kind: "actor", name: "doomed" },
            ),
          shutdown: "brutal_kill",
        },
      ],
    };
    s.runMain(function* () {
      const mixed = spawnSupervisor(MixedSup);
      yield* sleep(20);
      log(`mixed alive: ${isAlive(mixed)}`);
      const sup = spawnSupervisor(CrashSup);
      spawn(function* (): G {
        monitor(sup);
        const d = (yield* receive(isDown, null)) as SysDown;
        log(`supervisor down: ${d._2}`);
      });
    });
    s.settle();
    expect(h.out).toEqual([
      "transient run",
      "temporary run",
      "mixed alive: true",
      "doomed starting",
      "doomed starting",
      "doomed starting",
      "supervisor down: shutdown",
    ]);
    expect(h.err.filter((l) => l.includes("supervisor"))).toEqual([
      "[mesh] supervisor CrashSup <0.5>: restarting child d after exit: cannot start",
      "[mesh] supervisor CrashSup <0.5>: restarting child d after exit: cannot start",
      "[mesh] supervisor CrashSup <0.5>: restart limit reached (2 in 5s), shutting down",
    ]);
  });

  it("rest_for_one restarts the failed child and those declared after it", () => {
    const h = harness();
    const { s, log } = h;
    const { member } = members(log);
    const mk = (label: string) => () =>
      spawn(member, [label, true], { kind: "actor", name: "m", terminate: () => log(`${label} stopping`) });
    s.runMain(function* () {
      spawnSupervisor({
        name: "RestSup",
        strategy: "rest_for_one",
        children: [
          { name: "a", start: mk("a") },
          { name: "b", start: mk("b") },
          { name: "c", start: mk("c") },
          { name: "d", start: mk("d") },
        ],
      });
      yield* sleep(10);
      send(whereis("b"), "crash");
      yield* sleep(10);
    });
    s.settle();
    expect(h.out).toEqual([
      "a up",
      "b up",
      "c up",
      "d up",
      "b stopping",
      "d stopping",
      "c stopping",
      "b up",
      "c up",
      "d up",
    ]);
  });

  it("the intensity window slides: failures further apart than max_seconds keep restarting", () => {
    const h = harness();
    const { s, log } = h;
    let starts = 0;
    const sup = s.spawn(() => {}); // placeholder pid 1
    void sup;
    const p = spawnSupervisor({
      name: "Slow",
      maxRestarts: 1,
      maxSeconds: 5,
      children: [
        {
          name: "w",
          start: () =>
            spawn(function* (): G {
              starts++;
              yield* sleep(6000);
              panic("periodic");
            }),
        },
      ],
    });
    s.advance(30_000);
    expect(isAlive(p)).toBe(true);
    expect(starts).toBe(6);
    const q = spawnSupervisor({
      name: "Fast",
      maxRestarts: 1,
      maxSeconds: 5,
      children: [
        {
          name: "w",
          start: () =>
            spawn(function* (): G {
              yield* sleep(3000);
              panic("too often");
            }),
        },
      ],
    });
    s.advance(7000);
    expect(isAlive(q)).toBe(false);
    void log;
  });

  it("shutdown: N waits N ms for a child that ignores shutdown, then kills it", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.runMain(function* () {
      const sup = spawnSupervisor({
        name: "S",
        children: [
          {
            name: "stubborn",
            shutdown: 100,
            start: () =>
              spawn(function* (): G {
                trapExit(true);
                register("stubborn", self());
                for (;;) yield* receive(() => true, null);
              }),
          },
        ],
      });
      yield* sleep(1);
      const child = whereis("stubborn");
      monitor(child);
      monitor(sup);
      const t0 = h.clock.now();
      exit(sup, "shutdown");
      const d1 = (yield* receive(isDown, null)) as SysDown;
      seen.push(`${d1._1 === child ? "child" : "sup"} ${d1._2} after ${h.clock.now() - t0}`);
      const d2 = (yield* receive(isDown, null)) as SysDown;
      seen.push(`${d2._1 === child ? "child" : "sup"} ${d2._2} after ${h.clock.now() - t0}`);
    });
    h.s.settle();
    expect(seen).toEqual(["child killed after 100", "sup shutdown after 100"]);
  });

  it("start failures (exception or null pid) count as exits; the supervisor gives up", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      const sup = spawnSupervisor({
        name: "Bad",
        maxRestarts: 1,
        children: [
          { name: "ok", start: () => spawn(function* (): G { yield* receive(user, null); }) },
          { name: "nil", start: () => NULL_PID, restart: "transient" },
          { name: "throws", start: () => panic("no way") },
        ],
      });
      monitor(sup);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.settle();
    expect(seen).toEqual(["shutdown"]);
    expect(h.err).toEqual([
      "[mesh] supervisor Bad <0.2>: restarting child nil after exit: noproc",
      "[mesh] supervisor Bad <0.2>: restart limit reached (1 in 5s), shutting down",
    ]);
  });

  it("a killed supervisor's children receive killed; messages to a supervisor are discarded", () => {
    const h = harness();
    const seen: string[] = [];
    h.s.spawn(function* () {
      const sup = spawnSupervisor({
        name: "K",
        children: [
          {
            name: "c",
            start: () =>
              spawn(function* (): G {
                register("kc", self());
                yield* receive(user, null);
              }),
          },
        ],
      });
      yield* sleep(1);
      send(sup, "ignored");
      const c = whereis("kc");
      monitor(c);
      yield* sleep(1);
      seen.push(`alive ${isAlive(sup)}`);
      exit(sup, "kill");
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
    });
    h.s.settle();
    expect(seen).toEqual(["alive true", "killed"]);
    expect(h.err).toEqual([]);
  });

  it("nested supervisors: the inner one restarts its child; the outer one stops it in order", () => {
    const h = harness();
    const { s, log } = h;
    const { member } = members(log);
    s.runMain(function* () {
      const outer = spawnSupervisor({
        name: "Outer",
        children: [
          {
            name: "inner",
            start: () =>
              spawnSupervisor({
                name: "Inner",
                children: [{ name: "w", start: () => spawn(member, ["w", true], { kind: "actor", name: "m", terminate: () => log("w stopping") }) }],
              }),
          },
          { name: "x", start: () => spawn(member, ["x", true], { kind: "actor", name: "m", terminate: () => log("x stopping") }) },
        ],
      });
      yield* sleep(1);
      send(whereis("w"), "crash");
      yield* sleep(1);
      monitor(outer);
      exit(outer, "shutdown");
      const d = (yield* receive(isDown, null)) as SysDown;
      log(`outer down: ${d._2}`);
    });
    s.settle();
    expect(h.out).toEqual(["x up", "w up", "w stopping", "w up", "x stopping", "w stopping", "outer down: shutdown"]);
  });
});

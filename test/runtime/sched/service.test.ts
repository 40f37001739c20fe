import { describe, expect, it } from "vitest";
import {
  monitor,
  panic,
  receive,
  Scheduler,
  ManualClock,
  self,
  send,
  serviceCall,
  serviceCast,
  sleep,
  spawn,
  startService,
  SysDown,
  whereis,
  type Pid,
  type ServiceDef,
} from "../../../runtime/sched/index.js";
import { harness, isDown, user, type G } from "./helpers.js";

const Inventory = (log: (s: string) => void): ServiceDef => ({
  name: "Inventory",
  init: (initial: number) => {
    log(`init ${initial} in ${self()}`);
    return initial;
  },
  calls: {
    StockLevel: (n: number) => [n, n],
    TakeItems: (n: number, k: number) => (k <= n ? [n - k, true] : [n, false]),
    ReadHTTPStatus: (n: number) => [n, 200 + n],
  },
  casts: {
    Restock: (n: number, k: number) => n + k,
  },
});

describe("services", () => {
  it("A12: init in the caller, (new_state, reply), casts, request order", () => {
    const h = harness();
    const { s, log } = h;
    const Inv = Inventory(log);
    s.runMain(function* () {
      const inv = yield* startService(Inv, [5]);
      const other = yield* startService(Inv, [1]);
      log(`level ${yield* serviceCall(inv, "Inventory", "StockLevel", [])}`);
      log(`take 3: ${yield* serviceCall(inv, "Inventory", "TakeItems", [3])}`);
      log(`take 4: ${yield* serviceCall(inv, "Inventory", "TakeItems", [4])}`);
      serviceCast(inv, "Inventory", "Restock", [10]);
      serviceCast(other, "Inventory", "Restock", [1]);
      const lvl = yield* serviceCall(inv, "Inventory", "StockLevel", []);
      const lvl2 = yield* serviceCall(other, "Inventory", "StockLevel", []);
      log(`level ${lvl}, other ${lvl2}, other pid ${other}`);
      log(`status ${yield* serviceCall(inv, "Inventory", "ReadHTTPStatus", [])}`);
    });
    s.settle();
    expect(h.out).toEqual([
      "init 5 in <0.1>",
      "init 1 in <0.1>",
      "level 5",
      "take 3: true",
      "take 4: false",
      "level 12, other 2, other pid <0.3>",
      "status 212",
    ]);
    expect(h.exits).toEqual([0]);
  });

  it("A13: service crash during a call; call to a dead service", () => {
    const h = harness();
    const { s, log } = h;
    const Fragile: ServiceDef = {
      name: "Fragile",
      init: () => 0,
      calls: {
        Explode: (st: number) => [st, panic("service exploded")],
        Ping: (st: number) => [st, 1],
      },
      casts: {},
    };
    function* client(svc: Pid): G {
      log("client calling");
      const v = yield* serviceCall(svc, "Fragile", "Explode", []);
      log(`client got ${v}`);
    }
    function* lateClient(svc: Pid): G {
      yield* sleep(5);
      const v = yield* serviceCall(svc, "Fragile", "Ping", []);
      log(`late got ${v}`);
    }
    function* watchOne(target: Pid): G {
      monitor(target);
      const d = (yield* receive(isDown, null)) as SysDown;
      log(`down: ${d._2}`);
    }
    s.runMain(function* () {
      const svc = yield* startService(Fragile, []);
      const c = spawn(client, [svc], { kind: "actor", name: "client" });
      spawn(watchOne, [svc], { kind: "actor", name: "watch_one" });
      spawn(watchOne, [c], { kind: "actor", name: "watch_one" });
      yield* sleep(20);
      const late = spawn(lateClient, [svc], { kind: "actor", name: "late_client" });
      spawn(watchOne, [late], { kind: "actor", name: "watch_one" });
    });
    s.settle();
    expect(h.out).toEqual([
      "client calling",
      "down: service exploded",
      "down: call failed: service exploded",
      "down: call failed: noproc",
    ]);
    expect(h.err).toEqual([
      "[mesh] service Fragile <0.2> crashed: service exploded",
      "[mesh] actor client <0.3> crashed: call failed: service exploded",
      "[mesh] actor late_client <0.6> crashed: call failed: noproc",
    ]);
  });

  it("queued callers fail with the reason when the service crashes", () => {
    const h = harness();
    const reasons: string[] = [];
    const Svc: ServiceDef = {
      name: "Svc",
      init: () => 0,
      calls: { Boom: () => panic("kaput"), Ok: (st: number) => [st, st] },
      casts: {},
    };
    h.s.spawn(function* () {
      const svc = yield* startService(Svc, []);
      for (const handler of ["Boom", "Ok", "Ok"]) {
        const c = spawn(function* (): G {
          yield* serviceCall(svc, "Svc", handler, []);
        });
        spawn(function* (): G {
          monitor(c);
          reasons.push(((yield* receive(isDown, null)) as SysDown)._2);
        });
      }
    });
    h.s.settle();
    expect(reasons).toEqual(["call failed: kaput", "call failed: kaput", "call failed: kaput"]);
  });

  it("call timeout (default 5000 ms) fails the caller; the service keeps running", () => {
    const h = harness();
    const seen: string[] = [];
    const Slow: ServiceDef = {
      name: "Slow",
      init: () => 0,
      calls: {
        Wait: function* (st: number): G<[number, number]> {
          yield* sleep(6000);
          return [st + 1, st];
        },
        Get: (st: number) => [st, st],
      },
      casts: {},
    };
    let svc: Pid | null = null;
    h.s.spawn(function* () {
      svc = yield* startService(Slow, []);
      const c = spawn(function* (): G {
        yield* serviceCall(svc!, "Slow", "Wait", []);
        seen.push("not reached");
      });
      monitor(c);
      const d = (yield* receive(isDown, null)) as SysDown;
      seen.push(`${h.clock.now()}: ${d._2}`);
      seen.push(`state ${yield* serviceCall(svc!, "Slow", "Get", [])} at ${h.clock.now()}`);
    });
    h.s.settle();
    expect(seen).toEqual(["5000: call failed: timeout", "state 1 at 6000"]);
  });

  it("MESH_CALL_TIMEOUT_MS changes the default", () => {
    const prev = process.env["MESH_CALL_TIMEOUT_MS"];
    process.env["MESH_CALL_TIMEOUT_MS"] = "250";
    try {
      const s = new Scheduler({ clock: new ManualClock(), stderr: () => {} });
      expect(s.callTimeoutMs).toBe(250);
    } finally {
      if (prev === undefined) delete process.env["MESH_CALL_TIMEOUT_MS"];
      else process.env["MESH_CALL_TIMEOUT_MS"] = prev;
    }
  });

  it("a late reply after a timeout is never delivered as a message", () => {
    const h = harness({ callTimeoutMs: 100 });
    const seen: unknown[] = [];
    const Slow: ServiceDef = {
      name: "Slow",
      init: () => 0,
      calls: {
        Wait: function* (st: number): G<[number, string]> {
          yield* sleep(200);
          return [st, "late reply"];
        },
      },
      casts: {},
    };
    h.s.spawn(function* () {
      const svc = yield* startService(Slow, []);
      const me = self();
      // a trapping middleman is not needed: a job-like helper reports the failure reason
      const c = spawn(function* (): G {
        yield* serviceCall(svc, "Slow", "Wait", []);
      });
      monitor(c);
      seen.push(((yield* receive(isDown, null)) as SysDown)._2);
      yield* sleep(500);
      seen.push(yield* receive(user, 0));
      void me;
    });
    h.s.settle();
    expect(seen[0]).toBe("call failed: timeout");
    expect(typeof seen[1]).toBe("symbol"); // TIMEOUT: nothing arrived
  });

  it("wrong_service, calling_self and noproc", () => {
    const h = harness();
    const reasons: string[] = [];
    const A: ServiceDef = {
      name: "A",
      init: () => 0,
      calls: {
        Me: function* (st: number): G<[number, unknown]> {
          return [st, yield* serviceCall(self(), "A", "Me", [])];
        },
      },
      casts: {},
    };
    h.s.spawn(function* () {
      const a = yield* startService(A, []);
      const plain = spawn(function* (): G {
        yield* receive(user, null);
      });
      const bodies = [
        function* (): G {
          yield* serviceCall(plain, "A", "Me", []);
        },
        function* (): G {
          yield* serviceCall(a, "B", "Me", []);
        },
        function* (): G {
          yield* serviceCall(a, "A", "Me", []);
        },
        function* (): G {
          yield* serviceCall(whereis("nothing"), "A", "Me", []);
        },
      ];
      const refs = bodies.map((b) => monitor(spawn(b)));
      const got = new Map<number, string>();
      for (let i = 0; i < refs.length; i++) {
        const d = (yield* receive(isDown, null)) as SysDown;
        got.set(d._0, d._2);
      }
      for (const r of refs) reasons.push(got.get(r)!);
    });
    h.s.settle();
    expect(reasons).toEqual([
      "call failed: wrong_service",
      "call failed: wrong_service",
      "call failed: call failed: calling_self",
      "call failed: noproc",
    ]);
    expect(h.errText()).toContain("[mesh] service A <0.2> crashed: call failed: calling_self");
  });

  it("plain messages to a service are discarded with a warning; casts to non-services dropped", () => {
    const h = harness();
    const seen: unknown[] = [];
    const C: ServiceDef = {
      name: "Counter",
      init: () => 0,
      calls: { Get: (st: number) => [st, st] },
      casts: { Inc: (st: number) => st + 1 },
    };
    h.s.spawn(function* () {
      const c = yield* startService(C, []);
      send(c, "hello");
      serviceCast(c, "Counter", "Inc", []);
      serviceCast(c, "Other", "Inc", []);
      serviceCast(self(), "Counter", "Inc", []);
      serviceCast(whereis("x"), "Counter", "Inc", []);
      seen.push(yield* serviceCall(c, "Counter", "Get", []));
      seen.push(yield* receive(user, 0));
    });
    h.s.settle();
    expect(seen[0]).toBe(1);
    expect(typeof seen[1]).toBe("symbol");
    expect(h.err).toEqual(["[mesh] service Counter <0.2>: discarded unexpected message"]);
  });

  it("unrelated messages arriving during a call stay in the caller's mailbox", () => {
    const h = harness();
    const seen: unknown[] = [];
    const Echo: ServiceDef = {
      name: "Echo",
      init: () => null,
      calls: {
        Poke: (st: unknown, who: Pid) => {
          send(who, "side message");
          return [st, "reply"];
        },
      },
      casts: {},
    };
    h.s.spawn(function* () {
      const e = yield* startService(Echo, []);
      seen.push(yield* serviceCall(e, "Echo", "Poke", [self()]));
      seen.push(yield* receive(user, 0));
    });
    h.s.settle();
    expect(seen).toEqual(["reply", "side message"]);
  });

  it("generator init and handlers may block; init crashes crash the caller", () => {
    const h = harness();
    const seen: unknown[] = [];
    const S: ServiceDef = {
      name: "S",
      init: function* (x: number): G<number> {
        yield* sleep(10);
        return x * 2;
      },
      calls: {
        Get: function* (st: number): G<[number, number]> {
          yield* sleep(10);
          return [st, st];
        },
      },
      casts: {
        Add: function* (st: number, k: number): G<number> {
          yield* sleep(1);
          return st + k;
        },
      },
    };
    const Bad: ServiceDef = { name: "Bad", init: () => panic("init failed"), calls: {}, casts: {} };
    h.s.spawn(function* () {
      const p = yield* startService(S, [21]);
      seen.push(h.clock.now());
      serviceCast(p, "S", "Add", [1]);
      seen.push(yield* serviceCall(p, "S", "Get", []));
      seen.push(h.clock.now());
      yield* startService(Bad, []);
    });
    h.s.settle();
    expect(seen).toEqual([10, 43, 21]);
    expect(h.err).toEqual(["[mesh] process <0.1> crashed: init failed"]);
  });
});

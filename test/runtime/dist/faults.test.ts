// Losing a node (concurrency.md §6.6, §7.7, §7.8) on the in-memory transport: node-down
// processing in the spec's order, heartbeat timeout with the manual clock (a peer that stops
// sending is injected by stalling its socket), TICKs keeping an idle session up, output overflow,
// and a malformed frame from an authenticated peer.
import { describe, expect, it } from "vitest";
import { Global, Node } from "../../../runtime/dist/index.js";
import {
  link,
  monitor,
  receive,
  reasonOf,
  self,
  send,
  serviceCall,
  startService,
  SystemMessage,
  trapExit,
  type Pid,
} from "../../../runtime/sched/index.js";
import { registerFunctions } from "../../../runtime/core/ops.js";
import { cluster, type Cluster } from "./cluster.js";

type G<T = unknown> = Generator<unknown, T, unknown>;
const A = "a@h:1";
const B = "b@h:2";
const any = (m: unknown): unknown => m;
const user = (m: unknown): unknown => (m instanceof SystemMessage ? undefined : m);

function* idle(): G {
  yield* receive(user, null);
}
registerFunctions({ "FaultTest.idle/0": idle });

function pair(): Cluster {
  const c = cluster(2);
  c.nodes[0]!.s.spawn(function* (): G {
    yield* Node.start(A, "k");
  });
  c.nodes[1]!.s.spawn(function* (): G {
    yield* Node.start(B, "k");
  });
  c.settle();
  c.nodes[0]!.s.spawn(function* (): G {
    yield* Node.connect(B);
  });
  c.settle();
  return c;
}

describe("node down", () => {
  it("a malformed frame closes the session and applies §6.6 in order: names, links, monitors, calls and spawns, NodeDown", () => {
    const c = pair();
    // b: a registered process and a service that never answers while b's output is stalled
    c.nodes[1]!.s.spawn(function* (): G {
      Global.register("bp", self());
      const svc = yield* startService({ name: "S", init: () => 0, calls: { Get: (s: number) => [s, s] }, casts: {} }, []);
      Global.register("svc", svc);
      yield* receive(user, null);
    });
    c.settle();
    const log: string[] = [];
    c.nodes[0]!.s.spawn(function* (): G {
      trapExit(true);
      Node.monitor(B);
      const bp = Global.whereis("bp");
      link(bp);
      monitor(bp);
      yield* receive(user, 10);
      for (let i = 0; i < 3; i++) {
        const m = yield* receive(any, 1000);
        log.push(String(m).replace(/<b@h:2\/\d+>/, "<b>"));
      }
      log.push(`bp name: ${Global.whereis("bp").isNull() ? "gone" : "still there"}`);
    });
    const pending: string[] = [];
    c.settle();
    // b stops answering: its output is held from now on
    const bSock = c.net.sockets[1]!;
    bSock.stalled = true;
    c.nodes[0]!.s.spawn(function* (): G {
      try {
        yield* serviceCall(Global.whereis("svc"), "S", "Get", []);
      } catch (e) {
        pending.push(reasonOf(e));
      }
    });
    c.nodes[0]!.s.spawn(function* (): G {
      const p: Pid = yield* Node.spawn(B, idle);
      pending.push(`spawn null ${p.isNull()}`);
    });
    c.settle();
    expect(pending).toEqual([]);
    // an unknown frame kind from the authenticated peer
    bSock.inject(Uint8Array.from([1, 0, 0, 0, 0x7f]));
    c.advance(20);
    const err = c.nodes[0]!.err.join("\n");
    expect(err).toMatch(/\[mesh\] dist: connection to b@h:2 closed: malformed frame \([^)]*\)/);
    expect(log).toEqual(["Exit(<b>, noconnection)", expect.stringMatching(/^Down\(\d+, <b>, noconnection\)$/), `NodeDown(${B})`, "bp name: gone"]);
    expect(pending.sort()).toEqual(["call failed: noconnection", "spawn null true"]);
    expect(c.nodes[0]!.d.list()).toEqual([]);
  });
});

describe("heartbeats", () => {
  it("an idle session stays up (TICKs); a silent peer is dropped after the 5 s timeout", () => {
    const c = pair();
    c.advance(20_000, 100);
    expect(c.nodes[0]!.d.list()).toEqual([B]);
    expect(c.nodes[1]!.d.list()).toEqual([A]);
    const t0 = c.clock.now();
    c.net.sockets[1]!.stalled = true; // b goes silent (like SIGSTOP)
    let downAt = -1;
    for (let t = 0; t < 7000 && downAt < 0; t += 50) {
      c.advance(50, 50);
      if (c.nodes[0]!.d.list().length === 0) downAt = c.clock.now() - t0;
    }
    expect(downAt).toBeGreaterThanOrEqual(5000);
    expect(downAt).toBeLessThanOrEqual(6000);
    expect(c.nodes[0]!.err).toContain(`[mesh] dist: connection to ${B} closed: heartbeat timeout`);
    // b notices the closed socket
    c.settle();
    expect(c.nodes[1]!.d.list()).toEqual([]);
  });

  it("MESH_DIST-style overrides: a 100 ms tick / 300 ms timeout detects silence sooner", () => {
    const c = cluster(2, () => ({ tickMs: 100, timeoutMs: 300 }));
    c.nodes[0]!.s.spawn(function* (): G {
      yield* Node.start(A, "k");
    });
    c.nodes[1]!.s.spawn(function* (): G {
      yield* Node.start(B, "k");
    });
    c.settle();
    c.nodes[0]!.s.spawn(function* (): G {
      yield* Node.connect(B);
    });
    c.settle();
    c.advance(2000, 20);
    expect(c.nodes[0]!.d.list()).toEqual([B]);
    c.net.sockets[1]!.stalled = true;
    c.advance(400, 20);
    expect(c.nodes[0]!.d.list()).toEqual([]);
  });
});

describe("output overflow", () => {
  it("more than 64 MiB unsent closes the connection with output overflow", () => {
    const c = pair();
    let target: Pid | null = null;
    c.nodes[1]!.s.spawn(function* (): G {
      Global.register("sink", self());
      yield* receive(user, null);
    });
    c.settle();
    c.net.sockets[0]!.stalled = true; // b stops reading
    const big = "x".repeat(1 << 20);
    c.nodes[0]!.s.spawn(function* (): G {
      target = Global.whereis("sink");
      for (let i = 0; i < 80; i++) {
        send(target, big);
        yield* receive(user, 1); // a turn boundary: the batch is written
      }
    });
    c.advance(200, 1);
    expect(target).not.toBeNull();
    expect(c.nodes[0]!.err).toContain(`[mesh] dist: connection to ${B} closed: output overflow`);
    expect(c.nodes[0]!.d.list()).toEqual([]);
  });
});

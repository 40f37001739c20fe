// Node.start/connect/list/disconnect/monitor and the handshake (concurrency.md §6.1–§6.4, §7.4)
// on the in-memory transport: return codes, wrong cookie, REJECT codes for hand-made handshakes,
// simultaneous connects, mesh gossip, NodeUp/NodeDown.
import { describe, expect, it } from "vitest";
import { Node } from "../../../runtime/dist/index.js";
import { EXITED, link, monitor, receive, self, SysDown, SysNodeDown, SysNodeUp, TIMEOUT, type Pid } from "../../../runtime/sched/index.js";
import { Global } from "../../../runtime/dist/index.js";
import type { Queued } from "../../../runtime/dist/memory-transport.js";
import { decodeFrame, encodeFrame, FrameReader, type Frame } from "../../../runtime/dist/wire.js";
import { cluster, type Cluster, type TestNode } from "./cluster.js";

type G<T = unknown> = Generator<unknown, T, unknown>;

const A = "a@h:1";
const B = "b@h:2";
const C = "c@h:3";

/** Starts node i as `name` (cookie `cookie`) inside a process; returns Node.start's result. */
function start(c: Cluster, i: number, name: string, cookie = "k"): number {
  let rc: number | null = null;
  c.nodes[i]!.s.spawn(function* (): G {
    rc = yield* Node.start(name, cookie);
  });
  c.settle();
  return rc!;
}

function connect(c: Cluster, i: number, target: string): number {
  let rc: number | null = null;
  c.nodes[i]!.s.spawn(function* (): G {
    rc = yield* Node.connect(target);
  });
  c.settle();
  if (rc === null) throw new Error("connect did not return");
  return rc;
}

function list(n: TestNode): string[] {
  return n.d.list();
}

describe("Node.start", () => {
  it("returns 0, then -1; -3 for bad names or an empty cookie; -2 when the address is taken", () => {
    const c = cluster(3);
    expect(c.nodes[0]!.d.name).toBe("");
    let bad: number[] = [];
    c.nodes[0]!.s.spawn(function* (): G {
      bad = [yield* Node.start("no_at_sign", "k"), yield* Node.start("a@h:1", ""), yield* Node.start("a b@h:1", "k"), yield* Node.start("a@h:70000", "k")];
    });
    c.settle();
    expect(bad).toEqual([-3, -3, -3, -3]);
    expect(start(c, 0, A)).toBe(0);
    expect(start(c, 0, "a@h:9")).toBe(-1);
    expect(c.nodes[0]!.d.name).toBe(A);
    expect(start(c, 1, A)).toBe(-2);
    expect(c.nodes[1]!.d.started).toBe(false);
  });

  it("port 0 puts the bound port into the node's name", () => {
    const c = cluster(1);
    expect(start(c, 0, "z@h:0")).toBe(0);
    expect(c.nodes[0]!.d.name).toMatch(/^z@h:[1-9][0-9]*$/);
    expect(c.nodes[0]!.s.localNode.name).toBe(c.nodes[0]!.d.name);
  });
});

describe("Node.connect", () => {
  it("-1 before start, -2 when nobody listens, 0 for self, 0 twice for a peer; Node.list on both sides", () => {
    const c = cluster(2);
    expect(connect(c, 0, B)).toBe(-1);
    start(c, 0, A);
    start(c, 1, B);
    expect(connect(c, 0, "nobody@h:9")).toBe(-2);
    expect(connect(c, 0, A)).toBe(0);
    expect(connect(c, 0, "not a name")).toBe(-3);
    expect(connect(c, 0, B)).toBe(0);
    expect(connect(c, 0, B)).toBe(0);
    expect(list(c.nodes[0]!)).toEqual([B]);
    expect(list(c.nodes[1]!)).toEqual([A]);
    expect(c.net.sockets.length).toBe(2); // one connection
  });

  it("a wrong cookie is rejected with code 2, logged by the acceptor, and leaves no session", () => {
    const c = cluster(2);
    start(c, 0, A, "wrong");
    start(c, 1, B, "right");
    expect(connect(c, 0, B)).toBe(-3);
    expect(list(c.nodes[0]!)).toEqual([]);
    expect(list(c.nodes[1]!)).toEqual([]);
    expect(c.nodes[1]!.err.some((l) => /^\[mesh\] dist: rejected connection from 127\.0\.0\.1:\d+: authentication failed$/.test(l))).toBe(true);
  });

  it("a peer named differently from the target fails with -3", () => {
    const c = cluster(2);
    start(c, 0, A);
    start(c, 1, B);
    // b listens on h:2 but is not called b2
    expect(connect(c, 0, "b2@h:2")).toBe(-3);
    expect(list(c.nodes[0]!)).toEqual([]);
  });

  it("simultaneous connects leave exactly one session and both calls return 0", () => {
    const c = cluster(2);
    start(c, 0, A);
    start(c, 1, B);
    const rcs: number[] = [];
    c.nodes[0]!.s.spawn(function* (): G {
      rcs.push(yield* Node.connect(B));
    });
    c.nodes[1]!.s.spawn(function* (): G {
      rcs.push(yield* Node.connect(A));
    });
    c.settle();
    c.advance(100);
    expect(c.net.sockets.length).toBe(4); // both dialled
    expect(rcs).toEqual([0, 0]);
    expect(list(c.nodes[0]!)).toEqual([B]);
    expect(list(c.nodes[1]!)).toEqual([A]);
    // the surviving session carries traffic both ways after the heartbeat period
    c.advance(6000, 100);
    expect(list(c.nodes[0]!)).toEqual([B]);
    expect(list(c.nodes[1]!)).toEqual([A]);
  });

  it("mutual connect in every delivery order: one session, one NodeUp each, no NodeDown, links/monitors/globals intact", () => {
    // Both Node.connect calls and every network event (TCP connect, each handshake frame, each
    // close) are choice points; every order the transport allows (one socket direction's bytes
    // stay in order) is run, each from scratch. A node's deferred output flush runs right after the
    // event that queued it, as a microtask does before the next I/O callback.
    let paths = 0;
    let crossed = 0;
    const path: number[] = []; // the choice taken at each step of the current run
    const width: number[] = []; // how many choices each step had
    for (;;) {
      const r = mutualRun(path, width);
      if (r !== null) paths++;
      if (r?.bothDialled === true) crossed++;
      // odometer: the deepest step with an untried choice moves on, everything after it restarts
      let k = width.length - 1;
      while (k >= 0 && path[k]! + 1 >= width[k]!) k--;
      if (k < 0) break;
      path.length = k + 1;
      path[k]!++;
      width.length = 0;
    }
    // both orders of "who dials first" and genuinely crossed handshakes were among them
    expect(crossed).toBeGreaterThan(0);
    expect(paths).toBeGreaterThan(crossed);
    console.log(`mutual connect: ${paths} delivery orders run, ${crossed} with both handshakes crossing`);
  }, 180_000); // ~10k runs from scratch: ~20 s on an idle core

  it("mesh gossip: connecting to one node connects to all, Node.list in establishment order", () => {
    const c = cluster(3);
    start(c, 0, A);
    start(c, 1, B);
    start(c, 2, C);
    expect(connect(c, 0, B)).toBe(0);
    expect(connect(c, 2, B)).toBe(0);
    c.settle();
    expect(list(c.nodes[0]!)).toEqual([B, C]);
    expect(list(c.nodes[1]!)).toEqual([A, C]);
    expect(list(c.nodes[2]!)).toEqual([B, A]);
  });
});

describe("Node.disconnect and Node.monitor", () => {
  it("NodeUp/NodeDown per registration, stacking; demonitor; disconnect returns 0 then 1", () => {
    const c = cluster(2);
    start(c, 0, A);
    start(c, 1, B);
    const seen: string[] = [];
    c.nodes[1]!.s.spawn(function* (): G {
      seen.push(`monitor ${Node.monitor(A)} ${Node.monitor(A)} ${Node.monitor("")}`);
      for (;;) {
        const m = yield* receive((x) => (x instanceof SysNodeUp || x instanceof SysNodeDown ? x : undefined), 20_000);
        if (m === TIMEOUT) break;
        seen.push(String(m));
      }
    });
    c.settle();
    expect(connect(c, 0, B)).toBe(0);
    let rcs: number[] = [];
    c.nodes[0]!.s.spawn(function* (): G {
      rcs = [Node.disconnect(B), Node.disconnect(B)];
    });
    c.settle();
    expect(rcs).toEqual([0, 1]);
    expect(list(c.nodes[0]!)).toEqual([]);
    expect(list(c.nodes[1]!)).toEqual([]);
    c.advance(21_000, 1000);
    expect(seen).toEqual([`monitor 0 0 1`, `NodeUp(${A})`, `NodeUp(${A})`, `NodeDown(${A})`, `NodeDown(${A})`]);
    expect(c.nodes[1]!.err).toContain(`[mesh] dist: connection to ${A} closed: the peer said goodbye (disconnect)`);
  });

  it("Node.demonitor removes the caller's registrations", () => {
    const c = cluster(2);
    start(c, 0, A);
    start(c, 1, B);
    let got: unknown = null;
    let rcs: number[] = [];
    c.nodes[1]!.s.spawn(function* (): G {
      Node.monitor(A);
      rcs = [Node.demonitor(A), Node.demonitor(A)];
      got = yield* receive((x) => x, 1000);
    });
    connect(c, 0, B);
    c.advance(1500, 100);
    expect(rcs).toEqual([0, 1]);
    expect(got).toBe(TIMEOUT);
  });
});

describe("handshake frames from a hand-made peer", () => {
  /** Opens a raw connection to node 1 (started as B) and returns what it receives. */
  function raw(c: Cluster, frames: Frame[], respond: (f: Frame) => Frame[] = () => []) {
    const t = c.net.transport();
    const got: Frame[] = [];
    let closed = false;
    const pids = c.nodes[1]!.d;
    t.connect("h", 2, 1000, (r) => {
      if (!r.ok) throw new Error(r.error);
      const reader = new FrameReader();
      r.socket.onData((chunk) => {
        for (const p of reader.push(chunk)) {
          const f = decodeFrame(p, "handshake", pids);
          got.push(f);
          for (const out of respond(f)) r.socket.write(encodeFrame(out as never, pids));
        }
      });
      r.socket.onClose(() => (closed = true));
      for (const f of frames) r.socket.write(encodeFrame(f as never, pids));
    });
    c.settle();
    return { got, closed: () => closed };
  }
  const nonce = new Uint8Array(32).fill(7);

  function setup(): Cluster {
    const c = cluster(2);
    start(c, 1, B);
    return c;
  }

  it("version 2 → REJECT 1", () => {
    const c = setup();
    const r = raw(c, [{ kind: "HELLO", version: 2, name: "x@h:9", creation: 5, nonce }]);
    expect(r.got.map((f) => f.kind === "REJECT" && f.code)).toEqual([1]);
    expect(r.closed()).toBe(true);
  });

  it("invalid name or the acceptor's own name → REJECT 4", () => {
    for (const name of ["bad name", B]) {
      const c = setup();
      const r = raw(c, [{ kind: "HELLO", version: 1, name, creation: 5, nonce }]);
      expect(r.got.map((f) => f.kind === "REJECT" && f.code)).toEqual([4]);
    }
  });

  it("PROOF before HELLO → REJECT 5; a session frame during the handshake is malformed", () => {
    const c = setup();
    const r = raw(c, [{ kind: "PROOF", mac: new Uint8Array(32) }]);
    expect(r.got.map((f) => f.kind === "REJECT" && f.code)).toEqual([5]);
    const c2 = setup();
    const t = c2.net.transport();
    t.connect("h", 2, 1000, (res) => {
      if (!res.ok) return;
      // a SEND frame (kind 0x10) before authentication
      res.socket.write(Uint8Array.from([10, 0, 0, 0, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 7]));
    });
    c2.settle();
    expect(c2.nodes[1]!.err.some((l) => /connection to 127\.0\.0\.1:\d+ closed: malformed frame \(/.test(l))).toBe(true);
    expect(c2.nodes[1]!.d.list()).toEqual([]);
  });

  it("a wrong PROOF → REJECT 2; a duplicate of an established session → REJECT 3", () => {
    const c = setup();
    const hello: Frame = { kind: "HELLO", version: 1, name: "x@h:9", creation: 5, nonce };
    const r = raw(c, [hello], (f) => (f.kind === "CHALLENGE" ? [{ kind: "PROOF", mac: new Uint8Array(32) }] : []));
    expect(r.got.map((f) => (f.kind === "REJECT" ? `REJECT ${f.code}` : f.kind))).toEqual(["CHALLENGE", "REJECT 2"]);
    expect(c.nodes[1]!.d.list()).toEqual([]);
    const c2 = setup();
    start(c2, 0, A);
    connect(c2, 0, B);
    const creation = c2.nodes[0]!.d.creation;
    const r2 = raw(c2, [{ kind: "HELLO", version: 1, name: A, creation, nonce }]);
    expect(r2.got.map((f) => f.kind === "REJECT" && f.code)).toEqual([3]);
  });

  it("the handshake times out after 5 s", () => {
    const c = setup();
    const r = raw(c, []);
    c.advance(4900, 100);
    expect(r.closed()).toBe(false);
    c.advance(200, 100);
    expect(r.closed()).toBe(true);
    expect(c.nodes[1]!.err.some((l) => l.endsWith("handshake timeout"))).toBe(true);
  });
});

/**
 * One run of the mutual-connect scenario following `path` (then the first choice at every later
 * step), recording each step's number of choices in `width`; asserts the §7.4 outcome.
 */
function mutualRun(path: number[], width: number[]): { bothDialled: boolean } | null {
  const c = cluster(2, (i) => ({ creation: 101 + i }));
  start(c, 0, A);
  start(c, 1, B);
  const names = [A, B];
  const events: string[][] = [[], []];
  const watchers: Pid[] = [];
  const rcs: (number | null)[] = [null, null];
  // each node: a watcher with a global name that monitors the other node; on NodeUp it links to
  // and monitors the other watcher, so any node-down processing would show (Exit/Down/NodeDown)
  for (const i of [0, 1]) {
    const other = 1 - i;
    watchers[i] = c.nodes[i]!.s.spawn(function* (): G {
      Global.register(`w${i}`, self());
      Node.monitor(names[other]!);
      for (;;) {
        const m = yield* receive((x) => x, -1);
        if (m instanceof SysNodeUp) {
          events[i]!.push(`up ${m._0}`);
          const peer = c.nodes[i]!.d.fromWire({ node: names[other]!, creation: 101 + other, id: watchers[other]!.serial });
          link(peer);
          monitor(peer);
        } else if (m instanceof SysNodeDown) events[i]!.push(`down ${m._0}`);
        else if (m instanceof SysDown) events[i]!.push(`Down ${m._2}`);
        else events[i]!.push(`other ${String(m)}`);
      }
    });
  }
  c.settle();
  // an event: a Node.connect call on node i, or a queued network event; `node` is the node it acts
  // on (-1: both, a TCP connect) and `pair` its connection (-1: none)
  type Ev = { id: unknown; node: number; pair: number; run: () => void };
  const pending = new Set([0, 1]);
  const sockNode = (q: Queued): [number, number] => {
    if (q.at === null) return [-1, -1];
    const idx = c.net.sockets.indexOf(q.at);
    const client = c.net.sockets[idx - (idx % 2)]!;
    const acceptor = client.remoteLabel === "h:1" ? 0 : 1;
    return [idx % 2 === 0 ? 1 - acceptor : acceptor, idx - (idx % 2)];
  };
  const enabled = (): Ev[] => [
    ...[...pending].map((i) => ({
      id: `call ${i}`,
      node: i,
      pair: -1,
      run: () => {
        pending.delete(i);
        c.nodes[i]!.s.spawn(function* (): G {
          rcs[i] = yield* Node.connect(names[1 - i]!);
        });
      },
    })),
    ...c.net.choices().map((q) => {
      const [node, pair] = sockNode(q);
      return { id: q, node, pair, run: () => c.net.runOne(q) };
    }),
  ];
  const independent = (x: Ev, y: Ev): boolean =>
    x.node >= 0 && y.node >= 0 && x.node !== y.node && (x.pair < 0 || y.pair < 0 || x.pair !== y.pair);
  const quiesce = (): void => {
    for (let n = 0; n < 1000; n++) {
      c.net.runDeferred();
      for (const x of c.nodes) x.s.flush();
      if (!c.net.hasDeferred && c.nodes.every((x) => x.s.runnable === 0)) return;
    }
    throw new Error("did not quiesce");
  };
  let prev: Ev | null = null;
  let prevEnabled: Ev[] = [];
  for (let step = 0; ; step++) {
    const all = enabled();
    if (all.length === 0) break;
    // partial-order reduction: two adjacent independent events (different nodes, different
    // connections) commute, so only the order with the lower node first is run
    const p = prev;
    const ok = all.filter((e) => !(p !== null && independent(e, p) && e.node < p.node && prevEnabled.some((x) => x.id === e.id)));
    if (ok.length === 0) return null; // not the canonical order of any run
    width.push(ok.length);
    const pick = step < path.length ? path[step]! : 0;
    if (step >= path.length) path.push(0);
    const e = ok[pick]!;
    e.run();
    quiesce();
    prev = e;
    prevEnabled = all;
  }
  // past every handshake and session-wait timeout (5 s), with heartbeats on the way
  c.advance(6000, 1000);
  const where = `path ${path.join(",")}`;
  const bothDialled = c.net.sockets.length === 4;
  expect(rcs, where).toEqual([0, 0]);
  expect(events, where).toEqual([[`up ${B}`], [`up ${A}`]]);
  for (const i of [0, 1]) {
    const d = c.nodes[i]!.d;
    expect(d.list(), where).toEqual([names[1 - i]]);
    expect(c.nodes[i]!.s.processBySerial(watchers[i]!.serial)?.status, where).not.toBe(EXITED);
    expect([d.global.whereis("w0").isNull(), d.global.whereis("w1").isNull()], where).toEqual([false, false]);
    expect(c.nodes[i]!.err.filter((l) => / closed: /.test(l)), where).toEqual([]);
  }
  // the one session is both ends of one connection; when both dialled, a's (the smaller name's)
  const sa = c.nodes[0]!.d.sessions.get(B)!;
  const sb = c.nodes[1]!.d.sessions.get(A)!;
  expect((sa.sock as unknown as { peer: unknown }).peer === sb.sock, where).toBe(true);
  if (bothDialled) {
    expect(sa.role, where).toBe("initiator");
    expect(c.nodes[0]!.err.filter((l) => /: duplicate connection$/.test(l)).length, where).toBe(1);
  }
  return { bothDialled };
}

// Hostile input (concurrency.md §7.8) over real sockets: fast-check throws at least 10,000 random
// and mutated frames and handshakes at a live compiled node (programs/fuzz/target) that also has
// a real peer (programs/fuzz/peer, pinging it every 50 ms): raw garbage, truncated frames, lying
// and oversized lengths, wrong kinds, terms nested past 256, invalid UTF-8, handshake frames out of
// order, bad proofs (random, wrong cookie, reflected acceptor MAC), and valid handshakes (the test
// computes the HMAC from the cookie) followed by weird or malformed session frames. Asserts: the
// node never exits, its peer keeps getting answers and never loses the session, no message from an
// unauthenticated socket reaches a process (the target's `sink` reports anything it receives,
// and every unauthenticated scenario addresses it), no unauthenticated GLOBAL_REGISTER sticks,
// and the node's stderr holds only `[mesh] dist:` lines (no stack trace).
import * as fc from "fast-check";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, freePorts, startNode, stopNodes, type NodeProc } from "./cluster.js";
import {
  Conn,
  deepListBytes,
  frame,
  handshakeMac,
  helloPayload,
  KIND,
  openSession,
  parseChallenge,
  termBytes,
  Writer,
  type Term,
  type WirePid,
} from "./protocol.js";

const COOKIE = "fuzz-cookie";
const HANDSHAKE_MAX = 4096;
const FRAME_MAX = 16 * 1024 * 1024;

let target: NodeProc;
let peer: NodeProc;
let port = 0;
let targetName = "";
let sinkId = 0;
let tCreation = 0;
let closedPort = 0;

beforeAll(async () => {
  const [t, p] = await Promise.all([buildNode("fuzz/target"), buildNode("fuzz/peer")]);
  const ports = await freePorts(["t", "p", "closed"]);
  port = Number(ports.t);
  closedPort = Number(ports.closed);
  targetName = `t@127.0.0.1:${port}`;
  target = startNode("target", t, { NAME: targetName, COOKIE });
  await target.waitLine("target ready 0 0");
  sinkId = Number(/^sink <0\.(\d+)>$/m.exec(target.stdout.text)![1]);
  peer = startNode("peer", p, { NAME: `p@127.0.0.1:${ports.p}`, COOKIE, TARGET: targetName });
  await peer.waitLine("peer connected 0 true");
  await peer.waitLine("pong 3 intruder=false");
  const s = await openSession(port, `probe@127.0.0.1:${closedPort}`, COOKIE);
  tCreation = s.peer.creation;
  s.conn.destroy();
});
afterAll(stopNodes);

// ---- arbitraries ---------------------------------------------------------------------------------------

const INT_MAX = 2n ** 53n - 1n;
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyString = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }), fc.tuple(fc.string({ maxLength: 4 }), loneSurrogate).map(([a, b]) => a + b));
const invalidUtf8 = fc.oneof(
  fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc0, 0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])),
  fc.uint8Array({ minLength: 1, maxLength: 16 }),
);
const typeName = fc.constantFrom("Probe", "Option", "Result", "Ordering", "Nope.Thing", "Probe2", "");
const ctorName = fc.constantFrom("Ping", "Pong", "Some", "None", "Ok", "Err", "Less", "Zzz", "");

function pidArb(): fc.Arbitrary<WirePid> {
  return fc.record({
    node: fc.oneof(fc.constant(targetName), fc.constant(`ghost@127.0.0.1:${closedPort}`), fc.constant(""), anyString),
    creation: fc.oneof(fc.constant(tCreation), fc.nat()),
    id: fc.oneof(fc.nat({ max: 60 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
  });
}

function termArb(): fc.Arbitrary<Term> {
  const leaf: fc.Arbitrary<Term> = fc.oneof(
    fc.oneof(fc.bigInt({ min: -INT_MAX, max: INT_MAX }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map((v): Term => ({ t: "int", v })),
    fc.double().map((v): Term => ({ t: "float", v })),
    fc.boolean().map((v): Term => ({ t: "bool", v })),
    anyString.map((v): Term => ({ t: "str", v })),
    invalidUtf8.map((v): Term => ({ t: "rawstr", v })),
    fc.constant<Term>({ t: "unit" }),
    anyString.map((v): Term => ({ t: "atom", v })),
    pidArb().map((v): Term => ({ t: "pid", v })),
    fc.uint8Array({ minLength: 1, maxLength: 9 }).map((b): Term => ({ t: "raw", bytes: Uint8Array.from([0x11 + (b[0]! % 0xee), ...b.subarray(1)]) })),
  );
  const { term } = fc.letrec<{ term: Term }>((tie) => ({
    term: fc.oneof(
      { maxDepth: 4, depthSize: "small" },
      leaf,
      fc.array(tie("term"), { maxLength: 4 }).map((items): Term => ({ t: "list", items })),
      fc.array(tie("term"), { maxLength: 4 }).map((items): Term => ({ t: "tuple", items })),
      fc.array(fc.tuple(tie("term"), tie("term")), { maxLength: 3 }).map((entries): Term => ({ t: "map", entries })),
      fc.array(tie("term"), { maxLength: 3 }).map((items): Term => ({ t: "set", items })),
      fc.tuple(typeName, fc.array(fc.tuple(fc.constantFrom("a", "b", "value", ""), tie("term")), { maxLength: 3 })).map(([name, fields]): Term => ({ t: "struct", name, fields })),
      fc.tuple(typeName, ctorName, fc.array(tie("term"), { maxLength: 3 })).map(([type, ctor, args]): Term => ({ t: "sum", type, ctor, args })),
      fc.tuple(fc.constantFrom("Range", "Queue", "Json", "Nope"), tie("term")).map(([name, v]): Term => ({ t: "lib", name, v })),
    ),
  }));
  return term;
}

/** Term bytes, sometimes nested past the limit or beyond. */
function termBytesArb(): fc.Arbitrary<Buffer> {
  return fc.oneof({ weight: 8, arbitrary: termArb().map(termBytes) }, { weight: 1, arbitrary: fc.integer({ min: 250, max: 400 }).map(deepListBytes) });
}

/** A process on the target: for unauthenticated sockets the sink itself; for sessions never a
 * live process with the right creation (an authenticated peer may legitimately kill or message
 * them; that is not what is tested). */
function toArb(auth: boolean): fc.Arbitrary<[bigint, number]> {
  if (!auth) return fc.constant([BigInt(sinkId), tCreation]);
  return fc.oneof(
    fc.nat({ max: 60 }).map((id): [bigint, number] => [BigInt(id), (tCreation ^ 0x5a5a5a5a) >>> 0]),
    fc.bigInt({ min: 1_000_000n, max: 2n ** 64n - 1n }).map((id): [bigint, number] => [id, tCreation]),
  );
}

const AUTH_NAMES = fc.constantFrom("fz_a", "fz_b", "", "x".repeat(300));

/** Structurally valid session frames (§7.6) with weird contents. */
function sessionPayloadArb(auth: boolean): fc.Arbitrary<Buffer> {
  const to = toArb(auth);
  const pid = pidArb();
  const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const str = fc.oneof(anyString, invalidUtf8);
  const gname = auth ? AUTH_NAMES : fc.constant("intruder");
  return fc.oneof(
    fc.tuple(to, termBytesArb()).map(([[id, c], t]) => new Writer().u8(KIND.SEND).to(id, c).bytes(t).done()),
    fc.tuple(fc.constantFrom(KIND.LINK, KIND.UNLINK), pid, to).map(([k, p, [id, c]]) => new Writer().u8(k).pid(p).to(id, c).done()),
    fc.tuple(pid, to, fc.constantFrom(0, 1, 7), fc.constantFrom("kill", "normal", "boom")).map(([p, [id, c], o, r]) => new Writer().u8(KIND.EXIT).pid(p).to(id, c).u8(o).str32(r).done()),
    fc.tuple(fc.constantFrom(KIND.MONITOR, KIND.DEMONITOR), pid, to, u64).map(([k, p, [id, c], r]) => new Writer().u8(k).pid(p).to(id, c).u64(r).done()),
    fc.tuple(pid, to, u64, str).map(([p, [id, c], r, s]) => new Writer().u8(KIND.DOWN).pid(p).to(id, c).u64(r).str32(s).done()),
    fc.tuple(u64, pid, fc.constantFrom(0, 1, 2), fc.constantFrom("echo/0", "sink/0", "main/0", "nope/3", ""), termBytesArb()).map(([q, p, l, k, a]) =>
      new Writer().u8(KIND.SPAWN).u64(q).pid(p).u8(l).str16(k).bytes(a).done(),
    ),
    fc.tuple(u64, to, fc.constantFrom(0, 1, 2, 9), pid).map(([q, [id, c], st, p]) => {
      const w = new Writer().u8(KIND.SPAWN_REPLY).u64(q).to(id, c).u8(st);
      return (st === 0 ? w.pid(p) : w.str16("no")).done();
    }),
    fc.tuple(u64, pid, to, fc.constantFrom("Ledger", "Probe", ""), fc.constantFrom("balance", "x"), termBytesArb()).map(([r, p, [id, c], s, h, a]) =>
      new Writer().u8(KIND.CALL).u64(r).pid(p).to(id, c).str16(s).str16(h).bytes(a).done(),
    ),
    fc.tuple(to, termBytesArb()).map(([[id, c], a]) => new Writer().u8(KIND.CAST).to(id, c).str16("Ledger").str16("deposit").bytes(a).done()),
    fc.tuple(u64, to, termBytesArb()).map(([r, [id, c], t]) => new Writer().u8(KIND.REPLY).u64(r).to(id, c).bytes(t).done()),
    fc.tuple(u64, to, str).map(([r, [id, c], s]) => new Writer().u8(KIND.CALL_FAIL).u64(r).to(id, c).str32(s).done()),
    fc.tuple(gname, pid, u64).map(([n, p, t]) => new Writer().u8(KIND.GLOBAL_REGISTER).str16(n).pid(p).u64(t).done()),
    fc.tuple(gname, pid).map(([n, p]) => new Writer().u8(KIND.GLOBAL_UNREGISTER).str16(n).pid(p).done()),
    fc.array(fc.tuple(gname, pid, u64), { maxLength: 4 }).map((es) => {
      const w = new Writer().u8(KIND.GLOBAL_SYNC).u32(es.length);
      for (const [n, p, t] of es) w.str16(n).pid(p).u64(t);
      return w.done();
    }),
    fc.array(fc.constantFrom(`ghost@127.0.0.1:${closedPort}`, "bad name", targetName, ""), { maxLength: 3 }).map((ns) => {
      const w = new Writer().u8(KIND.PEERS).u16(ns.length);
      for (const n of ns) w.str16(n);
      return w.done();
    }),
    fc.tuple(str, str).map(([r, t]) => new Writer().u8(KIND.ROOM_BROADCAST).str16(r).str32(t).done()),
    fc.constant(Buffer.from([KIND.TICK])),
  );
}

type Mutation =
  | { op: "truncate"; at: number }
  | { op: "set"; at: number; v: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "append"; bytes: Uint8Array }
  | { op: "kind"; v: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at): Mutation => ({ op: "truncate", at })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, v]): Mutation => ({ op: "set", at, v })),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]): Mutation => ({ op: "insert", at, bytes })),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes): Mutation => ({ op: "append", bytes })),
  fc.integer({ min: 0, max: 255 }).map((v): Mutation => ({ op: "kind", v })),
);

function mutate(p: Buffer, m: Mutation): Buffer {
  const b = Buffer.from(p);
  switch (m.op) {
    case "truncate":
      return b.subarray(0, Math.max(1, m.at % Math.max(1, b.length)));
    case "set":
      if (b.length > 0) b[m.at % b.length] = m.v;
      return b;
    case "insert": {
      const at = m.at % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    }
    case "append":
      return Buffer.concat([b, m.bytes]);
    case "kind":
      if (b.length > 0) b[0] = m.v;
      return b;
  }
}

/** How the length prefix is written: honest, or a lie. */
type Prefix = "ok" | "zero" | "over" | "huge" | "short" | "long";
const prefixArb: fc.Arbitrary<Prefix> = fc.oneof({ weight: 6, arbitrary: fc.constant<Prefix>("ok") }, fc.constantFrom<Prefix>("zero", "over", "huge", "short", "long"));

function withPrefix(p: Buffer, how: Prefix, handshake: boolean): Buffer {
  switch (how) {
    case "ok":
      return frame(p);
    case "zero":
      return frame(p, 0);
    case "over":
      return frame(p, (handshake ? HANDSHAKE_MAX : FRAME_MAX) + 1);
    case "huge":
      return frame(p, 0xffffffff);
    case "short":
      return frame(p, Math.max(1, p.length - 1));
    case "long":
      return frame(p, p.length + 3);
  }
}

/** A frame to throw: a payload, possibly mutated, with a possibly lying prefix. */
function frameArb(payload: fc.Arbitrary<Buffer>, handshake: boolean): fc.Arbitrary<Buffer> {
  return fc.tuple(payload, fc.array(mutationArb, { maxLength: 2 }), prefixArb).map(([p, ms, pre]) => withPrefix(ms.reduce(mutate, p), pre, handshake));
}

const helloArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.oneof(fc.constant("intruder@127.0.0.1:1"), anyString, fc.constant("y".repeat(300))), fc.nat(), fc.constantFrom(1, 1, 1, 0, 2, 0xffff))
  .map(([name, creation, version]) => helloPayload(name, creation, randomBytes(32), version));

/** Frames an unauthenticated socket may try: handshake kinds in any order, and session kinds
 * (sends to the sink, "intruder" registrations), sometimes mutated. */
function preAuthFrameArb(): fc.Arbitrary<Buffer> {
  const hs = fc.oneof(
    helloArb,
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => Buffer.concat([Buffer.from([KIND.PROOF]), mac])),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => Buffer.concat([Buffer.from([KIND.ACCEPT]), mac])),
    helloArb.map((h) => Buffer.concat([Buffer.from([KIND.CHALLENGE]), h.subarray(1)])),
    fc.constant(new Writer().u8(KIND.REJECT).u8(2).str16("x").str16("no").done()),
  );
  return fc.oneof(frameArb(hs, true), frameArb(sessionPayloadArb(false), true), fc.constant(frame(new Writer().u8(KIND.SEND).to(sinkId, tCreation).bytes(termBytes({ t: "int", v: 1n })).done())));
}

type Scenario =
  | { mode: "raw"; bytes: Uint8Array }
  | { mode: "pre"; frames: Buffer[] }
  | { mode: "badproof"; proof: "random" | "cookie" | "reflect" | "short"; after: Buffer[] }
  | { mode: "session"; frames: Buffer[]; final: Buffer | null };

function scenarioArb(): fc.Arbitrary<Scenario> {
  return fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes): Scenario => ({ mode: "raw", bytes })),
    fc.array(preAuthFrameArb(), { minLength: 1, maxLength: 6 }).map((frames): Scenario => ({ mode: "pre", frames })),
    fc
      .tuple(fc.constantFrom("random", "cookie", "reflect", "short") as fc.Arbitrary<"random" | "cookie" | "reflect" | "short">, fc.array(preAuthFrameArb(), { maxLength: 4 }))
      .map(([proof, after]): Scenario => ({ mode: "badproof", proof, after })),
    fc
      .tuple(fc.array(frameArb(sessionPayloadArb(true), false).filter((f) => f.readUInt32LE(0) === f.length - 4), { minLength: 1, maxLength: 12 }), fc.option(frameArb(sessionPayloadArb(true), false)))
      .map(([frames, final]): Scenario => ({ mode: "session", frames, final })),
  );
}

// ---- running scenarios -------------------------------------------------------------------------------

const stats = { frames: 0, scenarios: 0, sessions: 0, rejectedProofs: 0, notClosed: 0 };
let sessionSeq = 0;

async function runScenario(s: Scenario): Promise<void> {
  stats.scenarios++;
  const conn = await Conn.open(port);
  try {
    switch (s.mode) {
      case "raw":
        stats.frames++;
        conn.write(s.bytes);
        break;
      case "pre":
        stats.frames += s.frames.length;
        for (const f of s.frames) conn.write(f);
        break;
      case "badproof": {
        const iName = `intruder${sessionSeq++}@127.0.0.1:${closedPort}`;
        const nonceI = randomBytes(32);
        const creation = 7;
        conn.write(frame(helloPayload(iName, creation, nonceI)));
        const ch = await conn.frameAt(0, 3000);
        const c = ch && parseChallenge(ch);
        if (!c) throw new Error(`valid HELLO got no CHALLENGE: ${ch?.toString("hex") ?? "closed"}`);
        const mac =
          s.proof === "random"
            ? randomBytes(32)
            : s.proof === "cookie"
              ? handshakeMac("not-" + COOKIE, "initiator", nonceI, c.nonce, iName, c.name, creation, c.creation)
              : s.proof === "reflect"
                ? handshakeMac(COOKIE, "acceptor", nonceI, c.nonce, iName, c.name, creation, c.creation)
                : handshakeMac(COOKIE, "initiator", nonceI, c.nonce, iName, c.name, creation, c.creation).subarray(0, 31);
        conn.write(frame(Buffer.concat([Buffer.from([KIND.PROOF]), mac])));
        for (const f of s.after) conn.write(f);
        stats.frames += 2 + s.after.length;
        const reply = await conn.frameAt(1, 3000);
        if (reply && reply[0] === KIND.ACCEPT) throw new Error(`bad proof (${s.proof}) was accepted`);
        if (reply && reply[0] === KIND.REJECT) stats.rejectedProofs++;
        break;
      }
      case "session": {
        conn.destroy();
        const sess = await openSession(port, `fz${sessionSeq++}@127.0.0.1:${closedPort}`, COOKIE);
        stats.sessions++;
        stats.frames += 3 + s.frames.length + (s.final ? 1 : 0);
        for (const f of s.frames) sess.conn.write(f);
        if (s.final) sess.conn.write(s.final);
        sess.conn.end();
        if (!(await sess.conn.waitClosed(3000))) stats.notClosed++;
        sess.conn.destroy();
        return;
      }
    }
    conn.end();
    if (!(await conn.waitClosed(3000))) stats.notClosed++;
  } finally {
    conn.destroy();
  }
}

function checkHealthy(): void {
  if (!target.alive) throw new Error(`the target node exited: ${JSON.stringify(target.exited)}\n${target.describe()}`);
  if (target.stdout.text.includes("sink got a message")) throw new Error(`an unauthenticated socket delivered a message\n${target.describe()}`);
  if (/lost |intruder=true/.test(peer.stdout.text)) throw new Error(`the real peer was disturbed\n${peer.describe()}`);
}

const lastPong = () => Math.max(0, ...peer.stdout.lines.map((l) => /^pong (\d+) /.exec(l)).filter((m) => m !== null).map((m) => Number(m![1])));

describe("a live node under hostile input", () => {
  it("survives >= 10,000 random and mutated frames and handshakes, keeps serving its real peer, lets no unauthenticated socket deliver", async () => {
    const before = lastPong();
    const PARALLEL = 4;
    await fc.assert(
      fc.asyncProperty(fc.array(scenarioArb(), { minLength: PARALLEL, maxLength: PARALLEL }), async (batch) => {
        await Promise.all(batch.map(runScenario));
        checkHealthy();
      }),
      { numRuns: 700, endOnFailure: true, interruptAfterTimeLimit: 120_000 },
    );
    expect(stats.frames, JSON.stringify(stats)).toBeGreaterThanOrEqual(10_000);
    // the peer keeps being served after the storm
    const after = lastPong();
    await peer.waitLine(`pong ${after + 5} intruder=false`, 5000);
    checkHealthy();
    expect(after, `pongs during the storm: ${before} -> ${after}`).toBeGreaterThan(before);
    // every stderr line is one of the runtime's dist log lines: nothing escaped as a stack trace
    const odd = target.stderr.lines.filter((l) => !l.startsWith("[mesh] dist: "));
    expect(odd.slice(0, 10), `unexpected stderr lines (${odd.length})`).toEqual([]);
    console.log(`hostile input: ${JSON.stringify(stats)}, peer pongs ${before} -> ${after}, target stderr lines ${target.stderr.lines.length}`);
    const shapes = new Set(target.stderr.lines.map((l) => l.replace(/\d+/g, "N").replace(/\(.*\)/, "(…)")));
    console.log([...shapes].slice(0, 20).join("\n"));
  }, 180_000);

  it("control: the same frames from an authenticated socket do arrive (so the checks above can fail)", async () => {
    const s = await openSession(port, `control@127.0.0.1:${closedPort}`, COOKIE);
    s.conn.write(frame(new Writer().u8(KIND.SEND).to(sinkId, tCreation).bytes(termBytes({ t: "int", v: 1n })).done()));
    const me: WirePid = { node: s.name, creation: s.creation, id: 1 };
    s.conn.write(frame(new Writer().u8(KIND.GLOBAL_REGISTER).str16("intruder").pid(me).u64(Date.now()).done()));
    await target.waitLine("sink got a message", 5000);
    await peer.waitMatch(/intruder=true$/, 5000);
    s.conn.destroy();
  });
});

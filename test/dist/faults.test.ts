// Faults on real OS processes (issue 8): a peer SIGKILLed (NodeDown on the others within 2 s,
// its global names gone), a peer SIGSTOPped (heartbeat detection within 6 s with the default
// 1 s / 5 s timing, and the resumed peer notices the lost session too), a restart with a new
// creation (old pids dead: noproc, sends dropped; reconnect gives NodeUp), a wrong cookie
// (exact log line, nothing registered), and three nodes registering one global name at the same
// moment (one winner, the same on every node). Programs: programs/faults/{peer,race}.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, freePorts, startNode, stopNodes, type NodeProc } from "./cluster.js";

let peer = "";
let race = "";
let mutual = "";
let callsA = "";
let callsB = "";

beforeAll(async () => {
  [peer, race, mutual, callsA, callsB] = await Promise.all([
    buildNode("faults/peer"),
    buildNode("faults/race"),
    buildNode("faults/mutual"),
    buildNode("faults/calls/a"),
    buildNode("faults/calls/b"),
  ]);
});
afterAll(stopNodes);

const COOKIE = "fault-cookie";

async function names(keys: string[]): Promise<Record<string, string>> {
  const ports = await freePorts(keys);
  return Object.fromEntries(keys.map((k) => [k, `${k}@127.0.0.1:${ports[k]}`]));
}

function lines(...ls: string[]): string {
  return ls.map((l) => l + "\n").join("");
}

/** A, B, V: A first, B connects to A, V (owning global name g_v) connects to A and reaches B
 * through gossip. A and B watch V and check g_v. */
async function cluster(n: Record<string, string>, env: Record<string, string> = {}) {
  const a = startNode("a", peer, { ...env, NAME: n.a!, COOKIE, WATCH: `${n.b},${n.v}`, VICTIM: n.v!, GCHECK: "g_v" });
  await a.waitLine("ready");
  const b = startNode("b", peer, { ...env, NAME: n.b!, COOKIE, WATCH: `${n.a},${n.v}`, CONNECT: n.a!, VICTIM: n.v!, GCHECK: "g_v" });
  await b.waitLine("ready");
  await a.waitLine(`up ${n.b}`);
  const vEnv = { ...env, NAME: n.v!, COOKIE, GNAME: "g_v", WATCH: `${n.a},${n.b}`, CONNECT: n.a! };
  const v = startNode("v", peer, vEnv);
  await v.waitLine("ready");
  await Promise.all([a.waitLine("sees g_v"), b.waitLine("sees g_v"), v.waitLine(`up ${n.b}`)]);
  return { a, b, v, vEnv };
}

const all = (...ps: NodeProc[]) => ps.map((p) => p.describe()).join("\n");

describe("faults between OS processes", () => {
  it("SIGKILL: NodeDown within 2 s with the names gone; a restart has a new creation: old pids dead, NodeUp again", async () => {
    const n = await names(["a", "b", "v"]);
    const { a, b, v, vEnv } = await cluster(n);
    expect(v.stdout.text).toBe(lines("start 0", `connect ${n.a} 0`, "ready", `up ${n.a}`, `up ${n.b}`));

    const t0 = performance.now();
    v.signal("SIGKILL");
    const down = `down ${n.v} g_v=absent`;
    await Promise.all([a.waitLine(down, 5000), b.waitLine(down, 5000)]);
    for (const p of [a, b]) {
      const dt = p.timeOf(down)! - t0;
      expect(dt, `${p.label} saw NodeDown ${dt.toFixed(0)} ms after SIGKILL\n${all(a, b)}`).toBeLessThanOrEqual(2000);
    }
    await v.exit(5000);

    // same name, new incarnation: connects to A again (and to B through gossip)
    const v2 = startNode("v2", peer, vEnv);
    const pong = `pong 2 from ${n.v}`;
    await Promise.all([a.waitLine(pong, 10_000), b.waitLine(pong, 10_000), v2.waitLine(`up ${n.b}`, 10_000)]);
    const afterRestart = ["up " + n.v, "sees g_v", "old pid down: noproc", pong];
    expect(a.stdout.text, all(a, b, v2)).toBe(lines("start 0", "check g_v=absent", "ready", `up ${n.b}`, `up ${n.v}`, "sees g_v", down, ...afterRestart));
    expect(b.stdout.text, all(a, b, v2)).toBe(
      lines("start 0", `connect ${n.a} 0`, "check g_v=absent", "ready", `up ${n.a}`, `up ${n.v}`, "sees g_v", down, ...afterRestart),
    );
    // the ping sent to the old pid must not reach the new incarnation (same local id, new creation)
    expect(a.stdout.text).not.toContain("pong 1");
    expect(v2.stdout.text).toBe(lines("start 0", `connect ${n.a} 0`, "ready", `up ${n.a}`, `up ${n.b}`));
    await Promise.all([a.stop(), b.stop(), v2.stop()]);
  });

  it("SIGSTOP: heartbeat timeout within 6 s (default timing); the resumed peer notices the lost sessions", async () => {
    const n = await names(["a", "b", "v"]);
    const { a, b, v } = await cluster(n);
    const t0 = performance.now();
    v.signal("SIGSTOP");
    const down = `down ${n.v} g_v=absent`;
    try {
      await Promise.all([a.waitLine(down, 9000), b.waitLine(down, 9000)]);
    } finally {
      if (!a.timeOf(down) || !b.timeOf(down)) v.signal("SIGCONT");
    }
    for (const p of [a, b]) {
      const dt = p.timeOf(down)! - t0;
      expect(dt, `${p.label} saw NodeDown ${dt.toFixed(0)} ms after SIGSTOP\n${all(a, b)}`).toBeLessThanOrEqual(6000);
      await p.waitStderr(new RegExp(`^\\[mesh\\] dist: connection to ${n.v} closed: heartbeat timeout$`), 1000);
    }
    v.signal("SIGCONT");
    await Promise.all([v.waitLine(`down ${n.a}`, 5000), v.waitLine(`down ${n.b}`, 5000)]);
    await v.waitStderr(new RegExp(`^\\[mesh\\] dist: connection to ${n.a} closed: `), 1000);
    expect(v.alive).toBe(true);
    expect(a.stdout.text, all(a, b, v)).toBe(lines("start 0", "check g_v=absent", "ready", `up ${n.b}`, `up ${n.v}`, "sees g_v", down));
    await Promise.all([a.stop(), b.stop(), v.stop()]);
  });

  it("wrong cookie: rejected with the exact log line, no NodeUp, nothing registered", async () => {
    const n = await names(["a", "b", "c"]);
    const b = startNode("b", peer, { NAME: n.b!, COOKIE, WATCH: `${n.a},${n.c}` });
    await b.waitLine("ready");
    const a = startNode("a", peer, { NAME: n.a!, COOKIE: "not-the-cookie", GNAME: "g_a", CONNECT: n.b! });
    await a.waitLine("ready");
    expect(a.stdout.text).toBe(lines("start 0", `connect ${n.b} -3`, "ready"));
    await b.waitStderr(/^\[mesh\] dist: rejected connection from 127\.0\.0\.1:\d+: authentication failed$/, 3000);
    // a third node with the right cookie sees B's whole table on connect: no g_a there
    const c = startNode("c", peer, { NAME: n.c!, COOKIE, CONNECT: n.b!, GCHECK: "g_a" });
    await c.waitLine("ready");
    await b.waitLine(`up ${n.c}`);
    expect(c.stdout.text).toBe(lines("start 0", `connect ${n.b} 0`, "check g_a=absent", "ready"));
    expect(b.stdout.text, all(a, b, c)).toBe(lines("start 0", "ready", `up ${n.c}`));
    expect(b.stderr.text).not.toMatch(/at .*\.js:\d+|TypeError|RangeError/);
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  });

  it("three nodes register one global name at the same moment: exactly one winner, the same everywhere", async () => {
    const n = await names(["a", "b", "c"]);
    // once a sees the whole cluster it tells every node the same moment at which to register "leader"
    const a = startNode("a", race, { NAME: n.a!, COOKIE, PEERS: "2", LEAD: "1" });
    await a.waitLine("ready");
    const b = startNode("b", race, { NAME: n.b!, COOKIE, PEERS: "2", CONNECT: n.a! });
    await b.waitLine("ready");
    const c = startNode("c", race, { NAME: n.c!, COOKIE, PEERS: "2", CONNECT: `${n.a},${n.b}` });
    await c.waitLine("ready");
    const nodes = [a, b, c];
    const leaders = await Promise.all(nodes.map((p) => p.waitMatch(/^winner leader /, 10_000)));
    const earlies = await Promise.all(nodes.map((p) => p.waitMatch(/^winner early /, 10_000)));
    const diag = all(...nodes);
    for (const p of nodes) expect(p.stdout.text, diag).not.toMatch(/no go|silent|none/);
    const winner = leaders[0]!.slice("winner leader ".length);
    expect([n.a, n.b, n.c], diag).toContain(winner);
    expect(leaders, diag).toEqual(nodes.map(() => `winner leader ${winner}`));
    // "early" was registered by each node before it started, a first: the earliest wins everywhere
    expect(earlies, diag).toEqual(nodes.map(() => `winner early ${n.a}`));
    const locally = nodes.map((p) => p.stdout.lines.filter((l) => l === "registered leader locally: true").length);
    expect(locally.reduce((x, y) => x + y), diag).toBeGreaterThanOrEqual(1);
    // informational: how many nodes saw "leader" free in their own view (>= 2 = a real conflict)
    console.log(`global race: ${locally.reduce((x, y) => x + y)} of 3 nodes registered "leader" in their own view; winner ${winner}`);
    await Promise.all(nodes.map((p) => p.stop()));
  });

  it("two nodes connect to each other at the same moment: both get 0, one session, one NodeUp each, no NodeDown", async () => {
    const n = await names(["a", "b"]);
    const gofile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mesh-dist-go-")), "go");
    const a = startNode("a", mutual, { NAME: n.a!, COOKIE, TARGET: n.b!, GOFILE: gofile });
    const b = startNode("b", mutual, { NAME: n.b!, COOKIE, TARGET: n.a!, GOFILE: gofile });
    await Promise.all([a.waitLine("ready"), b.waitLine("ready")]);
    fs.writeFileSync(gofile + ".tmp", String(Date.now() + 300));
    fs.renameSync(gofile + ".tmp", gofile);
    const [ea, eb] = await Promise.all([a.exit(20_000), b.exit(20_000)]);
    const diag = all(a, b);
    for (const [p, other] of [
      [a, n.b],
      [b, n.a],
    ] as const) {
      const ls = p.stdout.lines;
      expect(ls.filter((l) => !l.startsWith("late by")).sort(), diag).toEqual(["connect 0", "peers 1", "ready", "start 0", `up ${other}`]);
      expect(ls[ls.length - 1], diag).toBe("peers 1");
    }
    expect([ea.code, eb.code], diag).toEqual([0, 0]);
    // informational: whether the two handshakes really crossed (a REJECT 3 logged on one side)
    console.log(`mutual connect stderr:\n${a.stderr.text}${b.stderr.text}`);
    fs.rmSync(path.dirname(gofile), { recursive: true, force: true });
  });

  it("remote service calls: unsendable reply, crash, the 5 s timeout, and noconnection when the server is SIGKILLed", async () => {
    const n = await names(["a", "b"]);
    const b = startNode("b", callsB, { NAME: n.b!, COOKIE });
    await b.waitLine("b ready 0 0");
    const a = startNode("a", callsA, { NAME: n.a!, COOKIE, SERVER: n.b! });
    await a.waitLine("calling 10000", 20_000);
    const t0 = performance.now();
    b.signal("SIGKILL");
    const cut = "cut caller down: call failed: noconnection";
    await a.waitLine(cut, 5000);
    expect(a.timeOf(cut)! - t0, all(a, b)).toBeLessThanOrEqual(2000);
    const ea = await a.exit(10_000);
    expect(a.stdout.text, all(a, b)).toBe(
      lines(
        "connect 0",
        "fn caller down: call failed: unsendable value: Fun",
        "calling 10",
        "waited 10",
        "wait caller down: normal",
        "explode caller down: call failed: service exploded",
        "calling 7000",
        "slow caller down: call failed: timeout",
        "calling 10000",
        cut,
      ),
    );
    expect(ea.code, all(a, b)).toBe(0);
  });
});

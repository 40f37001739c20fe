// Faults on real OS processes (issue 8): a peer SIGKILLed (NodeDown on the others within 2 s,
// its global names gone), a peer SIGSTOPped (heartbeat detection within 6 s with the default
// 1 s / 5 s timing, and the resumed peer notices the lost session too), a restart with a new
// creation (old pids dead: noproc, sends dropped; reconnect gives NodeUp), and a wrong cookie
// (exact log line, nothing registered), and output overflow (64 MiB unsent: the connection is
// closed, the sender survives, a new connect works). Programs: programs/faults/{peer,flood}. Node processes are
// warmed up in parallel (cluster.ts startWarm) and their programs started in the order needed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { all, buildNode, lines, nodeNames as names, startNode, startWarm, stopNodes } from "./cluster.js";

let peer = "";
let flood = "";

beforeAll(async () => {
  [peer, flood] = await Promise.all([buildNode("faults/peer"), buildNode("faults/flood")]);
});
afterAll(stopNodes);

const COOKIE = "fault-cookie";

/** A, B, V: A first, B connects to A, V (owning global name g_v) connects to A and reaches B
 * through gossip. A and B watch V and check g_v. */
async function cluster(n: Record<string, string>) {
  const vEnv = { NAME: n.v!, COOKIE, GNAME: "g_v", WATCH: `${n.a},${n.b}`, CONNECT: n.a! };
  const [wa, wb, wv] = await Promise.all([
    startWarm("a", peer, { NAME: n.a!, COOKIE, WATCH: `${n.b},${n.v}`, VICTIM: n.v!, GCHECK: "g_v" }),
    startWarm("b", peer, { NAME: n.b!, COOKIE, WATCH: `${n.a},${n.v}`, CONNECT: n.a!, VICTIM: n.v!, GCHECK: "g_v" }),
    startWarm("v", peer, vEnv),
  ]);
  const [a, b, v] = [wa.node, wb.node, wv.node];
  wa.go();
  await a.waitLine("ready");
  wb.go();
  await b.waitLine("ready");
  await a.waitLine(`up ${n.b}`);
  wv.go();
  await v.waitLine("ready");
  await Promise.all([a.waitLine("sees g_v"), b.waitLine("sees g_v"), v.waitLine(`up ${n.b}`)]);
  return { a, b, v, vEnv };
}

describe("faults between OS processes", () => {
  it("SIGKILL: NodeDown within 2 s with the names gone; a restart has a new creation: old pids dead, NodeUp again", async () => {
    const n = await names(["a", "b", "v"]);
    const { a, b, v, vEnv } = await cluster(n);
    const warmV2 = await startWarm("v2", peer, vEnv);
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
    warmV2.go();
    const v2 = warmV2.node;
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

  it("output overflow: 100 MiB sent in one turn closes the connection (exact log line), the sender survives and can reconnect", async () => {
    const n = await names(["a", "b"]);
    const b = startNode("b", peer, { NAME: n.b!, COOKIE, GNAME: "g_b", WATCH: n.a! });
    await b.waitLine("ready");
    const a = startNode("a", flood, { NAME: n.a!, COOKIE, TARGET: n.b! });
    const ea = await a.exit(30_000);
    expect(a.stdout.text, all(a, b)).toBe(lines("connect 0", "sent", `down ${n.b}`, "reconnect 0 peers 1"));
    expect(a.stderr.lines, all(a, b)).toContain(`[mesh] dist: connection to ${n.b} closed: output overflow`);
    expect(ea.code, all(a, b)).toBe(0);
    await b.waitLine(`up ${n.a}`, 5000, 2);
    expect(b.stdout.text, all(a, b)).toMatch(new RegExp(`^start 0\nready\nup ${n.a}\ndown ${n.a}\nup ${n.a}\n`));
    await b.stop();
  });
});
